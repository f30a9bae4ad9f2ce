"""bench/ocr: scanned pages/s with 1, 2 and N worker processes on the real PostgreSQL; scaling efficiency.

    eval "$(bash deploy/services.sh env)"
    python bench/ocr.py [--docs 6] [--rounds 3] [--workers 1 2 4] [--no-alternatives]

K scans of the generated corpus (tests/corpus/generator: DOCX → LibreOffice PDF → ``pdf_to_scan``) are stored
through the intake use case into a fresh catalog (a PostgreSQL schema of its own, a local blob folder, an
Elasticsearch index of its own), once per timed run and before its clock starts, their jobs held. A run starts N
``archive-service worker`` processes, waits until each has logged its start (imports and catalog connection take
seconds, more on a loaded machine: a long-lived worker pays them once), then makes the jobs due and NOTIFYs; the
clock runs from there until every document is read (status checked), its page jobs and its join included. The
workers are then killed with their process group. Searchable-PDF derivatives are off (``ARCHIVE_SEARCHABLE_PDF``):
they are other work, and with them on N processes would run some inside the timed window while one never does.
(``--exit-when-idle`` is not used: a worker started before the jobs are due would find nothing and leave.)

Tables (bench.timing.alternate: each pair in alternating order, min and median over the rounds):
- scaling: N processes against one, pages/s and efficiency = pages/s(N) / (N × pages/s(1)); goal 2 → ≥ 0.9.
- alternatives, against ours (page jobs, one Tesseract thread each, one process per core): one worker reading
  whole documents (the page thread pool of ``ocr_pdf_pages``), and page jobs with OpenMP left to its default
  (``ARCHIVE_OCR_THREADS=auto``: OMP_THREAD_LIMIT unset).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import Engine, create_engine, func, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive_service.catalog import accounts  # noqa: E402
from archive_service.catalog.db import transaction  # noqa: E402
from archive_service.catalog.models import Document, DocumentStatus, Job, Role  # noqa: E402
from archive_service.config import SearchBackend, Settings  # noqa: E402
from archive_service.documents.intake import store_original  # noqa: E402
from archive_service.dossiers.service import create as create_dossier  # noqa: E402
from archive_service.jobs.enqueue import CHANNEL  # noqa: E402
from archive_service.services import open_services  # noqa: E402
from archive_service.storage.base import hash_file  # noqa: E402
from bench.timing import Comparison, alternate  # noqa: E402
from schemas.api import DossierCreate  # noqa: E402
from tests.backends import drop_es_indices, drop_postgres_schema, fresh_postgres  # noqa: E402
from tests.corpus.generator import default_corpus, docx_to_pdf, pdf_to_scan, write_docx  # noqa: E402

POLL_S = 0.1


@dataclass(frozen=True)
class Mode:
    """How the workers read scans: page jobs or whole documents, and Tesseract's OpenMP threads."""

    name: str
    page_jobs: bool = True
    threads: str = "1"  # ARCHIVE_OCR_THREADS: "1" or "auto" (OMP_THREAD_LIMIT unset)


OURS = Mode("page jobs, OMP_THREAD_LIMIT=1")
WHOLE = Mode("whole documents, page thread pool", page_jobs=False)
OPENMP = Mode("page jobs, OMP_THREAD_LIMIT unset", threads="auto")


@dataclass
class Catalog:
    """A fresh catalog with the scans stored and their PROCESS_DOCUMENT jobs queued, not yet worked."""

    folder: Path
    settings: Settings
    documents: int


