"""Look-ups of appraisal: dossiers past their retention, appraisals the caller may read, what a dossier holds.

A dossier is past its retention when it was kept for a term (never a permanent one) and the last day of that term
— closed_at + years, NĐ 30/2020 Điều 29 (the term counts from closing) — is before today. Only a closed dossier or
one in the office archive can be put before the council (records/lifecycle.py "appraise"), and never while a hold
(đóng băng, a pending request) is on it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import links
from archive_service.catalog.access import Principal, readable_dossiers
from archive_service.catalog.models import Appraisal, Document, Dossier, Office, utcnow
from archive_service.errors import NotFound, Refusal
from archive_service.records import retention as ret
from archive_service.records.holds import hold_on_dossier
from archive_service.records.lifecycle import STEPS
from archive_service.retention import deadlines
from archive_service.vietnam_time import today_in_vietnam

APPRAISABLE_STATES = frozenset(s.value for s in STEPS["appraise"].sources)


def today_of(now: datetime | None) -> date:
    """The day a use case runs on, in Vietnam (tests pass ``now`` to stand in 2030)."""
    return today_in_vietnam(now or utcnow())


def kept_until(dossier: Dossier) -> date | None:
    """The last day the dossier must be kept, or None (permanent, not closed, or a retention that does not parse)."""
    closed = deadlines.closed_on(dossier)
    if closed is None or not ret.is_valid(dossier.retention):
        return None
    return ret.parse(dossier.retention).expires_on(closed)


def is_expired(dossier: Dossier, today: date) -> bool:
    end = kept_until(dossier)
    return end is not None and end < today


def why_not_expired(dossier: Dossier, today: date) -> str | None:
    """Why the dossier cannot go before the council yet (Vietnamese), or None when it can."""
    if dossier.state not in APPRAISABLE_STATES:
        return f"hồ sơ số {dossier.id} chưa kết thúc hoặc không còn ở lưu trữ cơ quan"
    if ret.is_valid(dossier.retention) and ret.parse(dossier.retention).permanent:
        return f"hồ sơ số {dossier.id} bảo quản vĩnh viễn"
    end = kept_until(dossier)
    if end is None:
        return f"hồ sơ số {dossier.id} chưa có ngày kết thúc để tính thời hạn bảo quản"
    if end >= today:
        return f"hồ sơ số {dossier.id} còn thời hạn bảo quản đến hết ngày {end.strftime('%d/%m/%Y')}"
    return None


@dataclass(frozen=True)
class ExpiredDossier:
    """A dossier past its retention: the dossier, its term, the last day it had to be kept."""

    dossier: Dossier
    retention: ret.Retention
    kept_until: date


def expired_dossiers(session: Session, principal: Principal, *, now: datetime | None = None) -> list[ExpiredDossier]:
    """Dossiers of the offices the caller reads that are past retention, closed or in the office archive, not held;
    the longest expired first."""
    today = today_of(now)
    rows = session.scalars(
        select(Dossier)
        .where(readable_dossiers(principal), Dossier.state.in_(APPRAISABLE_STATES), Dossier.closed_at.is_not(None))
        .order_by(Dossier.closed_at, Dossier.id)
    )
    found: list[ExpiredDossier] = []
    for dossier in rows:
        end = kept_until(dossier)
        if end is None or end >= today:
            continue
        if hold_on_dossier(session, dossier.id, dossier.office_id) is not None:
            continue
        found.append(ExpiredDossier(dossier, ret.parse(dossier.retention), end))
    found.sort(key=lambda e: (e.kept_until, e.dossier.id))
    return found


def may_read(principal: Principal, appraisal: Appraisal) -> bool:
    return principal.sees_every_office or appraisal.office_id == principal.office_id


def get_readable(session: Session, principal: Principal, appraisal_id: int) -> Appraisal:
    """The appraisal, or 404 alike when it does not exist or belongs to an office the caller does not read."""
    appraisal = session.get(Appraisal, appraisal_id)
    if appraisal is None or not may_read(principal, appraisal):
        refusal = Refusal(principal.user_id, "appraisal", str(appraisal_id), appraisal.office_id) if appraisal else None
        raise NotFound(
            "APPRAISAL-NOT-FOUND", f"Không tìm thấy đợt xác định giá trị tài liệu số {appraisal_id}.", refusal=refusal
        )
    return appraisal


def list_readable(session: Session, principal: Principal, *, limit: int = 200) -> list[Appraisal]:
    """The appraisals of the offices the caller reads, newest first."""
    query = select(Appraisal).order_by(Appraisal.id.desc()).limit(limit)
    if not principal.sees_every_office:
        query = query.where(Appraisal.office_id == principal.office_id)
    return list(session.scalars(query))


def dossiers_of(session: Session, appraisal: Appraisal) -> list[Dossier]:
    """The appraisal's dossiers in the order they were proposed."""
    ids = [int(i) for i in appraisal.dossier_ids]
    found = {d.id: d for d in session.scalars(select(Dossier).where(Dossier.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def held_documents(session: Session, dossier_ids: list[int]) -> dict[int, list[Document]]:
    """Per dossier, every document it holds (own and linked, not removed), whatever the caller's clearance: the
    use cases decide what to show."""
    held: dict[int, list[Document]] = defaultdict(list)
    if not dossier_ids:
        return held
    pairs = links.memberships().subquery("pairs")
    rows = session.execute(
        select(pairs.c.dossier_id, Document)
        .join(Document, Document.id == pairs.c.document_id)
        .where(pairs.c.dossier_id.in_(dossier_ids))
        .order_by(pairs.c.dossier_id, Document.id)
    ).all()
    for dossier_id, doc in rows:
        held[int(dossier_id)].append(doc)
    return held


def holders(session: Session, document_ids: set[int]) -> dict[int, set[int]]:
    """Per document, every dossier that holds it now (its own unless removed from it, and those it is linked into)."""
    found: dict[int, set[int]] = defaultdict(set)
    if not document_ids:
        return found
    pairs = links.memberships().subquery("pairs")
    for dossier_id, document_id in session.execute(
        select(pairs.c.dossier_id, pairs.c.document_id).where(pairs.c.document_id.in_(document_ids))
    ):
        found[int(document_id)].add(int(dossier_id))
    return found


def office_name(session: Session, office_id: int) -> str:
    office = session.get(Office, office_id)
    return office.name if office else ""
