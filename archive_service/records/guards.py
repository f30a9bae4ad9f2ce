"""The refusals a change to documents meets once their dossier is closed or a hold is on them.

NĐ 30/2020 Điều 29 (a closed dossier is kept whole and unchanged) and Phụ lục VI (đóng băng): a document may be
edited, moved, removed or re-linked only while every dossier that holds it — its own and each it is linked into —
is open, and no hold covers it. Asked by the use cases before they write, so that a refusal (409) loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.models import Document, Dossier, DossierLink
from archive_service.records.holds import refuse_if_documents_held
from archive_service.records.lifecycle import refuse_unless_open


def dossiers_holding(session: Session, doc: Document) -> list[Dossier]:
    """Its own dossier (unless removed from it) and every dossier it is linked into."""
    ids = set(session.scalars(select(DossierLink.dossier_id).where(DossierLink.document_id == doc.id)))
    if doc.removed_from_dossier_at is None:
        ids.add(doc.dossier_id)
    return list(session.scalars(select(Dossier).where(Dossier.id.in_(ids)).order_by(Dossier.id)))


def refuse_unless_changeable(session: Session, documents: Iterable[Document]) -> None:
    """409 RECORD-FROZEN when a hold covers one of the documents, 409 DOSSIER-CLOSED (or RECORD-FROZEN) when a
    dossier holding one is no longer open (or is held)."""
    docs = list(documents)
    refuse_if_documents_held(session, docs)
    seen: set[int] = set()
    for doc in docs:
        for dossier in dossiers_holding(session, doc):
            if dossier.id not in seen:
                seen.add(dossier.id)
                refuse_unless_open(session, dossier)