@dataclass
class Runs:
    """Catalogs prepared ahead, one per timed run, and the cleanup owed for each."""

    scans: list[Path]
    made: list[Catalog] = field(default_factory=list)

    def prepare(self) -> Catalog:
        folder = Path(tempfile.mkdtemp(prefix="bench-ocr-"))
        settings = Settings(
            data_dir=folder,
            database_url=fresh_postgres(os.environ["ARCHIVE_TEST_PG_URL"]),
            search_backend=SearchBackend.ELASTICSEARCH,
            es_url=os.environ["ARCHIVE_TEST_ES_URL"],
            es_index_prefix=f"bench-ocr-{uuid.uuid4().hex[:8]}",
            workers=0,
            page_images=False,
        )
        services = open_services(settings, migrate=True)
        try:
            with transaction(services.factory) as s:
                office = accounts.get_or_create_office(s, code="VPTU")
                user = accounts.create_user(s, username="bench", role=Role.ARCHIVIST, office=office)
                principal = accounts.principal_of(user)
            dossier = create_dossier(
                services, principal, DossierCreate(title="Hồ sơ quét", meeting_body="BTV"), addr=None
            ).id
            for path in self.scans:
                sha256, size = hash_file(path)
                store_original(
                    factory=services.factory,
                    blobs=services.blobs,
                    principal=principal,
                    dossier_id=dossier,
                    path=path,
                    filename=path.name,
                    sha256=sha256,
                    size=size,
                    client_addr="bench",
                )
        finally:
            services.close()
        engine = create_engine(settings.resolved_database_url)
        _hold(engine)
        engine.dispose()
        catalog = Catalog(folder, settings, len(self.scans))
        self.made.append(catalog)
        return catalog

    def cleanup(self) -> None:
        for catalog in self.made:
            drop_es_indices(catalog.settings.es_url, catalog.settings.es_index_prefix)
            drop_postgres_schema(catalog.settings.resolved_database_url)
            shutil.rmtree(catalog.folder, ignore_errors=True)


def _env(settings: Settings, mode: Mode) -> dict[str, str]:
    return {
        **os.environ,
        "ARCHIVE_DATA_DIR": str(settings.data_dir),
        "ARCHIVE_DATABASE_URL": settings.resolved_database_url,
        "ARCHIVE_SEARCH_BACKEND": "elasticsearch",
        "ARCHIVE_ES_URL": settings.es_url,
        "ARCHIVE_ES_INDEX_PREFIX": settings.es_index_prefix,
        "ARCHIVE_PAGE_IMAGES": "false",
        # The readings alone, for 1 and for N processes alike: with derivatives on, a worker that finds no reading
        # left takes a searchable PDF (OCRmyPDF, a second OCR pass) while the others still read, inside the timed
        # window — which one process never does (its readings come first by priority).
        "ARCHIVE_SEARCHABLE_PDF": "false",
        "ARCHIVE_OCR_PAGE_JOBS": "true" if mode.page_jobs else "false",
        "ARCHIVE_OCR_THREADS": mode.threads,
    }


def _read_count(engine: Engine) -> tuple[int, int]:
    """(documents read, of which failed) in the catalog."""
    with engine.connect() as conn:
        rows = dict(conn.execute(select(Document.status, func.count()).group_by(Document.status)).all())
    failed = rows.get(DocumentStatus.FAILED.value, 0)
    return rows.get(DocumentStatus.CHECKED.value, 0) + failed, failed


