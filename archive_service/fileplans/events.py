"""The audit event of a change to a danh mục hồ sơ: one shape for every use case that changes a plan."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from archive_service.catalog import audit
from archive_service.catalog.access import Principal
from archive_service.catalog.models import FilePlan


def record(
    session: Session, principal: Principal, action: str, plan: FilePlan, addr: str | None, details: dict[str, Any]
) -> None:
    """Record ``action`` on ``plan`` in the caller's transaction, under the plan's office (read per office)."""
    audit.record(
        session,
        principal=principal,
        action=action,
        object_type="file-plan",
        object_id=plan.id,
        client_addr=addr,
        details=details or None,
        office_id=plan.office_id,
    )
