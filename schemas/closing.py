"""What travels for closing a dossier and keeping it back (NĐ 30/2020 Điều 29–30): requests and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Final

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_ID: Final = 2**63 - 1
DocumentId = Annotated[int, Field(ge=1, le=MAX_ID)]


class CloseRequest(BaseModel):
    """Kết thúc hồ sơ: the retention confirmed ("vinh-vien" or "10-nam") and the documents to take out."""

    model_config = ConfigDict(extra="forbid")

    retention: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]
    take_out: list[DocumentId] = Field(default_factory=list, max_length=5000)


class KeepRequest(BaseModel):
    """Giữ lại hồ sơ tại đơn vị: until when, and the head's written consent (its number and date)."""

    model_config = ConfigDict(extra="forbid")

    until: date
    consent: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class ChecklistItemOut(BaseModel):
    document_id: int
    filename: str
    number_line: str
    kind: str  # "reading" | "draft" | "superseded" | "duplicate" | "no-pages"
    reason: str


class ChecklistOut(BaseModel):
    """The closing checklist as the caller may see it: documents they may not read are only counted."""

    dossier_id: int
    state: str
    state_label: str
    retention: str
    minimum_retention: str | None
    minimum_note: str
    held: int
    hidden: int
    reading: list[ChecklistItemOut]
    take_out: list[ChecklistItemOut]
    hidden_blocking: int
    pages: int
    no_pages: list[ChecklistItemOut]
    hidden_no_pages: int
    end_date: date | None
    blocked: bool
    open_items: list[str]  # what stands in the way when every listed document is taken out


class RecordFileOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime


class RecordFileList(BaseModel):
    items: list[RecordFileOut]


class ClosedOut(BaseModel):
    """A closed dossier: what was set, taken out, made and locked."""

    dossier_id: int
    state: str
    state_label: str
    retention: str
    page_total: int
    end_date: date | None
    closed_at: datetime
    taken_out: list[int]
    files: list[RecordFileOut]
    locked_until: datetime | None
    legal_hold: bool
    worm_guaranteed: bool


class KeptOut(BaseModel):
    dossier_id: int
    state: str
    state_label: str
    kept_until: date
    consent: str


class HistoryEntry(BaseModel):
    """One step of the dossier's life as the audit trail holds it: who, when, from which state to which."""

    at: datetime
    user: str | None
    action: str
    label: str
    from_state: str | None
    to_state: str | None
    from_label: str | None
    to_label: str | None
    details: dict[str, Any]


class HistoryList(BaseModel):
    items: list[HistoryEntry]
