"""Bodies of the HTTP API (/api/v1)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    computed_field,
    field_validator,
    model_validator,
)

from schemas.code_labels import code_label
from schemas.dossier_state import state_label

MeetingBodyCode = Literal["BCH", "BTV", "TT"]

# Thời hạn bảo quản: "vĩnh viễn" or a number of years, 1 to 100 (../shared/domain/records-lifecycle.md,
# "Retention values": the schedule is data the office edits, so any term it names is a dossier's term too;
# archive_service/retention/values.py parses and orders them). RETENTION_CODES are the usual tiers the forms
# offer (reports/labels.RETENTION_LABELS); 5 years is the shortest term the office archive takes (NĐ 30 Điều 30).
RetentionCode = Annotated[str, StringConstraints(pattern=r"^(vinh-vien|[1-9][0-9]?-nam|100-nam)$")]
RETENTION_CODES: Final[tuple[str, ...]] = ("vinh-vien", "70-nam", "50-nam", "20-nam", "10-nam", "5-nam")

# Hồ sơ hội nghị or hồ sơ công việc; the medium it is kept on (NĐ 30/2020 Phụ lục VI).
DossierKindCode = Literal["hoi-nghi", "cong-viec"]
MediumCode = Literal["dien-tu", "giay", "ca-hai"]
# Chế độ sử dụng (NĐ 30/2020 Phụ lục VI, "Rights"): the choices the forms offer; any other text is accepted.
USAGE_MODES: Final[tuple[str, ...]] = ("Sử dụng rộng rãi", "Hạn chế sử dụng")

MAX_ID: Final = 2**63 - 1  # the catalog's ids are signed 64-bit integers
_INVISIBLE: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # control, format, surrogate, line/paragraph breaks


def _clean_text(value: object) -> object:
    """NFC, stripped, without control or format characters: a NUL would be refused by PostgreSQL (a 500), a
    line break or a bidi override would garble pages and reports; a zero-width space pasted from Word is noise."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE).strip()


def _clean_paragraphs(value: object) -> object:
    """As ``_clean_text`` but keeping line breaks between paragraphs (a description)."""
    if not isinstance(value, str):
        return value
    return "\n".join(str(_clean_text(line)) for line in value.replace("\r\n", "\n").split("\n")).strip()


# Text is cleaned and stripped first; a title blank after that is refused.
Title = Annotated[str, BeforeValidator(_clean_text), StringConstraints(min_length=1, max_length=500)]
Text32 = Annotated[str, BeforeValidator(_clean_text), StringConstraints(max_length=32)]
Text64 = Annotated[str, BeforeValidator(_clean_text), StringConstraints(max_length=64)]
Text255 = Annotated[str, BeforeValidator(_clean_text), StringConstraints(max_length=255)]
Text4000 = Annotated[str, BeforeValidator(_clean_paragraphs), StringConstraints(max_length=4000)]
PageTotal = Annotated[StrictInt, Field(ge=0, le=10_000_000, description="Số tờ/số trang")]
# Strict: JSON ``true`` or ``"2"`` is refused rather than stored as 1 or 2.
ObjectRef = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
SecrecyLevel = Annotated[StrictInt, Field(ge=0, le=3, description="0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật")]


def _refuse_null(value: object) -> object:
    """A before-validator for a field whose column cannot be empty: ``null`` is refused, not stored."""
    if value is None:
        raise ValueError("không được để trống (null)")
    return value


def check_dossier_shape(kind: str, meeting_body: str | None, start: date | None, end: date | None) -> None:
    """A hội nghị dossier names the body that met, a công việc dossier names none; it does not end before it
    starts. Raises ValueError (a 422 naming the rule) — shared by the API bodies and the catalog's update."""
    if kind == "hoi-nghi" and meeting_body is None:
        raise ValueError("hồ sơ hội nghị phải có cơ quan họp (meeting_body: BCH, BTV hoặc TT)")
    if kind == "cong-viec" and meeting_body is not None:
        raise ValueError("hồ sơ công việc không có cơ quan họp (bỏ meeting_body)")
    if start is not None and end is not None and end < start:
        raise ValueError("ngày kết thúc (end_date) không được trước ngày bắt đầu (start_date)")


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
    kind: DossierKindCode = Field("hoi-nghi", description="hoi-nghi (hồ sơ hội nghị) | cong-viec (hồ sơ công việc)")
    meeting_body: MeetingBodyCode | None = Field(
        None, description="Hồ sơ hội nghị: bắt buộc; hồ sơ công việc: không có"
    )
    meeting_number: Text64 | None = None
    meeting_date: date | None = None
    retention: RetentionCode = Field("vinh-vien", description="thời hạn bảo quản: vinh-vien | 70-nam … 5-nam")
    office_code: Text64 | None = Field(None, description="Admins only: the office it belongs to")
    committee_name: Text255 | None = Field(None, description="Cấp ủy họp, e.g. TỈNH ỦY THANH HÓA")
    committee_code: Text32 | None = Field(None, description="Ký hiệu cấp ủy, e.g. TU")
    # NĐ 30/2020 Điều 29, Phụ lục VI (FileCode, Creator, StartDate, EndDate, PageTotal, Description, Rights).
    # A dossier is tied to a file plan row only by opening it from that row (POST /api/v1/file-plans/…/open),
    # and marked ad hoc only through POST /api/v1/dossiers/ad-hoc, which requires the five fields of Điều 29.1.
    file_code: Text64 | None = Field(None, description="Số và ký hiệu hồ sơ, e.g. 01.VPTU")
    former_name: Text255 | None = Field(None, description="Người lập hồ sơ")
    start_date: date | None = None
    end_date: date | None = None
    medium: MediumCode = Field("dien-tu", description="dien-tu | giay | ca-hai")
    page_total: PageTotal | None = None
    description: Text4000 | None = None
    usage_mode: Text64 | None = Field(None, description="Chế độ sử dụng, e.g. Sử dụng rộng rãi, Hạn chế sử dụng")

    _date_is_text = field_validator("meeting_date", "start_date", "end_date", mode="before")(_refuse_number_as_date)

    @model_validator(mode="after")
    def _kind_and_dates_agree(self) -> DossierCreate:
        check_dossier_shape(self.kind, self.meeting_body, self.start_date, self.end_date)
        return self


