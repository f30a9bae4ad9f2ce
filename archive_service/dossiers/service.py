"""Dossier use cases: each checks access, reads or writes, and leaves its audit event, in one transaction.

The API and the web pages call these and only render what they return.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive_service.catalog import audit, dossiers, findings
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.documents import list_in_dossier
from archive_service.catalog.models import Document, Dossier, FindingRow
from archive_service.dossier_checks import check_dossier
from archive_service.services import Services
from schemas.api import DossierOut


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


def list_dossiers(
    services: Services, principal: Principal, *, limit: int, offset: int, addr: str | None, via: str
) -> tuple[list[DossierOut], int]:
    """A page of the dossiers the caller may read (counts of the documents they may read); audited."""
    with transaction(services.factory) as session:
        items, total = dossiers.list_readable(session, principal=principal, limit=limit, offset=offset)
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
    return items, total


def view(services: Services, principal: Principal, dossier_id: int, *, addr: str | None, via: str) -> DossierOut:
    """One dossier as the caller sees it; audited."""
    with transaction(services.factory) as session:
        dossier = dossiers.get_readable(session, principal=principal, dossier_id=dossier_id)
        audit_event(session, principal, "dossier.view", dossier, addr, via=via)
        return dossiers.to_out(session, dossier, principal)


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
