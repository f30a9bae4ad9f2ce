"""The engine: profiles, regimes by date, layout skipped without a parsed file, ordering, the catalogue."""

from __future__ import annotations

from datetime import date

import pytest

from archive_service.validation import rule_catalogue, validate_document
from schemas.fields import Profile
from schemas.findings import Finding, Severity
from tests.validation.cases import dated, typed
from tests.validation.factory import TODAY, document, fields


def test_layout_rules_are_skipped_when_only_fields_are_known() -> None:
    parsed, f = document(styles={"title": {"bold": False}}, body_size=12)
    assert {x.code for x in validate_document(parsed, f, today=TODAY)} >= {"FMT-TITLE-STYLE", "FMT-BODY-SIZE"}
    assert validate_document(None, f, today=TODAY) == []


def test_findings_are_sorted_errors_first_then_by_location() -> None:
    parsed, f = document(number_line="Số: 5-NQ/TU", number="5", signer_title="BÍ THƯ TỈNH ỦY")
    findings = validate_document(parsed, f, today=TODAY)
    severities = [x.severity.value for x in findings]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    errors = [x for x in findings if x.severity.value == "error"]
    lines = [x.location.line for x in errors if x.location and x.location.line is not None]
    assert lines == sorted(lines)


def test_every_finding_carries_a_location_when_the_element_was_found() -> None:
    parsed, f = document(number_line="Số: 05-NQ/TU")
    (finding,) = validate_document(parsed, f, today=TODAY)
    assert finding.location is not None and finding.location.line == 2 and finding.location.text == "Số: 05-NQ/TU"


def test_the_profile_is_detected_from_the_fields_and_can_be_overridden() -> None:
    f = fields(profile=Profile.UNKNOWN)
    assert validate_document(None, f, today=TODAY) == []
    state = {x.code for x in validate_document(None, f, profile="state", today=TODAY)}
    assert "FMT-NUMBER-COLON" in state


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="profile"):
        validate_document(None, fields(), profile="church")


def test_the_authority_rules_follow_the_document_date() -> None:
    btv_qc_xa = dict(
        parent_issuer="ĐẢNG BỘ TỈNH THANH HÓA",
        issuer="ĐẢNG ỦY TRƯỜNG ĐẠI HỌC HỒNG ĐỨC",
        **typed("QUY CHẾ", "QC", issuer_code="ĐU"),
    )
    f_2026 = fields(**btv_qc_xa, **dated(date(2026, 2, 2), "Nga Thanh"))
    # A grassroots BTV issuing a Quy chế: allowed?-cell under 66, not in the 399 Điều 11 list [S].
    assert "AUTH-TYPE-NOT-ALLOWED" in {x.code for x in validate_document(None, f_2026, today=TODAY)}
    f_2024 = fields(**btv_qc_xa, **dated(date(2024, 2, 2), "Nga Thanh"))
    assert "AUTH-TYPE-NOT-ALLOWED" not in {x.code for x in validate_document(None, f_2024, today=TODAY)}


def test_typography_is_an_error_under_both_guides_and_cites_the_guide_that_judged_it() -> None:
    def date_style(day: date) -> list[Finding]:
        parsed, f = document(styles={"date_line": {"italic": False}}, **dated(day))
        return [x for x in validate_document(parsed, f, today=TODAY) if x.code == "FMT-DATE-STYLE"]

    (old,) = date_style(date(2025, 3, 2))
    (window,) = date_style(date(2026, 3, 2))
    (new,) = date_style(date(2026, 5, 29))
    assert old.severity == window.severity == new.severity == Severity.ERROR
    assert "36-HD/VPTW" in old.clause and "05-HD" not in old.clause
    assert "36-HD/VPTW" in window.clause and "05-HD/VPTW Phụ lục 2 dòng 4" in window.clause
    assert new.clause == "05-HD/VPTW Phụ lục 2 dòng 4"


def test_the_date_of_checking_judges_an_undated_document() -> None:
    f = fields(issued_on=None, date_line=None, **typed("CHỈ THỊ", "CT"), signing_form="T/M TỈNH ỦY")
    found = [x for x in validate_document(None, f, today=date(2026, 6, 1)) if x.code == "AUTH-TYPE-NOT-ALLOWED"]
    assert found and "399-QĐ/TW" in found[0].clause


