"""The workers: take a job from the queue (``archive_service.jobs.queue``), run the use case it names, record
how it went; and the threads of ``serve`` that do so in the background.

This is an edge like the API: it holds no catalog writes of its own. A job that fails is retried by the queue
with a growing delay; one that can never succeed (a searchable PDF with no OCRmyPDF installed, a file the
readers do not support) fails at once.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Final

from archive_service.catalog.models import Job, JobKind
from archive_service.documents.pages import render_page_images
from archive_service.documents.pipeline import make_searchable_derivative, mark_unprocessable, process_document
from archive_service.dossiers.checks import check_dossier
from archive_service.jobs import queue
from archive_service.search.service import drain_outbox, reindex_all
from archive_service.services import Services
from indexers.errors import UNSUPPORTED, ParseError

log = logging.getLogger(__name__)

PRUNE_EVERY_S: Final = 3600.0  # the workers delete old done jobs about once an hour


def run_pending_jobs(services: Services, *, limit: int | None = None) -> int:
    """Work queued jobs until none is left (or ``limit``); returns how many ran."""
    done = 0
    while limit is None or done < limit:
        job = queue.claim_next(services)
        if job is None:
            break
        run_job(services, job)
        done += 1
    return done


def _permanent(exc: Exception) -> bool:
    """A failure no retry can mend: the file or the tool it needs is not supported here."""
    return isinstance(exc, ParseError) and exc.code == UNSUPPORTED


def _unrenderable(job: Job, exc: Exception) -> bool:
    """Page images of a file that cannot be rendered: the same bytes fail the same way (the text preview stays)."""
    return job.kind == JobKind.RENDER_PAGES and isinstance(exc, ParseError)


def run_job(services: Services, job: Job) -> None:
    """Run one claimed job and record its outcome."""
    try:
        if job.kind == JobKind.PROCESS_DOCUMENT and job.document_id is not None:
            process_document(services, job.document_id)
        elif job.kind == JobKind.CHECK_DOSSIER and job.dossier_id is not None:
            check_dossier(services, job.dossier_id)
        elif job.kind == JobKind.MAKE_SEARCHABLE_PDF and job.document_id is not None:
            make_searchable_derivative(services, job.document_id)
        elif job.kind == JobKind.RENDER_PAGES and job.document_id is not None:
            render_page_images(services, job.document_id)
        elif job.kind == JobKind.REBUILD_SEARCH_INDEX:
            count = reindex_all(services)
            log.info("search index rebuilt with the current layout: %d document(s)", count)
        else:
            raise ValueError(f"unknown job kind {job.kind!r}")
    except Exception as exc:  # noqa: BLE001 - a job's failure is recorded, never kills the worker
        log.exception("job %s failed (attempt %s)", job.id, job.attempts)
        failed = queue.fail(services, job, exc, permanent=_permanent(exc) or _unrenderable(job, exc))
        if failed and job.kind == JobKind.PROCESS_DOCUMENT and job.document_id is not None:
            mark_unprocessable(services, job.document_id)
        return
    queue.finish(services, job)


class WorkerPool:
    """Background threads that work the job table; woken by uploads, polling otherwise."""

    def __init__(self, services: Services, *, threads: int, poll_s: float = 2.0) -> None:
        self.services = services
        self.threads = threads
        self.poll_s = poll_s
        self._next_prune = 0.0  # the first loop prunes
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def start(self) -> None:
        for i in range(self.threads):
            t = threading.Thread(target=self._loop, name=f"archive-worker-{i}", daemon=True)
            t.start()
            self._workers.append(t)

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._workers:
            t.join(timeout=10)
        self._workers.clear()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                run_pending_jobs(self.services, limit=50)
                drain_outbox(self.services)
                if time.monotonic() >= self._next_prune:
                    queue.prune_done(self.services)
                    self._next_prune = time.monotonic() + PRUNE_EVERY_S
            except Exception:  # noqa: BLE001 - a backend outage must not end the worker
                log.exception("worker loop error")
            self._wake.wait(self.poll_s)
            self._wake.clear()
