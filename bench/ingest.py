"""bench/ingest: upload N generated documents through the HTTP API and compare with raw S3 puts of the same bytes.

    eval "$(bash deploy/services.sh env)"; python bench/ingest.py --count 200 --size-kb 256 --clients 1,4

Runs the real app (``archive-service serve`` in its own process on 127.0.0.1, PostgreSQL catalog, S3 blobs, no
workers) and uploads with httpx, one
file a request, from ``--clients`` threads (one connection each); the baseline puts the same bytes straight into
a bucket with the ``minio`` client from as many threads. Both buckets are made the same way (Object Lock, so
versioned) and both take the untimed warm-up before the clock starts, so that neither pays for the store making
its first volume inside a round. Each round uses bytes never stored before (ours would otherwise answer
"duplicate" or skip the put) and, for the baseline, keys never used before; ours and the baseline alternate their
order from round to round (``bench.timing.alternate``) after the warm-up. Prints min and median documents/s, the
ratio, each side's median request time and how many requests took 0.5 s or more (the store pausing: SeaweedFS
holds writers about 1 s while it grows a volume, which is why deploy/services.sh gives it 1 GB volumes).

What the baseline leaves out, by design: HTTP, multipart parsing, the spool, the catalog transaction (row, job,
outbox, audit), the access checks and the condition that makes our put idempotent (``If-None-Match: *``, checked by
the server) — that is what the ratio measures.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive_service.catalog import accounts  # noqa: E402
from archive_service.catalog.db import transaction  # noqa: E402
from archive_service.catalog.models import Role  # noqa: E402
from archive_service.config import BlobBackend, Settings  # noqa: E402
from archive_service.services import open_services  # noqa: E402
from archive_service.storage.s3 import S3BlobStore  # noqa: E402
from bench.process_cpu import CpuTally, Parts, Processes  # noqa: E402
from bench.timing import Comparison, alternate  # noqa: E402


def make_pdf(tag: str, size: int) -> bytes:
    """A valid PDF of about ``size`` bytes, unique per ``tag`` (a random payload stream)."""
    payload = os.urandom(size)
    head = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    pages = b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    blob = b"3 0 obj\n<< /Length %d /T (%s) >>\nstream\n" % (len(payload), tag.encode()) + payload
    return head + pages + blob + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def empty_bucket(store: S3BlobStore) -> None:
    """Remove every version of every object and the bucket (on SeaweedFS a bucket holds volumes until removed)."""
    client = store.client
    for obj in client.list_objects(store.bucket, recursive=True, include_version=True):
        if obj.object_name:
            client.remove_object(store.bucket, obj.object_name, version_id=obj.version_id)
    client.remove_bucket(store.bucket)


class Ingest:
    """The app as deployed — ``archive-service serve --workers 0`` in its own process, so that the uploading
    threads here do not share its interpreter — with one archivist and one dossier, and the raw S3 endpoint."""

    def __init__(self, tmp: Path, *, processes: int = 1) -> None:
        self.endpoint = os.environ["ARCHIVE_TEST_S3_ENDPOINT"]
        self.access = os.environ["ARCHIVE_TEST_S3_ACCESS_KEY"]
        self.secret = os.environ["ARCHIVE_TEST_S3_SECRET_KEY"]
        bucket = f"bench-{uuid.uuid4().hex[:12]}"
        port = free_port()
        env = {
            **os.environ,
            "ARCHIVE_DATA_DIR": str(tmp),
            "ARCHIVE_DATABASE_URL": os.environ["ARCHIVE_TEST_PG_URL"],
            "ARCHIVE_BLOB_BACKEND": "s3",
            "ARCHIVE_S3_ENDPOINT": self.endpoint,
            "ARCHIVE_S3_ACCESS_KEY": self.access,
            "ARCHIVE_S3_SECRET_KEY": self.secret,
            "ARCHIVE_S3_BUCKET": bucket,
            "ARCHIVE_WORKERS": "0",
        }
        settings = Settings(
            data_dir=tmp,
            database_url=env["ARCHIVE_DATABASE_URL"],
            blob_backend=BlobBackend.S3,
            s3_endpoint=self.endpoint,
            s3_access_key=self.access,
            s3_secret_key=self.secret,
            s3_bucket=bucket,
            workers=0,
        )
        self.services = open_services(settings)  # migrates; the accounts and the cleanup go through it
        with transaction(self.services.factory) as s:
            office = accounts.get_or_create_office(s, code=f"BENCH-{uuid.uuid4().hex[:6]}")
            user = accounts.create_user(s, username=f"bench-{uuid.uuid4().hex[:8]}", role=Role.ARCHIVIST, office=office)
            token = accounts.issue_token(s, user=user)
        self.server = subprocess.Popen(
            [sys.executable, "-c", "from archive_service.cli import app; app()", "serve", "--port", str(port)]
            + ["--processes", str(processes)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{port}"
        self.headers = {"Authorization": f"Bearer {token}"}
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.server.poll() is not None:
                self.server.kill()
                raise RuntimeError("archive-service serve did not start")
            time.sleep(0.1)
        with httpx.Client(base_url=self.base, headers=self.headers, timeout=120) as client:
            made = client.post("/api/v1/dossiers", json={"title": "Bench", "meeting_body": "BTV"})
            self.dossier = made.json()["id"]
        self.raw_stores: list[S3BlobStore] = []
        self._clients: list[httpx.Client] = []

    def clients(self, count: int) -> list[httpx.Client]:
        """One HTTP client (and connection) per uploading thread, made before the clock starts."""
        while len(self._clients) < count:
            self._clients.append(httpx.Client(base_url=self.base, headers=self.headers, timeout=120))
        return self._clients[:count]

    def upload_all(self, docs: list[bytes], clients: int) -> list[float]:
        """Upload every document; the seconds each request took."""
        free = list(self.clients(clients))
        local = threading.local()
        lock = threading.Lock()

        def upload(i: int) -> float:
            if not hasattr(local, "client"):
                with lock:
                    local.client = free.pop()
            started = time.perf_counter()
            r = local.client.post(
                f"/api/v1/dossiers/{self.dossier}/documents",
                files={"files": (f"van-ban-{i}.pdf", docs[i], "application/pdf")},
            )
            if r.status_code != 201:
                raise RuntimeError(r.text)
            return time.perf_counter() - started

        with ThreadPoolExecutor(clients) as pool:
            return list(pool.map(upload, range(len(docs))))

    def new_raw_bucket(self) -> S3BlobStore:
        raw = S3BlobStore(
            endpoint=self.endpoint,
            access_key=self.access,
            secret_key=self.secret,
            bucket=f"raw-{uuid.uuid4().hex[:12]}",
        )
        raw.ping()  # created (with Object Lock, as ours) before the clock starts
        self.raw_stores.append(raw)
        return raw

    @staticmethod
    def put_all(raw: S3BlobStore, docs: list[bytes], clients: int) -> list[float]:
        """Put every document under a key never used before; the seconds each put took."""
        prefix = f"raw/{uuid.uuid4().hex[:12]}"

        def put(i: int) -> float:
            started = time.perf_counter()
            raw.client.put_object(raw.bucket, f"{prefix}/{i}", io.BytesIO(docs[i]), len(docs[i]), "application/pdf")
            return time.perf_counter() - started

        with ThreadPoolExecutor(clients) as pool:
            return list(pool.map(put, range(len(docs))))

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self.server.terminate()
        self.server.wait(timeout=30)
        for store in [*self.raw_stores, self.services.blobs]:
            assert isinstance(store, S3BlobStore)
            empty_bucket(store)
        self.services.close()


CPU_PARTS = ("serve", "store", "database", "client")
STALL_SECONDS = 0.5  # a request this slow waited on the store (SeaweedFS growing a volume holds writers ~1 s)


@dataclass(frozen=True)
class Row:
    clients: int
    comparison: Comparison
    ours_latency: list[float]
    raw_latency: list[float]
    ours_cpu: CpuTally
    raw_cpu: CpuTally


def rounds_of(
    fn: Callable[[list[bytes]], list[float]],
    batches: list[list[bytes]],
    sink: list[float],
    parts: Processes,
    tally: CpuTally,
) -> Callable[[], None]:
    """A callable for ``alternate`` that takes the next unused batch at each call; request times go to ``sink``,
    the CPU each part spent to ``tally`` (two reads of a few stat files, inside the round for both sides).
    """
    queue = list(batches)

    def one_round() -> None:
        docs = queue.pop(0)
        before = parts.read()
        sink.extend(fn(docs))
        tally.add(before, parts.read(), len(docs))

    return one_round


def measure(bench: Ingest, *, clients: int, count: int, size: int, rounds: int) -> Row:
    """Warm both sides (the raw bucket gets its first volume here, as ours did), then alternate timed rounds."""
    run = uuid.uuid4().hex[:8]
    warm = [make_pdf(f"{run}-w-{i}", size) for i in range(min(count, 20))]
    bench.upload_all(warm, clients)
    raw = bench.new_raw_bucket()
    bench.put_all(raw, warm, clients)
    ours_batches = [[make_pdf(f"{run}-{r}-{i}", size) for i in range(count)] for r in range(rounds)]
    raw_batches = [[make_pdf(f"{run}-raw-{r}-{i}", size) for i in range(count)] for r in range(rounds)]
    ours_latency: list[float] = []
    raw_latency: list[float] = []
    ours_cpu, raw_cpu = CpuTally(), CpuTally()
    # found after the warm-ups, so that serve's database connections are open
    parts = Parts(trees={"serve": bench.server.pid}, programs={"store": "weed", "database": "postgres"}).resolve()
    comparison = alternate(
        rounds_of(lambda docs: bench.upload_all(docs, clients), ours_batches, ours_latency, parts, ours_cpu),
        rounds_of(lambda docs: bench.put_all(raw, docs, clients), raw_batches, raw_latency, parts, raw_cpu),
        rounds,
    )
    return Row(clients, comparison, ours_latency, raw_latency, ours_cpu, raw_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size-kb", type=int, default=256)
    parser.add_argument("--clients", default="1,4", help="comma-separated numbers of uploading threads")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=1, help="HTTP processes of serve (serve --processes)")
    args = parser.parse_args()
    size = args.size_kb * 1024
    total_mb = args.count * size / 1e6
    rows: list[Row] = []

    with tempfile.TemporaryDirectory() as tmp:
        bench = Ingest(Path(tmp), processes=args.processes)
        try:
            for clients in (int(c) for c in args.clients.split(",")):
                rows.append(measure(bench, clients=clients, count=args.count, size=size, rounds=args.rounds))
        finally:
            bench.close()

    print(
        f"documents: {args.count} × {args.size_kb} KB = {total_mb:.1f} MB a round, {args.rounds} rounds alternating; "
        f"serve --processes {args.processes}"
    )
    print(
        f"{'clients':>7}  {'API docs/s min/med':>20}  {'raw put docs/s min/med':>24}  {'ratio best/median':>18}"
        f"  {'request ms ours/raw':>20}  {'stalls ours/raw':>16}"
    )
    for row in rows:
        c = row.comparison
        print(
            f"{row.clients:>7}  {c.ours.rate(args.count):>9.1f} /{c.ours.rate(args.count, median=True):>8.1f}"
            f"  {c.baseline.rate(args.count):>11.1f} /{c.baseline.rate(args.count, median=True):>10.1f}"
            f"  {c.ratio():>8.2f} /{c.ratio(median=True):>7.2f}"
            f"  {1000 * statistics.median(row.ours_latency):>10.1f} /{1000 * statistics.median(row.raw_latency):>7.1f}"
            f"  {stalls(row.ours_latency):>8} /{stalls(row.raw_latency):>5}"
        )
    print(
        f"CPU ms a document (all rounds; the store is every weed process, the database every postgres one, "
        f"the client this process)\n{'clients':>7}  {'side':>4}  " + "".join(f"{n:>9}" for n in (*CPU_PARTS, "total"))
    )
    for row in rows:
        for side, tally in (("ours", row.ours_cpu), ("raw", row.raw_cpu)):
            ms = tally.per_document_ms(CPU_PARTS)
            print(f"{row.clients:>7}  {side:>4}  " + "".join(f"{v:>9.2f}" for v in (*ms, sum(ms))))
    if any(stalls(row.ours_latency) or stalls(row.raw_latency) for row in rows):
        print(
            f"stalls: requests of {STALL_SECONDS} s or more, the store holding writers (a volume filling up); "
            "a round with one is slower by about a second, so compare the medians with care"
        )


def stalls(latencies: list[float]) -> int:
    """How many requests waited on the store (STALL_SECONDS or more)."""
    return sum(1 for t in latencies if t >= STALL_SECONDS)


if __name__ == "__main__":
    main()
