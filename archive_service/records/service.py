"""Use cases of a dossier's life up to the office archive: the closing checklist, closing, keeping back, and what
the dossier's page shows of its life (state, next steps, record files, history).

Each checks access itself (a dossier the caller may not read is 404 as a missing one), refuses an illegal step
through records/lifecycle.py before any work, writes, and audits, in one transaction: a refused or failed close
leaves nothing half-closed (a blob already written by then is an orphan ``verify --repair`` sweeps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import audit, links
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.dossier_list import cleared_for_whole
from archive_service.catalog.dossiers import get_readable
from archive_service.catalog.models import (
    AuditEvent,
    Document,
    Dossier,
    Job,
    JobKind,
    JobState,
    Office,
    RecordFile,
    User,
)
from archive_service.errors import AppError, Conflict
from archive_service.jobs.enqueue import enqueue
from archive_service.records import closing, lifecycle
from archive_service.records import retention as ret
from archive_service.records.closing_sheets import SheetContext, closing_record, document_index
from archive_service.records.files import readable_record_files_of, store_sheet
from archive_service.records.locking import lock_dossier
from archive_service.records.sheet import RecordSheet
from archive_service.retention import deadlines
from archive_service.services import Services
from archive_service.vietnam_time import today_in_vietnam
from schemas.closing import HistoryEntry

KIND_LABELS: Final[dict[str, str]] = {
    closing.CLOSING_RECORD: "Chứng từ kết thúc",
    closing.DOCUMENT_INDEX: "Mục lục văn bản",
}
TRANSFER_YEARS: Final = 1  # to the office archive within 1 year of the work ending (NĐ 30 Điều 30.1)
KEEP_BACK_YEARS: Final = 2  # a unit keeps a dossier back at most 2 years more (NĐ 30 Điều 30.2)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# ---- the checklist -------------------------------------------------------------------------------------------


def closing_checklist(
    session: Session, principal: Principal, dossier_id: int, *, now: datetime | None = None
) -> closing.Checklist:
    """What closing the dossier needs (anyone who reads the dossier may see it; named only what they may read)."""
    dossier = get_readable(session, principal=principal, dossier_id=dossier_id)
    return closing.build(session, principal, dossier, now=_now(now))


def checklist(
    services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str
) -> closing.Checklist:
    """The checklist for an edge, in its own transaction; audited as a read of the dossier."""
    with transaction(services.factory) as session:
        found = closing_checklist(session, principal, dossier_id)
        dossier = get_readable(session, principal=principal, dossier_id=dossier_id)
        audit.record_on_dossier(
            session, principal, "dossier.closing-checklist", dossier, addr, via=via, blocked=found.blocked
        )
        return found


def _writable(session: Session, principal: Principal, dossier_id: int) -> Dossier:
    """The dossier, when the caller may change it (404 unseen, 403 by role or office)."""
    dossier = get_readable(session, principal=principal, dossier_id=dossier_id)
    principal.require_write(object_type="dossier", object_id=dossier.id, office_id=dossier.office_id, what="hồ sơ")
    return dossier


def writable_checklist(
    services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str
) -> closing.Checklist:
    """The checklist for the closing form: only who may change the dossier; audited."""
    with transaction(services.factory) as session:
        dossier = _writable(session, principal, dossier_id)
        found = closing.build(session, principal, dossier, now=_now(None))
        audit.record_on_dossier(
            session, principal, "dossier.closing-checklist", dossier, addr, via=via, blocked=found.blocked
        )
        return found


# ---- closing ---------------------------------------------------------------------------------------------------


class ClosingBlocked(Conflict):
    def __init__(self, dossier: Dossier, lines: list[str]) -> None:
        shown = "; ".join(lines[:20]) + (f"; và {len(lines) - 20} mục khác" if len(lines) > 20 else "")
        super().__init__(
            "DOSSIER-CLOSING-BLOCKED",
            f"Chưa kết thúc được hồ sơ số {dossier.id} (NĐ 30/2020 Điều 29.3: loại bản trùng, bản nháp trước khi "
            f"kết thúc): {shown}",
        )
        self.lines = lines


class TakeOutInvalid(AppError):
    status_code = 422

    def __init__(self, ids: list[int]) -> None:
        listed = ", ".join(str(i) for i in ids[:20])
        super().__init__(
            "DOSSIER-TAKE-OUT-INVALID",
            f"Văn bản số {listed} không có trong danh sách bản nháp, bản trùng cần đưa ra khỏi hồ sơ; khi kết thúc "
            "chỉ đưa ra được các văn bản danh sách kiểm tra nêu (gỡ văn bản khác bằng chức năng “Gỡ khỏi hồ sơ”).",
        )


class RetentionBelowContent(AppError):
    status_code = 422

    def __init__(self, chosen: ret.Retention, minimum: ret.Retention) -> None:
        super().__init__(
            "DOS-RETENTION-BELOW-CONTENT",
            f"Thời hạn bảo quản hồ sơ ({chosen.label.lower()}) ngắn hơn thời hạn của văn bản trong hồ sơ "
            f"({minimum.label.lower()}): thời hạn của hồ sơ là thời hạn cao nhất của văn bản trong đó (160-CV/TW). "
            f"Chọn từ {minimum.label.lower()} trở lên.",
        )


@dataclass(frozen=True)
class Closed:
    """What closing did: the values set, the documents taken out, the files made, the lock in force."""

    dossier: Dossier
    taken_out: list[int]
    files: list[RecordFile]
    worm_guaranteed: bool


def _take_out(
    session: Session, principal: Principal, dossier: Dossier, docs: list[Document], addr: str | None, now: datetime
) -> None:
    """As dossiers/service.py remove_from_dossier: the row and original stay (archives never delete); audited."""
    for doc in docs:
        links.take_out(session, principal, dossier_id=dossier.id, document=doc, addr=addr, via="closing", now=now)
    session.flush()


def _former_name(session: Session, principal: Principal, dossier: Dossier) -> str:
    if dossier.former_name:
        return dossier.former_name
    user = session.get(User, principal.user_id)
    return (user.display_name or user.username) if user is not None else principal.username


def _store(
    services: Services, session: Session, principal: Principal, dossier: Dossier, kind: str, sheet: RecordSheet
) -> list[RecordFile]:
    """The sheet as PDF and DOCX, stored beside the originals as the dossier's record files."""
    return store_sheet(
        services.blobs,
        session,
        sheet,
        owner_type="dossier",
        owner_id=dossier.id,
        kind=kind,
        stem=f"{kind}-ho-so-{dossier.id}",
        principal=principal,
    )


