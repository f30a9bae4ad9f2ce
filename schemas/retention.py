"""The retention schedule and the reminders as the API, the web pages and the CLI show them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.retention_schedule import Confidence


class RetentionGroupOut(BaseModel):
    """One group of the schedule in force for an office: its value, source, how sure, and who last edited it."""

    code: str
    title: str
    retention: str  # "vinh-vien" | "<n>-nam"
    retention_label: str  # "Vĩnh viễn" | "10 năm"
    source: str
    confidence: Confidence
    confidence_label: str
    applies_to: Literal["dossier", "document"]
    matches: str  # what the group applies to, in words ("Ký hiệu loại: NQ; tên loại: NGHỊ QUYẾT")
    version: int  # 0: as shipped; n: the n-th edit
    scope: Literal["shipped", "all-offices", "office"]
    edited_by: str | None = None
    edited_at: datetime | None = None


class RetentionScheduleOut(BaseModel):
    office_code: str | None  # the office whose schedule this is; None: the one for every office
    version: int
    valid_from: date
    legal_basis: str
    note: str
    proposals: int  # how many groups still hold a proposed value
    groups: list[RetentionGroupOut]


class RetentionGroupEdit(BaseModel):
    """An admin's edit of one group: a new version; what is left out keeps its value."""

    model_config = ConfigDict(extra="forbid")

    retention: str = Field(min_length=1, max_length=32, description='"vinh-vien" hoặc số năm, ví dụ "10-nam"')
    title: str | None = Field(default=None, min_length=3, max_length=500)
    source: str | None = Field(default=None, min_length=10, max_length=500, description="Căn cứ của giá trị")
    confidence: Confidence | None = Field(default=None, description="read | secondary | proposal")
    office: str | None = Field(
        default=None, max_length=64, description="Mã đơn vị chỉ áp dụng cho đơn vị đó; bỏ trống: mọi đơn vị"
    )


class RetentionGroupVersion(BaseModel):
    """One version of a group, newest first in a history; version 0 is the shipped value."""

    version: int
    scope: Literal["shipped", "all-offices", "office"]
    office_code: str | None
    title: str
    retention: str
    retention_label: str
    source: str
    confidence: Confidence
    edited_by: str | None
    edited_at: datetime | None
    superseded_at: datetime | None
    current: bool


class RetentionGroupHistory(BaseModel):
    code: str
    versions: list[RetentionGroupVersion]


ReminderKind = Literal["transfer-due", "transfer-overdue", "kept-overdue", "retention-expired"]


class ReminderItem(BaseModel):
    dossier_id: int
    office_code: str
    file_code: str | None
    title: str
    state: str
    state_label: str
    retention: str
    retention_label: str
    closed_on: date
    due_on: date  # the deadline the section speaks of
    days: int  # days until it (negative: days past it)


class ReminderSection(BaseModel):
    kind: ReminderKind
    title: str
    clause: str
    count: int
    items: list[ReminderItem]


class RemindersOut(BaseModel):
    today: date
    sections: list[ReminderSection]
