"""bench/ingest: upload N generated documents through the HTTP API and compare with raw S3 puts of the same bytes.

    eval "$(bash deploy/services.sh env)"; python bench/ingest.py --count 200 --size-kb 256 --clients 1,4

Runs the real app (``archive-service serve`` in its own process on 127.0.0.1, PostgreSQL catalog, S3 blobs, no
workers) and uploads with httpx, one
file a request, from ``--clients`` threads (one connection each); the baseline puts the same bytes straight into
a bucket with the ``minio`` client from as many threads. Both buckets are made the same way (Object Lock, so
versioned). Each round uses bytes never stored before (ours would otherwise answer "duplicate" or skip the put)
and a fresh bucket for the baseline; ours and the baseline alternate their order from round to round
(``bench.timing.alternate``) after one untimed warm-up of each. Prints min and median documents/s and the ratio.

What the baseline leaves out, by design: HTTP, multipart parsing, the spool, the catalog transaction (row, job,
outbox, audit), the access checks and the condition that makes our put idempotent (``If-None-Match: *``, checked by
the server) — that is what the ratio measures.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
from bench.timing import alternate  # noqa: E402


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

    def upload_all(self, docs: list[bytes], clients: int) -> None:
        free = list(self.clients(clients))
        local = threading.local()
        lock = threading.Lock()

        def upload(i: int) -> None:
            if not hasattr(local, "client"):
                with lock:
                    local.client = free.pop()
            r = local.client.post(
                f"/api/v1/dossiers/{self.dossier}/documents",
                files={"files": (f"van-ban-{i}.pdf", docs[i], "application/pdf")},
            )
            if r.status_code != 201:
                raise RuntimeError(r.text)

        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(upload, range(len(docs))))

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
    def put_all(raw: S3BlobStore, docs: list[bytes], clients: int) -> None:
        def put(i: int) -> None:
            raw.client.put_object(raw.bucket, f"raw/{i}", io.BytesIO(docs[i]), len(docs[i]), "application/pdf")

        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(put, range(len(docs))))

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self.server.terminate()
        self.server.wait(timeout=30)
        for store in [*self.raw_stores, self.services.blobs]:
            assert isinstance(store, S3BlobStore)
            empty_bucket(store)
        self.services.close()


def rounds_of(fn: Callable[[list[bytes]], None], batches: list[list[bytes]]) -> Callable[[], None]:
    """A callable for ``alternate`` that takes the next unused batch of documents at each call."""
    queue = list(batches)
    return lambda: fn(queue.pop(0))


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
    results: list[tuple[int, float, float, float, float, float, float]] = []

    with tempfile.TemporaryDirectory() as tmp:
        bench = Ingest(Path(tmp), processes=args.processes)
        try:
            for clients in (int(c) for c in args.clients.split(",")):
                run = uuid.uuid4().hex[:8]
                warm = [make_pdf(f"{run}-w-{i}", size) for i in range(min(args.count, 20))]
                bench.upload_all(warm, clients)
                bench.put_all(bench.new_raw_bucket(), warm, clients)
                batches = [[make_pdf(f"{run}-{r}-{i}", size) for i in range(args.count)] for r in range(args.rounds)]
                raws = [bench.new_raw_bucket() for _ in range(args.rounds)]
                raw_batches = list(zip(raws, batches, strict=True))
                comparison = alternate(
                    rounds_of(lambda docs, c=clients: bench.upload_all(docs, c), batches),
                    lambda q=raw_batches, c=clients: bench.put_all(*q.pop(0), c),
                    args.rounds,
                )
                results.append(
                    (
                        clients,
                        comparison.ours.rate(args.count),
                        comparison.ours.rate(args.count, median=True),
                        comparison.baseline.rate(args.count),
                        comparison.baseline.rate(args.count, median=True),
                        comparison.ratio(),
                        comparison.ratio(median=True),
                    )
                )
        finally:
            bench.close()

    print(
        f"documents: {args.count} × {args.size_kb} KB = {total_mb:.1f} MB a round, {args.rounds} rounds alternating; "
        f"serve --processes {args.processes}"
    )
    print(f"{'clients':>7}  {'API docs/s min/med':>20}  {'raw put docs/s min/med':>24}  {'ratio best/median':>18}")
    for clients, ours_best, ours_med, raw_best, raw_med, ratio, ratio_med in results:
        print(
            f"{clients:>7}  {ours_best:>9.1f} /{ours_med:>8.1f}  {raw_best:>11.1f} /{raw_med:>10.1f}"
            f"  {ratio:>8.2f} /{ratio_med:>7.2f}"
        )


if __name__ == "__main__":
    main()
