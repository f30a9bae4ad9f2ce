"""The shipped retention schedule (bảng thời hạn bảo quản, ``retention_schedule.yaml``) as checked values.

The Party's own tables (35-HD/VPTW, 18/10/2010) were not read, so every shipped value is a proposal the office
edits; the file carries its version, legal basis and that note, and each group says where its value comes from
and how sure it is (``confidence``). Pure: reading and checking the file, nothing of the catalog.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path
from typing import Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from schemas import yaml_text

SCHEDULE_PATH: Final = Path(__file__).with_name("retention_schedule.yaml")
GROUP_CODE: Final = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")
RETENTION_VALUE: Final = re.compile(r"^(vinh-vien|[1-9]\d{0,2}-nam)$")

Confidence = Literal["read", "secondary", "proposal"]
CONFIDENCE_LABELS: Final[dict[str, str]] = {
    "read": "Đã đọc văn bản",
    "secondary": "Nguồn thứ cấp",
    "proposal": "Đề xuất",
}


class ScheduleError(ValueError):
    """The schedule file is malformed (a packaging or editing mistake, found at first use)."""


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


class GroupMatch(BaseModel):
    """What a group applies to: dossiers (kind, meeting body, title) or documents (ký hiệu loại, tên loại, trích
    yếu). Every condition given must hold; a list holds when the value is one of its items."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dossier_kind: Literal["hoi-nghi", "cong-viec"] | None = None
    meeting_bodies: list[Literal["BCH", "BTV", "TT"]] = Field(default_factory=list)
    title_pattern: str | None = None  # searched in the dossier's title, case-insensitively
    type_codes: list[str] = Field(default_factory=list)  # fields.type_code: "NQ", "QĐ", "CTr" …
    document_types: list[str] = Field(default_factory=list)  # fields.document_type when no type code was read
    summary_pattern: str | None = None  # searched in the trích yếu, case-insensitively
    in_dossier_kind: Literal["hoi-nghi", "cong-viec"] | None = None  # a document filed in this kind of dossier

    @field_validator("title_pattern", "summary_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return None if value is None else _nfc(value)

    @field_validator("type_codes", "document_types")
    @classmethod
    def _normal(cls, values: list[str]) -> list[str]:
        return [_nfc(v) for v in values]

    @property
    def for_dossiers(self) -> bool:
        return self.dossier_kind is not None

    @model_validator(mode="after")
    def _one_target(self) -> GroupMatch:
        dossier_side = self.dossier_kind is not None or self.meeting_bodies or self.title_pattern
        document_side = self.type_codes or self.document_types or self.summary_pattern or self.in_dossier_kind
        if bool(dossier_side) == bool(document_side):
            raise ValueError("a group matches either dossiers (dossier_kind …) or documents (type_codes …)")
        if dossier_side and self.dossier_kind is None:
            raise ValueError("a dossier group names its dossier_kind")
        if document_side and not (self.type_codes or self.document_types):
            raise ValueError("a document group names type_codes or document_types")
        return self


class ScheduleGroup(BaseModel):
    """One row of the schedule: a group of records, its retention and where that value comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    title: str = Field(min_length=3)
    retention: str
    source: str = Field(min_length=10)
    confidence: Confidence
    matches: GroupMatch

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not GROUP_CODE.match(value):
            raise ValueError(f"{value!r} is not a group code (upper-case words joined by '-')")
        return value

    @field_validator("retention")
    @classmethod
    def _retention(cls, value: str) -> str:
        if not RETENTION_VALUE.match(value):
            raise ValueError(f"{value!r} is not 'vinh-vien' or '<n>-nam'")
        return value

    @field_validator("title", "source")
    @classmethod
    def _text(cls, value: str) -> str:
        return _nfc(value.strip())


class RetentionSchedule(BaseModel):
    """The whole file: its version, from when it holds, its legal basis and the note on what was not read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    valid_from: date
    legal_basis: str = Field(min_length=20)
    note: str = Field(min_length=20)
    groups: list[ScheduleGroup] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_codes(self) -> RetentionSchedule:
        codes = [g.code for g in self.groups]
        doubled = {c for c in codes if codes.count(c) > 1}
        if doubled:
            raise ValueError(f"group codes used twice: {sorted(doubled)}")
        return self

    def group(self, code: str) -> ScheduleGroup | None:
        return next((g for g in self.groups if g.code == code), None)


def load_schedule_file(path: Path = SCHEDULE_PATH) -> RetentionSchedule:
    """Read and check a schedule file; ``ScheduleError`` names the file when it is malformed."""
    try:
        raw = yaml_text.safe_load(path.read_text(encoding="utf-8"))
        return RetentionSchedule.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError, re.error) as exc:
        raise ScheduleError(f"{path.name}: {exc}") from exc


@cache
def shipped_schedule() -> RetentionSchedule:
    """The schedule shipped with the service (read once)."""
    return load_schedule_file()
