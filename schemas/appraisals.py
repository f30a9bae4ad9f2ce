"""Bodies of the appraisal API (/api/v1/appraisals): xác định giá trị tài liệu and destruction (29-HD/VPTW)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from schemas.api import ObjectRef, Text64, _clean_text, _refuse_number_as_date

Opinion = Annotated[str, BeforeValidator(_clean_text), StringConstraints(min_length=1, max_length=5000)]
Required64 = Annotated[str, BeforeValidator(_clean_text), StringConstraints(min_length=1, max_length=64)]
Required255 = Annotated[str, BeforeValidator(_clean_text), StringConstraints(min_length=1, max_length=255)]


class AppraisalCreate(BaseModel):
    """Dossiers past their retention to put before the Hội đồng xác định giá trị tài liệu (one office)."""

    model_config = ConfigDict(extra="forbid")
    dossier_ids: list[ObjectRef] = Field(max_length=500)


class CouncilIn(BaseModel):
    """The council's members, the day it met and its opinion."""

    model_config = ConfigDict(extra="forbid")
    members: list[Required255] = Field(min_length=1, max_length=50)
    meeting_date: date
    opinion: Opinion

    _date_is_text = field_validator("meeting_date", mode="before")(_refuse_number_as_date)


class DecisionIn(BaseModel):
    """The head's decision: its number, date, who signed it; the dossiers the decision keeps (the rest destroyed)."""

    model_config = ConfigDict(extra="forbid")
    decision_number: Required64
    decision_date: date
    approver_name: Required255
    keep_ids: list[ObjectRef] = Field(default_factory=list, max_length=500)

    _date_is_text = field_validator("decision_date", mode="before")(_refuse_number_as_date)


class DestroyIn(BaseModel):
    """Never one click: the decision number typed again."""

    model_config = ConfigDict(extra="forbid")
    confirm: Text64


class ExpiredOut(BaseModel):
    dossier_id: int
    office_id: int
    title: str
    code: str
    state: str
    retention: str
    retention_label: str
    closed_at: datetime | None
    kept_until: date


class ExpiredList(BaseModel):
    items: list[ExpiredOut]


class AppraisalDossierOut(BaseModel):
    id: int
    code: str
    title: str
    state: str
    state_label: str
    kept_until: date | None
    document_count: int  # the documents the caller may read
    hidden_documents: int  # held documents the caller may not read: counted, never named


class RecordFileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    filename: str
    media_type: str
    size: int
    sha256: str


class AppraisalOut(BaseModel):
    id: int
    office_id: int
    state: str
    state_label: str
    dossier_ids: list[int]
    council_members: list[str] | None
    council_date: date | None
    council_opinion: str | None
    decision_number: str | None
    decision_date: date | None
    approver_name: str | None
    created_at: datetime
    approved_at: datetime | None
    destroyed_at: datetime | None
    dossiers: list[AppraisalDossierOut]
    record_files: list[RecordFileOut]


class DestructionOut(BaseModel):
    appraisal: AppraisalOut
    destroyed_document_ids: list[int]
    kept_document_ids: list[int]  # still held by a dossier that is kept: not destroyed
    deleted_blobs: int
