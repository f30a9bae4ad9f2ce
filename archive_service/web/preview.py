"""The text preview of a document with each finding marked on the line its ``location`` names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemas.findings import severity_rank


@dataclass
class PreviewLine:
    number: int  # 0-based index, as in ParsedDocument.lines and Finding.location.line
    text: str
    marks: list[int] = field(default_factory=list)  # 1-based numbers of the findings on this line
    severity: str | None = None  # the worst severity marked here

    @property
    def anchor(self) -> str:
        return f"dong-{self.number}"


def _line_of(location: dict[str, Any] | None, lines: list[str]) -> int | None:
    """The line a finding points to: its ``line`` index, else the first line containing its ``text``."""
    if not location:
        return None
    line = location.get("line")
    if isinstance(line, int) and 0 <= line < len(lines):
        return line
    text = str(location.get("text") or "").strip()
    if text:
        for i, candidate in enumerate(lines):
            if text in candidate:
                return i
    return None


def build_preview(
    text: str | None, findings: list[tuple[str, dict[str, Any] | None]]
) -> tuple[list[PreviewLine], list[int | None]]:
    """The lines of ``text`` with marks, and for each finding (severity, location) the line it marks."""
    lines = (text or "").split("\n")
    preview = [PreviewLine(number=i, text=t) for i, t in enumerate(lines)] if text else []
    targets: list[int | None] = []
    for index, (severity, location) in enumerate(findings, start=1):
        target = _line_of(location, lines) if preview else None
        targets.append(target)
        if target is None:
            continue
        line = preview[target]
        line.marks.append(index)
        if line.severity is None or severity_rank(severity) < severity_rank(line.severity):
            line.severity = severity
    return preview, targets
