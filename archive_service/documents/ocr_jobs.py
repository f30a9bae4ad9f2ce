"""A scan read by page jobs: one OCR_PAGE job per page without a text layer, any worker takes one, then a join.

``process_document`` reads a PDF with the OCR left out (``ocr_pending``) and queues a page job for each such page
(``queue_pages``). Each page job recognises its page in the sandbox and stores it as an ``OcrPage`` row; the one
that finds every queued page of the document read queues PROCESS_DOCUMENT again — the join, which reads the file
once more with the stored pages (``recognised_pages``) and stores the document as a whole reading would have.

Who fires the join is decided under a lock on the document's row: two pages finishing together on PostgreSQL
must not both miss it (each waiting for the other) nor both fire it. The pages still to come are the page jobs of
the document that are queued or running (the one deciding included); nothing else needs to be kept.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, DocumentStatus, Job, JobKind, JobState, OcrPage
from archive_service.jobs.enqueue import enqueue
from archive_service.services import Services

_LIVE = (JobState.QUEUED.value, JobState.RUNNING.value)
_JOINABLE = (DocumentStatus.PROCESSING.value, DocumentStatus.STORED.value)  # being read, or queued to be


def recognised_pages(session: Session, document_id: int, sha256: str) -> list[dict[str, Any]]:
    """The pages of the document the page jobs have read from these bytes (``indexers.ocr.result_json`` each)."""
    rows = session.scalars(
        select(OcrPage).where(OcrPage.document_id == document_id, OcrPage.sha256 == sha256).order_by(OcrPage.page)
    )
    return [dict(row.result) for row in rows]


def queue_pages(session: Session, document_id: int, pages: list[int]) -> list[int]:
    """Queue a page job for each page that has none waiting or running; returns the pages queued."""
    waiting = set(
        session.scalars(
            select(Job.page).where(
                Job.kind == JobKind.OCR_PAGE.value, Job.document_id == document_id, Job.state.in_(_LIVE)
            )
        )
    )
    queued = [page for page in pages if page not in waiting]
    for page in queued:
        enqueue(session, JobKind.OCR_PAGE, document_id=document_id, page=page)
    return queued


def forget_pages(session: Session, document_ids: list[int]) -> None:
    """Delete the page readings of these documents (joined, or the documents destroyed: they hold their text)."""
    session.execute(delete(OcrPage).where(OcrPage.document_id.in_(document_ids)))


def recognise_page(services: Services, document_id: int, page: int) -> None:
    """Recognise one scanned page of a stored original, keep it, and queue the join when it was the last one.

    Idempotent: a page read twice (a retry, a lease run out) is stored once. A destroyed document, or one that is
    no longer being read (read already, or failed), has nothing to join into: the page is not kept.
    """
    from indexers.parse import ocr_page_isolated

    with transaction(services.factory) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.destroyed_at is not None or doc.status not in _JOINABLE:
            return
        storage_key, sha256 = doc.storage_key, doc.sha256
        stored = _stored(session, document_id, page, sha256)
    result: dict[str, Any] | None = None
    if not stored:
        with tempfile.TemporaryDirectory(dir=services.settings.spool_dir) as tmp:
            path = Path(tmp) / "original"
            services.blobs.fetch(storage_key, path, sha256=sha256)
            result = ocr_page_isolated(
                path, page, timeout_s=services.settings.parse_timeout_s, memory_mb=services.settings.parse_memory_mb
            )
    with transaction(services.factory) as session:
        doc = _lock(session, document_id)
        if doc is None or doc.destroyed_at is not None or doc.status not in _JOINABLE or doc.sha256 != sha256:
            return
        if result is not None and not _stored(session, document_id, page, sha256):
            session.add(OcrPage(document_id=document_id, page=page, sha256=sha256, result=result))
            session.flush()
        if _every_page_read(session, document_id, sha256) and not _join_queued(session, document_id):
            enqueue(session, JobKind.PROCESS_DOCUMENT, document_id=document_id)


def _lock(session: Session, document_id: int) -> Document | None:
    """The document's row, locked until the transaction ends: page jobs of one document decide one at a time.

    PostgreSQL: ``SELECT … FOR UPDATE``. SQLite ignores that and takes its one write lock at a transaction's
    first write, so a no-op write is made first: the reads that follow then see every page stored before.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(status=Document.status)
            .execution_options(synchronize_session=False)
        )
    return session.scalar(select(Document).where(Document.id == document_id).with_for_update())


def _stored(session: Session, document_id: int, page: int, sha256: str) -> bool:
    found = session.scalar(
        select(OcrPage.id).where(OcrPage.document_id == document_id, OcrPage.page == page, OcrPage.sha256 == sha256)
    )
    return found is not None


def _every_page_read(session: Session, document_id: int, sha256: str) -> bool:
    """Every page job of the document still queued or running has its page stored (this job's own included)."""
    waiting = set(
        session.scalars(
            select(Job.page).where(
                Job.kind == JobKind.OCR_PAGE.value, Job.document_id == document_id, Job.state.in_(_LIVE)
            )
        )
    )
    read = set(
        session.scalars(select(OcrPage.page).where(OcrPage.document_id == document_id, OcrPage.sha256 == sha256))
    )
    return waiting <= read


def _join_queued(session: Session, document_id: int) -> bool:
    """A PROCESS_DOCUMENT of the document waits already: it will read every page stored by then."""
    found = session.scalar(
        select(Job.id).where(
            Job.kind == JobKind.PROCESS_DOCUMENT.value,
            Job.document_id == document_id,
            Job.state == JobState.QUEUED.value,
        )
    )
    return found is not None