def test_the_catalogue_lists_every_code_with_its_clause_and_tags() -> None:
    catalogue = rule_catalogue()
    codes = {r.code for r in catalogue}
    assert len(codes) == 60  # 54 rule codes, READ-UNCERTAIN and the five SIG-* codes of the digital signatures
    assert {r.code for r in catalogue if r.code.startswith("SIG-")} == {
        "SIG-INVALID",
        "SIG-MODIFIED-AFTER-SIGNING",
        "SIG-CERT-UNTRUSTED",
        "SIG-SIGNER-MISMATCH",
        "SIG-MISSING",
    }
    assert all(r.clause and r.message and r.hint and r.tags for r in catalogue)
    assert {r.code for r in catalogue if r.code.startswith("DOS-")} == {
        "DOS-MISSING-MINUTES",
        "DOS-MISSING-OUTCOME",
        "DOS-OUTCOME-BEFORE-MEETING",
        "DOS-DUPLICATE-NUMBER",
        "DOS-ISSUER-MISMATCH",
    }


def test_messages_are_vietnamese_with_diacritics() -> None:
    for r in rule_catalogue():
        assert any(ch in r.message for ch in "ăâđêôơưáàảãạ"), r.code


def test_documents_before_hd36_are_not_held_to_its_month_convention() -> None:
    old = fields(**{"issued_on": date(2017, 5, 5), "date_line": "Thanh Hóa, ngày 05 tháng 05 năm 2017"})
    assert "FMT-DATE-LEADING-ZERO" not in {x.code for x in validate_document(None, old, today=TODAY)}


def test_typography_errors_are_only_warnings_before_hd36() -> None:
    parsed, f = document(styles={"title": {"bold": False}}, **dated(date(2017, 6, 1)))
    (finding,) = [x for x in validate_document(parsed, f, today=TODAY) if x.code == "FMT-TITLE-STYLE"]
    assert finding.severity.value == "warning" and "11-HD/VPTW" in finding.clause


def test_an_empty_document_is_reported_not_crashed_on() -> None:
    from schemas.fields import DocumentFields
    from schemas.parsed import ParsedDocument

    codes = {x.code for x in validate_document(ParsedDocument(media_type="application/pdf"), DocumentFields())}
    assert {"FMT-TITLE-MISSING", "FMT-ISSUER-MISSING", "FMT-NUMBER-MISSING", "FMT-DATE-MISSING"} <= codes


def test_a_chi_bo_document_signed_for_the_dang_uy_is_reported() -> None:
    chi_bo = fields(
        parent_issuer="ĐẢNG BỘ XÃ HOẰNG TIẾN",
        issuer="CHI BỘ THÔN TRUNG ĐÔNG",
        signing_form="T/M ĐẢNG ỦY",
        **typed("BÁO CÁO", "BC", issuer_code="CB"),
    )
    assert "AUTH-SIGN-ENTITY-MISMATCH" in {x.code for x in validate_document(None, chi_bo, today=TODAY)}
    ok = chi_bo.model_copy(update={"signing_form": "T/M CHI BỘ"})
    assert validate_document(None, ok, today=TODAY) == []


def test_every_lenient_rule_says_why() -> None:
    for r in rule_catalogue():
        if r.severity.value == "warning" or set(r.tags) - {"V", "V-ex"} == set(r.tags):
            assert r.note, f"{r.rule_id} ({r.code}) is lenient without saying why"


def test_a_scan_is_not_judged_on_typography_ocr_cannot_see() -> None:
    parsed, f = document(styles={"title": {"bold": False}}, body_size=12, font="Arial")
    scan = parsed.model_copy(update={"ocr": True})
    assert validate_document(scan, f, today=TODAY) == []


def test_the_star_is_not_judged_on_a_scan_where_ocr_cannot_read_it() -> None:
    parsed, f = document(star=False)
    assert validate_document(parsed.model_copy(update={"ocr": True}), f, today=TODAY) == []


def test_an_ocr_slip_in_the_signer_title_is_not_taken_for_another_title() -> None:
    parsed, f = document(signer_title="BÍ 'TTHƯ")
    assert validate_document(parsed.model_copy(update={"ocr": True}), f, today=TODAY) == []
    assert [x.code for x in validate_document(parsed, f, today=TODAY)] == ["AUTH-SIGNER-NOT-LEADER"]


def test_a_merged_province_is_recognised_whatever_its_dash_or_tone_marks() -> None:
    for name in ("TỈNH ỦY BÀ RỊA – VŨNG TÀU", "TỈNH UỶ HOÀ BÌNH", "TỈNH ỦY BÌNH DƯƠNG"):
        f = fields(issuer=name, **dated(date(2025, 9, 1)))
        assert "AUTH-ISSUER-DEFUNCT" in {x.code for x in validate_document(None, f, today=TODAY)}, name
    kept = fields(issuer="THÀNH ỦY HỒ CHÍ MINH", **dated(date(2025, 9, 1)))
    assert validate_document(None, kept, today=TODAY) == []


