"""File plan use cases (NĐ 30/2020 Điều 28–29): each checks access, writes, audits, in one transaction.

A plan belongs to one office and year (409 for a second); its archivists and admins build it; only an admin
records the head of the body's approval. Rows may be added to an approved plan during its year, but a row a
dossier was opened from is never removed. Dossiers are opened from a row (once per row) or ad hoc with the five
fields of Điều 29.1. The API, the web pages and the CLI call these and only render what they return.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Final, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive_service.catalog import accounts, audit, dossiers
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Dossier, FilePlan, FilePlanEntry, FilePlanHeading, Role
from archive_service.errors import AppError, Conflict, Forbidden, NotFound, Refusal
from archive_service.fileplans import events, queries, tree
from archive_service.fileplans.numbering import WITHIN_HEADING, file_code
from archive_service.fileplans.sheet import plan_sheet
from archive_service.records import retention
from archive_service.records.sheet_docx import sheet_docx
from archive_service.reports.files import FileDownload
from archive_service.services import Services
from archive_service.vietnam_time import today_in_vietnam
from schemas.api import DossierCreate, DossierOut
from schemas.fileplans import (
    AdHocDossier,
    EntryCreate,
    EntryIn,
    EntryUpdate,
    FilePlanApprove,
    FilePlanCreate,
    FilePlanOut,
    FilePlanSummary,
    FilePlanUpdate,
    HeadingCreate,
    HeadingIn,
    HeadingUpdate,
    OpenFromEntry,
)

ExportFormat = Literal["pdf", "docx", "xlsx"]
MEDIA_TYPES: Final[dict[str, str]] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Invalid(AppError):
    status_code = 422


def _changed(
    session: Session, principal: Principal, action: str, plan: FilePlan, addr: str | None, details: dict[str, Any]
) -> FilePlanOut:
    """Audit a change to the plan, then the plan as it now is (what every changing use case answers)."""
    events.record(session, principal, action, plan, addr, details)
    return tree.build(session, plan)


def _apply(target: FilePlan | FilePlanHeading, data: FilePlanUpdate | HeadingUpdate) -> dict[str, Any]:
    """Set the fields the caller sent (``exclude_unset``); what was set, as the audit details write it."""
    for name, value in data.model_dump(exclude_unset=True).items():
        setattr(target, name, value)
    return data.model_dump(mode="json", exclude_unset=True)


def _checked_retention(value: str) -> str:
    """The canonical code of a thời hạn bảo quản ("vinh-vien", "10-nam"), or 422 RETENTION-INVALID."""
    return retention.parse(value).code


def _refuse_taken_code(session: Session, plan: FilePlan, code: str, *, except_id: int | None = None) -> None:
    query = select(FilePlanEntry.id).where(FilePlanEntry.plan_id == plan.id, FilePlanEntry.file_code == code)
    if except_id is not None:
        query = query.where(FilePlanEntry.id != except_id)
    if session.scalar(query) is not None:
        raise Conflict(
            "FILE-PLAN-CODE-TAKEN",
            f"Số và ký hiệu hồ sơ “{code}” đã có trong danh mục năm {plan.year}: mỗi hồ sơ một số và ký hiệu riêng.",
        )


def _next_position(session: Session, model: type[FilePlanHeading] | type[FilePlanEntry], **where: Any) -> int:
    query = select(func.max(model.position))
    for name, value in where.items():
        column = getattr(model, name)
        query = query.where(column.is_(None) if value is None else column == value)
    top = session.scalar(query)
    return 0 if top is None else int(top) + 1


def _scope_size(session: Session, plan: FilePlan, heading: FilePlanHeading | None) -> int:
    """How many rows share the numbering of a new row under ``heading`` (the plan, or its đề mục lớn)."""
    if plan.numbering != WITHIN_HEADING or heading is None:
        return int(session.scalar(select(func.count(FilePlanEntry.id)).where(FilePlanEntry.plan_id == plan.id)) or 0)
    top_id = heading.parent_id or heading.id
    ids = [top_id, *session.scalars(select(FilePlanHeading.id).where(FilePlanHeading.parent_id == top_id))]
    return int(session.scalar(select(func.count(FilePlanEntry.id)).where(FilePlanEntry.heading_id.in_(ids))) or 0)


def _add_entry(
    session: Session,
    plan: FilePlan,
    office_code: str,
    heading: FilePlanHeading | None,
    data: EntryIn,
    position: int | None = None,
) -> FilePlanEntry:
    code = data.file_code or file_code(_scope_size(session, plan, heading) + 1, office_code)
    _refuse_taken_code(session, plan, code)
    heading_id = heading.id if heading else None
    entry = FilePlanEntry(
        plan_id=plan.id,
        heading_id=heading_id,
        position=_next_position(session, FilePlanEntry, plan_id=plan.id, heading_id=heading_id)
        if position is None
        else position,
        file_code=code,
        title=data.title,
        retention=_checked_retention(data.retention),
        former_name=data.former_name,
        note=data.note,
        kind=data.kind,
    )
    session.add(entry)
    session.flush()
    return entry


def _add_heading(
    session: Session, plan: FilePlan, title: str, parent: FilePlanHeading | None, position: int | None = None
) -> FilePlanHeading:
    if parent is not None and parent.parent_id is not None:
        raise Invalid(
            "FILE-PLAN-LEVELS",
            "Danh mục hồ sơ chỉ có hai cấp đề mục: đề mục lớn (số La Mã) và đề mục nhỏ (số Ả Rập).",
        )
    parent_id = parent.id if parent else None
    heading = FilePlanHeading(
        plan_id=plan.id,
        parent_id=parent_id,
        position=_next_position(session, FilePlanHeading, plan_id=plan.id, parent_id=parent_id)
        if position is None
        else position,
        title=title,
    )
    session.add(heading)
    session.flush()
    return heading


def _import_heading(
    session: Session, plan: FilePlan, office_code: str, data: HeadingIn, parent: FilePlanHeading | None
) -> None:
    heading = _add_heading(session, plan, data.title, parent)
    for entry in data.entries:
        _add_entry(session, plan, office_code, heading, entry)
    for sub in data.headings:
        _import_heading(session, plan, office_code, sub, heading)


def _office_for(session: Session, principal: Principal, office_code: str | None) -> int:
    principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    if not office_code or office_code.upper() == _own_code(session, principal):
        return principal.office_id
    if principal.role is not Role.ADMIN:
        raise AppError("AUTH-FORBIDDEN-OFFICE", "Bạn chỉ lập danh mục, hồ sơ cho đơn vị của mình.", status_code=403)
    office = accounts.find_office(session, office_code)
    if office is None:
        raise NotFound("OFFICE-NOT-FOUND", f"Không có đơn vị mã {office_code}.")
    return office.id


def _own_code(session: Session, principal: Principal) -> str:
    return queries.office(session, principal.office_id).code.upper()


def create_plan(services: Services, principal: Principal, data: FilePlanCreate, *, addr: str | None) -> FilePlanOut:
    """A new plan for an office and year, empty or with its whole tree (import); one per office and year."""
    with transaction(services.factory) as session:
        office_id = _office_for(session, principal, data.office_code)
        if queries.find(session, office_id, data.year) is not None:
            raise Conflict(
                "FILE-PLAN-EXISTS",
                f"Đơn vị đã có danh mục hồ sơ năm {data.year}: mỗi năm một danh mục (NĐ 30/2020 Điều 28); "
                "hãy bổ sung vào danh mục đó.",
            )
        office = queries.office(session, office_id)
        plan = FilePlan(
            office_id=office_id,
            year=data.year,
            title=data.title or f"Danh mục hồ sơ năm {data.year}",
            numbering=data.numbering,
            created_by=principal.user_id,
        )
        session.add(plan)
        session.flush()
        for entry in data.entries:
            _add_entry(session, plan, office.code, None, entry)
        for heading in data.headings:
            _import_heading(session, plan, office.code, heading, None)
        out = tree.build(session, plan)
        events.record(
            session,
            principal,
            "file-plan.create",
            plan,
            addr,
            {"year": plan.year, "headings": len(queries.headings(session, plan.id)), "entries": out.counts.total},
        )
        return out


def list_plans(services: Services, principal: Principal, *, year: int | None = None) -> list[FilePlanSummary]:
    """The plans of the offices the caller may read, newest year first."""
    with transaction(services.factory) as session:
        return [tree.summary(session, p) for p in queries.list_readable(session, principal, year=year)]


def get_plan(services: Services, principal: Principal, plan_id: int) -> FilePlanOut:
    with transaction(services.factory) as session:
        return tree.build(session, queries.get_readable(session, principal, plan_id))


def get_writable_plan(services: Services, principal: Principal, plan_id: int) -> FilePlanOut:
    """The plan for an edit form: 404 when the caller may not read it, 403 (audited) when only read it."""
    with transaction(services.factory) as session:
        return tree.build(session, queries.get_writable(session, principal, plan_id))


def can_change(services: Services, principal: Principal, plan_id: int) -> bool:
    """Whether the caller may change the plan (the page's forms); reading it is checked by ``get_plan``."""
    with transaction(services.factory) as session:
        plan = queries.get_readable(session, principal, plan_id)
        return principal.can_write_office(plan.office_id)


def update_plan(
    services: Services, principal: Principal, plan_id: int, data: FilePlanUpdate, *, addr: str | None
) -> FilePlanOut:
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        changes = _apply(plan, data)
        session.flush()
        return _changed(session, principal, "file-plan.update", plan, addr, changes)


def add_heading(
    services: Services, principal: Principal, plan_id: int, data: HeadingCreate, *, addr: str | None
) -> FilePlanOut:
    """A đề mục lớn, or a đề mục nhỏ under one (``parent_id``); no third level (422)."""
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        parent = queries.heading_of(session, plan, data.parent_id) if data.parent_id else None
        heading = _add_heading(session, plan, data.title, parent, data.position)
        return _changed(
            session, principal, "file-plan.heading-add", plan, addr, {"heading_id": heading.id, "title": data.title}
        )


def update_heading(
    services: Services, principal: Principal, plan_id: int, heading_id: int, data: HeadingUpdate, *, addr: str | None
) -> FilePlanOut:
    """Rename a đề mục or move it among its siblings (``position``)."""
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        heading = queries.heading_of(session, plan, heading_id)
        details = {"heading_id": heading.id, **_apply(heading, data)}
        session.flush()
        return _changed(session, principal, "file-plan.heading-update", plan, addr, details)


def remove_heading(
    services: Services, principal: Principal, plan_id: int, heading_id: int, *, addr: str | None
) -> FilePlanOut:
    """Remove an empty đề mục (one with rows or đề mục nhỏ is refused: move or remove them first)."""
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        heading = queries.heading_of(session, plan, heading_id)
        has_rows = session.scalar(select(FilePlanEntry.id).where(FilePlanEntry.heading_id == heading.id).limit(1))
        has_subs = session.scalar(select(FilePlanHeading.id).where(FilePlanHeading.parent_id == heading.id).limit(1))
        if has_rows is not None or has_subs is not None:
            raise Conflict(
                "FILE-PLAN-HEADING-NOT-EMPTY",
                f"Đề mục “{heading.title}” còn hồ sơ hoặc đề mục nhỏ: chuyển hoặc xóa chúng trước.",
            )
        session.delete(heading)
        session.flush()
        return _changed(session, principal, "file-plan.heading-remove", plan, addr, {"heading_id": heading_id})


def add_entry(
    services: Services, principal: Principal, plan_id: int, data: EntryCreate, *, addr: str | None
) -> FilePlanOut:
    """A planned dossier; allowed on an approved plan too (NĐ 30 lets the plan be added to during its year)."""
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        heading = queries.heading_of(session, plan, data.heading_id) if data.heading_id else None
        office = queries.office(session, plan.office_id)
        entry = _add_entry(session, plan, office.code, heading, data, data.position)
        details = {"entry_id": entry.id, "file_code": entry.file_code, "approved": plan.approved_at is not None}
        return _changed(session, principal, "file-plan.entry-add", plan, addr, details)


def update_entry(
    services: Services, principal: Principal, plan_id: int, entry_id: int, data: EntryUpdate, *, addr: str | None
) -> FilePlanOut:
    """Change a row, move it under another đề mục (``heading_id``) or among its siblings (``position``)."""
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        entry = queries.entry_of(session, plan, entry_id)
        values = data.model_dump(exclude_unset=True)
        if "heading_id" in values and values["heading_id"] is not None:
            queries.heading_of(session, plan, values["heading_id"])
        if "retention" in values:
            values["retention"] = _checked_retention(values["retention"])
        if "file_code" in values:
            _refuse_taken_code(session, plan, values["file_code"], except_id=entry.id)
        for name, value in values.items():
            setattr(entry, name, value)
        session.flush()
        return _changed(
            session,
            principal,
            "file-plan.entry-update",
            plan,
            addr,
            {"entry_id": entry.id, **data.model_dump(mode="json", exclude_unset=True)},
        )


def remove_entry(
    services: Services, principal: Principal, plan_id: int, entry_id: int, *, addr: str | None
) -> FilePlanOut:
    """Remove a row no dossier was opened from (one that was stays: the dossier points to it)."""
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        entry = queries.entry_of(session, plan, entry_id)
        if session.scalar(select(Dossier.id).where(Dossier.plan_entry_id == entry.id).limit(1)) is not None:
            raise Conflict(
                "FILE-PLAN-ENTRY-IN-USE",
                f"Đã mở hồ sơ từ dòng “{entry.file_code} {entry.title}”: dòng này không xóa được khỏi danh mục.",
            )
        session.delete(entry)
        session.flush()
        details = {"entry_id": entry_id, "file_code": entry.file_code}
        return _changed(session, principal, "file-plan.entry-remove", plan, addr, details)


def approve(
    services: Services,
    principal: Principal,
    plan_id: int,
    data: FilePlanApprove,
    *,
    addr: str | None,
    now: datetime | None = None,
) -> FilePlanOut:
    """Record the head of the body's decision issuing the plan (admins only; once)."""
    with transaction(services.factory) as session:
        plan = queries.get_readable(session, principal, plan_id)
        if principal.role is not Role.ADMIN:
            raise Forbidden(
                "AUTH-FORBIDDEN-ROLE",
                "Chỉ quản trị ghi nhận quyết định phê duyệt danh mục hồ sơ của người đứng đầu cơ quan.",
                refusal=Refusal(principal.user_id, "file-plan", str(plan.id), plan.office_id),
            )
        if plan.approved_at is not None:
            raise Conflict(
                "FILE-PLAN-APPROVED",
                f"Danh mục hồ sơ năm {plan.year} đã được phê duyệt (Quyết định số {plan.decision_number}).",
            )
        plan.decision_number = data.decision_number
        plan.decision_date = data.decision_date
        plan.approver_name = data.approver_name
        plan.approved_at = now or datetime.now(UTC)
        plan.approved_by = principal.user_id
        session.flush()
        return _changed(session, principal, "file-plan.approve", plan, addr, data.model_dump(mode="json"))


def export(
    services: Services, principal: Principal, plan_id: int, fmt: ExportFormat, *, addr: str | None
) -> FileDownload:
    """The plan as PDF, DOCX or XLSX in the layout of NĐ 30/2020 Phụ lục V.I; audited."""
    with transaction(services.factory) as session:
        plan = queries.get_readable(session, principal, plan_id)
        view = tree.build(session, plan)
        events.record(session, principal, "file-plan.export", plan, addr, {"format": fmt})
    sheet = plan_sheet(view)
    # fpdf and openpyxl (~0.4 s of imports) only in a process that renders a sheet
    from archive_service.records.sheet_pdf import sheet_pdf
    from archive_service.records.sheet_xlsx import sheet_xlsx

    render = {"pdf": sheet_pdf, "docx": sheet_docx, "xlsx": sheet_xlsx}[fmt]
    filename = f"danh-muc-ho-so-{view.office_code}-{view.year}.{fmt}"
    return FileDownload(render(sheet), filename, MEDIA_TYPES[fmt])


def _refuse_second_opening(session: Session, entry: FilePlanEntry) -> None:
    opened = session.scalar(select(Dossier.id).where(Dossier.plan_entry_id == entry.id).limit(1))
    if opened is not None:
        raise Conflict(
            "FILE-PLAN-ENTRY-OPENED",
            f"Đã mở hồ sơ số {opened} từ dòng “{entry.file_code} {entry.title}”: mỗi dòng của danh mục mở một hồ sơ "
            "trong năm.",
        )


def _fields_error(exc: ValueError) -> AppError:
    return Invalid("REQUEST-INVALID", f"Thông tin hồ sơ không hợp lệ: {exc}.")


def open_from_entry(
    services: Services,
    principal: Principal,
    plan_id: int,
    entry_id: int,
    data: OpenFromEntry,
    *,
    addr: str | None,
    now: datetime | None = None,
) -> DossierOut:
    """Open the dossier of a plan row: its kind, title, số và ký hiệu, retention and người lập copied, started
    today (NĐ 30/2020 Điều 29.1); once per row (409)."""
    today = today_in_vietnam(now)  # the offices' day, whatever the server's clock
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        entry = queries.entry_of(session, plan, entry_id)
        _refuse_second_opening(session, entry)
        try:
            fields = DossierCreate(
                title=entry.title,
                kind=entry.kind,
                meeting_body=data.meeting_body,
                meeting_number=data.meeting_number,
                meeting_date=data.meeting_date,
                retention=entry.retention,
                file_code=entry.file_code,
                former_name=entry.former_name,
                start_date=data.start_date or today,
            )
        except ValueError as exc:
            raise _fields_error(exc) from exc
        dossier = dossiers.create(session, principal=principal, data=fields, plan_entry_id=entry.id)
        dossier.office_id = plan.office_id  # the plan's office, whoever (an admin) opens it
        session.flush()
        _record_open(session, principal, dossier, addr, {"plan_id": plan.id, "entry_id": entry.id})
        return dossiers.to_out(session, dossier, principal)


def open_ad_hoc(services: Services, principal: Principal, data: AdHocDossier, *, addr: str | None) -> DossierOut:
    """A dossier outside the plan, with the five fields of NĐ 30/2020 Điều 29.1 (each required by the body)."""
    with transaction(services.factory) as session:
        office_id = _office_for(session, principal, data.office_code)
        try:
            fields = DossierCreate(
                title=data.title,
                kind=data.kind,
                meeting_body=data.meeting_body,
                retention=_checked_retention(data.retention),
                file_code=data.file_code,
                former_name=data.former_name,
                start_date=data.start_date,
            )
        except ValueError as exc:
            raise _fields_error(exc) from exc
        dossier = dossiers.create(session, principal=principal, data=fields, ad_hoc=True)
        dossier.office_id = office_id
        session.flush()
        _record_open(session, principal, dossier, addr, {"ad_hoc": True})
        return dossiers.to_out(session, dossier, principal)


def _record_open(
    session: Session, principal: Principal, dossier: Dossier, addr: str | None, how: dict[str, Any]
) -> None:
    audit.record(
        session,
        principal=principal,
        action="dossier.create",
        object_type="dossier",
        object_id=dossier.id,
        client_addr=addr,
        details={
            "title": dossier.title,
            "file_code": dossier.file_code,
            "retention": dossier.retention,
            "start_date": dossier.start_date.isoformat() if dossier.start_date else None,
            **how,
        },
        office_id=dossier.office_id,
    )


def plan_year_of(dossier: Dossier) -> int:
    """The year whose plan a dossier belongs to: its start, else its meeting, else its creation."""
    day: date | datetime = dossier.start_date or dossier.meeting_date or dossier.created_at
    return day.year
