"""Stored findings as a caller may see them: a dossier finding only with every document it speaks of.

A dossier check reads every document of the dossier, secret ones too, and its findings name them (file
name, số và ký hiệu, issuer). Such a finding is shown — and counted — only to a caller who may read each of
the documents it involves; to anyone else it does not exist. A finding stored without its documents' ids
(before they were kept) that points at a document is shown only to a caller who may read the whole dossier.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import func, not_, select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal, readable_document_ids, readable_documents
from archive_service.catalog.links import in_dossier
from archive_service.catalog.models import Document, FindingRow
from schemas.findings import severity_rank


def _involved(row: FindingRow) -> set[int] | None:
    """The documents a dossier finding speaks of; None when unknown (a legacy row that points at one)."""
    if row.document_ids is not None:
        return {int(i) for i in row.document_ids}
    return None if row.location else set()


def _reads_whole_dossier(session: Session, principal: Principal, dossier_id: int) -> bool:
    """Whether no document of the dossier is hidden from the caller."""
    hidden = session.scalar(
        select(Document.id).where(in_dossier(dossier_id), not_(readable_documents(principal))).limit(1)
    )
    return hidden is None


def visible_dossier_findings(session: Session, principal: Principal, rows: Iterable[FindingRow]) -> list[FindingRow]:
    """Of stored dossier findings, those the caller may see, errors first."""
    rows = list(rows)
    wanted: set[int] = set()
    for row in rows:
        wanted |= _involved(row) or set()
    readable = readable_document_ids(session, principal, wanted)
    whole: dict[int, bool] = {}
    kept = []
    for row in rows:
        involved = _involved(row)
        if involved is None:
            dossier_id = int(row.dossier_id or 0)
            if dossier_id not in whole:
                whole[dossier_id] = _reads_whole_dossier(session, principal, dossier_id)
            if whole[dossier_id]:
                kept.append(row)
        elif involved <= readable:
            kept.append(row)
    return sorted(kept, key=lambda r: (severity_rank(r.severity), r.id))


def dossier_findings(session: Session, principal: Principal, dossier_id: int) -> list[FindingRow]:
    """The dossier's own findings (completeness, consistency) that the caller may see, errors first."""
    rows = session.scalars(
        select(FindingRow).where(FindingRow.dossier_id == dossier_id, FindingRow.document_id.is_(None))
    )
    return visible_dossier_findings(session, principal, rows)


def counts_per_document(session: Session, document_ids: list[int]) -> dict[int, Counter[str]]:
    """How many findings each document has, per severity (its own checks only: document ids the caller read)."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    if not document_ids:
        return counts
    rows = session.execute(
        select(FindingRow.document_id, FindingRow.severity, func.count())
        .where(FindingRow.document_id.in_(document_ids))
        .group_by(FindingRow.document_id, FindingRow.severity)
    ).all()
    for doc_id, severity, n in rows:
        if doc_id is not None:
            counts[doc_id][severity] = int(n)
    return counts
