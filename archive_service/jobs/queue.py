"""Claiming, renewing, finishing, retrying and pruning jobs: the queue's own bookkeeping, one transaction each.

Any number of workers, on any machine sharing the catalog, take jobs from one table. A claim records who holds
the job (``worker``, "host:pid[:thread]") and a heartbeat the holder renews while it works; a job whose holder
gave no sign of life for ``job_lease_s`` is taken again. On PostgreSQL the claim locks its row with
``FOR UPDATE SKIP LOCKED`` (concurrent workers never wait on each other nor try the same row); SQLite, one
machine and one writer at a time, claims with an UPDATE … WHERE still-claimable. Finishing or failing a job is
fenced on its holder and attempt: a worker whose job was taken from it (it stalled past its lease) cannot
overwrite the new holder's outcome. The outcome is also counted in ``job_tallies`` in the same transaction (the
monitoring's job counters, cluster-wide): a count is added exactly when an outcome is recorded.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Job, JobOutcome, JobState, JobTally
from archive_service.jobs.outage import describe_failure
from archive_service.services import Services

log = logging.getLogger(__name__)

RETRY_BASE_S: Final = 30.0  # first retry after 30 s, then 60, 120, … (the blob store or catalog may be back)


def host_name() -> str:
    """This machine's name as workers record it (the part before the first ':' of ``Job.worker``)."""
    return socket.gethostname()


def identity() -> str:
    """Who the calling thread is as a job holder: "host:pid", plus ":thread" off the main thread."""
    me = f"{host_name()}:{os.getpid()}"
    thread = threading.current_thread()
    return me if thread is threading.main_thread() else f"{me}:{thread.name}"


def _stale(cutoff: datetime) -> ColumnElement[bool]:
    """A running job whose last sign of life (heartbeat, else its claim) is older than ``cutoff``."""
    return and_(
        Job.state == JobState.RUNNING,
        or_(
            and_(Job.heartbeat_at.is_not(None), Job.heartbeat_at < cutoff),
            and_(Job.heartbeat_at.is_(None), Job.claimed_at < cutoff),
        ),
    )


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(Job.state == JobState.QUEUED, Job.available_at <= now)


def _candidate(session: Session, where: ColumnElement[bool]) -> Job | None:
    """The first job by priority then id matching ``where``, locked for this transaction on PostgreSQL.

    Each state is looked up on its own so that the query follows ix_jobs_claim (state, priority, id) instead
    of sorting every queued job: a bulk import may leave hundreds of thousands waiting.
    """
    query = select(Job).where(where).order_by(Job.priority, Job.id).limit(1).with_for_update(skip_locked=True)
    return session.scalar(query)


def claim_next(services: Services, *, worker: str | None = None) -> Job | None:
    """Take the claimable job that comes first (lower priority, then older), or None when there is none.

    Claimable: queued and due, or running but abandoned (no heartbeat for ``job_lease_s``).
    """
    holder = worker or identity()
    lease = timedelta(seconds=services.settings.job_lease_s)
    for _ in range(5):  # SQLite only: another process may take the row between the SELECT and the UPDATE
        now = datetime.now(UTC)
        with transaction(services.factory) as session:
            found = [j for j in (_candidate(session, _stale(now - lease)), _candidate(session, _due(now))) if j]
            if not found:
                return None
            job = min(found, key=lambda j: (j.priority, j.id))
            claimed = session.execute(
                update(Job)
                .where(Job.id == job.id, or_(_due(now), _stale(now - lease)))
                .values(
                    state=JobState.RUNNING.value,
                    claimed_at=now,
                    heartbeat_at=now,
                    worker=holder,
                    attempts=Job.attempts + 1,
                )
                .execution_options(synchronize_session=False)  # refreshed below; SQLite datetimes are naive
            )
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                session.refresh(job)
                session.expunge(job)
                return job
    return None


def _held(job: Job) -> ColumnElement[bool]:
    """The fence: the row is still this claim's (same holder, same attempt, still running)."""
    return and_(
        Job.id == job.id,
        Job.worker == job.worker,
        Job.attempts == job.attempts,
        Job.state == JobState.RUNNING,
    )


def heartbeat(services: Services, job: Job) -> bool:
    """Renew the lease of a job this worker holds; False when it is no longer held (taken by another)."""
    with transaction(services.factory) as session:
        result = session.execute(update(Job).where(_held(job)).values(heartbeat_at=datetime.now(UTC)))
    return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]


