"""bench/pipeline: a mixed corpus from upload to searchable, on the real backends, with worker processes.

    eval "$(bash deploy/services.sh env)"
    python bench/pipeline.py [--docx 20 --pdf 20 --scans 6] [--workers 1 2] [--clients 2]

The generated corpus gives DOCX files, their text PDFs (LibreOffice) and scans of those PDFs (rendered, noised,
read back only by OCR). For each worker count: a fresh PostgreSQL schema, S3 bucket and Elasticsearch index; the
app served by uvicorn in this process with no worker threads (``workers=0``), and ``archive-service worker``
processes beside it; the files are uploaded over HTTP from ``--clients`` threads, then the backlog is sampled every
second from the catalog (jobs by state) and the search API (documents found) until every uploaded document is
searchable. Prints documents/s from the first upload to the last document searchable, pages/s, and the backlog
over time. There is no outside baseline here: the parts are measured against theirs in bench/ingest, bench/parse,
bench/ocr and bench/search; this is the whole, as an office would see it.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from pypdf import PdfReader
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive_service.app import create_app  # noqa: E402
from archive_service.catalog import accounts  # noqa: E402
from archive_service.catalog.db import transaction  # noqa: E402
from archive_service.catalog.models import Document, DocumentStatus, IndexOutbox, Job, Role  # noqa: E402
from archive_service.config import BlobBackend, SearchBackend, Settings  # noqa: E402
from archive_service.services import Services, open_services  # noqa: E402
from archive_service.storage.s3 import S3BlobStore  # noqa: E402
from tests.backends import drop_bucket, drop_es_indices, drop_postgres_schema, fresh_postgres  # noqa: E402
from tests.corpus.generator import default_corpus, docx_to_pdf, pdf_to_scan, write_docx  # noqa: E402

SAMPLE_S = 1.0
_READ = (DocumentStatus.CHECKED.value, DocumentStatus.FAILED.value)


@dataclass(frozen=True)
class Corpus:
    files: list[tuple[Path, str]]  # (path, media type)
    pages: int
    kinds: dict[str, int]


@dataclass(frozen=True)
class Sample:
    at: float
    uploaded: int
    queued: int
    running: int
    failed: int
    searchable: int


def _pages(pdf: Path) -> int:
    return len(PdfReader(str(pdf)).pages)


def build_corpus(folder: Path, *, docx: int, pdf: int, scans: int) -> Corpus:
    """DOCX, text PDF and scanned PDF files of different documents (no file is the same bytes as another)."""
    specs = default_corpus()
    wanted = docx + pdf + scans
    if wanted > len(specs):
        raise SystemExit(f"the generated corpus has {len(specs)} documents; asked for {wanted}")
    chosen = specs[:wanted]
    docx_files = [folder / f"{s.key}.docx" for s in chosen]
    for spec, path in zip(chosen, docx_files, strict=True):
        write_docx(spec, path)
    pdfs = docx_to_pdf(docx_files[docx:], folder / "pdf")
    scanned = [pdf_to_scan(p, folder / "scan" / p.name, seed=i) for i, p in enumerate(pdfs[pdf:])]
    docx_media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    files = [(p, docx_media) for p in docx_files[:docx]]
    files += [(p, "application/pdf") for p in pdfs[:pdf]]
    files += [(p, "application/pdf") for p in scanned]
    # A DOCX's pages are counted on its PDF rendering (the same document, laid out).
    docx_pages = sum(_pages(p) for p in docx_to_pdf(docx_files[:docx], folder / "docx-pages")) if docx else 0
    pages = docx_pages + sum(_pages(p) for p in pdfs[:pdf]) + sum(_pages(p) for p in scanned)
    return Corpus(files=files, pages=pages, kinds={"docx": docx, "pdf": pdf, "scan": scans})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _settings(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=fresh_postgres(os.environ["ARCHIVE_TEST_PG_URL"]),
        blob_backend=BlobBackend.S3,
        s3_endpoint=os.environ["ARCHIVE_TEST_S3_ENDPOINT"],
        s3_access_key=os.environ["ARCHIVE_TEST_S3_ACCESS_KEY"],
        s3_secret_key=os.environ["ARCHIVE_TEST_S3_SECRET_KEY"],
        s3_bucket=f"bench-{uuid.uuid4().hex[:12]}",
        search_backend=SearchBackend.ELASTICSEARCH,
        es_url=os.environ["ARCHIVE_TEST_ES_URL"],
        es_index_prefix=f"bench-pipeline-{uuid.uuid4().hex[:8]}",
        workers=0,
        page_images=False,  # previews are rendered for people, after the document is searchable
    )


def _worker_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "ARCHIVE_DATA_DIR": str(settings.data_dir),
        "ARCHIVE_DATABASE_URL": settings.resolved_database_url,
        "ARCHIVE_BLOB_BACKEND": "s3",
        "ARCHIVE_S3_ENDPOINT": settings.s3_endpoint,
        "ARCHIVE_S3_ACCESS_KEY": settings.s3_access_key or "",
        "ARCHIVE_S3_SECRET_KEY": settings.s3_secret_key or "",
        "ARCHIVE_S3_BUCKET": settings.s3_bucket,
        "ARCHIVE_SEARCH_BACKEND": "elasticsearch",
        "ARCHIVE_ES_URL": settings.es_url,
        "ARCHIVE_ES_INDEX_PREFIX": settings.es_index_prefix,
        "ARCHIVE_PAGE_IMAGES": "false",
    }


@contextmanager
def _workers(settings: Settings, count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` ``archive-service worker`` processes on the same catalog, blob store and index."""
    command = [sys.executable, "-c", "from archive_service.cli import app; app()", "worker"]
    procs = [subprocess.Popen(command, env=_worker_env(settings)) for _ in range(count)]
    try:
        yield procs
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)  # finish the job in hand, then stop
        for proc in procs:
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()


