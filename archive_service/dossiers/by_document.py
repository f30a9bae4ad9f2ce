"""Dossier findings seen from the documents they name: grouped per document, counted per row, read per page.

A dossier finding (DOS-*) is stored once for the dossier with the ids of the documents it speaks of. The
dossier page groups them under each document (a duplicate number appears under both files), its document
rows count them beside their own findings — a row must not read "Đạt, 0 lỗi" while the dossier holds an error
about it — and the document page lists those about it. Every list here starts from the findings the caller
may see (``catalog.findings``): a finding naming a document hidden from the caller is never grouped or counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import findings
from archive_service.catalog.access import Principal, readable_dossiers
from archive_service.catalog.links import memberships
from archive_service.catalog.models import Document, Dossier, FindingRow


def involved(row: FindingRow) -> list[int]:
    """The documents a dossier finding names, in its order ([] for an absence such as no biên bản)."""
    return [int(i) for i in row.document_ids or []]


@dataclass(frozen=True)
class DocumentFindings:
    """The dossier findings about one document, headed by its file name (a link to its page)."""

    document_id: int
    filename: str
    findings: list[FindingRow]


@dataclass(frozen=True)
class GroupedFindings:
    """A dossier's findings as its page shows them: per document, then those about the dossier as a whole."""

    by_document: list[DocumentFindings]
    whole_dossier: list[FindingRow]
    counts: dict[int, Counter[str]]  # per document id: its dossier findings per severity
    names: dict[int, str]  # file names of the documents the findings name, for "cùng với …" links


def group(rows: Sequence[FindingRow], documents: Iterable[Document]) -> GroupedFindings:
    """Group visible dossier findings under each document they name, in the order of ``documents``.

    A finding that names no document (a missing biên bản) or was stored before findings kept their documents
    belongs to the dossier as a whole. Documents named but not in ``documents`` (beyond the page's limit) come
    last, by id, and are named by number.
    """
    names = {d.id: d.original_filename for d in documents}
    per_document: dict[int, list[FindingRow]] = defaultdict(list)
    whole: list[FindingRow] = []
    for row in rows:
        ids = involved(row)
        if not ids:
            whole.append(row)
        for doc_id in dict.fromkeys(ids):
            per_document[doc_id].append(row)
    order = [i for i in names if i in per_document] + sorted(i for i in per_document if i not in names)
    label = {i: names.get(i) or f"Văn bản số {i}" for i in order}
    return GroupedFindings(
        by_document=[DocumentFindings(i, label[i], per_document[i]) for i in order],
        whole_dossier=whole,
        counts={i: Counter(r.severity for r in per_document[i]) for i in order},
        names=label,
    )


@dataclass(frozen=True)
class DossierFindingsOfDocument:
    """A document's dossier findings in one dossier that holds it, with the names of the other files they name."""

    dossier: Dossier
    findings: list[FindingRow]
    names: dict[int, str]


def of_document(session: Session, principal: Principal, doc: Document) -> list[DossierFindingsOfDocument]:
    """The findings of every dossier holding ``doc`` (its own, those it is linked into) that name it.

    Only findings the caller may see: each names documents the caller may read, so the names of the other
    files they involve may be shown too.
    """
    pairs = memberships().subquery("pairs")
    holding = select(pairs.c.dossier_id).where(pairs.c.document_id == doc.id)
    held_in = session.scalars(
        select(Dossier).where(Dossier.id.in_(holding), readable_dossiers(principal)).order_by(Dossier.id)
    ).all()
    out = []
    for dossier in held_in:
        rows = [r for r in findings.dossier_findings(session, principal, dossier.id) if doc.id in involved(r)]
        if not rows:
            continue
        others = {i for r in rows for i in involved(r)} - {doc.id}
        named = session.execute(select(Document.id, Document.original_filename).where(Document.id.in_(others)))
        out.append(DossierFindingsOfDocument(dossier, rows, {int(i): str(name) for i, name in named}))
    return out
