"""The workers: take a job from the queue (``archive_service.jobs.queue``), run the use case it names, record
how it went; and the pool of threads that does so in the background (inside ``serve``, or in its own process:
``archive-service worker``, see ``archive_service.workers.process``).

This is an edge like the API: it holds no catalog writes of its own. A job that fails is retried by the queue
with a growing delay; one that can never succeed (a searchable PDF with no OCRmyPDF installed, a file the
readers do not support) fails at once. While a job runs its lease is renewed (``heartbeat``); the pool wakes on
PostgreSQL's notifications when a job is queued (``archive_service.jobs.listen``), else it polls.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Final

from archive_service.catalog.models import Job, JobKind
from archive_service.documents.ocr_jobs import recognise_page
from archive_service.documents.pages import render_page_images
from archive_service.documents.pipeline import make_searchable_derivative, mark_unprocessable, process_document
from archive_service.dossiers.checks import check_dossier
from archive_service.jobs import queue
from archive_service.jobs.listen import Listener, listens
from archive_service.jobs.recovery import requeue_outage_failures
from archive_service.search.service import drain_outbox, reindex_all
from archive_service.services import Services
from archive_service.storage.spool_sweep import pid_alive
from archive_service.workers.heartbeat import Heartbeat
from indexers.errors import UNSUPPORTED, ParseError

log = logging.getLogger(__name__)

PRUNE_EVERY_S: Final = 3600.0  # the workers delete old done jobs about once an hour
POLL_S: Final = 2.0  # SQLite: how often idle workers look for work (uploads in this process wake them at once)
RECOVER_EVERY_S: Final = 60.0  # how often jobs failed by an outage are looked at (queued again once it is over)
LISTENING_POLL_S: Final = 30.0  # PostgreSQL: a safety look (retries come due, notifications lost) between wakes


def run_pending_jobs(services: Services, *, limit: int | None = None, stop: threading.Event | None = None) -> int:
    """Work queued jobs until none is left (or ``limit``, or ``stop`` is set); returns how many ran."""
    done = 0
    while (limit is None or done < limit) and not (stop is not None and stop.is_set()):
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
    """Run one claimed job, its lease renewed meanwhile, and record its outcome."""
    if job.attempts > services.settings.job_max_attempts:
        # Its holder stopped (killed, out of memory) on every try: running it again would stop this one too.
        exc = RuntimeError(f"worker stopped during each of {job.attempts - 1} attempts")
        reads = job.kind in (JobKind.PROCESS_DOCUMENT, JobKind.OCR_PAGE) and job.document_id is not None
        if queue.fail(services, job, exc, permanent=True) and reads and job.document_id is not None:
            mark_unprocessable(services, job.document_id)
        return
    beat = Heartbeat(services, job)
    beat.start()
    try:
        if job.kind == JobKind.PROCESS_DOCUMENT and job.document_id is not None:
            process_document(services, job.document_id)
        elif job.kind == JobKind.CHECK_DOSSIER and job.dossier_id is not None:
            check_dossier(services, job.dossier_id)
        elif job.kind == JobKind.MAKE_SEARCHABLE_PDF and job.document_id is not None:
            make_searchable_derivative(services, job.document_id)
        elif job.kind == JobKind.RENDER_PAGES and job.document_id is not None:
            render_page_images(services, job.document_id)
        elif job.kind == JobKind.OCR_PAGE and job.document_id is not None and job.page is not None:
            recognise_page(services, job.document_id, job.page)
        elif job.kind == JobKind.REBUILD_SEARCH_INDEX:
            count = reindex_all(services)
            log.info("search index rebuilt with the current layout: %d document(s)", count)
        else:
            raise ValueError(f"unknown job kind {job.kind!r}")
    except Exception as exc:  # noqa: BLE001 - a job's failure is recorded, never kills the worker
        log.exception("job %s failed (attempt %s)", job.id, job.attempts)
        failed = queue.fail(services, job, exc, permanent=_permanent(exc) or _unrenderable(job, exc))
        if failed and job.kind in (JobKind.PROCESS_DOCUMENT, JobKind.OCR_PAGE) and job.document_id is not None:
            mark_unprocessable(services, job.document_id)
        return
    finally:
        beat.stop()
    if queue.finish(services, job):
        log.info("job %s (%s) done by %s", job.id, job.kind, job.worker)


class WorkerPool:
    """Threads that work the job table: woken by notifications (PostgreSQL) or ``wake`` (an upload in this
    process), polling otherwise.

    ``exit_when_idle``: each thread ends once nothing is queued and due and nothing runs anywhere (benchmarks,
    tests). ``stop`` lets every thread finish the job it holds, then ends them.
    """

    def __init__(
        self,
        services: Services,
        *,
        threads: int,
        poll_s: float | None = None,
        exit_when_idle: bool = False,
    ) -> None:
        self.services = services
        self.threads = threads
        settings = services.settings
        self.notified = listens(settings.resolved_database_url)
        default_poll = LISTENING_POLL_S if self.notified else POLL_S
        # A job whose holder died is claimable once its lease ran out: look again within half a lease.
        self.poll_s = min(poll_s or settings.worker_poll_s or default_poll, settings.job_lease_s / 2)
        self.exit_when_idle = exit_when_idle
        self._next_prune = 0.0  # the first loop prunes
        self._next_recovery = 0.0
        self._upkeep_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []
        self._listener: Listener | None = None

    def start(self) -> None:
        if self.threads <= 0:
            return
        try:
            queue.release_dead_holders(self.services, pid_alive)
        except Exception:  # noqa: BLE001 - a catalog outage at start: their lease frees them later
            log.exception("jobs of dead workers not released")
        if self.notified:
            self._listener = Listener(self.services.settings.resolved_database_url)
            self._listener.open()  # before the first look for work: nothing queued after it is missed
            threading.Thread(target=self._listen, args=(self._listener,), name="job-listener", daemon=True).start()
        for i in range(self.threads):
            t = threading.Thread(target=self._loop, name=f"w{i}", daemon=True)
            t.start()
            self._workers.append(t)

    def wake(self) -> None:
        self._wake.set()

    def request_stop(self) -> None:
        """Finish the jobs in hand, take no more."""
        self._stop.set()
        self._wake.set()

    def stop(self) -> None:
        self.request_stop()
        for t in self._workers:
            t.join(timeout=10)
        self._workers.clear()
        if self._listener is not None:
            self._listener.close()

    def running(self) -> bool:
        """Whether a worker thread is still at work (``join`` in short steps so signals are handled)."""
        alive = [t for t in self._workers if t.is_alive()]
        for t in alive[:1]:
            t.join(timeout=0.5)
        return any(t.is_alive() for t in self._workers)

    def _listen(self, listener: Listener) -> None:
        while not self._stop.is_set():
            if listener.wait(timeout=1.0):  # short: the thread notices a stop within a second
                self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                # One job, then the index changes it made: a document is searchable as soon as it is read,
                # not once a backlog of thousands has drained.
                ran = run_pending_jobs(self.services, limit=1, stop=self._stop)
                drain_outbox(self.services)
                self._upkeep()
                if ran:
                    continue
                if self.exit_when_idle and queue.drained(self.services):
                    log.info("no job left: %s stops", threading.current_thread().name)
                    return
            except Exception:  # noqa: BLE001 - a backend outage must not end the worker
                log.exception("worker loop error")
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def _upkeep(self) -> None:
        """By one thread of the pool: once a minute queue again the jobs an outage failed, once an hour delete
        old done jobs. An outage still going on is logged; the loop goes on."""
        if not self._upkeep_lock.acquire(blocking=False):
            return
        try:
            if time.monotonic() >= self._next_recovery:
                self._next_recovery = time.monotonic() + RECOVER_EVERY_S
                try:
                    if count := requeue_outage_failures(self.services):
                        log.info("%d job(s) failed by an outage queued again", count)
                except Exception:  # noqa: BLE001 - the backends are still out: tried again in a minute
                    log.exception("jobs failed by an outage not queued again")
            if time.monotonic() >= self._next_prune:
                self._next_prune = time.monotonic() + PRUNE_EVERY_S
                queue.prune_done(self.services)
        finally:
            self._upkeep_lock.release()
