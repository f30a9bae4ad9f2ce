"""Bodies of the HTTP API (/api/v1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MeetingBodyCode = Literal["BCH", "BTV", "TT"]


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: ``{"error": {"code", "message"}}``, the message in Vietnamese."""

    error: ErrorDetail


class DossierCreate(BaseModel):
    title: str = Field(min_length=1, max_length=500)
    meeting_body: MeetingBodyCode
    meeting_number: str | None = Field(None, max_length=64)
    meeting_date: date | None = None
    retention: str = Field("vinh-vien", max_length=32, description="thời hạn bảo quản: vinh-vien | 20-nam …")
    office_code: str | None = Field(None, description="Admins only: the office it belongs to")
    committee_name: str | None = Field(None, max_length=255, description="Cấp ủy họp, e.g. TỈNH ỦY THANH HÓA")
    committee_code: str | None = Field(None, max_length=32, description="Ký hiệu cấp ủy, e.g. TU")


class DossierUpdate(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=500)
    meeting_body: MeetingBodyCode | None = None
    meeting_number: str | None = Field(None, max_length=64)
    meeting_date: date | None = None
    retention: str | None = Field(None, max_length=32)
    committee_name: str | None = Field(None, max_length=255)
    committee_code: str | None = Field(None, max_length=32)


class DossierOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    office_id: int
    title: str
    meeting_body: str
    meeting_number: str | None
    meeting_date: date | None
    retention: str
    committee_name: str | None = None
    committee_code: str | None = None
    created_at: datetime
    updated_at: datetime
    document_count: int = 0


class DossierList(BaseModel):
    items: list[DossierOut]
    total: int


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    office_id: int
    dossier_id: int
    sha256: str
    size: int
    media_type: str
    original_filename: str
    uploaded_by: int
    uploaded_at: datetime
    version_of: int | None
    status: str
    parse_error_code: str | None
    parse_error_message: str | None
    page_count: int | None
    ocr: bool
    validation_status: str
    secrecy_level: int
    fields: dict[str, Any] | None


class DocumentUpdate(BaseModel):
    """Metadata an archivist may change; the original bytes never change."""

    secrecy_level: int | None = Field(None, ge=0, le=3, description="0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật")
    dossier_id: int | None = Field(None, description="Move the document to another dossier of the same office")
    version_of: int | None = Field(None, description="The document this one corrects")


class DocumentList(BaseModel):
    items: list[DocumentOut]
    total: int


class UploadItem(BaseModel):
    """The outcome for one file of a multipart upload."""

    filename: str
    duplicate: bool = False
    document: DocumentOut | None = None
    error: ErrorDetail | None = None


class UploadResult(BaseModel):
    items: list[UploadItem]


class FindingOut(BaseModel):
    code: str
    severity: str
    message: str
    hint: str
    clause: str
    location: dict[str, Any] | None


class FindingList(BaseModel):
    items: list[FindingOut]


class ReadyReport(BaseModel):
    status: Literal["ok", "degraded"]
    checks: dict[str, str]


class CheckResult(BaseModel):
    """The outcome of checking one file without storing it (same shape as ``check --json``)."""

    file: str
    profile: str
    fields: dict[str, Any] | None
    findings: list[dict[str, Any]]
    validation_status: str