def _started(proc: subprocess.Popen[str], ready: threading.Event) -> None:
    """Watch a worker's log for its start line, then keep draining it (a full pipe would block the worker)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if " started: " in line:
            ready.set()
    ready.set()  # ended: the caller sees it by poll()


def work(catalog: Catalog, processes: int, mode: Mode, timeout_s: float) -> None:
    """Start ``processes`` workers on the catalog, release its jobs once all are up, and return once every
    document is read; the workers are killed then (the clock is the caller's: it includes the start-up)."""
    command = [sys.executable, "-c", "from archive_service.cli import app; app()", "worker"]
    env = _env(catalog.settings, mode)
    procs = [
        subprocess.Popen(command, env=env, start_new_session=True, stderr=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    ready = [threading.Event() for _ in procs]
    for proc, event in zip(procs, ready, strict=True):
        threading.Thread(target=_started, args=(proc, event), daemon=True).start()
    engine = create_engine(catalog.settings.resolved_database_url)
    try:
        for event in ready:
            event.wait(timeout_s)
        if any(p.poll() is not None for p in procs):
            raise SystemExit("a worker ended before it started")
        _release(engine)
        started = time.monotonic()
        while True:
            read, failed = _read_count(engine)
            if failed:
                raise SystemExit(f"{failed} document(s) failed to be read: see the jobs' last_error")
            if read >= catalog.documents:
                return
            if time.monotonic() - started > timeout_s:
                raise SystemExit(f"only {read} of {catalog.documents} documents read after {timeout_s:.0f} s")
            if all(p.poll() is not None for p in procs):
                raise SystemExit("every worker ended before the documents were read")
            time.sleep(POLL_S)
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the worker and its OCRmyPDF child (the sandbox ends on EOF)
            proc.wait()
        engine.dispose()


def _hold(engine: Engine) -> None:
    """Keep the queued jobs from being taken until ``_release`` (the workers are started first)."""
    with engine.begin() as conn:
        conn.execute(update(Job).values(available_at=datetime.now(UTC) + timedelta(days=1)))


def _release(engine: Engine) -> None:
    """Make the held jobs due and wake the listening workers (``NOTIFY``, sent at commit)."""
    with engine.begin() as conn:
        conn.execute(update(Job).values(available_at=datetime.now(UTC) - timedelta(seconds=1)))
        conn.execute(text(f"NOTIFY {CHANNEL}"))


def _scans(folder: Path, count: int) -> list[Path]:
    specs = default_corpus()[:count]
    docx = [folder / "docx" / f"{s.key}.docx" for s in specs]
    for spec, path in zip(specs, docx, strict=True):
        write_docx(spec, path)
    pdfs = {p.stem: p for p in docx_to_pdf(docx, folder / "pdf")}
    return [pdf_to_scan(pdfs[s.key], folder / "scan" / f"{s.key}.pdf", seed=i) for i, s in enumerate(specs)]


def _run(processes: int, mode: Mode, timeout_s: float, queue: list[Catalog]) -> Callable[[], None]:
    def once() -> None:
        work(queue.pop(0), processes, mode, timeout_s)

    return once


def compare(
    runs: Runs, rounds: int, timeout_s: float, ours: tuple[int, Mode], baseline: tuple[int, Mode]
) -> Comparison:
    """Ours against the baseline over ``rounds``, each run on a catalog prepared before its clock starts."""
    mine = [runs.prepare() for _ in range(rounds)]
    theirs = [runs.prepare() for _ in range(rounds)]
    return alternate(_run(ours[0], ours[1], timeout_s, mine), _run(baseline[0], baseline[1], timeout_s, theirs), rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=6, help="scanned documents per run")
    parser.add_argument("--rounds", type=int, default=3)
    cores = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, nargs="+", default=sorted({1, 2, cores}))
    parser.add_argument("--no-alternatives", action="store_true", help="only the scaling table")
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ocr-corpus-") as tmp:
        scans = _scans(Path(tmp), args.docs)
        pages = sum(len(PdfReader(str(p)).pages) for p in scans)
        print(f"{len(scans)} scanned documents, {pages} pages; {args.rounds} round(s); {cores} cores")
        runs = Runs(scans)
        try:
            work(runs.prepare(), 1, OURS, args.timeout)  # warm-up, untimed: page cache, Tesseract's data
            print()
            print("scaling (page jobs, OMP_THREAD_LIMIT=1): N worker processes against one")
            print(
                f"{'N':>3}{'pages/s min':>13}{'median':>9}{'1 proc min':>12}{'median':>9}{'eff. min':>10}{'median':>9}"
            )
            for n in [n for n in args.workers if n > 1]:
                c = compare(runs, args.rounds, args.timeout, (n, OURS), (1, OURS))
                ours_min, ours_med = c.ours.rate(pages), c.ours.rate(pages, median=True)
                one_min, one_med = c.baseline.rate(pages), c.baseline.rate(pages, median=True)
                print(
                    f"{n:>3}{ours_min:>13.2f}{ours_med:>9.2f}{one_min:>12.2f}{one_med:>9.2f}"
                    f"{ours_min / (n * one_min):>10.2f}{ours_med / (n * one_med):>9.2f}"
                )
            if not args.no_alternatives:
                print()
                print(f"alternatives against ours ({OURS.name}, {cores} worker processes)")
                print(f"{'alternative':<48}{'pages/s min':>12}{'median':>9}{'ours min':>10}{'median':>9}{'ratio':>7}")
                for procs, mode in ((1, WHOLE), (cores, OPENMP)):
                    c = compare(runs, args.rounds, args.timeout, (cores, OURS), (procs, mode))
                    label = f"{mode.name}, {procs} process(es)"
                    print(
                        f"{label:<48}{c.baseline.rate(pages):>12.2f}{c.baseline.rate(pages, median=True):>9.2f}"
                        f"{c.ours.rate(pages):>10.2f}{c.ours.rate(pages, median=True):>9.2f}{c.ratio():>7.2f}"
                    )
        finally:
            runs.cleanup()


if __name__ == "__main__":
    main()
