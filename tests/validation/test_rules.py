"""Every catalogue code: a document that must trigger it, and a near-miss that must not."""

from __future__ import annotations

import pytest

from archive_service.validation import validate_document
from schemas.findings import Finding
from tests.validation.cases import CASES, STATE, Case
from tests.validation.factory import TODAY, document, state_document


def run(overrides: dict[str, object], profile: str, layout: bool = True) -> list[Finding]:
    parsed, fields = state_document(**overrides) if profile == STATE else document(**overrides)
    return validate_document(parsed if layout else None, fields, today=TODAY)


def test_the_default_party_document_has_no_finding() -> None:
    assert run({}, "party") == []


def test_the_default_state_document_has_no_finding() -> None:
    assert run({}, STATE) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}:{c.name}")
def test_a_planted_error_is_reported_with_its_code_and_severity(case: Case) -> None:
    findings = [f for f in run(case.trigger, case.profile, case.layout) if f.code == case.code]
    assert findings, f"{case.code} not reported for {case.name}"
    if case.severity is not None:
        assert findings[0].severity.value == case.severity
    assert all(f.clause and f.message and f.hint for f in findings)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}:{c.name}")
def test_the_near_miss_is_not_reported(case: Case) -> None:
    findings = [f for f in run(case.near_miss, case.profile, case.layout) if f.code == case.code]
    assert findings == []


def test_every_document_code_of_the_catalogue_has_a_case() -> None:
    from archive_service.validation import rule_catalogue

    # SIG-* need signed PDFs: each has its planted case in tests/signatures (signed under a test CA).
    codes = {r.code for r in rule_catalogue() if not r.code.startswith(("DOS-", "SIG-"))}
    assert codes <= {c.code for c in CASES}
