"""Bodies of the file plan (danh mục hồ sơ, NĐ 30/2020 Điều 28, Phụ lục V.I) API and import files.

A plan is imported whole (YAML or JSON, ``FilePlanCreate`` with its ``headings``) or built row by row. Two levels
of đề mục: a top heading (Roman numerals) may hold sub-headings (Arabic numerals) and entries; a sub-heading holds
entries only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from schemas.api import DossierKindCode, MeetingBodyCode, Text64, Text255, Text4000, Title

PlanYear = Annotated[StrictInt, Field(ge=1900, le=2200, description="Năm của danh mục")]
Numbering = Literal["plan", "heading"]
Position = Annotated[StrictInt, Field(ge=0, le=100_000)]
Ref = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]
RetentionText = Annotated[str, Field(min_length=1, max_length=32, description="vinh-vien hoặc <n>-nam, ví dụ 10-nam")]


def _require_text(value: object) -> object:
    if value is None:
        raise ValueError("không được để trống (null)")
    return value


class EntryIn(BaseModel):
    """A planned dossier: Số và ký hiệu hồ sơ | Tiêu đề | Thời hạn bảo quản | Người lập hồ sơ | Ghi chú.

    Without ``file_code`` the next number of the plan (or of its đề mục lớn) joined to the office code is given.
    """

    model_config = ConfigDict(extra="forbid")
    file_code: Text64 | None = Field(None, description="Số và ký hiệu hồ sơ, ví dụ 01.VPTU")
    title: Title
    retention: RetentionText
    former_name: Text255 | None = Field(None, description="Người lập hồ sơ")
    note: Text4000 | None = Field(None, description="Ghi chú")
    kind: DossierKindCode = "cong-viec"


class HeadingIn(BaseModel):
    """A đề mục with its entries; a top one may hold sub-headings (one level more, no deeper)."""

    model_config = ConfigDict(extra="forbid")
    title: Title
    entries: list[EntryIn] = Field(default_factory=list, max_length=2000)
    headings: list[HeadingIn] = Field(default_factory=list, max_length=200)


class FilePlanCreate(BaseModel):
    """A new plan for an office and year, empty or with its whole tree (an import)."""

    model_config = ConfigDict(extra="forbid")
    year: PlanYear
    office_code: Text64 | None = Field(None, description="Quản trị: đơn vị của danh mục (mặc định: đơn vị mình)")
    title: Title | None = None
    numbering: Numbering = Field("plan", description="plan: đánh số 01… suốt danh mục; heading: trong từng đề mục lớn")
    entries: list[EntryIn] = Field(default_factory=list, max_length=2000, description="Hồ sơ ngoài mọi đề mục")
    headings: list[HeadingIn] = Field(default_factory=list, max_length=200)


class FilePlanUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Title | None = None
    numbering: Numbering | None = None

    _not_null = field_validator("title", "numbering", mode="before")(_require_text)


class HeadingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Title
    parent_id: Ref | None = Field(None, description="Đề mục lớn chứa đề mục nhỏ này")
    position: Position | None = Field(None, description="Thứ tự (mặc định: cuối)")


class HeadingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Title | None = None
    position: Position | None = None

    _not_null = field_validator("title", "position", mode="before")(_require_text)


class EntryCreate(EntryIn):
    heading_id: Ref | None = Field(None, description="Đề mục của hồ sơ (không có: ngoài mọi đề mục)")
    position: Position | None = None


class EntryUpdate(BaseModel):
    """The fields to change; ``heading_id`` moves the row under another đề mục of the same plan."""

    model_config = ConfigDict(extra="forbid")
    file_code: Text64 | None = None
    title: Title | None = None
    retention: RetentionText | None = None
    former_name: Text255 | None = None
    note: Text4000 | None = None
    kind: DossierKindCode | None = None
    heading_id: Ref | None = None
    position: Position | None = None

    _not_null = field_validator("file_code", "title", "retention", "kind", "position", mode="before")(_require_text)


class FilePlanApprove(BaseModel):
    """The head of the body's approval: the decision that issues the plan (NĐ 30/2020 Điều 28)."""

    model_config = ConfigDict(extra="forbid")
    decision_number: Annotated[Text64, Field(min_length=1)]
    decision_date: date
    approver_name: Annotated[Text255, Field(min_length=1)]


class OpenFromEntry(BaseModel):
    """Open the dossier of a plan row; a hội nghị row needs the body that met."""

    model_config = ConfigDict(extra="forbid")
    meeting_body: MeetingBodyCode | None = None
    meeting_number: Text64 | None = None
    meeting_date: date | None = None
    start_date: date | None = Field(None, description="Mặc định: hôm nay")


class AdHocDossier(BaseModel):
    """A dossier outside the plan with the five fields of NĐ 30/2020 Điều 29.1: tiêu đề, số và ký hiệu, thời hạn
    bảo quản, người lập hồ sơ, thời gian bắt đầu — each required (a 422 names the one missing)."""

    model_config = ConfigDict(extra="forbid")
    title: Title
    file_code: Annotated[Text64, Field(min_length=1)]
    retention: RetentionText
    former_name: Annotated[Text255, Field(min_length=1)]
    start_date: date
    kind: DossierKindCode = "cong-viec"
    meeting_body: MeetingBodyCode | None = None
    office_code: Text64 | None = Field(None, description="Quản trị: đơn vị của hồ sơ")


class EntryOut(BaseModel):
    id: int
    heading_id: int | None
    position: int
    number: str  # "01": its place in the plan or its đề mục lớn
    file_code: str
    title: str
    retention: str
    retention_label: str
    former_name: str | None
    note: str | None
    kind: str
    dossier_id: int | None = None  # the dossier opened from this row
    dossier_state: str | None = None
    dossier_state_label: str | None = None


class HeadingOut(BaseModel):
    id: int
    parent_id: int | None
    position: int
    number: str  # "I" for a đề mục lớn, "1" for a đề mục nhỏ
    title: str
    entries: list[EntryOut]
    headings: list[HeadingOut]


class FilePlanCounts(BaseModel):
    """The closing counts of NĐ 30 Phụ lục V.I: how many dossiers, kept permanently, kept for a term."""

    total: int
    permanent: int
    term: int


class FilePlanOut(BaseModel):
    id: int
    office_id: int
    office_code: str
    office_name: str
    year: int
    title: str
    numbering: str
    decision_number: str | None
    decision_date: date | None
    approver_name: str | None
    approved_at: datetime | None
    approved: bool
    entries: list[EntryOut]
    headings: list[HeadingOut]
    counts: FilePlanCounts
    created_at: datetime
    updated_at: datetime


class FilePlanSummary(BaseModel):
    id: int
    office_id: int
    office_code: str
    year: int
    title: str
    approved: bool
    decision_number: str | None
    counts: FilePlanCounts


class FilePlanList(BaseModel):
    items: list[FilePlanSummary]
