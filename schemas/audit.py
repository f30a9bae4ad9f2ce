"""The audit trail as it is read: one event, a page of events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditEventOut(BaseModel):
    """Who did what to which object, when, from where; ``details`` hidden when the object is above the reader."""

    id: int
    at: datetime
    user_id: int | None
    username: str | None
    action: str
    action_label: str
    object_type: str
    object_id: str | None
    office_code: str | None
    client_addr: str | None
    details: dict[str, Any] | None
    redacted: bool = False  # the details speak of a document the reader may not see


class AuditList(BaseModel):
    items: list[AuditEventOut]
    total: int
