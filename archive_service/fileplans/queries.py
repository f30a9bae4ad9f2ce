"""Catalog reads of file plans, with what the caller may see part of every query (their office, or every office)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal
from archive_service.catalog.models import Dossier, FilePlan, FilePlanEntry, FilePlanHeading, Office
from archive_service.errors import NotFound, Refusal


def readable_plans(principal: Principal) -> ColumnElement[bool]:
    """The WHERE clause of the plans a caller may read: those of the offices whose dossiers they may read."""
    if principal.sees_every_office:
        return true()
    return FilePlan.office_id == principal.office_id


def _missing(plan_id: int) -> NotFound:
    return NotFound("FILE-PLAN-NOT-FOUND", f"Không tìm thấy danh mục hồ sơ số {plan_id}.")


def get_readable(session: Session, principal: Principal, plan_id: int) -> FilePlan:
    """The plan, or 404 — the same whether it does not exist or belongs to an office the caller may not read."""
    plan = session.scalar(select(FilePlan).where(FilePlan.id == plan_id, readable_plans(principal)))
    if plan is None:
        office_id = session.scalar(select(FilePlan.office_id).where(FilePlan.id == plan_id))
        error = _missing(plan_id)
        if office_id is not None:
            error.refusal = Refusal(principal.user_id, "file-plan", str(plan_id), office_id)
        raise error
    return plan


def get_writable(session: Session, principal: Principal, plan_id: int) -> FilePlan:
    """The plan, when the caller may change it (archivist of its office, or admin): 404 unseen, 403 read-only."""
    plan = get_readable(session, principal, plan_id)
    principal.require_write(object_type="file-plan", object_id=plan.id, office_id=plan.office_id, what="danh mục hồ sơ")
    return plan


def find(session: Session, office_id: int, year: int) -> FilePlan | None:
    return session.scalar(select(FilePlan).where(FilePlan.office_id == office_id, FilePlan.year == year))


def approved_plan(session: Session, office_id: int, year: int) -> FilePlan | None:
    """The office's approved plan for the year, if it has one (DOS-NOT-IN-FILE-PLAN asks)."""
    return session.scalar(
        select(FilePlan).where(
            FilePlan.office_id == office_id, FilePlan.year == year, FilePlan.approved_at.is_not(None)
        )
    )


def list_readable(session: Session, principal: Principal, *, year: int | None = None) -> list[FilePlan]:
    query = select(FilePlan).where(readable_plans(principal))
    if year is not None:
        query = query.where(FilePlan.year == year)
    return list(session.scalars(query.order_by(FilePlan.year.desc(), FilePlan.office_id)))


def headings(session: Session, plan_id: int) -> list[FilePlanHeading]:
    return list(
        session.scalars(
            select(FilePlanHeading)
            .where(FilePlanHeading.plan_id == plan_id)
            .order_by(FilePlanHeading.position, FilePlanHeading.id)
        )
    )


def entries(session: Session, plan_id: int) -> list[FilePlanEntry]:
    return list(
        session.scalars(
            select(FilePlanEntry)
            .where(FilePlanEntry.plan_id == plan_id)
            .order_by(FilePlanEntry.position, FilePlanEntry.id)
        )
    )


def heading_of(session: Session, plan: FilePlan, heading_id: int) -> FilePlanHeading:
    heading = session.get(FilePlanHeading, heading_id)
    if heading is None or heading.plan_id != plan.id:
        raise NotFound("FILE-PLAN-HEADING-NOT-FOUND", f"Danh mục không có đề mục số {heading_id}.")
    return heading


def entry_of(session: Session, plan: FilePlan, entry_id: int) -> FilePlanEntry:
    entry = session.get(FilePlanEntry, entry_id)
    if entry is None or entry.plan_id != plan.id:
        raise NotFound("FILE-PLAN-ENTRY-NOT-FOUND", f"Danh mục không có hồ sơ (dòng) số {entry_id}.")
    return entry


def opened_dossiers(session: Session, plan_id: int) -> dict[int, Dossier]:
    """The dossier opened from each row of the plan, by row id."""
    rows = session.scalars(
        select(Dossier)
        .join(FilePlanEntry, FilePlanEntry.id == Dossier.plan_entry_id)
        .where(FilePlanEntry.plan_id == plan_id)
        .order_by(Dossier.id)
    )
    out: dict[int, Dossier] = {}
    for dossier in rows:
        if dossier.plan_entry_id is not None:
            out.setdefault(dossier.plan_entry_id, dossier)
    return out


def office(session: Session, office_id: int) -> Office:
    found = session.get(Office, office_id)
    assert found is not None  # a plan's office is a foreign key
    return found
