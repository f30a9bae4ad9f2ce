"""Issue 11, the checker side: what offices really send must never draw a false error.

Each test builds its own small document with the factory (no real file, no value copied from one): a
document that shows the behaviour, and a near miss that must not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from archive_service.validation import detect_profile, validate_document
from archive_service.validation.engine import judged_dates
from schemas.fields import DocumentFields, Profile
from schemas.findings import Finding, Severity
from schemas.parsed import ParsedDocument
from tests.validation.cases import STAMP_BLANK_FIELDS, dated, typed
from tests.validation.factory import TODAY, document, state_document

ERROR = Severity.ERROR
STAMP_BLANKS: dict[str, Any] = dict(STAMP_BLANK_FIELDS)


def check(doc: tuple[ParsedDocument, DocumentFields], **kw: Any) -> list[Finding]:
    return validate_document(*doc, today=TODAY, **kw)


def codes(findings: list[Finding], severity: Severity | None = None) -> set[str]:
    return {f.code for f in findings if severity is None or f.severity == severity}


def errors(findings: list[Finding]) -> set[str]:
    return codes(findings, ERROR)


# ---- 2. number and day left blank for the e-signature stamp -------------------------------------------------


def test_a_number_and_day_left_blank_for_the_stamp_are_information_not_missing() -> None:
    findings = check(state_document(**STAMP_BLANKS))
    assert not codes(findings) & {"FMT-NUMBER-MISSING", "FMT-DATE-MISSING", "FMT-DATE-SYNTAX"}
    assert errors(findings) == set()
    (note,) = [f for f in findings if f.code == "READ-UNCERTAIN"]
    assert note.severity == Severity.INFO and "chữ ký số" in note.message


def test_a_number_line_without_a_number_and_not_left_blank_is_still_missing() -> None:
    findings = check(state_document(number=None, number_line=None, document_type="THÔNG BÁO", type_code="TB"))
    assert "FMT-NUMBER-MISSING" in errors(findings)
    assert "READ-UNCERTAIN" not in codes(findings)


def test_a_date_left_blank_on_a_party_document_is_not_missing() -> None:
    blank = {"issued_on": None, "issued_year": 2024, "date_line": None, "date_blank": True}
    assert "FMT-DATE-MISSING" not in codes(check(document(**blank)))
    assert "FMT-DATE-MISSING" in errors(check(document(issued_on=None, date_line=None)))


def test_checks_that_need_a_blank_number_are_at_most_warnings() -> None:
    # The PDF split "Số: " from "/TB-UBND": the number line reads "Số:" alone, which is no syntax error.
    blank = {**STAMP_BLANKS, "number_line": "Số:"}
    findings = check(state_document(**blank))
    assert errors(findings) == set()


# ---- 3. partial dates: the year settles the regime -----------------------------------------------------------

CHI_BO_QUY_CHE: dict[str, Any] = {
    "parent_issuer": "ĐẢNG BỘ XÃ NGA THANH",
    "issuer": "CHI BỘ THÔN 3",
    "signing_form": "T/M CHI BỘ",
    "signer_title": "BÍ THƯ",
    **typed("QUY CHẾ", "QC", issuer_code="CB"),
}


def test_a_partial_date_keeps_its_year_for_the_authority_check() -> None:
    full = check(document(**CHI_BO_QUY_CHE, **dated(date(2024, 5, 6), "Nga Thanh")))
    assert "AUTH-TYPE-NOT-ALLOWED" in codes(full)
    partial = document(
        **CHI_BO_QUY_CHE,
        issued_on=None,
        issued_year=2024,
        date_blank=True,
        date_line="Nga Thanh, ngày    tháng    năm 2024",
    )
    assert "AUTH-TYPE-NOT-ALLOWED" in codes(check(partial))


def test_a_year_that_straddles_a_change_raises_only_what_both_sides_agree_on() -> None:
    # A Huyện ủy is defunct from 01/07/2025: a document of "2025" may predate it, one of 08/2025 may not.
    hu = {
        "parent_issuer": "ĐẢNG BỘ TỈNH THANH HÓA",
        "issuer": "HUYỆN ỦY NGA SƠN",
        **typed("NGHỊ QUYẾT", "NQ", issuer_code="HU"),
    }
    year_only = check(document(**hu, issued_on=None, issued_year=2025, date_line=None, date_blank=True))
    assert "AUTH-ISSUER-DEFUNCT" not in codes(year_only)
    august = check(document(**hu, issued_on=None, issued_year=2025, issued_month=8, date_line=None, date_blank=True))
    assert "AUTH-ISSUER-DEFUNCT" in codes(august)


def test_the_judged_dates_follow_what_could_be_read_never_the_check_date() -> None:
    f = document(issued_on=None, issued_year=2024, date_line=None)[1]
    assert judged_dates(f, TODAY) == [date(2024, 1, 1)]
    f26 = document(issued_on=None, issued_year=2026, issued_month=3, date_line=None)[1]
    assert judged_dates(f26, TODAY) == [date(2026, 3, 1)]
    assert judged_dates(document()[1], TODAY) == [None]  # a full date: the document's own


# ---- 6. en dash in the number line ----------------------------------------------------------------------------


def test_an_en_dash_number_line_is_a_syntax_error_not_a_missing_number() -> None:
    # The reader did not take "Số 12–NQ/TU" as a number line: the checker still sees the line as written.
    findings = check(document(number=None, number_line=None, extra_header_lines=["Số 12–NQ/TU"]))
    assert "FMT-NUMBER-SYNTAX" in errors(findings)
    assert "FMT-NUMBER-MISSING" not in codes(findings)
    read = check(document(number="12", number_line="Số 12–NQ/TU"))
    assert "FMT-NUMBER-SYNTAX" in errors(read) and "FMT-NUMBER-MISSING" not in codes(read)


def test_a_body_line_starting_with_so_is_not_taken_for_a_number_line() -> None:
    findings = check(document(number=None, number_line=None, extra_header_lines=["Số lượng đảng viên tăng"]))
    assert "FMT-NUMBER-MISSING" in errors(findings)
    assert "FMT-NUMBER-SYNTAX" not in codes(findings)


# ---- 8. state documents: state clauses and state wording -----------------------------------------------------


def test_every_rule_applying_to_state_documents_cites_nd30_in_state_terms() -> None:
    from archive_service.validation.registry import REGISTRY

    for rule in REGISTRY.rules:
        if rule.info.profile not in ("state", "both"):
            continue
        clause, message, hint = rule.info.for_profile("state")
        assert "NĐ 30/2020/NĐ-CP" in clause, rule.info.rule_id
        assert "36-HD" not in clause and "66-QĐ" not in clause, rule.info.rule_id
        assert "Lưu Văn phòng" not in message + hint, rule.info.rule_id
        assert '"Số <số>-' not in hint, rule.info.rule_id


def test_a_missing_number_on_a_state_document_cites_nd30_and_a_party_one_36hd() -> None:
    (state,) = [f for f in check(state_document(number=None, number_line=None)) if f.code == "FMT-NUMBER-MISSING"]
    assert "NĐ 30/2020/NĐ-CP" in state.clause and "36-HD" not in state.clause
    assert "Số: 12/QĐ-UBND" in state.hint
    (party,) = [f for f in check(document(number=None, number_line=None)) if f.code == "FMT-NUMBER-MISSING"]
    assert "36-HD/VPTW" in party.clause


def test_the_archive_line_message_shows_the_form_of_the_profile() -> None:
    (state,) = [
        f
        for f in check(state_document(recipients=["Như Điều 3;", "Sở Nội vụ."]))
        if f.code == "FMT-RECIPIENTS-ARCHIVE-LINE"
    ]
    assert "Lưu: VT" in state.message and "Lưu Văn phòng" not in state.message + state.hint
    (party,) = [f for f in check(document(recipients=["Các huyện ủy,"])) if f.code == "FMT-RECIPIENTS-ARCHIVE-LINE"]
    assert "Lưu Văn phòng" in party.message


STATE_CONG_VAN: dict[str, Any] = {
    "number": "120",
    "number_line": "Số: 120/UBND-KGVX",
    "type_code": None,
    "issuer_code": None,
    "document_type": "CÔNG VĂN",
    "summary": "V/v triển khai kế hoạch",
    "signing_form": "TL. CHỦ TỊCH",
    "signer_title": "CHÁNH VĂN PHÒNG",
    "recipients": ["Như trên;", "Lưu: VT, KGVX."],
}


def test_a_state_cong_van_has_no_type_abbreviation_to_check() -> None:
    findings = check(state_document(**STATE_CONG_VAN))
    assert not codes(findings) & {"FMT-TYPE-ABBR-UNKNOWN", "FMT-TYPE-ABBR-MISMATCH"}
    assert errors(findings) == set()
    # The reader may also hand the first group over as the type code: still no type abbreviation.
    assert "FMT-TYPE-ABBR-UNKNOWN" not in codes(check(state_document(**{**STATE_CONG_VAN, "type_code": "UBND"})))


def test_a_state_document_with_a_titled_type_still_has_its_abbreviation_checked() -> None:
    findings = check(state_document(number_line="Số: 12/XYZ-UBND", type_code="XYZ"))
    assert "FMT-TYPE-ABBR-UNKNOWN" in codes(findings)


# ---- 7. legal normative documents -----------------------------------------------------------------------------

NGHI_DINH: dict[str, Any] = {
    "issuer": "CHÍNH PHỦ",
    "number": "30",
    "number_line": "Số: 30/2020/NĐ-CP",
    "type_code": "NĐ",
    "issuer_code": "CP",
    "document_type": "NGHỊ ĐỊNH",
    "summary": "Về công tác văn thư",
    "signing_form": "TM. CHÍNH PHỦ",
    "signer_title": "THỦ TƯỚNG",
    "recipients": ["Ban Bí thư Trung ương Đảng;", "Lưu: VT, HC (2b)."],
}


def test_a_legal_normative_document_gets_no_format_finding_against_nd30() -> None:
    findings = check(state_document(**NGHI_DINH, font="Arial", body_size=12))
    assert [f for f in findings if f.code.startswith("FMT-")] == []
    flagged = state_document(**{**NGHI_DINH, "document_type": None, "legal_normative": True})
    assert [f for f in check(flagged) if f.code.startswith("FMT-")] == []


def test_nd_is_no_unknown_type_abbreviation_when_the_reader_missed_the_type_name() -> None:
    findings = check(state_document(**{**NGHI_DINH, "document_type": "CÔNG VĂN"}))
    assert "FMT-TYPE-ABBR-UNKNOWN" not in codes(findings)


def test_an_administrative_state_document_is_still_format_checked() -> None:
    findings = check(state_document(font="Arial"))
    assert "FMT-FONT" in errors(findings)


# ---- 10. đảng ủy issuer codes composed of ĐU and the body's initials ------------------------------------------


def test_dang_uy_followed_by_the_body_initials_is_its_issuer_code() -> None:
    dubtc = {"parent_issuer": None, "issuer": "ĐẢNG ỦY BỘ TÀI CHÍNH", "signing_form": "T/M BAN THƯỜNG VỤ"}
    findings = check(document(**dubtc, **typed("CÔNG VĂN", "CV", issuer_code="ĐUBTC")))
    assert "AUTH-SYMBOL-ISSUER-MISMATCH" not in codes(findings)
    other = check(document(**dubtc, **typed("CÔNG VĂN", "CV", issuer_code="ĐUBNG")))
    assert "AUTH-SYMBOL-ISSUER-MISMATCH" in codes(other)


# ---- 11. both headers: FMT-MIXED-PROFILE, then the dominant profile only --------------------------------------


def test_a_party_document_carrying_the_quoc_hieu_is_judged_as_a_party_document() -> None:
    doc = document(profile=Profile.STATE, extra_header_lines=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    assert detect_profile(doc[1], doc[0]) == "party"
    findings = check(doc)
    assert "FMT-MIXED-PROFILE" in errors(findings)
    assert not codes(findings) & {"FMT-NUMBER-COLON", "FMT-SIGN-FORM-STATE-STYLE"}


def test_a_state_document_carrying_the_party_title_is_judged_as_a_state_document() -> None:
    doc = state_document(extra_header_lines=["ĐẢNG CỘNG SẢN VIỆT NAM"])
    assert detect_profile(doc[1], doc[0]) == "state"
    findings = check(doc)
    assert "FMT-MIXED-PROFILE" in errors(findings)
    assert not codes(findings) & {"FMT-NUMBER-COLON", "FMT-SIGN-FORM-STATE-STYLE", "FMT-STAR-MISSING"}


# ---- 9. profile from every signal; confidence and scans ---------------------------------------------------------

UNREAD_QUOC_HIEU: dict[str, Any] = {
    "profile": Profile.UNKNOWN,
    "title": None,
    "number": "15",
    "number_line": "Số: 15/TB-UBND",
    "type_code": "TB",
    "document_type": "THÔNG BÁO",
    "signing_form": "TL. CHỦ TỊCH",
    "signer_title": "CHÁNH VĂN PHÒNG",
    "recipients": ["Như trên;", "Lưu: VT, VP."],
}


def test_an_unreadable_quoc_hieu_does_not_turn_a_state_document_into_a_party_one() -> None:
    parsed, f = state_document(**UNREAD_QUOC_HIEU)
    parsed.lines = [ln for ln in parsed.lines if "Độc lập" not in ln.text]
    assert detect_profile(f, parsed) == "state"
    findings = validate_document(parsed, f, today=TODAY)
    assert not codes(findings) & {"FMT-TITLE-MISSING", "FMT-RECIPIENTS-ARCHIVE-LINE", "FMT-SIGN-FORM-STATE-STYLE"}
    # Even a reader that fell back to "party" is outvoted by the number line, the đề ký and the archive line.
    assert detect_profile(f.model_copy(update={"profile": Profile.PARTY}), parsed) == "state"


def test_a_party_document_without_a_readable_title_stays_party() -> None:
    parsed, f = document(profile=Profile.UNKNOWN, title=None)
    assert detect_profile(f, parsed) == "party"
    assert "FMT-TITLE-MISSING" in errors(validate_document(parsed, f, today=TODAY))


def test_a_check_resting_on_an_unsure_field_is_at_most_a_warning_with_read_uncertain() -> None:
    doc = document(number_line="Số: 05-NQ/TU", confidence={"number_line": 0.55})
    findings = check(doc)
    (colon,) = [f for f in findings if f.code == "FMT-NUMBER-COLON"]
    assert colon.severity == Severity.WARNING
    (note,) = [f for f in findings if f.code == "READ-UNCERTAIN"]
    assert note.severity == Severity.INFO and "số và ký hiệu" in note.message
    # A sure reading (or a missing key: 1.0) keeps the error; an unsure unrelated field does not soften it.
    assert "FMT-NUMBER-COLON" in errors(check(document(number_line="Số: 05-NQ/TU", confidence={"number_line": 0.9})))
    assert "FMT-NUMBER-COLON" in errors(check(document(number_line="Số: 05-NQ/TU", confidence={"signer_name": 0.3})))


def test_a_scan_never_gets_an_error_from_an_ocr_artefact() -> None:
    for artefact in ("Thanh Hóa, ngày 0† tháng 3 năm 2024", "Thanh Hóa, ngày 3⁄4 tháng 3 năm 2024"):
        parsed, f = document(date_line=artefact)
        assert "FMT-DATE-SYNTAX" in errors(validate_document(parsed, f, today=TODAY))  # typed: a real error
        scan = parsed.model_copy(update={"ocr": True, "ocr_confidence": 71.0})
        findings = validate_document(scan, f, today=TODAY)
        assert errors(findings) == set()
        assert "FMT-DATE-SYNTAX" in codes(findings, Severity.WARNING)
        assert "READ-UNCERTAIN" in codes(findings)


def test_a_handwritten_number_left_unread_is_no_missing_number_and_says_so() -> None:
    parsed, f = state_document(number=None, number_line="Số: 4@† /TB-UBND", confidence={"number": 0.0})
    findings = validate_document(parsed.model_copy(update={"ocr": True}), f, today=TODAY)
    assert "FMT-NUMBER-MISSING" not in codes(findings) and errors(findings) == set()
    (note,) = [f for f in findings if f.code == "READ-UNCERTAIN"]
    assert "số văn bản viết tay hoặc đóng dấu, không đọc được" in note.message


def test_a_clean_scan_gets_no_read_uncertain_note() -> None:
    parsed, f = document()
    assert validate_document(parsed.model_copy(update={"ocr": True}), f, today=TODAY) == []


# ---- 12. a form without an issuing body; a dotted template date ------------------------------------------------


def test_a_form_without_an_issuing_body_gets_issuer_missing() -> None:
    don = {"issuer": None, "parent_issuer": None, "star": False}
    assert "FMT-ISSUER-MISSING" in errors(check(document(**don)))
    assert "FMT-ISSUER-MISSING" not in codes(check(document()))


def test_a_dotted_template_date_is_not_missing() -> None:
    template = {"issued_on": None, "date_line": ".........., ngày .... tháng .... năm ....", "date_blank": True}
    findings = check(document(**template))
    assert not codes(findings) & {"FMT-DATE-MISSING", "FMT-DATE-SYNTAX"}
    assert "READ-UNCERTAIN" in codes(findings)


def test_a_day_stamped_into_a_pdf_is_no_syntax_error_for_its_lost_space() -> None:
    glued = "Thanh Hóa, ngày 24tháng 3 năm 2024"
    parsed, f = document(date_line=glued)
    assert "FMT-DATE-SYNTAX" in errors(validate_document(parsed, f, today=TODAY))  # typed so in a DOCX: an error
    pdf = parsed.model_copy(update={"media_type": "application/pdf"})
    assert "FMT-DATE-SYNTAX" not in codes(validate_document(pdf, f, today=TODAY))


def test_a_state_form_without_an_issuing_body_gets_issuer_missing_with_the_nd30_clause() -> None:
    don = {"issuer": None, "number": None, "number_line": None, "document_type": "ĐƠN", "type_code": None}
    (finding,) = [f for f in check(state_document(**don)) if f.code == "FMT-ISSUER-MISSING"]
    assert finding.severity == ERROR and "NĐ 30/2020/NĐ-CP Điều 8" in finding.clause
    assert "FMT-ISSUER-MISSING" not in codes(check(state_document()))
