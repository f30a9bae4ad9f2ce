"""Destroyed documents as tombstones: the row and its metadata stay, the bytes are gone (29-HD/VPTW; NĐ 30 Phụ lục VI).

A document destroyed after appraisal keeps its catalog row — số, ngày, loại, trích yếu, cơ quan ban hành, số trang,
SHA-256 — so that the record of what existed outlives it. Reading it says under which decision it was destroyed;
asking for its bytes is 410 Gone (DOCUMENT-DESTROYED), never a 404 that would look like a lost file.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.models import Appraisal, Document, DossierLink
from archive_service.errors import AppError

DESTROYED_STATE = "destroyed"


def destroying_appraisal(session: Session, doc: Document) -> Appraisal | None:
    """The appraisal whose destruction took the document: a destroyed one naming a dossier that held it."""
    if doc.destroyed_at is None:
        return None
    holders = {doc.dossier_id}
    holders.update(session.scalars(select(DossierLink.dossier_id).where(DossierLink.document_id == doc.id)))
    candidates = session.scalars(
        select(Appraisal)
        .where(Appraisal.office_id == doc.office_id, Appraisal.state == DESTROYED_STATE)
        .order_by(Appraisal.destroyed_at.desc())
    )
    for appraisal in candidates:
        if holders & {int(i) for i in appraisal.dossier_ids}:
            return appraisal
    return None


def destruction_notice(session: Session, doc: Document) -> str | None:
    """ "Đã hủy theo Quyết định số … ngày …" for a destroyed document; None for one that is not."""
    if doc.destroyed_at is None:
        return None
    appraisal = destroying_appraisal(session, doc)
    if appraisal is None or not appraisal.decision_number:
        return "Đã hủy sau khi xác định giá trị tài liệu; bản gốc không còn trong kho lưu trữ."
    day = f" ngày {appraisal.decision_date.strftime('%d/%m/%Y')}" if appraisal.decision_date else ""
    return (
        f"Đã hủy theo Quyết định số {appraisal.decision_number}{day} (xác định giá trị tài liệu số {appraisal.id}); "
        "bản gốc không còn trong kho lưu trữ, chỉ còn thông tin mô tả."
    )


class DocumentDestroyed(AppError):
    """410: the original was destroyed after appraisal; only its metadata remains."""

    status_code = 410

    def __init__(self, notice: str) -> None:
        super().__init__("DOCUMENT-DESTROYED", notice)


def refuse_if_destroyed(session: Session, doc: Document) -> None:
    """Raise DocumentDestroyed (410) for a destroyed document: its bytes, derivatives and pages are gone."""
    notice = destruction_notice(session, doc)
    if notice is not None:
        raise DocumentDestroyed(notice)
