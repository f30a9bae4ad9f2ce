"""Dossier use cases: each checks access, reads or writes, and leaves its audit event, in one transaction.

The API and the web pages call these and only render what they return.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from archive_service.catalog import audit, dossiers, findings
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.documents import list_in_dossier
from archive_service.catalog.models import Document, Dossier, FindingRow, Office, Role
from archive_service.dossiers.checks import check_dossier, enqueue_dossier_check
from archive_service.services import Services
from schemas.api import DossierCreate, DossierOut, DossierUpdate

# The most documents the dossier page lists at once.
PAGE_DOCUMENTS = 500


def audit_event(
    session: Session, principal: Principal, action: str, dossier: Dossier, addr: str | None, **details: object
) -> None:
    """Record ``action`` on ``dossier`` in the caller's transaction.

    Its details (the documents shown, how many findings) are what the caller saw at their clearance.
    """
    audit.record(
        session,
        principal=principal,
        action=action,
        object_type="dossier",
        object_id=dossier.id,
        client_addr=addr,
        details=details or None,
        office_id=dossier.office_id,
        scoped=True,
    )


def create(services: Services, principal: Principal, data: DossierCreate, *, addr: str | None) -> DossierOut:
    """A new dossier in the caller's office (an admin may name another); archivists and admins; audited."""
    with transaction(services.factory) as session:
        dossier = dossiers.create(session, principal=principal, data=data)
        _record_change(session, principal, "dossier.create", dossier, addr, data.model_dump(mode="json"))
        return dossiers.to_out(session, dossier, principal)


def update(
    services: Services, principal: Principal, dossier_id: int, data: DossierUpdate, *, addr: str | None
) -> DossierOut:
    """Change a dossier's fields (archivist of its office, or admin); audited, and its check queued.

    Its meeting body, date or cấp ủy decide which documents it must hold, so every edit, from any edge,
    queues the dossier check.
    """
    with transaction(services.factory) as session:
        dossier = dossiers.update(session, principal=principal, dossier_id=dossier_id, data=data)
        enqueue_dossier_check(session, dossier.id)
        details = data.model_dump(mode="json", exclude_unset=True)
        _record_change(session, principal, "dossier.update", dossier, addr, details)
        return dossiers.to_out(session, dossier, principal)


def for_edit(services: Services, principal: Principal, dossier_id: int) -> Dossier:
    """The dossier to fill an edit form with, when the caller may change it (404 unseen, 403 read-only)."""
    with transaction(services.factory) as session:
        return dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)


def offices_for_new(services: Services, principal: Principal) -> list[Office]:
    """The offices a new dossier may be put in by the caller: any for an admin; none to pick for an archivist.

    Refused (403) to roles that may not create dossiers.
    """
    principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    if principal.role is not Role.ADMIN:
        return []
    with transaction(services.factory) as session:
        return dossiers.offices_open_to(session, principal)


def _record_change(
    session: Session, principal: Principal, action: str, dossier: Dossier, addr: str | None, details: dict[str, object]
) -> None:
    """Record a change to ``dossier``: its details are what the caller sent, not what they were shown."""
    audit.record(
        session,
        principal=principal,
        action=action,
        object_type="dossier",
        object_id=dossier.id,
        client_addr=addr,
        details=details,
        office_id=dossier.office_id,
    )


@dataclass(frozen=True)
class DossierListing:
    """A page of dossiers, how many there are in all, and the names of the offices they belong to."""

    items: list[DossierOut]
    total: int
    office_names: dict[int, str]


def list_dossiers(
    services: Services, principal: Principal, *, limit: int, offset: int, addr: str | None, via: str
) -> DossierListing:
    """A page of the dossiers the caller may read (counts of the documents they may read); audited."""
    with transaction(services.factory) as session:
        items, total = dossiers.list_readable(session, principal=principal, limit=limit, offset=offset)
        names = dossiers.office_names(session)
        audit.record(
            session,
            principal=principal,
            action="dossier.list",
            object_type="dossier",
            object_id=None,
            client_addr=addr,
            details={"via": via, "offset": offset, "shown": len(items), "total": total},
            scoped=True,
        )
    return DossierListing(items=items, total=total, office_names=names)


def view(services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str) -> DossierOut:
    """One dossier as the caller sees it; audited."""
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        audit_event(session, principal, "dossier.view", dossier, addr, via=via)
        return dossiers.to_out(session, dossier, principal)


@dataclass(frozen=True)
class DossierPage:
    """What the dossier page shows: the documents the caller may read, their findings counts, its own findings."""

    dossier: Dossier
    office_name: str
    documents: list[Document]
    total: int
    counts: dict[int, Counter[str]]
    findings: list[FindingRow]


def page(services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str) -> DossierPage:
    """One dossier with its readable documents and the dossier findings the caller may see; audited."""
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        docs, total = list_in_dossier(
            session, principal=principal, dossier_id=dossier_id, limit=PAGE_DOCUMENTS, offset=0
        )
        audit_event(session, principal, "dossier.view", dossier, addr, via=via, documents=[d.id for d in docs])
        return DossierPage(
            dossier=dossier,
            office_name=dossiers.office_names(session).get(dossier.office_id, ""),
            documents=docs,
            total=total,
            counts=findings.counts_per_document(session, [d.id for d in docs]),
            findings=findings.dossier_findings(session, principal, dossier.id),
        )


def list_documents(
    services: Services, principal: Principal, dossier_id: int, *, limit: int, offset: int, addr: str | None, via: str
) -> tuple[list[Document], int]:
    """The documents of a dossier that the caller may read; audited with the ids shown."""
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        rows, total = list_in_dossier(session, principal=principal, dossier_id=dossier_id, limit=limit, offset=offset)
        audit_event(
            session, principal, "dossier.list-documents", dossier, addr, via=via, documents=[r.id for r in rows]
        )
        return rows, total


def dossier_findings(
    services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str
) -> list[FindingRow]:
    """The dossier's own findings that the caller may see; audited."""
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        rows = findings.dossier_findings(session, principal, dossier.id)
        audit_event(session, principal, "dossier.findings", dossier, addr, via=via, findings=len(rows))
        return rows


def check_now(
    services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str
) -> list[FindingRow]:
    """Run the dossier check now (it rewrites the stored findings: archivists of the office and admins only)."""
    with transaction(services.factory) as session:
        dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)
    check_dossier(services, dossier_id)
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        shown = findings.dossier_findings(session, principal, dossier.id)
        audit_event(session, principal, "dossier.check", dossier, addr, via=via, findings=len(shown))
        return shown
