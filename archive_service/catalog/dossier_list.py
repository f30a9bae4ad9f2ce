"""The dossier list as a caller may see it: search by title, filters, sort, and error counts per dossier.

The counts are those the caller may see: findings of the documents they may read that the dossier still
holds, and the dossier's own findings shown to them (``findings.visible_dossier_findings``). Filtering on
"has errors" and sorting by errors need those counts for every matching dossier, so the matching dossiers
are read whole and paged here, in Python: an office holds hundreds to a few thousand meeting dossiers, not
millions. The title search folds case and diacritics ("hoi nghi" finds "Hội nghị"), which SQLite's LOWER
cannot do, so it is applied here too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Subquery, extract, func, or_, select
from sqlalchemy.orm import Session

from archive_service.catalog import links
from archive_service.catalog.access import Principal, readable_documents, readable_dossiers
from archive_service.catalog.findings import visible_dossier_findings
from archive_service.catalog.models import Document, Dossier, FindingRow, Office
from archive_service.catalog.versions import not_superseded
from indexers.textnorm import fold
from schemas.api import DossierOut


class DossierSort(StrEnum):
    """How the list is ordered; the values are what the page's links carry (``sap_xep``)."""

    MEETING_NEWEST = "ngay-hop-moi"
    MEETING_OLDEST = "ngay-hop-cu"
    TITLE = "tieu-de"
    MOST_ERRORS = "nhieu-loi"
    NEWEST_CREATED = "moi-tao"


@dataclass(frozen=True)
class DossierCriteria:
    """What the caller asks of the list; every field empty lists every dossier they may read."""

    text: str = ""
    office_code: str | None = None
    year: int | None = None
    meeting_body: str | None = None
    kind: str | None = None  # "hoi-nghi" | "cong-viec"
    with_errors: bool = False
    sort: DossierSort = DossierSort.MEETING_NEWEST

    def as_details(self) -> dict[str, object]:
        """The criteria as the audit trail records them (only those given)."""
        given: dict[str, object] = {
            "q": self.text or None,
            "office": self.office_code,
            "year": self.year,
            "meeting_body": self.meeting_body,
            "kind": self.kind,
            "with_errors": self.with_errors or None,
            "sort": None if self.sort is DossierSort.MEETING_NEWEST else self.sort.value,
        }
        return {k: v for k, v in given.items() if v is not None}


@dataclass(frozen=True)
class DossierPageRows:
    """One page of the list, how many match in all, each shown dossier's counts, and the years to filter by."""

    items: list[DossierOut]
    total: int
    counts: dict[int, Counter[str]]
    years: list[int]


def removed_from(dossier_id: int | ColumnElement[int]) -> ColumnElement[bool]:
    """The documents an archivist removed from their own dossier ("gỡ khỏi hồ sơ"): rows and originals kept."""
    return (Document.dossier_id == dossier_id) & Document.removed_from_dossier_at.is_not(None)


def held_by(dossier_id: int) -> ColumnElement[bool]:
    """The documents a dossier holds now: its own and those linked into it, less those removed from it."""
    return links.in_dossier(dossier_id) & ~removed_from(dossier_id)


def highest_secrecy(session: Session, dossier_ids: list[int]) -> int:
    """The highest secrecy level among the documents the dossiers hold now (0 when they hold none)."""
    if not dossier_ids:
        return 0
    where = or_(*(held_by(d) for d in dossier_ids))
    return int(session.scalar(select(func.max(Document.secrecy_level)).where(where)) or 0)


def cleared_for_whole(session: Session, principal: Principal, dossier_id: int) -> bool:
    """Whether the caller is cleared for every document the dossier holds: what sums over all of them (its page
    total, the counts in its closing record and history) is shown only then, never a figure that betrays a
    secret document the caller cannot see."""
    return principal.clearance >= highest_secrecy(session, [dossier_id])


def held_documents(
    session: Session, principal: Principal, dossier_id: int, *, limit: int, offset: int
) -> tuple[list[Document], int]:
    """A page of the documents a dossier holds that the caller may read (upload order), and how many in all."""
    where = held_by(dossier_id) & readable_documents(principal)
    total = session.scalar(select(func.count()).select_from(Document).where(where)) or 0
    rows = session.scalars(select(Document).where(where).order_by(Document.id).limit(limit).offset(offset))
    return list(rows), int(total)


def _held_pairs(principal: Principal) -> tuple[Subquery, list[ColumnElement[bool]]]:
    """(dossier_id, document_id) of every dossier and the documents it holds for the caller, with the join rules."""
    pairs = links.memberships().subquery("held_pairs")
    where = [
        Document.id == pairs.c.document_id,
        readable_documents(principal),
        not_superseded(principal),
        ~removed_from(pairs.c.dossier_id),
    ]
    return pairs, where


