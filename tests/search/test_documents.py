"""A file's extracted fields and findings become one flat search entry."""

from __future__ import annotations

from datetime import UTC, date, datetime

from indexers.search.documents import build_search_document
from schemas.fields import DocumentFields
from schemas.findings import Finding, Severity
from schemas.search import SearchDocument, SecrecyLevel

FIELDS = DocumentFields(
    issuer="BAN THƯỜNG VỤ TỈNH ỦY",
    number="981",
    type_code="QĐ",
    issuer_code="TU",
    document_type="QUYẾT ĐỊNH",
    summary="Về việc chuẩn y kết quả bầu cử",
    issued_on=date(2024, 9, 20),
    secrecy="MẬT",
)


def _finding(code: str, severity: Severity) -> Finding:
    return Finding(code=code, severity=severity, message="…", hint="…", clause="36-HD/VPTW")


def _build(**overrides: object) -> SearchDocument:
    args: dict[str, object] = {
        "document_id": "7",
        "office_id": 1,
        "dossier_id": 3,
        "filename": "qd-981.pdf",
        "text": "…",
        "fields": FIELDS,
        "findings": [],
        "uploaded_at": datetime(2025, 1, 6, tzinfo=UTC),
    }
    return build_search_document(**(args | overrides))  # type: ignore[arg-type]


def test_the_symbol_year_and_secrecy_come_from_the_fields() -> None:
    doc = _build()
    assert doc.symbol == "981-QĐ/TU" and doc.year == 2024
    assert doc.secrecy == SecrecyLevel.MAT and doc.validation_status == "ok"


def test_the_catalog_secrecy_level_wins_over_the_mark_in_the_text() -> None:
    assert _build(secrecy=2).secrecy == SecrecyLevel.TOI_MAT


def test_the_worst_finding_sets_the_status_and_codes_are_listed_once() -> None:
    findings = [
        _finding("FMT-DATE-FORMAT", Severity.WARNING),
        _finding("FMT-DATE-FORMAT", Severity.WARNING),
        _finding("AUTH-BODY-CANNOT-ISSUE-TYPE", Severity.ERROR),
    ]
    doc = _build(findings=findings)
    assert doc.validation_status == "error"
    assert doc.finding_codes == ["AUTH-BODY-CANNOT-ISSUE-TYPE", "FMT-DATE-FORMAT"]
    assert _build(findings=None).validation_status == "pending"