class DossierUpdate(BaseModel):
    """The fields to change. ``null`` clears an optional field; title, kind, retention and medium cannot be
    cleared (their columns are never empty). A hội nghị dossier keeps its meeting_body, a công việc one has none."""

    model_config = ConfigDict(extra="forbid")
    title: Title | None = None
    kind: DossierKindCode | None = None
    meeting_body: MeetingBodyCode | None = None
    meeting_number: Text64 | None = None
    meeting_date: date | None = None
    retention: RetentionCode | None = None
    committee_name: Text255 | None = None
    committee_code: Text32 | None = None
    file_code: Text64 | None = None
    former_name: Text255 | None = None
    start_date: date | None = None
    end_date: date | None = None
    medium: MediumCode | None = None
    page_total: PageTotal | None = None
    description: Text4000 | None = None
    usage_mode: Text64 | None = None

    # meeting_body may be cleared (null) when a dossier becomes a work dossier; the result is checked whole.
    _not_null = field_validator("title", "kind", "retention", "medium", mode="before")(_refuse_null)
    _date_is_text = field_validator("meeting_date", "start_date", "end_date", mode="before")(_refuse_number_as_date)


class DossierOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    office_id: int
    title: str
    kind: str = "hoi-nghi"
    meeting_body: str | None
    meeting_number: str | None
    meeting_date: date | None
    retention: str
    committee_name: str | None = None
    committee_code: str | None = None
    file_code: str | None = None
    former_name: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    medium: str = "dien-tu"
    page_total: int | None = None
    description: str | None = None
    usage_mode: str | None = None
    plan_entry_id: int | None = None
    ad_hoc: bool = False
    state: str = "open"
    closed_at: datetime | None = None
    kept_until: date | None = None
    locked_until: datetime | None = None
    legal_hold: bool = False
    created_at: datetime
    updated_at: datetime
    document_count: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def state_label(self) -> str:
        """The state in Vietnamese (Đang lập, Đã kết thúc …)."""
        return state_label(self.state)


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
    # Destroyed after appraisal: the row stays as a tombstone; the notice names the decision (no bytes left).
    destroyed_at: datetime | None = None
    destruction_notice: str | None = None
    # Marked by the office as issued electronically: a digital signature is then required (SIG-MISSING).
    electronic: bool = False
    # Each digital signature and what its verification found (the shape of ``check --json``'s "signatures").
    signatures: list[dict[str, Any]] = Field(default_factory=list)


class DocumentUpdate(BaseModel):
    """Metadata an archivist may change; the original bytes never change.

    ``version_of: null`` removes the link to an earlier version; secrecy_level and dossier_id cannot be null.
    """

    model_config = ConfigDict(extra="forbid")
    secrecy_level: SecrecyLevel | None = None
    dossier_id: ObjectRef | None = Field(None, description="Move the document to another dossier of the same office")
    version_of: ObjectRef | None = Field(None, description="The document this one corrects")
    electronic: bool | None = Field(
        None, description="Văn bản điện tử đã ban hành: its digital signature is required (checked again at once)"
    )

    _not_null = field_validator("secrecy_level", "dossier_id", "electronic", mode="before")(_refuse_null)


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


class QueueCounts(BaseModel):
    """The job queue in numbers only (no document of anyone): what /readyz and the header badge show."""

    queued: int
    running: int
    failed: int
    oldest_queued_s: float | None = Field(None, description="Age of the oldest queued job, in seconds")


class ReadyReport(BaseModel):
    status: Literal["ok", "degraded"]
    checks: dict[str, str]
    queue: QueueCounts | None = Field(None, description="The backlog: information, never a reason to be unready")


class JobKindSummary(BaseModel):
    kind: str
    label: str
    queued: int = 0
    running: int = 0
    failed: int = 0
    oldest_queued_s: float | None = None


class RunningJobOut(BaseModel):
    """A job being worked, by whom, and how long since its holder's last sign of life (ids only, no titles)."""

    id: int
    kind: str
    document_id: int | None
    dossier_id: int | None
    page: int | None
    worker: str | None
    attempts: int
    heartbeat_age_s: float | None


class FailedJobOut(BaseModel):
    """A job failed after its last attempt: ``outage`` when a backend did not answer (queued again when back)."""

    id: int
    kind: str
    document_id: int | None
    dossier_id: int | None
    attempts: int
    outage: bool
    error: str = Field(description="The exception's type only (its text may quote a document)")


class JobSummary(BaseModel):
    """The backlog for admins: per kind and state, throughput, the live workers and what each is doing."""

    queued: int
    running: int
    failed: int
    oldest_queued_s: float | None
    done_last_5_min: int
    done_last_60_min: int
    live_workers: list[str]
    kinds: list[JobKindSummary]
    running_jobs: list[RunningJobOut]
    failed_jobs: list[FailedJobOut]


class CheckResult(BaseModel):
    """The outcome of checking one file without storing it (same shape as ``check --json``)."""

    file: str
    profile: str
    fields: dict[str, Any] | None
    findings: list[dict[str, Any]]
    validation_status: str
    signatures: list[dict[str, Any]] = Field(default_factory=list)
