"""Typed inputs of the dossier checks (hồ sơ hội nghị): the meeting and the documents filed in it."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel

from schemas.fields import DocumentFields


class MeetingBody(StrEnum):
    """Which body met: Ban Chấp hành (hội nghị BCH), Ban Thường vụ, or the Thường trực cấp ủy."""

    BCH = "BCH"
    BTV = "BTV"
    TT = "TT"


class DossierInfo(BaseModel):
    """One meeting dossier (hồ sơ hội nghị): who met, when, and which committee it belongs to."""

    meeting_body: MeetingBody
    meeting_date: date
    committee_name: str  # tên cấp ủy as in the header, e.g. "TỈNH ỦY THANH HÓA"
    committee_code: str | None = None  # ký hiệu cơ quan after "/", e.g. "TU"


class DossierDocument(BaseModel):
    """One document filed in a dossier, with the fields extracted from it."""

    id: str
    fields: DocumentFields
    filename: str | None = None
