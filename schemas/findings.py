"""Finding: one thing a check found wrong, in the shape fixed by shared/domain/checks.md."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Severity(StrEnum):
    ERROR = "error"  # the rule was read in the regulation's own text
    WARNING = "warning"  # the rule comes from secondary sources
    INFO = "info"  # layout advice


SEVERITY_RANK: dict[str, int] = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
"""The one order of severities (errors first); a stored severity the enum does not know sorts last."""


def severity_rank(severity: str | None) -> int:
    """Where a severity sorts: errors 0, warnings 1, information 2, anything else after them."""
    return SEVERITY_RANK.get(severity or "", len(SEVERITY_RANK))


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
    # A dossier finding: the ids of the dossier's documents it speaks of ([] for an absence, such as no
    # biên bản). Kept in the catalog to show the finding only to who may read those documents.
    # Not part of the public shape: never serialised.
    documents: list[str] | None = Field(default=None, exclude=True)
