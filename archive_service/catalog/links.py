"""Which documents a dossier holds: its own (``Document.dossier_id``, unless removed from it) and those linked.

A file uploaded again into another dossier of the same office is the same document (one row, one original);
the archivist may link it into the second dossier, which then lists and counts it as its own.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select, union
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal, readable_documents
from archive_service.catalog.models import Document, DossierLink
from archive_service.catalog.versions import not_superseded

__all__ = ["add_link", "count_in_dossier", "in_dossier", "is_in_dossier", "memberships"]


def in_dossier(dossier_id: int) -> ColumnElement[bool]:
    """The WHERE clause of the documents a dossier holds: its own (unless removed from it) and linked ones."""
    linked = select(DossierLink.document_id).where(DossierLink.dossier_id == dossier_id)
    own = (Document.dossier_id == dossier_id) & Document.removed_from_dossier_at.is_(None)
    return own | Document.id.in_(linked)


def memberships() -> Select[tuple[int, int]]:
    """Every (dossier_id, document_id) pair: a document in its own dossier and in each it is linked into."""
    own = select(Document.dossier_id.label("dossier_id"), Document.id.label("document_id")).where(
        Document.removed_from_dossier_at.is_(None)
    )
    linked = select(DossierLink.dossier_id.label("dossier_id"), DossierLink.document_id.label("document_id"))
    pairs = union(own, linked).subquery("memberships")
    return select(pairs.c.dossier_id, pairs.c.document_id)


def is_in_dossier(session: Session, *, dossier_id: int, document: Document) -> bool:
    """Whether the dossier already holds the document (as its own or linked)."""
    if document.dossier_id == dossier_id and document.removed_from_dossier_at is None:
        return True
    found = session.scalar(
        select(DossierLink.id).where(DossierLink.dossier_id == dossier_id, DossierLink.document_id == document.id)
    )
    return found is not None


def add_link(session: Session, *, dossier_id: int, document: Document, user_id: int) -> bool:
    """Link the document into the dossier; False when the dossier already holds it (nothing written)."""
    if is_in_dossier(session, dossier_id=dossier_id, document=document):
        return False
    session.add(DossierLink(dossier_id=dossier_id, document_id=document.id, linked_by=user_id))
    session.flush()
    return True


def count_in_dossier(session: Session, principal: Principal, dossier_id: int) -> int:
    """How many documents the dossier holds for the caller: readable, current (superseded versions left out)."""
    where = in_dossier(dossier_id) & readable_documents(principal) & not_superseded(principal)
    return int(session.scalar(select(func.count()).select_from(Document).where(where)) or 0)
