"""Dossiers (hồ sơ hội nghị, hồ sơ công việc): create, read, list, change."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from archive_service.catalog import accounts, links
from archive_service.catalog.access import Principal, hidden_or_missing, readable_dossiers
from archive_service.catalog.dossier_list import DossierCriteria, cleared_for_whole, list_page
from archive_service.catalog.models import Dossier, Office, Role
from archive_service.errors import AppError, NotFound
from schemas.api import DossierCreate, DossierOut, DossierUpdate, check_dossier_shape


def create(session: Session, *, principal: Principal, data: DossierCreate, **extra: object) -> Dossier:
    """A new dossier in the caller's office (an admin may name another office).

    ``extra`` sets what only a use case decides (its file plan row, ad_hoc), never a request body.
    """
    principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    office_id = principal.office_id
    if data.office_code and principal.role is Role.ADMIN:
        office = accounts.find_office(session, data.office_code)
        if office is None:  # offices are created on their own (accounts), never as a side effect
            raise NotFound("OFFICE-NOT-FOUND", f"Không có đơn vị mã {data.office_code}.")
        office_id = office.id
    dossier = Dossier(
        office_id=office_id,
        title=data.title.strip(),
        kind=data.kind,
        meeting_body=data.meeting_body,
        meeting_number=data.meeting_number,
        meeting_date=data.meeting_date,
        retention=data.retention,
        committee_name=data.committee_name,
        committee_code=data.committee_code,
        file_code=data.file_code,
        former_name=data.former_name,
        start_date=data.start_date,
        end_date=data.end_date,
        medium=data.medium,
        page_total=data.page_total,
        description=data.description,
        usage_mode=data.usage_mode,
        created_by=principal.user_id,
        **extra,
    )
    session.add(dossier)
    session.flush()
    return dossier


def get_readable(session: Session, *, principal: Principal, dossier_id: int) -> Dossier:
    """The dossier, or NotFound when it does not exist or the caller may not see it."""
    dossier: Dossier = _readable_row(session, principal, dossier_id, Dossier)[0]
    return dossier


def _readable_row(session: Session, principal: Principal, dossier_id: int, *columns: Any) -> tuple[Any, ...]:
    """``columns`` of the dossier the caller may read (one query), or NotFound as for a missing one."""
    row = session.execute(select(*columns).where(Dossier.id == dossier_id, readable_dossiers(principal))).first()
    if row is None:
        raise hidden_or_missing(
            session,
            principal,
            Dossier,
            dossier_id,
            code="DOSSIER-NOT-FOUND",
            message=f"Không tìm thấy hồ sơ số {dossier_id}.",
        )
    return tuple(row)


def _require_write(principal: Principal, dossier_id: int, office_id: int) -> None:
    principal.require_write(object_type="dossier", object_id=dossier_id, office_id=office_id, what="hồ sơ")


def get_writable(session: Session, *, principal: Principal, dossier_id: int) -> Dossier:
    """The dossier, when the caller may write into it (archivist of its office, or admin).

    A dossier the caller may not read is 404, as a missing one; one they may read but not change is 403.
    """
    dossier = get_readable(session, principal=principal, dossier_id=dossier_id)
    _require_write(principal, dossier.id, dossier.office_id)
    return dossier


class DossierKey(NamedTuple):
    """What a check on a dossier reads of it: enough to judge a change, without loading the whole row."""

    id: int
    office_id: int
    state: str


def writable_key_with(
    session: Session, *, principal: Principal, dossier_id: int, also: ColumnElement[bool]
) -> tuple[DossierKey, bool]:
    """``get_writable_with`` reading only the dossier's id, office and state (a check that keeps nothing else)."""
    row = _readable_row(session, principal, dossier_id, Dossier.id, Dossier.office_id, Dossier.state, also)
    key = DossierKey(int(row[0]), int(row[1]), str(row[2]))
    _require_write(principal, key.id, key.office_id)
    return key, bool(row[3])


def get_writable_with(
    session: Session, *, principal: Principal, dossier_id: int, also: ColumnElement[bool]
) -> tuple[Dossier, bool]:
    """``get_writable``, and the truth of ``also`` (a condition on the dossier's row) asked in the same query."""
    row = _readable_row(session, principal, dossier_id, Dossier, also)
    dossier: Dossier = row[0]
    _require_write(principal, dossier.id, dossier.office_id)
    return dossier, bool(row[1])


def update(session: Session, *, principal: Principal, dossier_id: int, data: DossierUpdate) -> Dossier:
    dossier = get_writable(session, principal=principal, dossier_id=dossier_id)
    for name, value in data.model_dump(exclude_unset=True).items():
        setattr(dossier, name, value)
    try:  # the dossier as it now stands: its kind and meeting body agree, it does not end before it starts
        check_dossier_shape(dossier.kind, dossier.meeting_body, dossier.start_date, dossier.end_date)
    except ValueError as exc:
        raise AppError("REQUEST-INVALID", f"Thông tin hồ sơ không hợp lệ: {exc}.", status_code=422) from exc
    session.flush()
    return dossier


def to_out(session: Session, dossier: Dossier, principal: Principal) -> DossierOut:
    """The dossier as the caller sees it: its document count counts only the documents they may read."""
    out = DossierOut.model_validate(dossier)
    out.document_count = links.count_in_dossier(session, principal, dossier.id)
    if out.page_total is not None and not cleared_for_whole(session, principal, dossier.id):
        out.page_total = None  # a sum over documents the caller may not read would betray them
    return out


def list_readable(session: Session, *, principal: Principal, limit: int, offset: int) -> tuple[list[DossierOut], int]:
    """A page of dossiers the caller may read, newest meeting first, with the total."""
    rows = list_page(session, principal, DossierCriteria(), limit=limit, offset=offset)
    return rows.items, rows.total


def offices_open_to(session: Session, principal: Principal) -> list[Office]:
    """The offices a caller may pick (a report's filter, a new dossier's office): every office, or only their own."""
    query = select(Office).order_by(Office.code)
    if not principal.sees_every_office:
        query = query.where(Office.id == principal.office_id)
    return list(session.scalars(query))


def office_names(session: Session) -> dict[int, str]:
    """The Vietnamese name of every office, by id (pages show a dossier's office by its name)."""
    return {o.id: o.name for o in session.scalars(select(Office))}
