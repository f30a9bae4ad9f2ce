"""Audit events: every upload, download, read and change, with who, when and from where."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from archive_service.catalog.access import Principal
from archive_service.catalog.models import AuditEvent, Document, Dossier
from archive_service.errors import Refusal

SEEN_AT_CLEARANCE = "seen_at_clearance"


def record(
    session: Session,
    *,
    principal: Principal | None,
    action: str,
    object_type: str,
    object_id: int | str | None,
    client_addr: str | None,
    details: dict[str, Any] | None = None,
    office_id: int | None = None,
    scoped: bool = False,
) -> None:
    """Add an audit event to the session's transaction (it commits with the change it describes).

    ``office_id`` is the office the object belongs to, so that the trail can be read per office.
    ``scoped``: the details hold what the caller saw at their clearance (counts, document ids); the clearance
    is kept with them, and a reader of the trail cleared lower is not shown them.
    """
    if scoped and principal is not None:
        details = {**(details or {}), SEEN_AT_CLEARANCE: principal.clearance}
    session.add(
        AuditEvent(
            user_id=principal.user_id if principal else None,
            action=action,
            object_type=object_type,
            object_id=str(object_id) if object_id is not None else None,
            client_addr=client_addr,
            details=details,
            office_id=office_id,
        )
    )


def record_on_document(
    session: Session,
    principal: Principal,
    action: str,
    doc: Document,
    addr: str | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record ``action`` on one document in the caller's transaction, under the document's office."""
    record(
        session,
        principal=principal,
        action=action,
        object_type="document",
        object_id=doc.id,
        client_addr=addr,
        details=details,
        office_id=doc.office_id,
    )


def record_on_dossier(
    session: Session, principal: Principal, action: str, dossier: Dossier, addr: str | None, **details: object
) -> None:
    """Record ``action`` on one dossier in the caller's transaction, under the dossier's office.

    Its details (the documents shown, how many findings) are what the caller saw at their clearance (``scoped``).
    """
    record(
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


def record_refusal(
    factory: sessionmaker[Session],
    refusal: Refusal,
    *,
    code: str,
    status: int,
    method: str,
    path: str,
    client_addr: str | None,
) -> None:
    """Audit a refused access to an object that exists (404 to the caller, or 403), in a transaction of its own.

    The request's own transaction was rolled back with the error; the refusal must outlive it.
    """
    with factory() as session, session.begin():
        session.add(
            AuditEvent(
                user_id=refusal.user_id,
                action="access.refused",
                object_type=refusal.object_type,
                object_id=refusal.object_id,
                client_addr=client_addr,
                details={"code": code, "status": status, "method": method, "path": path[:500]},
                office_id=refusal.office_id,
            )
        )
