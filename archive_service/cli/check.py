"""The offline ``archive-service check PATH… [--json] [--profile auto|party|state] [--trust-dir DIR] [--electronic]``.

Reads, extracts, validates and prints. It lives with the CLI, not in ``validation``: it is an edge (it parses
arguments and renders), and it calls ``documents_processing.analyse_file``, which calls ``validation``, so a
home inside ``validation`` made the two packages import each other.

Runs with no server, database or configuration, so that archivists can check files before uploading them.
``--json`` prints one array with an object per file — ``{"file", "profile", "fields", "findings", "signatures"}``
— a public contract read by other programs. Exit code: 0 no error, 1 an error found, 2 a file could not be read.

Digital signatures are verified with the trust anchors of ``--trust-dir`` (default ``ARCHIVE_SIGNATURE_TRUST_DIR``;
without one the chain is not checked, SIG-CERT-UNTRUSTED is only information). ``--electronic`` says the files are
electronic documents already issued: one without a signature is then SIG-MISSING.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Final, TextIO

from archive_service.documents.processing import Extractor, Reader, analyse_file
from archive_service.documents.signature_view import SignatureLine, signature_lines
from archive_service.reports.text import local_time
from archive_service.validation.engine import PROFILES, regime_label, sort_key
from schemas.code_labels import code_label
from schemas.fields import DocumentFields
from schemas.findings import Finding, Location, Severity

EXIT_OK: Final = 0
EXIT_ERRORS: Final = 1
EXIT_UNREADABLE: Final = 2

SEVERITY_VI: Final = {Severity.ERROR: "LỖI", Severity.WARNING: "CẢNH BÁO", Severity.INFO: "GỢI Ý"}
PROFILE_VI: Final = {
    "party": "văn bản của Đảng",
    "state": "văn bản nhà nước",
}


@dataclass
class FileResult:
    file: str
    profile: str
    fields: DocumentFields | None
    findings: list[Finding]
    unreadable: bool = False
    signatures: list[dict[str, Any]] = field(default_factory=list)  # validation.signatures.signature_json each

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "profile": self.profile,
            "fields": self.fields.model_dump(mode="json") if self.fields is not None else None,
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "signatures": self.signatures,
        }


def _default_reader(trust_dir: Path | None = None) -> tuple[Reader, Extractor, type[Exception]]:
    # Imported here: the readers pull in PDF and DOCX libraries the rest of validation does not need.
    from indexers.errors import ParseError
    from indexers.extract import extract_fields
    from indexers.parse import parse_file

    return partial(parse_file, trust_dir=trust_dir), extract_fields, ParseError


def check_file(
    path: Path,
    *,
    profile: str,
    reader: Reader,
    extractor: Extractor,
    parse_error: type[Exception],
    shown_as: str | None = None,
    electronic: bool = False,
) -> FileResult:
    """Check one file; an unreadable file yields a ``PARSE-*`` finding instead of raising."""
    analysis = analyse_file(
        path, profile=profile, reader=reader, extractor=extractor, parse_error=parse_error, electronic=electronic
    )
    return FileResult(
        file=shown_as if shown_as is not None else str(path),
        profile=analysis.profile,
        fields=analysis.fields,
        findings=analysis.findings,
        unreadable=analysis.parsed is None,
        signatures=analysis.signatures,
    )


def _where(loc: Location | None) -> str:
    if loc is None:
        return "toàn văn bản"
    parts = []
    if loc.page is not None:
        parts.append(f"trang {loc.page}")
    if loc.line is not None:
        parts.append(f"dòng {loc.line + 1}")
    where = ", ".join(parts) or "văn bản"
    if loc.text:
        text = loc.text if len(loc.text) <= 60 else loc.text[:57] + "…"
        where += f": «{text}»"
    return where


def _signature_text(number: int, line: SignatureLine) -> list[str]:
    """One signature for people: who, when (and whether a timestamp proves it), valid or why not."""
    who = line.signer
    about = [x for x in (line.kind, line.organization, line.role) if x]
    if about:
        who += f" ({'; '.join(about)})"
    when = f"{local_time(line.signed_at):%d/%m/%Y %H:%M}, {line.when_proof}" if line.signed_at else line.when_proof
    verdict = "hợp lệ" if line.sound else "KHÔNG hợp lệ" if line.checked else "chưa kiểm tra"
    lines = [
        f"  Chữ ký số {number}: {who}",
        f"      Thời điểm ký: {when}",
        f"      Kết quả: {verdict} — {line.integrity}",
    ]
    if line.checked:
        lines += [f"      Phạm vi: {line.coverage}", f"      Chứng thư: {line.trust}"]
    return lines


def render_text(results: list[FileResult], out: TextIO) -> None:
    """The report for people: per file, errors first, each with where it is and how to fix it."""
    total = {s: 0 for s in Severity}
    for result in results:
        out.write(f"\n{result.file}\n")
        if result.unreadable:
            out.write("  Không đọc được tệp.\n")
        else:
            out.write(f"  Loại: {PROFILE_VI.get(result.profile, result.profile)}\n")
            f = result.fields
            if f is not None:
                out.write(f"  Căn cứ kiểm tra: {regime_label(f, result.profile)}\n")
            if f is not None and f.number_line:
                out.write(
                    f"  Số, ký hiệu: {f.number_line}; ngày: {f.issued_on:%d/%m/%Y}\n"
                    if f.issued_on
                    else f"  Số, ký hiệu: {f.number_line}\n"
                )
            sigs = signature_lines(result.signatures)
            if not sigs:
                out.write("  Chữ ký số: không có\n")
            for number, line in enumerate(sigs, start=1):
                out.write("".join(text + "\n" for text in _signature_text(number, line)))
        if not result.findings:
            out.write("  Không phát hiện sai sót.\n")
        for finding in sorted(result.findings, key=sort_key):
            total[finding.severity] += 1
            label = code_label(finding.code)
            out.write(f"  [{SEVERITY_VI[finding.severity]}] {label} ({finding.code}) — {finding.message}\n")
            out.write(f"      Vị trí: {_where(finding.location)}\n")
            if finding.clause.strip("— "):
                out.write(f"      Căn cứ: {finding.clause}\n")
            out.write(f"      Cách sửa: {finding.hint}\n")
    out.write(
        f"\nTổng cộng {len(results)} tệp: {total[Severity.ERROR]} lỗi, {total[Severity.WARNING]} cảnh báo, "
        f"{total[Severity.INFO]} gợi ý.\n"
    )


def run_check(
    paths: list[Path],
    *,
    as_json: bool,
    profile: str,
    out: TextIO,
    reader: Reader | None = None,
    extractor: Extractor | None = None,
    parse_error: type[Exception] | None = None,
    trust_dir: Path | None = None,
    electronic: bool = False,
) -> int:
    """Check each file and print the report (JSON or text); return 0, 1 (error found) or 2 (unreadable).

    ``trust_dir``: the signature trust anchors for the default reader; ``electronic``: the files are issued
    electronic documents (SIG-MISSING applies).
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    if reader is None or extractor is None or parse_error is None:
        default_reader, default_extractor, default_error = _default_reader(trust_dir)
        reader = reader or default_reader
        extractor = extractor or default_extractor
        parse_error = parse_error or default_error
    results = [
        check_file(
            p,
            profile=profile,
            reader=reader,
            extractor=extractor,
            parse_error=parse_error,
            shown_as=str(p),
            electronic=electronic,
        )
        for p in paths
    ]
    if as_json:
        json.dump([r.to_json() for r in results], out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        render_text(results, out)
    if any(r.unreadable for r in results):
        return EXIT_UNREADABLE
    if any(f.severity == Severity.ERROR for r in results for f in r.findings):
        return EXIT_ERRORS
    return EXIT_OK
