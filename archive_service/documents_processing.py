"""One file through parse → extract → validate, as a value: used by the workers and by ``check``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from indexers.errors import ParseError
from schemas.fields import DocumentFields
from schemas.findings import Finding, Location, Severity
from schemas.parsed import ParsedDocument


@dataclass
class Analysis:
    parsed: ParsedDocument | None
    fields: DocumentFields | None
    findings: list[Finding] = field(default_factory=list)
    error_code: str | None = None
    error_message: str | None = None
    profile: str = "unknown"  # the profile the document was judged by (party | state)

    @property
    def validation_status(self) -> str:
        """ "error" | "warning" | "ok": the worst severity found ("error" when unreadable)."""
        if self.parsed is None or any(f.severity is Severity.ERROR for f in self.findings):
            return "error"
        if any(f.severity is Severity.WARNING for f in self.findings):
            return "warning"
        return "ok"


def parse_failure_finding(exc: ParseError) -> Finding:
    """A PARSE-* finding for a file that could not be read."""
    return Finding(
        code=exc.code,
        severity=Severity.ERROR,
        message=exc.message,
        hint=("Kiểm tra tệp: mở được bằng Word hoặc trình đọc PDF, không đặt mật khẩu, không hỏng; rồi tải lên lại."),
        clause="—",
        location=Location(),
    )


def analyse_file(
    path: Path,
    *,
    media_type: str | None = None,
    timeout_s: float = 120.0,
    memory_mb: int = 1536,
    profile: str = "auto",
) -> Analysis:
    """Parse in an isolated child process, extract the fields, run the document checks."""
    from archive_service.validation import detect_profile, validate_document
    from indexers.extract import extract_fields
    from indexers.parse import parse_file_isolated

    try:
        parsed = parse_file_isolated(path, media_type=media_type, timeout_s=timeout_s, memory_mb=memory_mb)
    except ParseError as exc:
        return Analysis(
            parsed=None,
            fields=None,
            findings=[parse_failure_finding(exc)],
            error_code=exc.code,
            error_message=exc.message,
        )
    fields = extract_fields(parsed)
    chosen = detect_profile(fields, parsed) if profile == "auto" else profile
    findings = validate_document(parsed, fields, profile=chosen)
    return Analysis(parsed=parsed, fields=fields, findings=findings, profile=chosen)
