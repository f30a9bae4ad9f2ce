"""Finding: one thing a check found wrong, in the shape fixed by shared/domain/checks.md."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class Severity(StrEnum):
    ERROR = "error"  # the rule was read in the regulation's own text
    WARNING = "warning"  # the rule comes from secondary sources
    INFO = "info"  # layout advice


class Location(BaseModel):
    page: int | None = None
    line: int | None = None
    paragraph: int | None = None
    text: str | None = None


class Finding(BaseModel):
    """``{"code", "severity", "message", "hint", "clause", "location"}`` — a public contract."""

    code: str
    severity: Severity
    message: str  # Vietnamese, one sentence
    hint: str  # how to fix it, Vietnamese
    clause: str  # e.g. "36-HD/VPTW mục II.1.3"
    location: Location | None = None
