"""Superseded versions: a document replaced by a newer version leaves the counts, the reports and the checks.

A document is superseded when another document names it as the version it replaces (``version_of``). The
fact is derived from the links, never stored, so that an upload ("Tải lên bản đã sửa") and a PATCH of
``version_of`` supersede alike and undoing the link undoes it.

For a caller, only a newer version they may read supersedes: a document replaced by a secret version they
are not cleared for stays current for them, so that neither its status nor a count betrays the secret one.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, select, true
from sqlalchemy.orm import Session, aliased

from archive_service.catalog.access import Principal, readable_documents
from archive_service.catalog.models import Document

__all__ = ["newer_versions", "not_superseded", "superseded_by"]


def not_superseded(principal: Principal | None) -> ColumnElement[bool]:
    """The WHERE clause of the documents that are current: no newer version replaces them.

    ``principal`` None (the workers' dossier check) counts every newer version; a caller's reports and
    counts count only the newer versions that caller may read (``readable_documents``).
    """
    newer = aliased(Document, name="newer_version")
    # The caller's rule is the one of access.py, applied to the newer version through its id (uncorrelated).
    readable = select(Document.id).where(readable_documents(principal)).correlate(None) if principal else None
    seen = true() if readable is None else newer.id.in_(readable)
    return ~exists(select(newer.id).where(newer.version_of == Document.id, seen))


def newer_versions(session: Session, principal: Principal, ids: list[int]) -> dict[int, Document]:
    """Of ``ids``, the superseded ones, each with the newest readable document that replaces it directly."""
    if not ids:
        return {}
    rows = session.scalars(
        select(Document)
        .where(Document.version_of.in_(ids), readable_documents(principal))
        .order_by(Document.uploaded_at, Document.id)
    )
    return {int(doc.version_of): doc for doc in rows if doc.version_of is not None}


def superseded_by(session: Session, principal: Principal, document_id: int) -> Document | None:
    """The newest readable document that replaces ``document_id``, or None when it is current for the caller."""
    return newer_versions(session, principal, [document_id]).get(document_id)