def _tally(session: Session, kind: str, outcome: JobOutcome, by: int = 1) -> None:
    """Count ``by`` more jobs of ``kind`` ended ``outcome``, in the transaction that records it.

    An upsert (``INSERT … ON CONFLICT (kind, outcome) DO UPDATE SET count = job_tallies.count + by``), the same
    statement on SQLite and PostgreSQL: the first outcome of a kind makes its row, and two workers recording the
    same outcome at once on PostgreSQL queue on the row's lock instead of losing a count.
    """
    values = {"kind": kind, "outcome": outcome.value, "count": by}
    keys = [JobTally.kind, JobTally.outcome]
    more = {"count": JobTally.count + by}
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            postgresql.insert(JobTally).values(values).on_conflict_do_update(index_elements=keys, set_=more)
        )
    else:
        session.execute(sqlite.insert(JobTally).values(values).on_conflict_do_update(index_elements=keys, set_=more))


# Not a job kind: pages a whole-document reading recognised itself (``ocr_page_jobs`` off, or a page the join
# found without its page job's reading), counted beside the OCR page jobs: the monitoring counts every page read.
WHOLE_DOCUMENT_OCR_PAGES: Final = "ocr-pages-in-document"


def count_ocr_pages(session: Session, pages: int) -> None:
    """Count ``pages`` recognised by a whole-document reading, in the transaction that stores that reading."""
    if pages > 0:
        _tally(session, WHOLE_DOCUMENT_OCR_PAGES, JobOutcome.DONE, pages)


def finish(services: Services, job: Job) -> bool:
    """The job ran to its end; recorded only if this worker still holds it (False and logged otherwise)."""
    with transaction(services.factory) as session:
        result = session.execute(update(Job).where(_held(job)).values(state=JobState.DONE.value))
        if int(result.rowcount or 0) == 1:  # type: ignore[attr-defined]
            _tally(session, job.kind, JobOutcome.DONE)
    if int(result.rowcount or 0) != 1:  # type: ignore[attr-defined]
        log.warning("job %s finished by %s after it was taken from it: result not recorded", job.id, job.worker)
        return False
    return True


def fail(services: Services, job: Job, exc: Exception, *, permanent: bool = False) -> bool:
    """Retry later with a growing delay, or fail the job after its last attempt (at once when ``permanent``).

    Returns True when the job is failed for good (by this call: a worker that no longer holds the job records
    nothing and gets False).
    """
    final = permanent or job.attempts >= services.settings.job_max_attempts
    error = describe_failure(exc)
    if final:
        values: dict[str, object] = {"state": JobState.FAILED.value, "last_error": error}
    else:
        delay = timedelta(seconds=RETRY_BASE_S * 2 ** (job.attempts - 1))
        values = {"state": JobState.QUEUED.value, "last_error": error, "available_at": datetime.now(UTC) + delay}
    with transaction(services.factory) as session:
        result = session.execute(update(Job).where(_held(job)).values(**values))
        if int(result.rowcount or 0) == 1:  # type: ignore[attr-defined]
            _tally(session, job.kind, JobOutcome.FAILED if final else JobOutcome.RETRY)
    if int(result.rowcount or 0) != 1:  # type: ignore[attr-defined]
        log.warning("job %s failed in %s after it was taken from it: not recorded (%s)", job.id, job.worker, error)
        return False
    return final


def release_dead_holders(services: Services, alive: Callable[[int], bool]) -> int:
    """Queue again at once the running jobs held by processes of this host that are gone (``alive(pid)`` false).

    A restarted worker or server need not wait out the lease of the jobs its previous process held. Their
    attempts are kept: a job that keeps killing its worker still runs out of tries.
    """
    prefix = f"{host_name()}:"
    with transaction(services.factory) as session:
        held = session.execute(
            select(Job.id, Job.worker).where(Job.state == JobState.RUNNING, Job.worker.startswith(prefix))
        ).all()
        dead = [
            (job_id, holder)
            for job_id, holder in held
            if holder and (pid := holder.split(":")[1]).isdigit() and not alive(int(pid))
        ]
        for job_id, holder in dead:
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.worker == holder, Job.state == JobState.RUNNING)
                .values(state=JobState.QUEUED.value, worker=None, heartbeat_at=None, available_at=datetime.now(UTC))
            )
    for job_id, holder in dead:
        log.info("job %s released: its holder %s is no longer running", job_id, holder)
    return len(dead)


def drained(services: Services) -> bool:
    """Nothing queued and due, nothing running: what ``worker --exit-when-idle`` waits for."""
    now = datetime.now(UTC)
    with transaction(services.factory) as session:
        left = session.scalar(select(Job.id).where(or_(_due(now), Job.state == JobState.RUNNING)).limit(1))
    return left is None


def prune_done(services: Services, *, now: datetime | None = None) -> int:
    """Delete done jobs older than ``job_keep_done_days``; failed ones stay for an operator to see."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=services.settings.job_keep_done_days)
    with transaction(services.factory) as session:
        result = session.execute(delete(Job).where(Job.state == JobState.DONE, Job.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
