"""The audit trail of one document as its page shows it to auditors and admins, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.models import AuditEvent, User


@dataclass(frozen=True)
class AuditLine:
    """One event as the page lists it: when, who, what, from where."""

    at: datetime
    username: str
    action: str
    client_addr: str | None
    details: dict[str, Any] | None


def object_trail(session: Session, *, object_type: str, object_id: int, limit: int = 200) -> list[AuditLine]:
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
