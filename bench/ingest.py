"""bench/ingest: upload N generated documents through the HTTP API and compare with raw S3 puts.

    eval "$(bash deploy/services.sh env)"; python bench/ingest.py --count 200 --size-kb 256

Runs the real app (uvicorn on 127.0.0.1, PostgreSQL catalog, S3 blobs) and uploads with httpx,
one file a request, from ``--clients`` threads; then puts the same bytes straight into a fresh
bucket with the ``minio`` client from as many threads. Prints documents/s, MB/s and the ratio.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive_service.app import create_app  # noqa: E402
from archive_service.catalog import accounts  # noqa: E402
from archive_service.catalog.db import transaction  # noqa: E402
from archive_service.catalog.models import Role  # noqa: E402
from archive_service.config import BlobBackend, Settings  # noqa: E402
from archive_service.services import open_services  # noqa: E402
from archive_service.storage.s3 import S3BlobStore  # noqa: E402


def make_pdf(i: int, size: int) -> bytes:
    """A valid PDF of about ``size`` bytes, unique per ``i`` (a random payload stream)."""
    payload = os.urandom(size)
    head = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    pages = b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    blob = b"3 0 obj\n<< /Length %d /N %d >>\nstream\n" % (len(payload), i) + payload + b"\nendstream\nendobj\n"
    return head + pages + blob + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size-kb", type=int, default=256)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    endpoint = os.environ["ARCHIVE_TEST_S3_ENDPOINT"]
    access, secret = os.environ["ARCHIVE_TEST_S3_ACCESS_KEY"], os.environ["ARCHIVE_TEST_S3_SECRET_KEY"]
    docs = [make_pdf(i, args.size_kb * 1024) for i in range(args.count)]
    total_mb = sum(len(d) for d in docs) / 1e6

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            database_url=os.environ["ARCHIVE_TEST_PG_URL"],
            blob_backend=BlobBackend.S3,
            s3_endpoint=endpoint,
            s3_access_key=access,
            s3_secret_key=secret,
            s3_bucket=f"bench-{uuid.uuid4().hex[:12]}",
            workers=0,
        )
        services = open_services(settings)
        with transaction(services.factory) as s:
            office = accounts.get_or_create_office(s, code=f"BENCH-{uuid.uuid4().hex[:6]}")
            user = accounts.create_user(s, username=f"bench-{uuid.uuid4().hex[:8]}", role=Role.ARCHIVIST, office=office)
            token = accounts.issue_token(s, user=user)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, services=services), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            dossier = client.post("/api/v1/dossiers", json={"title": "Bench", "meeting_body": "BTV"}).json()["id"]

        local = threading.local()  # one client (and connection) per uploading thread, as a script would

        def upload(i: int) -> None:
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=base, headers=headers, timeout=120)
            r = local.client.post(
                f"/api/v1/dossiers/{dossier}/documents",
                files={"files": (f"van-ban-{i}.pdf", docs[i], "application/pdf")},
            )
            if r.status_code != 201:
                raise RuntimeError(r.text)

        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(upload, range(args.count)))
        api_s = time.perf_counter() - start
        server.should_exit = True
        thread.join()

        raw = S3BlobStore(
            endpoint=endpoint, access_key=access, secret_key=secret, bucket=f"raw-{uuid.uuid4().hex[:12]}"
        )
        raw.ping()

        def put(i: int) -> None:
            raw.client.put_object(raw.bucket, f"raw/{i}", io.BytesIO(docs[i]), len(docs[i]), "application/pdf")

        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(put, range(args.count)))
        raw_s = time.perf_counter() - start
        for store in (raw, services.blobs):  # on SeaweedFS a bucket holds volumes until removed
            assert isinstance(store, S3BlobStore)
            for key in list(store.iter_keys()) + [f"raw/{i}" for i in range(args.count)]:
                store.client.remove_object(store.bucket, key)
            store.client.remove_bucket(store.bucket)

    print(f"documents: {args.count} × {args.size_kb} KB = {total_mb:.1f} MB, {args.clients} clients")
    print(f"{'path':<34}{'docs/s':>10}{'MB/s':>10}")
    print(f"{'API upload (PG + S3, HTTP)':<34}{args.count / api_s:>10.1f}{total_mb / api_s:>10.1f}")
    print(f"{'raw minio put_object':<34}{args.count / raw_s:>10.1f}{total_mb / raw_s:>10.1f}")
    print(f"ratio API / raw: {raw_s / api_s:.2f}")


if __name__ == "__main__":
    main()
