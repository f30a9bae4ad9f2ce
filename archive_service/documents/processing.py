"""One file through parse → extract → validate, as a value: used by the workers and by ``check``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from indexers.errors import ParseError
from schemas.fields import DocumentFields
from schemas.findings import Finding, Severity
from schemas.parsed import ParsedDocument


@dataclass
class Analysis:
    parsed: ParsedDocument | None
    fields: DocumentFields | None
    findings: list[Finding] = field(default_factory=list)
    error_code: str | None = None
    error_message: str | None = None
    profile: str = "unknown"  # the profile the document was judged by (party | state)
    # Each digital signature as check --json and the API show it (validation.signatures.signature_json).
    signatures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pending(self) -> list[int]:
        """Scanned pages left to page jobs: the reading is not finished, nothing of it is to be stored yet."""
        return list(self.parsed.ocr_pending) if self.parsed is not None else []

    @property
    def validation_status(self) -> str:
        """ "error" | "warning" | "ok": the worst severity found ("error" when unreadable)."""
        if self.parsed is None or any(f.severity is Severity.ERROR for f in self.findings):
            return "error"
        if any(f.severity is Severity.WARNING for f in self.findings):
            return "warning"
        return "ok"


Reader = Callable[[Path], ParsedDocument]
Extractor = Callable[[ParsedDocument], DocumentFields]


def parse_failure_finding(exc: Exception) -> Finding:
    """A PARSE-* finding for a file that could not be read (the error's code and Vietnamese message)."""
    return Finding(
        code=str(getattr(exc, "code", "PARSE-CORRUPT")),
        severity=Severity.ERROR,
        message=str(getattr(exc, "message", exc)),
        hint="Kiểm tra tệp: mở được bằng Word hoặc trình đọc PDF, không đặt mật khẩu, định dạng DOCX hoặc PDF.",
        clause="—",
        location=None,
    )


def analyse_file(
    path: Path,
    *,
    media_type: str | None = None,
    timeout_s: float = 120.0,
    memory_mb: int = 1536,
    profile: str = "auto",
    reader: Reader | None = None,
    extractor: Extractor | None = None,
    parse_error: type[Exception] = ParseError,
    trust_dir: Path | None = None,
    electronic: bool = False,
    defer_ocr: bool = False,
    recognised: Sequence[Mapping[str, Any]] = (),
) -> Analysis:
    """Parse (by default in the sandbox, within the budgets), extract the fields, run the document checks.

    ``reader``, ``extractor`` and ``parse_error`` replace the parts for tools and tests; an unreadable
    file gives an Analysis with one PARSE-* finding, never an exception. ``trust_dir`` holds the signature
    trust anchors; ``electronic``: the office marks the document as issued electronically (SIG-MISSING).
    ``defer_ocr``: a scan's pages are left to page jobs (``Analysis.pending``, neither extracted nor checked yet);
    ``recognised``: the pages those jobs read (``indexers.ocr.result_json``), joined into this reading.
    """
    from archive_service.validation import detect_profile, review_signatures, sort_key, validate_document
    from indexers.extract import extract_fields
    from indexers.parse import parse_file_isolated

    read = reader or partial(
        parse_file_isolated,
        media_type=media_type,
        timeout_s=timeout_s,
        memory_mb=memory_mb,
        trust_dir=trust_dir,
        defer_ocr=defer_ocr,
        recognised=recognised,
    )
    try:
        parsed = read(path)
    except parse_error as exc:
        finding = parse_failure_finding(exc)
        return Analysis(
            parsed=None,
            fields=None,
            findings=[finding],
            error_code=finding.code,
            error_message=finding.message,
            profile=profile,
        )
    if parsed.ocr_pending:
        return Analysis(parsed=parsed, fields=None, profile=profile)
    fields = (extractor or extract_fields)(parsed)
    chosen = detect_profile(fields, parsed) if profile == "auto" else profile
    findings = validate_document(parsed, fields, profile=chosen)
    signed = review_signatures(parsed, fields, profile=chosen, electronic=electronic)
    findings = sorted([*findings, *signed.findings], key=sort_key)
    return Analysis(parsed=parsed, fields=fields, findings=findings, profile=chosen, signatures=signed.signatures)
