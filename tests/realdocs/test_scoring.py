"""The rules of the real-document measurement: what counts as a false error, a miss, a handwritten verdict."""

from __future__ import annotations

from datetime import date

from schemas.fields import DocumentFields, Profile
from schemas.findings import Finding, Severity
from tests.realdocs.labels import COMPONENTS, Label
from tests.realdocs.scoring import MONTH_YEAR, Outcome, SetScore, classify_errors, normalise

_STATE_FIELDS: dict[str, str | None] = {
    "number": "01",
    "type_code": "TTr",
    "issuer_code": "UBND",
    "number_line": "Số: 01/TTr-UBND",
    "document_type": "TỜ TRÌNH",
    "issued_on": "2025-01-06",
    "place": "Hà Tĩnh",
    "issuer": "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
    "parent_issuer": None,
    "signing_form": "KT. CHỦ TỊCH",
    "signer_title": "PHÓ CHỦ TỊCH",
    "signer_name": "Nguyễn Văn An",
    "profile": "state",
}


def _label(**changes: object) -> Label:
    base: dict[str, object] = {
        "name": "scan.pdf",
        "profile": "state",
        "scanned": True,
        "fields": _STATE_FIELDS,
        "present": frozenset(COMPONENTS),
        "handwritten": frozenset({"number", "issued_on"}),
        "signing_form_lines": ("KT. CHỦ TỊCH",),
    }
    base.update(changes)
    return Label(**base)  # type: ignore[arg-type]


def _read(**changes: object) -> DocumentFields:
    values: dict[str, object] = {
        "profile": Profile.STATE,
        "number": None,
        "number_line": "Số:    /TTr-UBND",
        "number_blank": True,
        "type_code": "TTr",
        "issuer_code": "UBND",
        "document_type": "TỜ TRÌNH",
        "issued_on": None,
        "issued_year": 2025,
        "issued_month": 1,
        "date_blank": True,
        "place": "Hà Tĩnh",
        "issuer": "UỶ BAN NHÂN DÂN  TỈNH HÀ TĨNH",
        "signing_form": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Văn An",
    }
    values.update(changes)
    return DocumentFields.model_validate(values)


def _error(code: str) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, message="…", hint="…", clause="—")


def test_a_missing_finding_on_a_component_the_labels_show_is_a_false_error() -> None:
    outcome = Outcome(_label(), _read(), "state", [_error("FMT-NUMBER-MISSING"), _error("FMT-DATE-SYNTAX")], 1.0)
    false, judge = classify_errors(outcome)
    assert [(e.code, e.reason) for e in false] == [("FMT-NUMBER-MISSING", "labels: number_line present")]
    assert [e.code for e in judge] == ["FMT-DATE-SYNTAX"]  # on a scan: left for a person to judge


def test_every_error_on_a_document_judged_by_the_wrong_profile_is_false() -> None:
    outcome = Outcome(_label(), _read(), "party", [_error("FMT-NUMBER-COLON"), _error("FMT-STAR-MISSING")], 1.0)
    false, judge = classify_errors(outcome)
    assert [e.code for e in false] == ["FMT-NUMBER-COLON", "FMT-STAR-MISSING"] and judge == []


def test_a_warning_is_not_counted_as_an_error() -> None:
    warning = Finding(code="FMT-NUMBER-MISSING", severity=Severity.WARNING, message="…", hint="…", clause="—")
    assert classify_errors(Outcome(_label(), _read(), "state", [warning], 1.0)) == ([], [])


def test_handwritten_values_left_blank_are_honestly_unread_and_the_printed_parts_still_count() -> None:
    score = SetScore("scans")
    score.add(Outcome(_label(), _read(), "state", [], 1.0))
    assert [(h.field, h.verdict) for h in score.handwritten] == [("number", "unread"), ("issued_on", "unread")]
    assert score.right["number_line"] == 1  # "Số:    /TTr-UBND": its printed part is right
    assert score.right[MONTH_YEAR] == 1  # month and year are printed
    assert "number" not in score.total and "issued_on" not in score.total
    assert score.printed_accuracy == 1.0


def test_a_wrong_handwritten_value_is_wrong_with_the_readers_confidence() -> None:
    found = _read(number="07", issued_on=date(2025, 1, 8), confidence={"number": 0.4})  # blank flags left on
    score = SetScore("scans")
    score.add(Outcome(_label(), found, "state", [], 1.0))
    verdicts = {h.field: (h.verdict, h.confidence) for h in score.handwritten}
    assert verdicts == {"number": ("WRONG", 0.4), "issued_on": ("WRONG", 1.0)}
    assert [h.field for h in score.wrong_with_high_confidence()] == ["issued_on"]


def test_printed_fields_compare_folded_but_keep_what_is_a_finding() -> None:
    assert normalise("issuer", "UỶ BAN  nhân dân") == normalise("issuer", "ỦY BAN NHÂN DÂN")
    assert normalise("number_line", "Số:01 / TTr-UBND") == normalise("number_line", "Số: 01/TTr-UBND")
    assert normalise("number_line", "Số 01/TTr-UBND") != normalise("number_line", "Số: 01/TTr-UBND")
    assert normalise("number_line", "Số 12–NQ/TU") != normalise("number_line", "Số 12-NQ/TU")
    assert normalise("number", "Số: 01") == "01" != normalise("number", "1")
