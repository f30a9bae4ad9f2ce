"""Documents: look-ups with the caller's rights applied in the query."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive_service.catalog import dossiers, links
from archive_service.catalog.access import Principal, hidden_or_missing, readable_documents
from archive_service.catalog.models import Derivative, Document, FindingRow
from archive_service.errors import AppError
from schemas.api import DocumentUpdate
from schemas.findings import Finding, severity_rank


def get_readable(session: Session, *, principal: Principal, document_id: int) -> Document:
    """The document, or NotFound when it does not exist or the caller may not see it."""
    doc = session.scalar(select(Document).where(Document.id == document_id, readable_documents(principal)))
    if doc is None:
        raise hidden_or_missing(
            session,
            principal,
            Document,
            document_id,
            code="DOCUMENT-NOT-FOUND",
            message=f"Không tìm thấy văn bản số {document_id}.",
        )
    return doc


def find_by_sha256(session: Session, *, office_id: int, sha256: str) -> Document | None:
    """The office's live document with these bytes (a destroyed one's tombstone is not: the bytes are gone)."""
    return session.scalar(
        select(Document).where(
            Document.office_id == office_id, Document.sha256 == sha256, Document.destroyed_at.is_(None)
        )
    )


def list_in_dossier(
    session: Session, *, principal: Principal, dossier_id: int, limit: int, offset: int
) -> tuple[list[Document], int]:
    where = links.in_dossier(dossier_id) & readable_documents(principal)  # its own and linked documents
    total = session.scalar(select(func.count()).select_from(Document).where(where)) or 0
    rows = session.scalars(select(Document).where(where).order_by(Document.id).limit(limit).offset(offset))
    return list(rows), int(total)


def findings_of(session: Session, *, document_id: int) -> list[FindingRow]:
    """Stored findings of a document, errors first."""
    rows = list(session.scalars(select(FindingRow).where(FindingRow.document_id == document_id)))
    return sorted(rows, key=lambda r: (severity_rank(r.severity), r.id))


def update_metadata(
    session: Session, *, principal: Principal, document_id: int, data: DocumentUpdate
) -> tuple[Document, dict[str, object]]:
    """Change a document's metadata (archivist of its office, or admin); returns the changes made."""
    doc = get_readable(session, principal=principal, document_id=document_id)
    principal.require_write(object_type="document", object_id=doc.id, office_id=doc.office_id, what="văn bản")
    changes: dict[str, object] = {}
    values = data.model_dump(exclude_unset=True)
    if values.get("dossier_id") is not None and values["dossier_id"] != doc.dossier_id:
        target = dossiers.get_writable(session, principal=principal, dossier_id=values["dossier_id"])
        if target.office_id != doc.office_id:
            raise AppError(
                "DOCUMENT-MOVE-OTHER-OFFICE",
                "Chỉ chuyển được văn bản sang hồ sơ khác của cùng đơn vị.",
                status_code=409,
            )
        changes["dossier_id"] = [doc.dossier_id, target.id]
        doc.dossier_id = target.id
    if "version_of" in values and values["version_of"] != doc.version_of:
        if values["version_of"] is not None:
            if values["version_of"] == doc.id:
                raise AppError("DOCUMENT-VERSION-SELF", "Một văn bản không thể là phiên bản của chính nó.")
            get_readable(session, principal=principal, document_id=values["version_of"])
        changes["version_of"] = [doc.version_of, values["version_of"]]
        doc.version_of = values["version_of"]
    if values.get("secrecy_level") is not None and values["secrecy_level"] != doc.secrecy_level:
        changes["secrecy_level"] = [doc.secrecy_level, values["secrecy_level"]]
        doc.secrecy_level = values["secrecy_level"]
    if values.get("electronic") is not None and values["electronic"] != doc.electronic:
        changes["electronic"] = [doc.electronic, values["electronic"]]
        doc.electronic = values["electronic"]
    session.flush()
    return doc, changes


def versions(session: Session, principal: Principal, doc: Document, *, limit: int = 50) -> list[Document]:
    """Every readable version of a document (version_of links, both ways), oldest first; [] when it has none."""
    root = doc
    seen = {doc.id}
    while root.version_of is not None and root.version_of not in seen and len(seen) < limit:
        parent = session.scalar(select(Document).where(Document.id == root.version_of, readable_documents(principal)))
        if parent is None:
            break
        seen.add(parent.id)
        root = parent
    family = {root.id: root}
    frontier = [root.id]
    while frontier and len(family) < limit:
        children = list(
            session.scalars(select(Document).where(Document.version_of.in_(frontier), readable_documents(principal)))
        )
        frontier = [c.id for c in children if c.id not in family]
        family.update({c.id: c for c in children})
    return sorted(family.values(), key=lambda d: (d.uploaded_at, d.id)) if len(family) > 1 else []


def derivative(session: Session, *, document_id: int, kind: str) -> Derivative | None:
    """The file of ``kind`` made beside a document's original (a searchable PDF), if it was made."""
    return session.scalar(select(Derivative).where(Derivative.document_id == document_id, Derivative.kind == kind))


def finding_row(finding: Finding, *, dossier_id: int, document_id: int | None) -> FindingRow:
    """The catalog row of a finding: a document's (document_id set) or a dossier's own (None).

    A dossier finding keeps the ids of the documents it speaks of, so that it is shown only to callers who
    may read every one of them.
    """
    return FindingRow(
        document_ids=[int(i) for i in finding.documents] if finding.documents is not None else None,
        document_id=document_id,
        dossier_id=dossier_id,
        code=finding.code,
        severity=finding.severity.value,
        clause=finding.clause,
        message=finding.message,
        hint=finding.hint,
        location=finding.location.model_dump(exclude_none=True) if finding.location else None,
    )
