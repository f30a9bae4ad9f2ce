"""Documents: look-ups with the caller's rights applied in the query."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal, readable_documents
from archive_service.catalog.models import Document, FindingRow
from archive_service.errors import NotFound


def get_readable(session: Session, *, principal: Principal, document_id: int) -> Document:
    """The document, or NotFound when it does not exist or the caller may not see it."""
    doc = session.scalar(select(Document).where(Document.id == document_id, readable_documents(principal)))
    if doc is None:
        raise NotFound("DOCUMENT-NOT-FOUND", f"Không tìm thấy văn bản số {document_id}.")
    return doc


def find_by_sha256(session: Session, *, office_id: int, sha256: str) -> Document | None:
    return session.scalar(select(Document).where(Document.office_id == office_id, Document.sha256 == sha256))


def list_in_dossier(
    session: Session, *, principal: Principal, dossier_id: int, limit: int, offset: int
) -> tuple[list[Document], int]:
    where = (Document.dossier_id == dossier_id) & readable_documents(principal)
    total = session.scalar(select(func.count()).select_from(Document).where(where)) or 0
    rows = session.scalars(select(Document).where(where).order_by(Document.id).limit(limit).offset(offset))
    return list(rows), int(total)


def findings_of(session: Session, *, document_id: int) -> list[FindingRow]:
    """Stored findings of a document, errors first."""
    order = {"error": 0, "warning": 1, "info": 2}
    rows = list(session.scalars(select(FindingRow).where(FindingRow.document_id == document_id)))
    return sorted(rows, key=lambda r: (order.get(r.severity, 3), r.id))
