"""Move a đề mục or a row of the danh mục hồ sơ one place up or down among its siblings (the web page's arrows).

The order printed in the plan (NĐ 30/2020 Phụ lục V.I) is the order of ``position``; positions set through the
API may tie or leave gaps, so a move first numbers the siblings 0, 1, 2 … as they show, then swaps the two
neighbours — one transaction, one audit event, whatever the positions were before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import FilePlan, FilePlanEntry, FilePlanHeading
from archive_service.fileplans import events, queries, tree
from archive_service.services import Services
from schemas.fileplans import FilePlanOut

Direction = Literal["up", "down"]


def _swap(siblings: Sequence[FilePlanHeading | FilePlanEntry], index: int, direction: Direction) -> int | None:
    """Renumber ``siblings`` in their shown order and swap ``index`` with its neighbour; its new place, or None
    when it already is first (up) or last (down)."""
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return None
    for place, sibling in enumerate(siblings):
        sibling.position = place
    siblings[index].position, siblings[other].position = other, index
    return other


def _moved(
    session: Session,
    principal: Principal,
    plan: FilePlan,
    siblings: Sequence[FilePlanHeading | FilePlanEntry],
    item: FilePlanHeading | FilePlanEntry,
    direction: Direction,
    *,
    addr: str | None,
) -> FilePlanOut:
    """Swap ``item`` with its neighbour among ``siblings`` and audit it as an update of the đề mục or row (nothing
    to audit when it already is first or last); the plan as it now is."""
    place = _swap(siblings, siblings.index(item), direction)
    if place is not None:
        session.flush()
        what = "heading" if isinstance(item, FilePlanHeading) else "entry"
        details: dict[str, object] = {f"{what}_id": item.id, "moved": direction, "position": place}
        events.record(session, principal, f"file-plan.{what}-update", plan, addr, details)
    return tree.build(session, plan)


def move_heading(
    services: Services, principal: Principal, plan_id: int, heading_id: int, direction: Direction, *, addr: str | None
) -> FilePlanOut:
    """Move a đề mục one place among the đề mục of the same level (and parent); audited as a heading update."""
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        heading = queries.heading_of(session, plan, heading_id)
        parent = FilePlanHeading.parent_id
        siblings = list(
            session.scalars(
                select(FilePlanHeading)
                .where(
                    FilePlanHeading.plan_id == plan.id,
                    parent.is_(None) if heading.parent_id is None else parent == heading.parent_id,
                )
                .order_by(FilePlanHeading.position, FilePlanHeading.id)
            )
        )
        return _moved(session, principal, plan, siblings, heading, direction, addr=addr)


def move_entry(
    services: Services, principal: Principal, plan_id: int, entry_id: int, direction: Direction, *, addr: str | None
) -> FilePlanOut:
    """Move a row one place among the rows of its đề mục (or of no đề mục); audited as a row update.

    Its số và ký hiệu stays: only the order in the printed plan changes (a number already given is not reused).
    """
    with transaction(services.factory) as session:
        plan = queries.get_writable(session, principal, plan_id)
        entry = queries.entry_of(session, plan, entry_id)
        under = FilePlanEntry.heading_id
        siblings = list(
            session.scalars(
                select(FilePlanEntry)
                .where(
                    FilePlanEntry.plan_id == plan.id,
                    under.is_(None) if entry.heading_id is None else under == entry.heading_id,
                )
                .order_by(FilePlanEntry.position, FilePlanEntry.id)
            )
        )
        return _moved(session, principal, plan, siblings, entry, direction, addr=addr)
