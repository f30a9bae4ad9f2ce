"""Recovery without waiting: jobs failed by an outage queued again once the backends answer, failed jobs queued
again at an operator's word, and the documents that no live job will finish.

A job that failed its last attempt during a long S3 or catalog outage did nothing wrong, and its document is not
unreadable: left alone it would stay PROCESSING-ERROR for ever. The workers call ``requeue_outage_failures`` in
their loop; it costs one indexed query while nothing failed by an outage, and probes the backends only when
something did.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from archive_service.catalog import db
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, DocumentStatus, Job, JobKind, JobState
from archive_service.errors import AppError
from archive_service.jobs.enqueue import enqueue, notify
from archive_service.jobs.outage import OUTAGE_PREFIX
from archive_service.services import Services

log = logging.getLogger(__name__)

UNPROCESSABLE = "PROCESSING-ERROR"  # what the worker marks a document whose processing failed its last attempt


def backends_answer(services: Services) -> bool:
    """The catalog and the blob store answer a cheap probe (what a document's jobs need to run)."""
    try:
        db.ping(services.engine)
        services.blobs.ping()
    except (AppError, OSError) as exc:
        log.info("backends not back yet: %s", exc)
        return False
    except Exception as exc:  # noqa: BLE001 - any driver error means "not back yet", never a crash of the loop
        log.info("backends not back yet: %s", type(exc).__name__)
        return False
    return True


def requeue_outage_failures(services: Services) -> int:
    """Queue again the jobs failed by an outage, once the catalog and the blob store answer; returns how many.

    Their attempts start again from zero and they are due at once; their documents go back from
    PROCESSING-ERROR to stored (the original was never at fault).
    """
    outage = and_(Job.state == JobState.FAILED, Job.last_error.startswith(OUTAGE_PREFIX))
    with transaction(services.factory) as session:
        waiting = session.scalar(select(Job.id).where(outage).limit(1))
    if waiting is None or not backends_answer(services):
        return 0
    with transaction(services.factory) as session:
        count = requeue(session, outage)
    if count:
        log.info("%d job(s) failed by an outage queued again: the backends answer", count)
    return count


def requeue(session: Session, where: ColumnElement[bool]) -> int:
    """Queue again (attempts reset, due now) the failed jobs matching ``where``; reset their documents' failure."""
    rows = session.execute(select(Job.id, Job.kind, Job.document_id).where(where, Job.state == JobState.FAILED)).all()
    if not rows:
        return 0
    ids = [int(job_id) for job_id, _kind, _doc in rows]
    session.execute(
        update(Job)
        .where(Job.id.in_(ids), Job.state == JobState.FAILED)
        .values(
            state=JobState.QUEUED.value,
            attempts=0,
            available_at=datetime.now(UTC),
            worker=None,
            heartbeat_at=None,
            claimed_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    documents = {int(doc) for _id, kind, doc in rows if doc is not None and kind == JobKind.PROCESS_DOCUMENT.value}
    reset_unprocessable(session, documents)
    notify(session)
    return len(ids)


def reset_unprocessable(session: Session, document_ids: set[int]) -> None:
    """Documents marked PROCESSING-ERROR go back to stored: they are about to be read again."""
    if not document_ids:
        return
    session.execute(
        update(Document)
        .where(
            Document.id.in_(sorted(document_ids)),
            Document.status == DocumentStatus.FAILED.value,
            Document.parse_error_code == UNPROCESSABLE,
        )
        .values(status=DocumentStatus.STORED.value, parse_error_code=None, parse_error_message=None)
        .execution_options(synchronize_session=False)
    )


def live_job(lease: timedelta) -> ColumnElement[bool]:
    """A job that will still run: queued (retries included), or running with a sign of life within ``lease``."""
    cutoff = datetime.now(UTC) - lease
    return or_(
        Job.state == JobState.QUEUED,
        and_(Job.state == JobState.RUNNING, func.coalesce(Job.heartbeat_at, Job.claimed_at) >= cutoff),
    )


def stuck_documents(
    session: Session, *, lease: timedelta, document_ids: Sequence[int] | None = None
) -> list[tuple[int, datetime]]:
    """Documents waiting to be read (stored, processing) that no live job will finish, with since when.

    A document whose only jobs are done, failed, or held by a worker that gave no sign of life within ``lease``
    stays unsearchable until someone acts. Since when: its jobs' last sign of life, else its upload.
    """
    live = select(Job.id).where(Job.document_id == Document.id, live_job(lease))
    last_sign = (
        select(func.max(func.coalesce(Job.heartbeat_at, Job.claimed_at, Job.created_at)))
        .where(Job.document_id == Document.id)
        .scalar_subquery()
    )
    query = select(Document.id, func.coalesce(last_sign, Document.uploaded_at)).where(
        Document.status.in_([DocumentStatus.STORED.value, DocumentStatus.PROCESSING.value]),
        Document.destroyed_at.is_(None),
        ~live.exists(),
    )
    if document_ids is not None:
        query = query.where(Document.id.in_(list(document_ids)))
    rows = session.execute(query.order_by(Document.id)).all()
    return [(int(doc_id), as_utc(since)) for doc_id, since in rows]


def requeue_stuck(session: Session, document_ids: Sequence[int], *, lease: timedelta) -> int:
    """Queue a fresh reading for each of these documents that is stuck (no live job); returns how many."""
    stuck = stuck_documents(session, lease=lease, document_ids=document_ids)
    for doc_id, _since in stuck:
        enqueue(session, JobKind.PROCESS_DOCUMENT, document_id=doc_id)
    return len(stuck)


def as_utc(value: datetime | str) -> datetime:
    """A time read back from the catalog, in UTC (SQLite returns it naive, or as text from an expression)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
