"""Read helpers for the pages: counts, versions, audit trails — the caller's rights in every query."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal, readable_documents, readable_dossiers
from archive_service.catalog.models import AuditEvent, Document, Dossier, FindingRow, Office, Role, User


def offices(session: Session, principal: Principal) -> list[Office]:
    """The offices a caller may pick in a filter: every office, or only their own."""
    query = select(Office).order_by(Office.code)
    if not principal.sees_every_office:
        query = query.where(Office.id == principal.office_id)
    return list(session.scalars(query))


def office_names(session: Session) -> dict[int, str]:
    return {o.id: o.name for o in session.scalars(select(Office))}


def finding_counts(session: Session, document_ids: list[int]) -> dict[int, Counter[str]]:
    """Findings per document and severity."""
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


def versions(session: Session, principal: Principal, doc: Document, *, limit: int = 50) -> list[Document]:
    """Every readable version of a document (version_of links, both ways), oldest first."""
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


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    username: str
    action: str
    client_addr: str | None
    details: dict[str, Any] | None


def may_see_audit(principal: Principal) -> bool:
    return principal.role in {Role.ADMIN, Role.AUDITOR}


def audit_trail(session: Session, *, object_type: str, object_id: int, limit: int = 200) -> list[AuditLine]:
    """The audit events of one object, newest first."""
    rows = session.execute(
        select(AuditEvent, User.username)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [
        AuditLine(at=e.at, username=name or "—", action=e.action, client_addr=e.client_addr, details=e.details)
        for e, name in rows
    ]


def dossier_titles(session: Session, principal: Principal, ids: list[int]) -> dict[int, str]:
    """Titles of the dossiers with these ids that the caller may read."""
    if not ids:
        return {}
    rows = session.execute(
        select(Dossier.id, Dossier.title).where(Dossier.id.in_(ids), readable_dossiers(principal))
    ).all()
    return {int(i): str(t) for i, t in rows}
