"""Audit events: every upload, download, read and change, with who, when and from where."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal
from archive_service.catalog.models import AuditEvent


def record(
    session: Session,
    *,
    principal: Principal | None,
    action: str,
    object_type: str,
    object_id: int | str | None,
    client_addr: str | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the session's transaction (it commits with the change it describes)."""
    session.add(
        AuditEvent(
            user_id=principal.user_id if principal else None,
            action=action,
            object_type=object_type,
            object_id=str(object_id) if object_id is not None else None,
            client_addr=client_addr,
            details=details,
        )
    )
