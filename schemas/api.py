"""Bodies of the HTTP API (/api/v1)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    computed_field,
    field_validator,
)

from schemas.code_labels import code_label

MeetingBodyCode = Literal["BCH", "BTV", "TT"]

# Thời hạn bảo quản: "vĩnh viễn" or a number of years (../shared/domain/records-lifecycle.md, "Retention
# values"; NĐ 30/2020 Điều 30: a dossier kept 5 years or more goes to the office archive). The values are
# the web form's (reports/labels.RETENTION_LABELS), and 5 years, the shortest term the office archive takes.
RetentionCode = Literal["vinh-vien", "70-nam", "50-nam", "20-nam", "10-nam", "5-nam"]
RETENTION_CODES: Final[tuple[str, ...]] = get_args(RetentionCode)

MAX_ID: Final = 2**63 - 1  # the catalog's ids are signed 64-bit integers
_INVISIBLE: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # control, format, surrogate, line/paragraph breaks


def _clean_text(value: object) -> object:
    """NFC, stripped, without control or format characters: a NUL would be refused by PostgreSQL (a 500), a
    line break or a bidi override would garble pages and reports; a zero-width space pasted from Word is noise."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE).strip()


# Text is cleaned and stripped first; a title blank after that is refused.
Title = Annotated[str, BeforeValidator(_clean_text), StringConstraints(min_length=1, max_length=500)]
Text32 = Annotated[str, BeforeValidator(_clean_text), StringConstraints(max_length=32)]
Text64 = Annotated[str, BeforeValidator(_clean_text), StringConstraints(max_length=64)]
Text255 = Annotated[str, BeforeValidator(_clean_text), StringConstraints(max_length=255)]
# Strict: JSON ``true`` or ``"2"`` is refused rather than stored as 1 or 2.
ObjectRef = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
SecrecyLevel = Annotated[StrictInt, Field(ge=0, le=3, description="0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật")]


def _refuse_null(value: object) -> object:
    """A before-validator for a field whose column cannot be empty: ``null`` is refused, not stored."""
    if value is None:
        raise ValueError("không được để trống (null)")
    return value


def _refuse_number_as_date(value: object) -> object:
    """Pydantic reads a number as a Unix time; a meeting date is only ever written as a date."""
    if isinstance(value, int | float):
        raise ValueError("ngày phải viết dạng YYYY-MM-DD")
    return value


class ErrorDetail(BaseModel):
    code: str
    message: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        """The code in words (``schemas/code_labels.yaml``), beside the code that programs match on."""
        return code_label(self.code)


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: ``{"error": {"code", "label", "message"}}``, label and message in Vietnamese."""

    error: ErrorDetail


class DossierCreate(BaseModel):
    """A new dossier; unknown fields are refused so that a misspelt one is not silently dropped."""

    model_config = ConfigDict(extra="forbid")
    title: Title
    meeting_body: MeetingBodyCode
    meeting_number: Text64 | None = None
    meeting_date: date | None = None
    retention: RetentionCode = Field("vinh-vien", description="thời hạn bảo quản: vinh-vien | 70-nam … 5-nam")
    office_code: Text64 | None = Field(None, description="Admins only: the office it belongs to")
    committee_name: Text255 | None = Field(None, description="Cấp ủy họp, e.g. TỈNH ỦY THANH HÓA")
    committee_code: Text32 | None = Field(None, description="Ký hiệu cấp ủy, e.g. TU")

    _date_is_text = field_validator("meeting_date", mode="before")(_refuse_number_as_date)


class DossierUpdate(BaseModel):
    """The fields to change. ``null`` clears meeting_number, meeting_date, committee_name and committee_code;
    title, meeting_body and retention cannot be cleared (their columns are never empty)."""

    model_config = ConfigDict(extra="forbid")
    title: Title | None = None
    meeting_body: MeetingBodyCode | None = None
    meeting_number: Text64 | None = None
    meeting_date: date | None = None
    retention: RetentionCode | None = None
    committee_name: Text255 | None = None
    committee_code: Text32 | None = None

    _not_null = field_validator("title", "meeting_body", "retention", mode="before")(_refuse_null)
    _date_is_text = field_validator("meeting_date", mode="before")(_refuse_number_as_date)


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
    """Metadata an archivist may change; the original bytes never change.

    ``version_of: null`` removes the link to an earlier version; secrecy_level and dossier_id cannot be null.
    """

    model_config = ConfigDict(extra="forbid")
    secrecy_level: SecrecyLevel | None = None
    dossier_id: ObjectRef | None = Field(None, description="Move the document to another dossier of the same office")
    version_of: ObjectRef | None = Field(None, description="The document this one corrects")

    _not_null = field_validator("secrecy_level", "dossier_id", mode="before")(_refuse_null)


class DocumentList(BaseModel):
    items: list[DocumentOut]
    total: int


class DuplicateOf(BaseModel):
    """Where an uploaded file is already stored (a document the caller may read), and whether to link it here."""

    dossier_id: int
    dossier_title: str
    in_this_dossier: bool  # the upload's dossier already holds it (its own or linked): nothing to link


class UploadItem(BaseModel):
    """The outcome for one file of a multipart upload."""

    filename: str
    duplicate: bool = False
    document: DocumentOut | None = None
    error: ErrorDetail | None = None
    hidden: bool = False  # a duplicate of a document the caller may not read: nothing about it is shown
    duplicate_of: DuplicateOf | None = None  # a readable duplicate: the dossier it is filed in
    reattached: bool = False  # the same file, once removed from this dossier, put back into it


class LinkRequest(BaseModel):
    """Link a stored document into a dossier too (``POST /api/v1/dossiers/{id}/links``): the same original."""

    model_config = ConfigDict(extra="forbid")
    document_id: ObjectRef


class LinkResult(BaseModel):
    """The dossier's count after a link, and whether the link was new (False: the dossier already held it)."""

    dossier_id: int
    document_id: int
    linked: bool
    document_count: int


class UploadResult(BaseModel):
    items: list[UploadItem]


class FindingOut(BaseModel):
    code: str
    severity: str
    message: str
    hint: str
    clause: str
    location: dict[str, Any] | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        """The code in words (``schemas/code_labels.yaml``), beside the code that programs match on."""
        return code_label(self.code)


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
