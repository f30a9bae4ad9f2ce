"""Holds (đóng băng, NĐ 30 Phụ lục VI; pending requests): what they cover, and the refusal while one holds.

Every use case that moves, changes, deletes or destroys a dossier or a document asks here first.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from archive_service.catalog.models import Document, Hold
from archive_service.errors import Conflict


class RecordHeld(Conflict):
    def __init__(self, what: str, hold: Hold) -> None:
        kind = "đang bị đóng băng" if hold.kind == "freeze" else "đang có yêu cầu chờ xử lý"
        super().__init__(
            "RECORD-FROZEN",
            f"{what} {kind} (lệnh số {hold.id}: {hold.reason}); không được di chuyển, sửa, xóa hoặc hủy "
            "cho đến khi lệnh được gỡ.",
        )


def any_active_in_office(office_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """Whether any hold is active in the office (a column of another query): when none is, nothing is held there."""
    return exists().where(Hold.office_id == office_id, Hold.lifted_at.is_(None))


def active_holds(session: Session, office_id: int) -> list[Hold]:
    return list(
        session.scalars(select(Hold).where(Hold.office_id == office_id, Hold.lifted_at.is_(None)).order_by(Hold.id))
    )


def hold_on_dossier(session: Session, dossier_id: int, office_id: int) -> Hold | None:
    """The first active hold on the dossier itself, or on any document whose own dossier it is."""
    doc_ids: set[int] | None = None
    for hold in active_holds(session, office_id):
        if hold.dossier_id == dossier_id:
            return hold
        if hold.document_ids:
            if doc_ids is None:
                doc_ids = set(session.scalars(select(Document.id).where(Document.dossier_id == dossier_id)))
            if doc_ids & {int(i) for i in hold.document_ids}:
                return hold
    return None


def hold_on_documents(session: Session, documents: Iterable[Document]) -> Hold | None:
    """The first active hold covering one of the documents (by itself, or through its own dossier)."""
    docs = list(documents)
    if not docs:
        return None
    ids = {d.id for d in docs}
    dossiers = {d.dossier_id for d in docs}
    for office_id in {d.office_id for d in docs}:
        for hold in active_holds(session, office_id):
            if hold.dossier_id is not None and hold.dossier_id in dossiers:
                return hold
            if hold.document_ids and ids & {int(i) for i in hold.document_ids}:
                return hold
    return None


def refuse_if_dossier_held(session: Session, dossier_id: int, office_id: int) -> None:
    hold = hold_on_dossier(session, dossier_id, office_id)
    if hold is not None:
        raise RecordHeld(f"Hồ sơ số {dossier_id}", hold)


def refuse_if_documents_held(session: Session, documents: Iterable[Document]) -> None:
    docs = list(documents)
    hold = hold_on_documents(session, docs)
    if hold is not None:
        what = f"Văn bản số {docs[0].id}" if len(docs) == 1 else "Một số văn bản đã chọn"
        raise RecordHeld(what, hold)