def _backlog(services: Services) -> tuple[int, int, int, int]:
    """Jobs queued, running and failed; documents read whose reading the index already has."""
    with transaction(services.factory) as session:
        counts = {state: n for state, n in session.execute(select(Job.state, func.count()).group_by(Job.state))}
        pending = select(IndexOutbox.document_id)
        read = session.scalar(
            select(func.count()).select_from(Document).where(Document.status.in_(_READ), Document.id.not_in(pending))
        )
    return counts.get("queued", 0), counts.get("running", 0), counts.get("failed", 0), int(read or 0)


def run_once(
    corpus: Corpus, *, workers: int, clients: int, timeout_s: float, verbose: bool = False
) -> tuple[float, list[Sample]]:
    """Upload the corpus and wait until every document is searchable; (seconds, backlog samples)."""
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        settings = _settings(Path(tmp))
        services = open_services(settings, migrate=True)
        with transaction(services.factory) as s:
            office = accounts.get_or_create_office(s, code=f"BENCH-{uuid.uuid4().hex[:6]}")
            # Cleared for every secrecy level: the corpus holds secret documents, which search shows only to them.
            user = accounts.create_user(
                s, username=f"bench-{uuid.uuid4().hex[:8]}", role=Role.ARCHIVIST, office=office, clearance=3
            )
            token = accounts.issue_token(s, user=user)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, services=services), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}
        uploaded = 0
        lock = threading.Lock()
        try:
            with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
                dossier = client.post("/api/v1/dossiers", json={"title": "Bench", "meeting_body": "BTV"}).json()["id"]
                local = threading.local()

                def upload(item: tuple[Path, str]) -> None:
                    nonlocal uploaded
                    if not hasattr(local, "client"):
                        local.client = httpx.Client(base_url=base, headers=headers, timeout=300)
                    path, media = item
                    r = local.client.post(
                        f"/api/v1/dossiers/{dossier}/documents", files={"files": (path.name, path.read_bytes(), media)}
                    )
                    if r.status_code != 201:
                        raise RuntimeError(r.text)
                    with lock:
                        uploaded += 1

                samples: list[Sample] = []
                with _workers(settings, workers):
                    started = time.perf_counter()
                    pool = ThreadPoolExecutor(clients)
                    pending = [pool.submit(upload, item) for item in corpus.files]
                    searchable = 0
                    while searchable < len(corpus.files):
                        if time.perf_counter() - started > timeout_s:
                            with transaction(services.factory) as session:
                                states = session.execute(
                                    select(Document.status, func.count()).group_by(Document.status)
                                ).all()
                            raise SystemExit(
                                f"not searchable after {timeout_s:.0f} s: {samples[-1]}; documents by status "
                                f"{dict((a, b) for a, b in states)}"
                            )
                        # Searchable with its text: read (checked, or failed for good) and its reading sent to the
                        # index; the search API then finds it (an upload is indexed at once, before it is read).
                        queued, running, failed, read = _backlog(services)
                        found = client.get("/api/v1/search", params={"dossier_id": dossier, "page_size": 1})
                        total = int(found.json()["total"]) if found.status_code == 200 else 0
                        searchable = min(read, total)
                        samples.append(
                            Sample(time.perf_counter() - started, uploaded, queued, running, failed, searchable)
                        )
                        if verbose:
                            print(samples[-1], file=sys.stderr)
                        if searchable < len(corpus.files):
                            time.sleep(SAMPLE_S)
                    elapsed = time.perf_counter() - started
                    for future in pending:
                        future.result()
                    pool.shutdown()
        finally:
            server.should_exit = True
            thread.join()
            blobs = services.blobs
            if isinstance(blobs, S3BlobStore):
                drop_bucket(blobs)
            drop_es_indices(settings.es_url, settings.es_index_prefix)
            services.close()
            drop_postgres_schema(settings.resolved_database_url)
    return elapsed, samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docx", type=int, default=20)
    parser.add_argument("--pdf", type=int, default=20)
    parser.add_argument("--scans", type=int, default=6)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--verbose", action="store_true", help="print each backlog sample as it is taken")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-corpus-") as tmp:
        corpus = build_corpus(Path(tmp), docx=args.docx, pdf=args.pdf, scans=args.scans)
        kinds = ", ".join(f"{n} {k}" for k, n in corpus.kinds.items())
        print(f"corpus: {len(corpus.files)} documents ({kinds}), {corpus.pages} pages; {args.clients} upload clients")
        results: list[tuple[int, float, list[Sample]]] = []
        for count in args.workers:
            elapsed, samples = run_once(
                corpus, workers=count, clients=args.clients, timeout_s=args.timeout, verbose=args.verbose
            )
            results.append((count, elapsed, samples))
        print()
        print(f"{'worker processes':<18}{'seconds':>9}{'docs/s':>9}{'pages/s':>9}{'max queued':>12}")
        for count, elapsed, samples in results:
            peak = max(s.queued for s in samples)
            n = len(corpus.files)
            print(f"{count:<18}{elapsed:>9.1f}{n / elapsed:>9.2f}{corpus.pages / elapsed:>9.2f}{peak:>12}")
        for count, _, samples in results:
            print()
            print(f"backlog over time, {count} worker process(es): every ~5 s")
            print(f"{'t (s)':>7}{'uploaded':>10}{'queued':>8}{'running':>9}{'failed':>8}{'searchable':>12}")
            shown = samples[:: max(1, round(5 / SAMPLE_S))] + samples[-1:]
            for s in shown:
                print(f"{s.at:>7.1f}{s.uploaded:>10}{s.queued:>8}{s.running:>9}{s.failed:>8}{s.searchable:>12}")


if __name__ == "__main__":
    main()