def _queue_check(session: Session, dossier_id: int) -> None:
    """The dossier check again (DOS-CLOSING-INCOMPLETE and the retention findings read the closed dossier);
    written here rather than through dossiers/checks.py, which imports this package for its findings."""
    kind = JobKind.CHECK_DOSSIER.value
    waiting = session.scalar(
        select(Job.id).where(Job.kind == kind, Job.dossier_id == dossier_id, Job.state == JobState.QUEUED.value)
    )
    if waiting is None:
        enqueue(session, kind, dossier_id=dossier_id)


def _refuse_unready(dossier: Dossier, found: closing.Checklist, chosen: ret.Retention, take_out: set[int]) -> None:
    """422 for a take-out the checklist does not list, 409 while something still blocks, 422 for a retention
    below the documents' (160-CV/TW)."""
    unknown = sorted(take_out - {item.document_id for item in found.take_out})
    if unknown:
        raise TakeOutInvalid(unknown)
    lines = found.open_items(take_out)
    if lines:
        raise ClosingBlocked(dossier, lines)
    if found.minimum is not None and chosen < ret.parse(found.minimum):
        raise RetentionBelowContent(chosen, ret.parse(found.minimum))


def _make_records(
    services: Services,
    session: Session,
    principal: Principal,
    dossier: Dossier,
    staying: list[Document],
    closed_on: date,
) -> list[RecordFile]:
    """The chứng từ kết thúc, and the mục lục văn bản of a permanent dossier (NĐ 30/2020 Điều 29.3, Phụ lục V.IV)."""
    office = session.get(Office, dossier.office_id)
    ctx = SheetContext(
        office_name=office.name if office is not None else "",
        former_name=_former_name(session, principal, dossier),
        closed_on=closed_on,
    )
    permanent = ret.parse(dossier.retention).permanent
    files: list[RecordFile] = []
    if permanent:
        files += _store(
            services, session, principal, dossier, closing.DOCUMENT_INDEX, document_index(dossier, staying, ctx)
        )
    record = closing_record(dossier, staying, ctx, has_index=permanent)
    files += _store(services, session, principal, dossier, closing.CLOSING_RECORD, record)
    return files


