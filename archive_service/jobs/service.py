"""The job queue's use cases for people: the backlog seen by admins, and failed jobs queued again at their word.

Only admins see the queue, and only as numbers and ids: a job names a document, and a document's title (or an
error text quoting it) must not reach anyone not cleared for it. The local operator (the CLI) counts as an admin.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from archive_service.accounts.service import Caller, LocalOperator
from archive_service.catalog import audit
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Job, JobKind, JobState, Role
from archive_service.jobs.outage import OUTAGE_PREFIX, is_outage
from archive_service.jobs.recovery import as_utc, live_job, requeue, requeue_stuck
from archive_service.services import Services
from schemas.api import FailedJobOut, JobKindSummary, JobSummary, QueueCounts, RunningJobOut

KIND_LABELS: Final[dict[str, str]] = {
    JobKind.PROCESS_DOCUMENT.value: "Đọc và kiểm tra văn bản",
    JobKind.CHECK_DOSSIER.value: "Kiểm tra hồ sơ",
    JobKind.OCR_PAGE.value: "Nhận dạng chữ một trang",
    JobKind.MAKE_SEARCHABLE_PDF.value: "Tạo bản PDF tìm kiếm được",
    JobKind.RENDER_PAGES.value: "Tạo ảnh trang",
    JobKind.REBUILD_SEARCH_INDEX.value: "Dựng lại chỉ mục tìm kiếm",
}
LISTED: Final = 200  # running and failed jobs shown by id at most (the counts cover the rest)


def _require_admin(caller: Caller) -> None:
    if not isinstance(caller, LocalOperator):
        caller.require_role(Role.ADMIN)


def _age(now: datetime, then: datetime | str | None) -> float | None:
    return None if then is None else max(0.0, (now - as_utc(then)).total_seconds())


def queue_counts(services: Services) -> QueueCounts:
    """How many jobs wait, run and failed, and the oldest one waiting: numbers only, for anyone (/readyz)."""
    with transaction(services.factory) as session:
        return _counts(session, datetime.now(UTC))


def _counts(session: Session, now: datetime) -> QueueCounts:
    open_states = [JobState.QUEUED.value, JobState.RUNNING.value, JobState.FAILED.value]  # done ones: not counted
    query = select(Job.state, func.count()).where(Job.state.in_(open_states)).group_by(Job.state)
    rows = dict(session.execute(query).all())
    return QueueCounts(
        queued=int(rows.get(JobState.QUEUED.value, 0)),
        running=int(rows.get(JobState.RUNNING.value, 0)),
        failed=int(rows.get(JobState.FAILED.value, 0)),
        oldest_queued_s=oldest_queued_s(session, now),
    )


def oldest_queued_s(session: Session, now: datetime) -> float | None:
    """Seconds the oldest queued job has waited since it was queued; None when none waits."""
    return _age(now, session.scalar(select(func.min(Job.created_at)).where(Job.state == JobState.QUEUED)))


def queue_badge(services: Services, caller: Caller) -> QueueCounts | None:
    """The header badge's counts for an admin; None for anyone else, and while the catalog does not answer (every
    page carries the badge, the error page of an outage included)."""
    if not isinstance(caller, LocalOperator) and caller.role is not Role.ADMIN:
        return None
    try:
        return queue_counts(services)
    except Exception as exc:
        if is_outage(exc):
            return None
        raise


def job_summary(services: Services, caller: Caller) -> JobSummary:
    """The backlog per kind and state, throughput, live workers and the jobs in hand (admins only; ids, no titles).

    Throughput counts the jobs done whose holder's last sign of life (its heartbeat, renewed while it works, else
    its claim) falls in the last 5 and 60 minutes: the queue keeps no finishing time of its own.
    """
    _require_admin(caller)
    now = datetime.now(UTC)
    lease = timedelta(seconds=services.settings.job_lease_s)
    last_sign = func.coalesce(Job.heartbeat_at, Job.claimed_at)
    with transaction(services.factory) as session:
        counts = _counts(session, now)
        per_kind: dict[str, JobKindSummary] = {}
        for kind, state, count in session.execute(
            select(Job.kind, Job.state, func.count()).where(Job.state != JobState.DONE).group_by(Job.kind, Job.state)
        ):
            row = per_kind.setdefault(kind, JobKindSummary(kind=kind, label=KIND_LABELS.get(kind, kind)))
            if state in (JobState.QUEUED.value, JobState.RUNNING.value, JobState.FAILED.value):
                setattr(row, state, int(count))
        for kind, oldest in session.execute(
            select(Job.kind, func.min(Job.created_at)).where(Job.state == JobState.QUEUED).group_by(Job.kind)
        ):
            per_kind[kind].oldest_queued_s = _age(now, oldest)

        def done_since(minutes: int) -> int:
            since = now - timedelta(minutes=minutes)
            return int(session.scalar(select(func.count()).where(Job.state == JobState.DONE, last_sign >= since)) or 0)

        live: ColumnElement[bool] = and_(Job.state == JobState.RUNNING, live_job(lease))
        workers = session.scalars(select(Job.worker).where(live, Job.worker.is_not(None)).distinct()).all()
        running = session.scalars(
            select(Job).where(Job.state == JobState.RUNNING).order_by(Job.priority, Job.id).limit(LISTED)
        ).all()
        failed = session.scalars(
            select(Job).where(Job.state == JobState.FAILED).order_by(Job.id.desc()).limit(LISTED)
        ).all()
        return JobSummary(
            queued=counts.queued,
            running=counts.running,
            failed=counts.failed,
            oldest_queued_s=counts.oldest_queued_s,
            done_last_5_min=done_since(5),
            done_last_60_min=done_since(60),
            live_workers=sorted({_process_of(w) for w in workers if w}),
            kinds=sorted(per_kind.values(), key=lambda k: k.kind),
            running_jobs=[
                RunningJobOut(
                    id=j.id,
                    kind=j.kind,
                    document_id=j.document_id,
                    dossier_id=j.dossier_id,
                    page=j.page,
                    worker=j.worker,
                    attempts=j.attempts,
                    heartbeat_age_s=_age(now, j.heartbeat_at or j.claimed_at),
                )
                for j in running
            ],
            failed_jobs=[
                FailedJobOut(
                    id=j.id,
                    kind=j.kind,
                    document_id=j.document_id,
                    dossier_id=j.dossier_id,
                    attempts=j.attempts,
                    outage=(j.last_error or "").startswith(OUTAGE_PREFIX),
                    error=_error_type(j.last_error),
                )
                for j in failed
            ],
        )


def _process_of(worker: str) -> str:
    """A job holder ("host:pid[:thread]") as the worker process it belongs to ("host:pid")."""
    return ":".join(worker.split(":")[:2])


def _error_type(last_error: str | None) -> str:
    """The exception type of a recorded failure ("ParseError"), never its text, which may quote a document."""
    text = (last_error or "").removeprefix(OUTAGE_PREFIX)
    name = text.split("(", 1)[0].strip()
    return name if name.isidentifier() else "—"


def retry_failed(
    services: Services,
    caller: Caller,
    *,
    document_ids: Sequence[int] | None = None,
    kinds: Sequence[str] | None = None,
    addr: str | None = None,
) -> int:
    """Queue again the failed jobs chosen (all, or those of these documents and kinds), attempts reset; admins
    only, audited ``jobs.retry``. A listed document stuck with no live job gets a fresh reading. Returns how many
    jobs were queued."""
    _require_admin(caller)
    where: list[ColumnElement[bool]] = [Job.state == JobState.FAILED]
    if document_ids is not None:
        where.append(Job.document_id.in_(list(document_ids)))
    if kinds is not None:
        where.append(Job.kind.in_(list(kinds)))
    lease = timedelta(seconds=services.settings.job_lease_s)
    with transaction(services.factory) as session:
        count = requeue(session, and_(*where))
        if document_ids is not None:
            count += requeue_stuck(session, document_ids, lease=lease)
        details: dict[str, object] = {"queued": count, "via": "cli" if isinstance(caller, LocalOperator) else "web"}
        if document_ids is not None:
            details["documents"] = sorted(document_ids)
        if kinds is not None:
            details["kinds"] = sorted(kinds)
        audit.record(
            session,
            principal=None if isinstance(caller, LocalOperator) else caller,
            action="jobs.retry",
            object_type="job",
            object_id=None,
            client_addr=addr,
            details=details,
        )
    return count
