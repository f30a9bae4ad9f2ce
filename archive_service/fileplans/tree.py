"""A file plan as its tree, numbered the way it prints (the shape the API, the pages and the sheet read)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from archive_service.catalog.models import Dossier, FilePlan, FilePlanEntry, FilePlanHeading
from archive_service.fileplans import queries
from archive_service.fileplans.numbering import WITHIN_HEADING, dossier_number, roman
from archive_service.records import retention
from schemas.dossier_state import state_label
from schemas.fileplans import EntryOut, FilePlanCounts, FilePlanOut, FilePlanSummary, HeadingOut


def _retention_label(value: str) -> str:
    return retention.parse(value).label if retention.is_valid(value) else value


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return dossier_number(self.n)


def _entry(entry: FilePlanEntry, number: str, opened: dict[int, Dossier]) -> EntryOut:
    dossier = opened.get(entry.id)
    return EntryOut(
        id=entry.id,
        heading_id=entry.heading_id,
        position=entry.position,
        number=number,
        file_code=entry.file_code,
        title=entry.title,
        retention=entry.retention,
        retention_label=_retention_label(entry.retention),
        former_name=entry.former_name,
        note=entry.note,
        kind=entry.kind,
        dossier_id=dossier.id if dossier else None,
        dossier_state=dossier.state if dossier else None,
        dossier_state_label=state_label(dossier.state) if dossier else None,
    )


def counts_of(entries: list[FilePlanEntry]) -> FilePlanCounts:
    """The closing counts: every row, those kept permanently (vĩnh viễn) and those kept for a term."""
    permanent = sum(1 for e in entries if e.retention.strip().lower() == retention.PERMANENT)
    return FilePlanCounts(total=len(entries), permanent=permanent, term=len(entries) - permanent)


def build(session: Session, plan: FilePlan) -> FilePlanOut:
    """The plan with its đề mục numbered I, II … and 1, 2 …, its rows 01, 02 … and the dossier opened from each."""
    heads = queries.headings(session, plan.id)
    rows = queries.entries(session, plan.id)
    opened = queries.opened_dossiers(session, plan.id)
    by_heading: dict[int | None, list[FilePlanEntry]] = defaultdict(list)
    for row in rows:
        by_heading[row.heading_id].append(row)
    children: dict[int | None, list[FilePlanHeading]] = defaultdict(list)
    for head in heads:
        children[head.parent_id].append(head)

    counter = _Counter()
    loose = [_entry(e, counter.next(), opened) for e in by_heading[None]]
    tops: list[HeadingOut] = []
    for i, top in enumerate(children[None], start=1):
        if plan.numbering == WITHIN_HEADING:
            counter = _Counter()
        own = [_entry(e, counter.next(), opened) for e in by_heading[top.id]]
        subs = []
        for j, sub in enumerate(children[top.id], start=1):
            sub_entries = [_entry(e, counter.next(), opened) for e in by_heading[sub.id]]
            subs.append(
                HeadingOut(
                    id=sub.id,
                    parent_id=sub.parent_id,
                    position=sub.position,
                    number=str(j),
                    title=sub.title,
                    entries=sub_entries,
                    headings=[],
                )
            )
        tops.append(
            HeadingOut(
                id=top.id,
                parent_id=None,
                position=top.position,
                number=roman(i),
                title=top.title,
                entries=own,
                headings=subs,
            )
        )
    office = queries.office(session, plan.office_id)
    return FilePlanOut(
        id=plan.id,
        office_id=plan.office_id,
        office_code=office.code,
        office_name=office.name,
        year=plan.year,
        title=plan.title,
        numbering=plan.numbering,
        decision_number=plan.decision_number,
        decision_date=plan.decision_date,
        approver_name=plan.approver_name,
        approved_at=plan.approved_at,
        approved=plan.approved_at is not None,
        entries=loose,
        headings=tops,
        counts=counts_of(rows),
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


def summary(session: Session, plan: FilePlan) -> FilePlanSummary:
    office = queries.office(session, plan.office_id)
    return FilePlanSummary(
        id=plan.id,
        office_id=plan.office_id,
        office_code=office.code,
        year=plan.year,
        title=plan.title,
        approved=plan.approved_at is not None,
        decision_number=plan.decision_number,
        counts=counts_of(queries.entries(session, plan.id)),
    )


def all_entries(plan: FilePlanOut) -> list[EntryOut]:
    """Every row in print order."""
    out = list(plan.entries)
    for top in plan.headings:
        out.extend(top.entries)
        for sub in top.headings:
            out.extend(sub.entries)
    return out