def close_dossier(
    services: Services,
    principal: Principal,
    dossier_id: int,
    *,
    retention: str,
    take_out: list[int] | None,
    addr: str | None,
    now: datetime | None = None,
) -> Closed:
    """Kết thúc hồ sơ (NĐ 30/2020 Điều 29.3): run the checklist, take out the named drafts and duplicates, confirm
    the retention (never below its documents', 160-CV/TW), count pages, set the end date, make the chứng từ kết thúc
    (and the mục lục văn bản when permanent) as PDF and DOCX, move the dossier to "closed" and lock its bytes.

    Refused: 404 unseen, 403 by role or office, 409 not open or held (DOSSIER-STATE-INVALID, RECORD-FROZEN), 409
    DOSSIER-CLOSING-BLOCKED while documents are being read or drafts and duplicates stay, 422 for a retention below
    the minimum (DOS-RETENTION-BELOW-CONTENT) or not a retention, 422 for a take-out the checklist does not list.
    """
    with transaction(services.factory) as session:
        moment = _now(now)
        dossier = get_readable(session, principal=principal, dossier_id=dossier_id)
        lifecycle.check(session, principal, dossier, "close")  # role, office, state, hold: before any work
        chosen = ret.parse(retention)
        found = closing.build(session, principal, dossier, now=moment)
        wanted = set(take_out or [])
        _refuse_unready(dossier, found, chosen, wanted)
        removed = [d for d in closing.held_documents(session, dossier.id) if d.id in wanted]
        _take_out(session, principal, dossier, removed, addr, moment)
        staying = closing.held_documents(session, dossier.id)
        dossier.retention = chosen.code
        dossier.page_total = sum(d.page_count or 0 for d in staying)
        if dossier.end_date is None:
            dossier.end_date = found.end_date or today_in_vietnam(moment)
        dossier.closed_at = moment
        files = _make_records(services, session, principal, dossier, staying, today_in_vietnam(moment))
        session.flush()
        lock = lock_dossier(session, services.blobs, dossier)  # the real clock: a past term locks nothing
        lifecycle.move(
            session,
            principal,
            dossier,
            "close",
            addr=addr,
            details={
                "retention": chosen.code,
                "page_total": dossier.page_total,
                "taken_out": sorted(wanted),
                "files": [f.id for f in files],
                **lock.details(),
            },
        )
        _queue_check(session, dossier.id)
        return Closed(dossier=dossier, taken_out=sorted(wanted), files=files, worm_guaranteed=lock.worm_guaranteed)


# ---- keeping back (giữ lại) ------------------------------------------------------------------------------------


class KeepNotNeeded(Conflict):
    def __init__(self, dossier: Dossier, label: str) -> None:
        super().__init__(
            "DOSSIER-KEEP-NOT-NEEDED",
            f"Hồ sơ số {dossier.id} bảo quản {label.lower()}: hồ sơ dưới 5 năm không nộp lưu mà ở lại đơn vị đến khi "
            "hết hạn (NĐ 30/2020 Điều 30.1), nên không cần giữ lại.",
        )


class KeepInvalid(AppError):
    status_code = 422


def keep_back(
    session: Session,
    principal: Principal,
    dossier_id: int,
    *,
    until: date,
    consent: str,
    addr: str | None,
    now: datetime | None = None,
) -> Dossier:
    """Giữ lại (NĐ 30/2020 Điều 30.2): a closed dossier kept 5 years or more stays with the unit past its transfer
    deadline (closing + 1 year), at most 2 years more, with the head's written consent; audited through ``move``."""
    today = today_in_vietnam(_now(now))
    dossier = get_readable(session, principal=principal, dossier_id=dossier_id)
    lifecycle.check(session, principal, dossier, "keep")
    keep = ret.parse(dossier.retention)
    if not keep.goes_to_office_archive():
        raise KeepNotNeeded(dossier, keep.label)
    text = consent.strip()
    if not text:
        raise KeepInvalid(
            "DOSSIER-KEEP-CONSENT-MISSING",
            "Ghi văn bản đồng ý của người đứng đầu cơ quan (số, ngày) cho việc giữ lại hồ sơ (NĐ 30/2020 Điều 30.2).",
        )
    deadline = ret.add_years(deadlines.closed_on(dossier) or today, TRANSFER_YEARS)
    latest = ret.add_years(deadline, KEEP_BACK_YEARS)
    if until > latest:
        raise KeepInvalid(
            "DOSSIER-KEEP-TOO-LONG",
            f"Chỉ được giữ lại hồ sơ tối đa 2 năm sau hạn nộp lưu ({deadline:%d/%m/%Y}), tức đến {latest:%d/%m/%Y} "
            "(NĐ 30/2020 Điều 30.2).",
        )
    if until <= today:
        raise KeepInvalid("DOSSIER-KEEP-PAST", f"Ngày giữ lại đến ({until:%d/%m/%Y}) phải sau hôm nay.")
    dossier.kept_until = until
    dossier.kept_consent = text
    lifecycle.move(
        session, principal, dossier, "keep", addr=addr, details={"until": until.isoformat(), "consent": text}
    )
    return dossier


