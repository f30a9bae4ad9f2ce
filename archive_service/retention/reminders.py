"""Reminders (nhắc việc): what the caller's offices must do next with their closed dossiers, by deadline.

NĐ 30/2020/NĐ-CP Phụ lục VI asks the system to warn 30 days before a dossier is due for transfer; Điều 30 sets
that deadline (1 year after closing, for dossiers kept 5 years or more) and the keeping-back limit (2 years past
it); a dossier past its retention is due for appraisal (29-HD/VPTW). Only dossiers the caller may read appear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal, readable_dossiers
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Dossier, DossierState, Office
from archive_service.retention.deadlines import (
    WARN_DAYS,
    closed_on,
    keep_back_limit,
    retention_expires,
    transfer_due,
)
from archive_service.retention.values import is_valid, parse
from archive_service.services import Services
from archive_service.vietnam_time import today_in_vietnam
from schemas.dossier_state import STATE_LABELS
from schemas.retention import ReminderItem, ReminderKind, ReminderSection, RemindersOut

S = DossierState


@dataclass(frozen=True)
class _Section:
    kind: ReminderKind
    title: str
    clause: str
    states: frozenset[str]
    deadline: Callable[[Dossier], date | None]
    due: Callable[[int], bool]  # of the days left until the deadline (negative: past it)


SECTIONS: tuple[_Section, ...] = (
    _Section(
        "transfer-due",
        f"Đến hạn nộp lưu vào lưu trữ cơ quan trong {WARN_DAYS} ngày tới",
        "NĐ 30/2020/NĐ-CP Điều 30.1; Phụ lục VI",
        frozenset({S.CLOSED.value}),
        transfer_due,
        lambda days: 0 <= days <= WARN_DAYS,
    ),
    _Section(
        "transfer-overdue",
        "Quá hạn nộp lưu vào lưu trữ cơ quan",
        "NĐ 30/2020/NĐ-CP Điều 30, 31",
        frozenset({S.CLOSED.value}),
        transfer_due,
        lambda days: days < 0,
    ),
    _Section(
        "kept-overdue",
        "Giữ lại tại đơn vị quá thời hạn được đồng ý (tối đa 2 năm)",
        "NĐ 30/2020/NĐ-CP Điều 30.2",
        frozenset({S.KEPT_BY_UNIT.value}),
        keep_back_limit,
        lambda days: days < 0,
    ),
    _Section(
        "retention-expired",
        "Hết thời hạn bảo quản: đến hạn xác định giá trị",
        "160-CV/TW; 29-HD/VPTW",
        frozenset({S.CLOSED.value, S.OFFICE_ARCHIVE.value}),
        retention_expires,
        lambda days: days < 0,
    ),
)


def _item(dossier: Dossier, office_code: str, due: date, today: date) -> ReminderItem:
    closed = closed_on(dossier)
    assert closed is not None  # only closed dossiers have deadlines
    label = parse(dossier.retention).label if is_valid(dossier.retention) else dossier.retention
    return ReminderItem(
        dossier_id=dossier.id,
        office_code=office_code,
        file_code=dossier.file_code,
        title=dossier.title,
        state=dossier.state,
        state_label=STATE_LABELS.get(dossier.state, dossier.state),
        retention=dossier.retention,
        retention_label=label,
        closed_on=closed,
        due_on=due,
        days=(due - today).days,
    )


def compute_reminders(
    session: Session, principal: Principal, today: date, *, office_code: str | None = None
) -> RemindersOut:
    states = set().union(*(s.states for s in SECTIONS))
    codes = {o.id: o.code for o in session.scalars(select(Office))}
    query = select(Dossier).where(
        readable_dossiers(principal), Dossier.state.in_(states), Dossier.closed_at.is_not(None)
    )
    if office_code:  # one office among those the caller may read (an unknown or unseen one: nothing)
        wanted = [i for i, c in codes.items() if c.upper() == office_code.strip().upper()]
        query = query.where(Dossier.office_id.in_(wanted))
    dossiers = list(session.scalars(query.order_by(Dossier.closed_at, Dossier.id)))
    sections: list[ReminderSection] = []
    for section in SECTIONS:
        items: list[ReminderItem] = []
        for dossier in dossiers:
            if dossier.state not in section.states:
                continue
            due = section.deadline(dossier)
            if due is not None and section.due((due - today).days):
                items.append(_item(dossier, codes.get(dossier.office_id, ""), due, today))
        items.sort(key=lambda i: (i.due_on, i.dossier_id))
        sections.append(
            ReminderSection(
                kind=section.kind, title=section.title, clause=section.clause, count=len(items), items=items
            )
        )
    return RemindersOut(today=today, sections=sections)


def reminders(
    services: Services, principal: Principal, *, office_code: str | None = None, now: datetime | None = None
) -> RemindersOut:
    """The four reminder sections for the offices the caller may read (or one of them), as of ``now``."""
    today = today_in_vietnam(now)  # the offices' day, whatever the server's clock
    with transaction(services.factory) as session:
        return compute_reminders(session, principal, today, office_code=office_code)
