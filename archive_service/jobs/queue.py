"""Claiming, finishing, retrying and pruning jobs: the queue's own bookkeeping, one transaction each.

A job is claimed by an atomic UPDATE … WHERE state = 'queued', which is safe on SQLite and PostgreSQL alike.
A failing job is retried with a growing delay; a job whose worker died is taken again once its lease has run
out; a job that can never succeed (``permanent``) fails at once instead of five times.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import ColumnElement, and_, delete, or_, select, update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Job, JobState
from archive_service.services import Services

RETRY_BASE_S: Final = 30.0  # first retry after 30 s, then 60, 120, … (the blob store or catalog may be back)


def _claimable(now: datetime, lease_s: float) -> ColumnElement[bool]:
    """Queued and due, or running past its lease (the worker that took it is gone)."""
    due = and_(Job.state == JobState.QUEUED, Job.available_at <= now)
    abandoned = and_(Job.state == JobState.RUNNING, Job.claimed_at < now - timedelta(seconds=lease_s))
    return or_(due, abandoned)


def claim_next(services: Services) -> Job | None:
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


def finish(services: Services, job: Job) -> None:
    """The job ran to its end."""
    with transaction(services.factory) as session:
        session.execute(update(Job).where(Job.id == job.id).values(state=JobState.DONE.value))


def fail(services: Services, job: Job, exc: Exception, *, permanent: bool = False) -> bool:
    """Retry later with a growing delay, or fail the job after its last attempt (at once when ``permanent``).

    Returns True when the job is failed for good.
    """
    final = permanent or job.attempts >= services.settings.job_max_attempts
    with transaction(services.factory) as session:
        if final:
            session.execute(
                update(Job).where(Job.id == job.id).values(state=JobState.FAILED.value, last_error=repr(exc))
            )
            return True
        delay = timedelta(seconds=RETRY_BASE_S * 2 ** (job.attempts - 1))
        session.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(state=JobState.QUEUED.value, last_error=repr(exc), available_at=datetime.now(UTC) + delay)
        )
    return False


def prune_done(services: Services, *, now: datetime | None = None) -> int:
    """Delete done jobs older than ``job_keep_done_days``; failed ones stay for an operator to see."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=services.settings.job_keep_done_days)
    with transaction(services.factory) as session:
        result = session.execute(delete(Job).where(Job.state == JobState.DONE, Job.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