def _where(principal: Principal, criteria: DossierCriteria) -> list[ColumnElement[bool]]:
    where = [readable_dossiers(principal)]
    if criteria.office_code:
        where.append(Dossier.office_id.in_(select(Office.id).where(Office.code == criteria.office_code)))
    if criteria.year is not None:
        where.append(extract("year", Dossier.meeting_date) == criteria.year)
    if criteria.meeting_body:
        where.append(Dossier.meeting_body == criteria.meeting_body)
    if criteria.kind:
        where.append(Dossier.kind == criteria.kind)
    return where


def _title_matches(title: str, words: list[str]) -> bool:
    folded = fold(title)
    return all(w in folded for w in words)


def finding_counts(session: Session, principal: Principal, dossier_ids: list[int]) -> dict[int, Counter[str]]:
    """Per dossier, per severity: the findings the caller may see (of the documents it holds for them, and its own)."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    if not dossier_ids:
        return counts
    pairs, where = _held_pairs(principal)
    rows = session.execute(
        select(pairs.c.dossier_id, FindingRow.severity, func.count())
        .select_from(pairs)
        .join(Document, Document.id == pairs.c.document_id)
        .join(FindingRow, FindingRow.document_id == Document.id)
        .where(pairs.c.dossier_id.in_(dossier_ids), *where)
        .group_by(pairs.c.dossier_id, FindingRow.severity)
    ).all()
    for dossier_id, severity, n in rows:
        counts[int(dossier_id)][str(severity)] += int(n)
    own = session.scalars(
        select(FindingRow).where(FindingRow.dossier_id.in_(dossier_ids), FindingRow.document_id.is_(None))
    )
    for row in visible_dossier_findings(session, principal, own):
        counts[int(row.dossier_id or 0)][row.severity] += 1
    return counts


def document_counts(session: Session, principal: Principal, dossier_ids: list[int]) -> dict[int, int]:
    """How many documents each dossier holds for the caller (readable, current, not removed)."""
    if not dossier_ids:
        return {}
    pairs, where = _held_pairs(principal)
    rows = session.execute(
        select(pairs.c.dossier_id, func.count())
        .select_from(pairs)
        .join(Document, Document.id == pairs.c.document_id)
        .where(pairs.c.dossier_id.in_(dossier_ids), *where)
        .group_by(pairs.c.dossier_id)
    ).all()
    return {int(d): int(n) for d, n in rows}


def _sort_key(sort: DossierSort, counts: dict[int, Counter[str]]) -> Callable[[Dossier], Any]:
    far = date.max.toordinal()

    def meeting(d: Dossier) -> int:
        return d.meeting_date.toordinal() if d.meeting_date else far

    if sort is DossierSort.MEETING_OLDEST:
        return lambda d: (meeting(d), d.id)
    if sort is DossierSort.TITLE:
        return lambda d: (fold(d.title), d.id)
    if sort is DossierSort.MOST_ERRORS:
        return lambda d: (-counts[d.id]["error"], -counts[d.id]["warning"], -d.id)
    if sort is DossierSort.NEWEST_CREATED:
        return lambda d: -d.id
    # newest meeting first, undated last
    return lambda d: (d.meeting_date is None, -(d.meeting_date.toordinal() if d.meeting_date else 0), -d.id)


def list_page(
    session: Session, principal: Principal, criteria: DossierCriteria, *, limit: int, offset: int
) -> DossierPageRows:
    """The page of dossiers the caller may read that match ``criteria``, in its order, with their counts."""
    matching = list(session.scalars(select(Dossier).where(*_where(principal, criteria))))
    words = fold(criteria.text).split()
    if words:
        matching = [d for d in matching if _title_matches(d.title, words)]
    counts = finding_counts(session, principal, [d.id for d in matching])
    if criteria.with_errors:
        matching = [d for d in matching if counts[d.id]["error"] > 0]
    matching.sort(key=_sort_key(criteria.sort, counts))
    shown = matching[offset : offset + limit]
    held = document_counts(session, principal, [d.id for d in shown])
    items = []
    for dossier in shown:
        out = DossierOut.model_validate(dossier)
        out.document_count = int(held.get(dossier.id, 0))
        items.append(out)
    years = session.scalars(
        select(extract("year", Dossier.meeting_date))
        .where(readable_dossiers(principal), Dossier.meeting_date.is_not(None))
        .distinct()
    )
    return DossierPageRows(
        items=items,
        total=len(matching),
        counts={d.id: counts[d.id] for d in shown},
        years=sorted({int(y) for y in years if y is not None}, reverse=True),
    )
