"""Which documents a dossier holds: its own (``Document.dossier_id``, unless removed from it) and those linked.

A file uploaded again into another dossier of the same office is the same document (one row, one original);
the archivist may link it into the second dossier, which then lists and counts it as its own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, func, select, union
from sqlalchemy.orm import Session

from archive_service.catalog import audit
from archive_service.catalog.access import Principal, readable_documents
from archive_service.catalog.models import Document, DossierLink, IndexOutbox
from archive_service.catalog.versions import not_superseded

__all__ = ["add_link", "count_in_dossier", "in_dossier", "is_in_dossier", "memberships", "take_out"]


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


def take_out(
    session: Session,
    principal: Principal,
    *,
    dossier_id: int,
    document: Document,
    addr: str | None,
    via: str,
    now: datetime,
) -> None:
    """Take ``document`` out of the dossier in the caller's transaction: a linked one loses its link, one whose own
    dossier it is is marked removed from it — the row and the original stay (archives never delete) — reindexed,
    and audited on the document. The caller has checked it may change both."""
    if document.dossier_id == dossier_id:
        document.removed_from_dossier_at = now
    else:
        session.execute(
            delete(DossierLink).where(DossierLink.dossier_id == dossier_id, DossierLink.document_id == document.id)
        )
    session.add(IndexOutbox(document_id=document.id, op="upsert"))
    details = {"via": via, "dossier": dossier_id}
    audit.record_on_document(session, principal, "document.remove-from-dossier", document, addr, details)
