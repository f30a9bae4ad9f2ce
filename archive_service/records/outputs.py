"""The closing use cases' results as the shapes the edges send (schemas/closing.py): one conversion for the API
and the command line, so that both say the same."""

from __future__ import annotations

from archive_service.catalog.models import Dossier, RecordFile
from archive_service.records.closing import Checklist, Item
from archive_service.records.lifecycle import STATE_LABELS
from archive_service.records.service import Closed, kind_label
from schemas.closing import ChecklistItemOut, ChecklistOut, ClosedOut, KeptOut, RecordFileOut


def _item(item: Item) -> ChecklistItemOut:
    return ChecklistItemOut(
        document_id=item.document_id,
        filename=item.filename,
        number_line=item.number_line,
        kind=item.kind,
        reason=item.reason,
    )


def checklist_out(found: Checklist) -> ChecklistOut:
    return ChecklistOut(
        dossier_id=found.dossier_id,
        state=found.state,
        state_label=STATE_LABELS.get(found.state, found.state),
        retention=found.retention,
        minimum_retention=found.minimum,
        minimum_note=found.minimum_note,
        held=found.held,
        hidden=found.hidden,
        reading=[_item(i) for i in found.reading],
        take_out=[_item(i) for i in found.take_out],
        hidden_blocking=found.hidden_blocking,
        pages=found.pages,
        no_pages=[_item(i) for i in found.no_pages],
        hidden_no_pages=found.hidden_no_pages,
        end_date=found.end_date,
        blocked=found.blocked,
        open_items=found.open_items({i.document_id for i in found.take_out}),
    )


def file_out(row: RecordFile) -> RecordFileOut:
    return RecordFileOut(
        id=row.id,
        kind=row.kind,
        kind_label=kind_label(row.kind),
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        created_at=row.created_at,
    )


def closed_out(closed: Closed) -> ClosedOut:
    d = closed.dossier
    assert d.closed_at is not None and d.page_total is not None  # set by closing
    return ClosedOut(
        dossier_id=d.id,
        state=d.state,
        state_label=STATE_LABELS.get(d.state, d.state),
        retention=d.retention,
        page_total=d.page_total,
        end_date=d.end_date,
        closed_at=d.closed_at,
        taken_out=closed.taken_out,
        files=[file_out(f) for f in closed.files],
        locked_until=d.locked_until,
        legal_hold=d.legal_hold,
        worm_guaranteed=closed.worm_guaranteed,
    )


def kept_out(d: Dossier) -> KeptOut:
    assert d.kept_until is not None and d.kept_consent is not None  # set by keeping back
    return KeptOut(
        dossier_id=d.id,
        state=d.state,
        state_label=STATE_LABELS.get(d.state, d.state),
        kept_until=d.kept_until,
        consent=d.kept_consent,
    )