def test_a_committee_whose_level_list_was_not_read_is_not_judged_by_another_level() -> None:
    f = fields(issuer="ĐẢNG ỦY CÔNG AN TRUNG ƯƠNG", **typed("CHỈ THỊ", "CT", issuer_code="ĐUCA"))
    assert validate_document(None, f, today=TODAY) == []


def test_every_party_rule_that_judges_a_05_document_cites_05_hd() -> None:
    """A finding's clause names the text that judged it: a 36-HD clause on a 2026 document would mislead."""
    for info in rule_catalogue():
        if info.profile == "state" or info.code.startswith(("DOS-", "READ-")):
            continue
        runs_under_05 = info.guides is None or "05-HD/VPTW" in info.guides
        if not runs_under_05:
            continue
        reading = info.under.get("05-HD/VPTW")
        clause = reading.clause if reading is not None else info.clause
        assert "36-HD" not in clause, f"{info.rule_id} cites {clause!r} on 05-HD documents"
        if reading is not None and reading.applies:
            assert reading.severity in ("error", "warning", "info")


def test_the_guide_table_names_only_rules_that_exist() -> None:
    from archive_service.validation.tables import TABLES

    ids = {r.rule_id for r in rule_catalogue()}
    for guide in TABLES.guides:
        assert set(guide.rules) <= ids, sorted(set(guide.rules) - ids)


def _hint(code: str, **overrides: object) -> str:
    found = [x for x in validate_document(*document(**overrides), today=TODAY) if x.code == code]
    assert found, f"{code} not raised"
    return found[0].hint


def test_a_number_line_hint_shows_the_documents_own_number_corrected() -> None:
    assert '"Số 05-NQ/TU"' in _hint("FMT-NUMBER-LEADING-ZERO", **typed("NGHỊ QUYẾT", "NQ", number="5"))
    assert '"Số 127-NQ/TU"' in _hint("FMT-NUMBER-COLON", number_line="Số: 127-NQ/TU", number="127")
    assert '"Số 12-NQ/TU"' in _hint("FMT-NUMBER-SYNTAX", number_line="Số: 12/NQ-TU", type_code=None, issuer_code=None)
    assert '"Số 05-KH/TU"' in _hint("FMT-TYPE-ABBR-MISMATCH", document_type="KẾ HOẠCH")
    assert '"Số 05-NQ/TU"' in _hint("AUTH-SYMBOL-ISSUER-MISMATCH", **typed("NGHỊ QUYẾT", "NQ", issuer_code="VPTU"))


def test_a_2025_and_a_2026_document_with_the_same_text_get_the_findings_of_their_own_regime() -> None:
    text = {
        "recipients": ["Các đảng ủy trực thuộc Tỉnh ủy,", "Lưu Văn phòng Tỉnh ủy."],
        **typed("NGHỊ QUYẾT", "NQ", "5"),
    }

    def judged(day: date) -> dict[str, Finding]:
        return {x.code: x for x in validate_document(*document(**text, **dated(day)), today=TODAY)}

    old, new = judged(date(2025, 10, 6)), judged(date(2026, 5, 29))
    assert "FMT-RECIPIENTS-PUNCT" not in old
    assert new["FMT-RECIPIENTS-PUNCT"].clause == "05-HD/VPTW mục I.9.2.5"
    assert old["FMT-NUMBER-LEADING-ZERO"].severity == Severity.WARNING
    assert old["FMT-NUMBER-LEADING-ZERO"].clause.startswith("36-HD/VPTW")
    assert new["FMT-NUMBER-LEADING-ZERO"].severity == Severity.ERROR
    assert new["FMT-NUMBER-LEADING-ZERO"].clause == "05-HD/VPTW mục I.3.2.2"


def test_the_05_hd_form_of_a_document_has_no_finding() -> None:
    from tests.validation.cases import HD05

    assert validate_document(*document(**HD05), today=TODAY) == []


def test_the_regime_label_names_the_texts_of_the_documents_date() -> None:
    from archive_service.validation.engine import regime_label

    def label(day: date) -> str:
        return regime_label(fields(**dated(day)), "party")

    assert label(date(2025, 5, 1)) == "Quy định 66-QĐ/TW, Hướng dẫn 36-HD/VPTW"
    assert label(date(2026, 3, 1)) == "Quy định 399-QĐ/TW, Hướng dẫn 36-HD/VPTW (chấp nhận cả Hướng dẫn 05-HD/VPTW)"
    assert label(date(2026, 6, 1)) == "Quy định 399-QĐ/TW, Hướng dẫn 05-HD/VPTW"
    assert regime_label(fields(), "state") == "Nghị định 30/2020/NĐ-CP"