def keep(
    services: Services, principal: Principal, dossier_id: int, *, until: date, consent: str, addr: str | None
) -> Dossier:
    """``keep_back`` in its own transaction, for the edges."""
    with transaction(services.factory) as session:
        return keep_back(session, principal, dossier_id, until=until, consent=consent, addr=addr)


# ---- what the dossier's page shows of its life ---------------------------------------------------------------


def _history(session: Session, principal: Principal, dossier: Dossier) -> list[HistoryEntry]:
    """The dossier's steps from the audit trail. Their details (page totals, counts of locked blobs, the ids taken
    out) sum over every document it holds: shown only to a caller cleared for all of them, the steps to anyone."""
    cleared = cleared_for_whole(session, principal, dossier.id)
    steps = {f"dossier.{name}": step.label for name, step in lifecycle.STEPS.items()}
    steps["dossier.create"] = "Mở hồ sơ"
    rows = session.execute(
        select(AuditEvent, User.username)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(
            AuditEvent.object_type == "dossier",
            AuditEvent.object_id == str(dossier.id),
            AuditEvent.action.in_(list(steps)),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    out = []
    for event, username in rows:
        details = dict(event.details or {})
        before, after = details.pop("from", None), details.pop("to", None)
        if event.action == "dossier.create" or not cleared:
            details = {}
        if event.action == "dossier.create":
            after = "open"
        out.append(
            HistoryEntry(
                at=_aware(event.at),
                user=username,
                action=event.action,
                label=steps[event.action],
                from_state=before,
                to_state=after,
                from_label=lifecycle.STATE_LABELS.get(before) if before else None,
                to_label=lifecycle.STATE_LABELS.get(after) if after else None,
                details=details,
            )
        )
    return out


def _record_files(session: Session, principal: Principal, dossier: Dossier) -> list[RecordFile]:
    """The dossier's record files when the caller may read them (cleared for its most secret document), else none."""
    return readable_record_files_of(session, principal, "dossier", dossier.id)


def record_files(
    services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str
) -> list[RecordFile]:
    """The dossier's record files (chứng từ kết thúc, mục lục văn bản, …); whoever reads the dossier; audited."""
    with transaction(services.factory) as session:
        dossier = get_readable(session, principal=principal, dossier_id=dossier_id)
        files = _record_files(session, principal, dossier)
        audit.record_on_dossier(
            session, principal, "dossier.record-files", dossier, addr, via=via, files=[f.id for f in files]
        )
        return files


def history(
    services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str
) -> list[HistoryEntry]:
    """The dossier's steps (opened, closed, kept back, transferred, …): who, when, from which state to which."""
    with transaction(services.factory) as session:
        dossier = get_readable(session, principal=principal, dossier_id=dossier_id)
        items = _history(session, principal, dossier)
        audit.record_on_dossier(session, principal, "dossier.history", dossier, addr, via=via)
        return items


@dataclass(frozen=True)
class StateView:
    """The dossier page's panel on its life."""

    dossier: Dossier
    state_label: str
    steps: list[lifecycle.Step]
    files: list[RecordFile]
    history: list[HistoryEntry]
    transfer_due: date | None  # closing + 1 year, for a dossier that goes to the office archive
    keep_latest: date | None  # the latest day it may be kept back to
    cleared: bool  # cleared for every document it holds: its page total may be shown


def state_view(services: Services, principal: Principal, dossier_id: int) -> StateView:
    """State, next steps the caller may take, record files and history (the page's own read is audited there)."""
    with transaction(services.factory) as session:
        dossier = get_readable(session, principal=principal, dossier_id=dossier_id)
        due: date | None = None
        latest: date | None = None
        transferred = ret.is_valid(dossier.retention) and ret.parse(dossier.retention).goes_to_office_archive()
        closed = deadlines.closed_on(dossier)
        if closed is not None and transferred:
            due = ret.add_years(closed, TRANSFER_YEARS)
            latest = ret.add_years(due, KEEP_BACK_YEARS)
        return StateView(
            dossier=dossier,
            state_label=lifecycle.STATE_LABELS.get(dossier.state, dossier.state),
            steps=lifecycle.allowed_steps(dossier, principal),
            files=_record_files(session, principal, dossier),
            history=_history(session, principal, dossier),
            cleared=cleared_for_whole(session, principal, dossier.id),
            transfer_due=due,
            keep_latest=latest,
        )


def writable_state_view(services: Services, principal: Principal, dossier_id: int) -> StateView:
    """``state_view`` for a form that changes the dossier (the keep-back form): 403 to who may not change it."""
    with transaction(services.factory) as session:
        _writable(session, principal, dossier_id)
    return state_view(services, principal, dossier_id)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
