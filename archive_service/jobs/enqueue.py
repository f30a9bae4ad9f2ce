"""Putting work on the queue: one function every use case calls, inside its own transaction.

On PostgreSQL the job's INSERT sends ``NOTIFY archive_jobs`` through a statement trigger on ``jobs`` (migration
``19a_jobs_notify_trigger``; no round trip of its own): the workers listening on other machines wake when the
transaction commits (never before, so they cannot look for a job not yet visible). Jobs queued again by an UPDATE
(``jobs.recovery``) call ``notify``. SQLite has no notifications; its workers poll and the serving process wakes
its own threads.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import text
from sqlalchemy.orm import Session

from archive_service.catalog.models import BULK_PRIORITY_STEP, JOB_PRIORITY, Job, JobKind

CHANNEL: Final = "archive_jobs"


def enqueue(
    session: Session,
    kind: JobKind | str,
    *,
    document_id: int | None = None,
    dossier_id: int | None = None,
    page: int | None = None,
    bulk: bool = False,
    priority: int | None = None,
) -> Job:
    """Queue one job in ``session``'s transaction; ``bulk`` for a bulk import's work (taken after users' work)."""
    value = str(kind.value if isinstance(kind, JobKind) else kind)
    rank = priority if priority is not None else JOB_PRIORITY.get(value, 50) + (BULK_PRIORITY_STEP if bulk else 0)
    job = Job(kind=value, document_id=document_id, dossier_id=dossier_id, page=page, priority=rank)
    session.add(job)  # its INSERT notifies the workers (the trigger)
    return job


def notify(session: Session) -> None:
    """Wake the listening workers when this transaction commits (PostgreSQL; nothing elsewhere).

    Needed only where jobs become due without an INSERT: an INSERT notifies by itself (the trigger).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"NOTIFY {CHANNEL}"))
