"""After intake: parse → extract → validate → catalog → index, off the request path.

Jobs live in the catalog (table ``jobs``) so any process can work them; a job is claimed by an
atomic UPDATE … WHERE state = 'queued', which is safe on SQLite and PostgreSQL alike. A failing job is
retried with a growing delay; a job whose worker died is taken again once its lease has run out.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, and_, delete, or_, select, update

from archive_service.catalog.db import transaction
from archive_service.catalog.documents import finding_row
from archive_service.catalog.models import (
    Derivative,
    Document,
    DocumentStatus,
    FindingRow,
    IndexOutbox,
    Job,
    JobKind,
    JobState,
)
from archive_service.dossier_checks import check_dossier, enqueue_dossier_check
from archive_service.search_service import drain_outbox, reindex_all
from archive_service.services import Services
from archive_service.storage.base import hash_file
from indexers.search.documents import secrecy_of

log = logging.getLogger(__name__)


PRUNE_EVERY_S = 3600.0  # the workers delete old done jobs about once an hour
RETRY_BASE_S = 30.0  # first retry after 30 s, then 60, 120, … (the blob store or catalog may be back)


def _claimable(now: datetime, lease_s: float) -> ColumnElement[bool]:
    """Queued and due, or running past its lease (the worker that took it is gone)."""
    due = and_(Job.state == JobState.QUEUED, Job.available_at <= now)
    abandoned = and_(Job.state == JobState.RUNNING, Job.claimed_at < now - timedelta(seconds=lease_s))
    return or_(due, abandoned)


def claim_next_job(services: Services) -> Job | None:
    """Take the oldest claimable job, or None when there is none."""
    lease_s = services.settings.job_lease_s
    for _ in range(5):
        now = datetime.now(UTC)
        with transaction(services.factory) as session:
            job = session.scalar(select(Job).where(_claimable(now, lease_s)).order_by(Job.id).limit(1))
            if job is None:
                return None
            claimed = session.execute(
                update(Job)
                .where(Job.id == job.id, _claimable(now, lease_s))
                .values(state=JobState.RUNNING.value, claimed_at=now, attempts=Job.attempts + 1)
                .execution_options(synchronize_session=False)  # refreshed below; SQLite datetimes are naive
            )
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                session.refresh(job)
                return job
    return None


def run_pending_jobs(services: Services, *, limit: int | None = None) -> int:
    """Work queued jobs until none is left (or ``limit``); returns how many ran."""
    done = 0
    while limit is None or done < limit:
        job = claim_next_job(services)
        if job is None:
            break
        run_job(services, job)
        done += 1
    return done


def run_job(services: Services, job: Job) -> None:
    """Run one claimed job and record its outcome."""
    try:
        if job.kind == JobKind.PROCESS_DOCUMENT and job.document_id is not None:
            process_document(services, job.document_id)
        elif job.kind == JobKind.CHECK_DOSSIER and job.dossier_id is not None:
            check_dossier(services, job.dossier_id)
        elif job.kind == JobKind.MAKE_SEARCHABLE_PDF and job.document_id is not None:
            make_searchable_derivative(services, job.document_id)
        elif job.kind == JobKind.REBUILD_SEARCH_INDEX:
            count = reindex_all(services)
            log.info("search index rebuilt with the current layout: %d document(s)", count)
        else:
            raise ValueError(f"unknown job kind {job.kind!r}")
    except Exception as exc:  # noqa: BLE001 - a job's failure is recorded, never kills the worker
        log.exception("job %s failed (attempt %s)", job.id, job.attempts)
        _record_failure(services, job, exc)
        return
    with transaction(services.factory) as session:
        session.execute(update(Job).where(Job.id == job.id).values(state=JobState.DONE.value))


def _record_failure(services: Services, job: Job, exc: Exception) -> None:
    """Retry later with a growing delay; after the last attempt the job (and its document) is failed."""
    final = job.attempts >= services.settings.job_max_attempts
    with transaction(services.factory) as session:
        if final:
            session.execute(
                update(Job).where(Job.id == job.id).values(state=JobState.FAILED.value, last_error=repr(exc))
            )
            if job.kind == JobKind.PROCESS_DOCUMENT and job.document_id is not None:
                session.execute(
                    update(Document)
                    .where(Document.id == job.document_id)
                    .values(
                        status=DocumentStatus.FAILED.value,
                        parse_error_code="PROCESSING-ERROR",
                        parse_error_message="Không xử lý được văn bản sau nhiều lần thử; bản gốc vẫn được lưu.",
                    )
                )
            return
        delay = timedelta(seconds=RETRY_BASE_S * 2 ** (job.attempts - 1))
        session.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(state=JobState.QUEUED.value, last_error=repr(exc), available_at=datetime.now(UTC) + delay)
        )


def prune_done_jobs(services: Services, *, now: datetime | None = None) -> int:
    """Delete done jobs older than ``job_keep_done_days``; failed ones stay for an operator to see."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=services.settings.job_keep_done_days)
    with transaction(services.factory) as session:
        result = session.execute(delete(Job).where(Job.state == JobState.DONE, Job.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def process_document(services: Services, document_id: int) -> None:
    """Parse, extract and validate one stored original; store the outcome in the catalog."""
    from archive_service.documents_processing import analyse_file

    with transaction(services.factory) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return
        doc.status = DocumentStatus.PROCESSING.value
        storage_key, sha256, media_type = doc.storage_key, doc.sha256, doc.media_type
    with tempfile.TemporaryDirectory(dir=services.settings.spool_dir) as tmp:
        path = Path(tmp) / "original"
        services.blobs.fetch(storage_key, path, sha256=sha256)
        outcome = analyse_file(
            path,
            media_type=media_type,
            timeout_s=services.settings.parse_timeout_s,
            memory_mb=services.settings.parse_memory_mb,
        )
    with transaction(services.factory) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return
        session.query(FindingRow).filter(FindingRow.document_id == document_id).delete()
        session.add_all(finding_row(f, dossier_id=doc.dossier_id, document_id=document_id) for f in outcome.findings)
        if outcome.parsed is None:
            doc.status = DocumentStatus.FAILED.value
            doc.parse_error_code = outcome.error_code
            doc.parse_error_message = outcome.error_message
        else:
            doc.status = DocumentStatus.CHECKED.value
            doc.parse_error_code = doc.parse_error_message = None
            doc.page_count = outcome.parsed.page_count
            doc.ocr = outcome.parsed.ocr
            doc.ocr_confidence = outcome.parsed.ocr_confidence
            doc.text = outcome.parsed.text
            doc.parse_info = {
                "page_setup": outcome.parsed.page_setup.model_dump(mode="json"),
                "signatures": [s.model_dump(mode="json") for s in outcome.parsed.signatures],
                "warnings": outcome.parsed.warnings,
            }
        if outcome.fields is not None:
            doc.fields = outcome.fields.model_dump(mode="json")
            doc.secrecy_level = max(doc.secrecy_level, int(secrecy_of(outcome.fields)))
        doc.validation_status = outcome.validation_status
        session.add(IndexOutbox(document_id=document_id, op="upsert"))
        enqueue_dossier_check(session, doc.dossier_id)
        if doc.ocr and doc.media_type == "application/pdf":
            session.add(Job(kind="make-searchable-pdf", document_id=document_id))


def make_searchable_derivative(services: Services, document_id: int) -> None:
    """Store an OCRmyPDF searchable PDF/A beside a scanned original (the original is only read)."""
    from indexers.searchable_pdf import make_searchable_pdf_isolated

    with transaction(services.factory) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return
        storage_key, sha256 = doc.storage_key, doc.sha256
    with tempfile.TemporaryDirectory(dir=services.settings.spool_dir) as tmp:
        original, searchable = Path(tmp) / "original.pdf", Path(tmp) / "searchable.pdf"
        services.blobs.fetch(storage_key, original, sha256=sha256)
        make_searchable_pdf_isolated(original, searchable, timeout_s=services.settings.ocr_timeout_s)
        digest, size = hash_file(searchable)
        info = services.blobs.put(
            searchable, sha256=digest, size=size, media_type="application/pdf", filename="searchable.pdf"
        )
    with transaction(services.factory) as session:
        existing = session.scalar(
            select(Derivative).where(Derivative.document_id == document_id, Derivative.kind == "searchable-pdf")
        )
        if existing is not None:
            session.delete(existing)
            session.flush()
        session.add(
            Derivative(
                document_id=document_id,
                kind="searchable-pdf",
                sha256=digest,
                size=size,
                media_type="application/pdf",
                storage_key=info.key,
            )
        )


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
                    prune_done_jobs(self.services)
                    self._next_prune = time.monotonic() + PRUNE_EVERY_S
            except Exception:  # noqa: BLE001 - a backend outage must not end the worker
                log.exception("worker loop error")
            self._wake.wait(self.poll_s)
            self._wake.clear()
