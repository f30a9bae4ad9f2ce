"""Retention schedule use cases: read it (anyone signed in), edit a group (admins), read a group's history.

An edit never overwrites: it adds a ``RetentionRule`` version and stamps the one before it in the same scope
(the office's own, or every office's) as superseded, in the transaction that audits it (``retention.edit``).
The value is checked by ``values.parse`` ("vinh-vien" or "<n>-nam"); the group keeps what it matches.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from archive_service.catalog import audit
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Office, RetentionRule, Role, User, utcnow
from archive_service.errors import NotFound
from archive_service.retention.schedule import EffectiveGroup, Schedule, effective_schedule
from archive_service.retention.values import parse
from archive_service.services import Services
from schemas.retention import (
    RetentionGroupEdit,
    RetentionGroupHistory,
    RetentionGroupOut,
    RetentionGroupVersion,
    RetentionScheduleOut,
)
from schemas.retention_schedule import CONFIDENCE_LABELS, GroupMatch, shipped_schedule


class GroupNotFound(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__("RETENTION-GROUP-NOT-FOUND", f"Không có nhóm “{code}” trong bảng thời hạn bảo quản.")


class OfficeNotFound(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__("OFFICE-NOT-FOUND", f"Không tìm thấy đơn vị có mã “{code}”.")


def _office(session: Session, principal: Principal, code: str | None) -> Office | None:
    """The office named by ``code`` if the caller may see it (404 otherwise, as if it did not exist)."""
    if code is None or not code.strip():
        return None
    office = session.scalar(select(Office).where(func.upper(Office.code) == code.strip().upper()))
    if office is None or (not principal.sees_every_office and office.id != principal.office_id):
        raise OfficeNotFound(code)
    return office


def _matches_text(match: GroupMatch) -> str:
    parts: list[str] = []
    if match.dossier_kind is not None:
        parts.append("Hồ sơ " + ("hội nghị" if match.dossier_kind == "hoi-nghi" else "công việc"))
    if match.meeting_bodies:
        parts.append("cơ quan họp: " + ", ".join(match.meeting_bodies))
    if match.title_pattern:
        parts.append(f"tiêu đề có “{match.title_pattern}”")
    if match.type_codes:
        parts.append("Ký hiệu loại: " + ", ".join(match.type_codes))
    if match.document_types:
        parts.append("tên loại: " + ", ".join(t.capitalize() for t in match.document_types))
    if match.summary_pattern:
        parts.append("trích yếu có: " + match.summary_pattern.replace("|", ", "))
    if match.in_dossier_kind is not None:
        parts.append("trong hồ sơ " + ("hội nghị" if match.in_dossier_kind == "hoi-nghi" else "công việc"))
    return "; ".join(parts)


def _scope(office_id: int | None, version: int) -> str:
    if version == 0:
        return "shipped"
    return "all-offices" if office_id is None else "office"


def _user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.username for u in session.scalars(select(User).where(User.id.in_(ids)))}


def group_out(group: EffectiveGroup, names: dict[int, str]) -> RetentionGroupOut:
    return RetentionGroupOut(
        code=group.code,
        title=group.title,
        retention=group.retention,
        retention_label=group.value.label,
        source=group.source,
        confidence=group.confidence,
        confidence_label=CONFIDENCE_LABELS.get(group.confidence, group.confidence),
        applies_to="dossier" if group.matches.for_dossiers else "document",
        matches=_matches_text(group.matches),
        version=group.version,
        scope=_scope(group.scope_office_id, group.version),
        edited_by=names.get(group.edited_by) if group.edited_by is not None else None,
        edited_at=group.edited_at,
    )


def schedule_out(session: Session, schedule: Schedule, office: Office | None) -> RetentionScheduleOut:
    names = _user_names(session, {g.edited_by for g in schedule.groups if g.edited_by is not None})
    return RetentionScheduleOut(
        office_code=office.code if office else None,
        version=schedule.version,
        valid_from=schedule.valid_from,
        legal_basis=schedule.legal_basis,
        note=schedule.note,
        proposals=schedule.proposals,
        groups=[group_out(g, names) for g in schedule.groups],
    )


def read_schedule(services: Services, principal: Principal, *, office_code: str | None = None) -> RetentionScheduleOut:
    """The schedule in force for an office (the caller's own unless another they may see is named)."""
    with transaction(services.factory) as session:
        office = _office(session, principal, office_code) or session.get(Office, principal.office_id)
        return schedule_out(session, effective_schedule(session, office.id if office else None), office)


def edit_group(
    services: Services,
    principal: Principal,
    code: str,
    data: RetentionGroupEdit,
    *,
    addr: str | None,
    now: datetime | None = None,
) -> RetentionGroupOut:
    """An admin's new version of one group, for one office or every office; the previous one superseded."""
    principal.require_role(Role.ADMIN)
    value = parse(data.retention)
    shipped = shipped_schedule().group(code)
    if shipped is None:
        raise GroupNotFound(code)
    moment = now or utcnow()
    with transaction(services.factory) as session:
        office = _office(session, principal, data.office)
        office_id = office.id if office else None
        current = effective_schedule(session, office_id).group(code)
        assert current is not None  # every shipped code is in the schedule
        scope = RetentionRule.office_id.is_(None) if office_id is None else RetentionRule.office_id == office_id
        previous = session.scalar(
            select(RetentionRule).where(RetentionRule.group_code == code, scope, RetentionRule.superseded_at.is_(None))
        )
        if previous is not None:
            previous.superseded_at = moment
        last = session.scalar(select(func.max(RetentionRule.version)).where(RetentionRule.group_code == code))
        rule = RetentionRule(
            office_id=office_id,
            group_code=code,
            version=(last or 0) + 1,
            title=(data.title or current.title).strip(),
            retention=value.code,
            source=(data.source or current.source).strip(),
            confidence=data.confidence or current.confidence,
            edited_by=principal.user_id,
            edited_at=moment,
        )
        session.add(rule)
        session.flush()
        audit.record(
            session,
            principal=principal,
            action="retention.edit",
            object_type="retention-group",
            object_id=code,
            client_addr=addr,
            details={
                "office": office.code if office else None,
                "version": rule.version,
                "before": current.retention,
                "after": rule.retention,
                "confidence": rule.confidence,
            },
            office_id=office_id,
        )
        edited = effective_schedule(session, office_id).group(code)
        assert edited is not None
        return group_out(edited, {principal.user_id: principal.username})


def group_history(
    services: Services, principal: Principal, code: str, *, office_code: str | None = None
) -> RetentionGroupHistory:
    """Every version of a group that holds or held for the office (its own and every office's), newest first,
    ending with the shipped value (version 0)."""
    shipped = shipped_schedule().group(code)
    if shipped is None:
        raise GroupNotFound(code)
    with transaction(services.factory) as session:
        office = _office(session, principal, office_code) or session.get(Office, principal.office_id)
        scope: ColumnElement[bool] = RetentionRule.office_id.is_(None)
        if office is not None:
            scope = or_(scope, RetentionRule.office_id == office.id)
        rows = list(
            session.scalars(
                select(RetentionRule)
                .where(RetentionRule.group_code == code, scope)
                .order_by(RetentionRule.version.desc())
            )
        )
        names = _user_names(session, {r.edited_by for r in rows})
        codes = {o.id: o.code for o in session.scalars(select(Office))}
        in_force = effective_schedule(session, office.id if office else None).group(code)
        versions = [
            RetentionGroupVersion(
                version=r.version,
                scope=_scope(r.office_id, r.version),
                office_code=codes.get(r.office_id) if r.office_id is not None else None,
                title=r.title,
                retention=r.retention,
                retention_label=parse(r.retention).label,
                source=r.source,
                confidence=r.confidence,
                edited_by=names.get(r.edited_by),
                edited_at=r.edited_at,
                superseded_at=r.superseded_at,
                current=in_force is not None and in_force.version == r.version,
            )
            for r in rows
        ]
        versions.append(
            RetentionGroupVersion(
                version=0,
                scope="shipped",
                office_code=None,
                title=shipped.title,
                retention=shipped.retention,
                retention_label=parse(shipped.retention).label,
                source=shipped.source,
                confidence=shipped.confidence,
                edited_by=None,
                edited_at=None,
                superseded_at=None,
                current=in_force is not None and in_force.version == 0,
            )
        )
        return RetentionGroupHistory(code=code, versions=versions)
