"""Bodies of the holds API (đóng băng, NĐ 30/2020 Phụ lục VI): placing, lifting and listing holds."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from schemas.api import ObjectRef, _clean_paragraphs

# "freeze": đóng băng by an authorised person; "request": a pending request (khai thác, thanh tra, khiếu nại)
# that holds the records as they are until it is answered.
HoldKind = Literal["freeze", "request"]
Reason = Annotated[str, BeforeValidator(_clean_paragraphs), StringConstraints(min_length=1, max_length=2000)]


class HoldCreate(BaseModel):
    """A dossier, or a set of documents of one office — one of the two, never both."""

    model_config = ConfigDict(extra="forbid")
    dossier_id: ObjectRef | None = None
    document_ids: Annotated[list[ObjectRef], Field(max_length=1000)] | None = None
    reason: Reason
    kind: HoldKind = "freeze"

    @model_validator(mode="after")
    def _one_target(self) -> HoldCreate:
        if (self.dossier_id is None) == (not self.document_ids):
            raise ValueError("chọn một hồ sơ, hoặc một số văn bản (không chọn cả hai)")
        return self


class HoldLift(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Reason


class HoldOut(BaseModel):
    id: int
    office_id: int
    kind: HoldKind
    dossier_id: int | None
    document_ids: list[int]
    reason: str
    placed_by: str
    placed_at: datetime
    active: bool
    lifted_by: str | None = None
    lifted_at: datetime | None = None
    lift_reason: str | None = None


class HoldList(BaseModel):
    items: list[HoldOut]
    total: int
