"""Meeting dossiers: the biên bản, the outcome, dates, numbers and the issuing body."""

from __future__ import annotations

from datetime import date
from typing import Any

from archive_service.validation import validate_dossier
from schemas.dossier import DossierDocument, DossierInfo, MeetingBody
from schemas.fields import Profile
from tests.validation.cases import dated, typed
from tests.validation.factory import fields

MEETING = DossierInfo(
    meeting_body=MeetingBody.BTV,
    meeting_date=date(2024, 3, 4),
    committee_name="TỈNH ỦY THANH HÓA",
    committee_code="TU",
)


def doc(id_: str, **overrides: Any) -> DossierDocument:
    return DossierDocument(id=id_, fields=fields(**overrides), filename=f"{id_}.docx")


def minutes() -> DossierDocument:
    return doc(
        "bb",
        signing_form=None,
        signer_title="CHỦ TRÌ HỘI NGHỊ",
        recipients=[],
        **typed("BIÊN BẢN", "BB", number="03"),
        **dated(date(2024, 3, 4)),
    )


def outcome(**overrides: Any) -> DossierDocument:
    return doc("nq", **{**dated(date(2024, 3, 5)), **overrides})


def codes(documents: list[DossierDocument], meeting: DossierInfo = MEETING) -> list[str]:
    return [f.code for f in validate_dossier(meeting, documents)]


def test_a_complete_dossier_has_no_finding() -> None:
    assert codes([minutes(), outcome()]) == []


def test_a_dossier_without_minutes_is_reported() -> None:
    assert codes([outcome()]) == ["DOS-MISSING-MINUTES"]


def test_a_dossier_without_outcome_is_reported() -> None:
    assert codes([minutes()]) == ["DOS-MISSING-OUTCOME"]


def test_a_notice_of_conclusions_counts_as_the_outcome() -> None:
    notice = outcome(**typed("THÔNG BÁO", "TB", number="1450"))
    assert codes([minutes(), notice]) == []


def test_an_outcome_dated_before_the_meeting_is_an_error() -> None:
    findings = validate_dossier(MEETING, [minutes(), outcome(**dated(date(2024, 3, 1)))])
    assert [(f.code, f.severity.value) for f in findings] == [("DOS-OUTCOME-BEFORE-MEETING", "error")]


def test_an_outcome_dated_on_the_meeting_day_is_accepted() -> None:
    assert codes([minutes(), outcome(**dated(date(2024, 3, 4)))]) == []


def test_two_documents_with_the_same_number_and_type_are_reported() -> None:
    second = DossierDocument(id="nq2", fields=fields(**dated(date(2024, 3, 6)), number="5"), filename="nq2.docx")
    assert codes([minutes(), outcome(), second]) == ["DOS-DUPLICATE-NUMBER"]


def test_the_same_number_in_two_types_is_not_a_duplicate() -> None:
    kl = doc("kl", **typed("KẾT LUẬN", "KL"), **dated(date(2024, 3, 5)))
    assert codes([minutes(), outcome(), kl]) == []


def test_a_document_of_another_committee_is_reported() -> None:
    foreign = outcome(issuer="TỈNH ỦY NGHỆ AN")
    assert "DOS-ISSUER-MISMATCH" in codes([minutes(), foreign])


def test_a_bch_document_in_a_btv_dossier_is_reported() -> None:
    bch = outcome(signing_form="T/M TỈNH ỦY")
    assert codes([minutes(), bch]) == ["DOS-ISSUER-MISMATCH"]


def test_a_btv_document_signed_by_delegation_fits_a_btv_dossier() -> None:
    tl = outcome(signing_form="T/L BAN THƯỜNG VỤ", signer_title="CHÁNH VĂN PHÒNG", **typed("THÔNG BÁO", "TB"))
    assert codes([minutes(), tl]) == []


def test_findings_name_the_file_they_are_about() -> None:
    findings = validate_dossier(MEETING, [minutes(), outcome(**dated(date(2024, 3, 1)))])
    assert findings[0].location is not None and findings[0].location.text == "nq.docx"


def test_a_report_of_an_advisory_body_of_the_committee_belongs_in_its_dossier() -> None:
    to_trinh = doc(
        "ttr",
        parent_issuer="TỈNH ỦY THANH HÓA",
        issuer="BAN TỔ CHỨC",
        signing_form=None,
        signer_title="TRƯỞNG BAN",
        **typed("TỜ TRÌNH", "TTr", number="42", issuer_code="BTCTU"),
        **dated(date(2024, 2, 26)),
    )
    assert codes([minutes(), outcome(), to_trinh]) == []


def test_a_document_with_the_code_of_another_committee_is_reported() -> None:
    other = outcome(issuer=None, number_line="Số 05-NQ/HU", issuer_code="HU")
    assert codes([minutes(), other]) == ["DOS-ISSUER-MISMATCH"]


def test_a_dossier_without_a_committee_name_still_checks_completeness() -> None:
    unnamed = MEETING.model_copy(update={"committee_name": "", "committee_code": None})
    assert codes([minutes(), outcome()], unnamed) == []
    assert codes([outcome()], unnamed) == ["DOS-MISSING-MINUTES"]


COMMUNE: dict[str, Any] = {
    "parent_issuer": "ĐẢNG BỘ TỈNH THANH HÓA",
    "issuer": "ĐẢNG ỦY XÃ HOẰNG HÓA",
    "signing_form": "T/M ĐẢNG ỦY",
    **typed("NGHỊ QUYẾT", "NQ", number="01", issuer_code="ĐU"),
}
COMMUNE_MEETING = DossierInfo(
    meeting_body=MeetingBody.BCH,
    meeting_date=date(2025, 6, 20),
    committee_name="ĐẢNG ỦY XÃ HOẰNG HÓA",
    committee_code="ĐU",
)


def test_numbering_restarts_when_an_appointed_cap_uy_takes_office() -> None:
    """05-HD/VPTW mục I.3.1.1 b: the appointed đảng ủy xã of 07/2025 numbers from 01 again on 01/07/2025."""
    before = doc("nq-before", **COMMUNE, **dated(date(2025, 6, 25)))
    after = doc("nq-after", **COMMUNE, **dated(date(2025, 7, 2)))
    same_series = doc("nq-again", **COMMUNE, **dated(date(2025, 7, 9)))
    assert "DOS-DUPLICATE-NUMBER" not in codes([before, after], COMMUNE_MEETING)
    assert codes([after, same_series], COMMUNE_MEETING).count("DOS-DUPLICATE-NUMBER") == 1


def test_a_committee_not_appointed_keeps_one_series_across_the_reorganisation() -> None:
    before = outcome(**dated(date(2025, 6, 25)))
    after = DossierDocument(id="nq2", fields=fields(**dated(date(2025, 7, 2))), filename="nq2.docx")
    assert "DOS-DUPLICATE-NUMBER" in codes([before, after])


def rendition(source: DossierDocument, id_: str, filename: str, **overrides: Any) -> DossierDocument:
    """Another file of ``source`` (its PDF, its signed PDF): the same fields unless ``overrides`` change them."""
    return DossierDocument(id=id_, fields=source.fields.model_copy(update=overrides), filename=filename)


def test_the_docx_and_the_signed_pdf_of_one_document_are_not_a_duplicate_number() -> None:
    docx = outcome()
    assert codes([minutes(), docx, rendition(docx, "nq-pdf", "nq.pdf"), rendition(docx, "nq-ky", "nq-ky.pdf")]) == []


def test_renditions_match_however_the_summary_is_spaced_or_punctuated() -> None:
    docx = outcome(summary="về phát triển văn hóa, con người Thanh Hóa")
    pdf = rendition(docx, "nq-pdf", "nq.pdf", summary="về phát triển văn hóa con người  Thanh Hóa")
    assert codes([minutes(), docx, pdf]) == []


def test_two_files_with_one_number_but_another_date_are_two_documents() -> None:
    docx = outcome()
    other = rendition(docx, "nq-other", "nq-khac.pdf", **dated(date(2024, 3, 6)))
    assert codes([minutes(), docx, other]) == ["DOS-DUPLICATE-NUMBER"]


def test_two_files_with_one_number_but_another_summary_are_two_documents() -> None:
    docx = outcome()
    other = rendition(docx, "nq-other", "nq-khac.pdf", summary="về công tác cán bộ")
    assert codes([minutes(), docx, other]) == ["DOS-DUPLICATE-NUMBER"]


def test_two_files_with_one_number_but_another_type_name_are_two_documents() -> None:
    notice = outcome(**typed("THÔNG BÁO", "TB", number="12"))
    conclusions = rendition(notice, "tbkl", "tbkl.pdf", document_type="THÔNG BÁO KẾT LUẬN")
    assert codes([minutes(), notice, conclusions]) == ["DOS-DUPLICATE-NUMBER"]


def test_a_duplicate_of_a_document_filed_twice_names_every_file_involved() -> None:
    docx = outcome()
    pdf = rendition(docx, "nq-pdf", "nq.pdf")
    other = rendition(docx, "nq-other", "nq-khac.docx", summary="về công tác cán bộ")
    (finding,) = validate_dossier(MEETING, [minutes(), docx, pdf, other])
    assert finding.code == "DOS-DUPLICATE-NUMBER"
    assert finding.documents == ["nq-other", "nq", "nq-pdf"]
    assert finding.location is not None and finding.location.text == "nq-khac.docx"
    assert "trùng với nq.docx, nq.pdf" in finding.message


def submitted(name: str, code: str, **overrides: Any) -> DossierDocument:
    """A document another body presents to the meeting of the Ban Thường vụ Tỉnh ủy Thanh Hóa."""
    values: dict[str, Any] = {
        "parent_issuer": "TỈNH ỦY THANH HÓA",
        "issuer": "ĐẢNG ĐOÀN HỘI ĐỒNG NHÂN DÂN TỈNH",
        "signing_form": "T/M ĐẢNG ĐOÀN",
        "signer_title": "BÍ THƯ",
        **typed(name, code, number="17", issuer_code="ĐĐ"),
        **dated(date(2024, 2, 27)),
    }
    return doc(f"{code.lower()}-dd", **{**values, **overrides})


def test_a_to_trinh_another_body_submits_to_the_meeting_belongs_in_its_dossier() -> None:
    assert codes([minutes(), outcome(), submitted("TỜ TRÌNH", "TTr")]) == []


def test_a_bao_cao_of_another_committee_submitted_to_the_meeting_belongs_in_its_dossier() -> None:
    report = submitted("BÁO CÁO", "BC", issuer="HUYỆN ỦY NGA SƠN", issuer_code="HU", signing_form="T/M BAN THƯỜNG VỤ")
    assert codes([minutes(), outcome(), report]) == []


def state_document(**overrides: Any) -> DossierDocument:
    """A document of the Ủy ban nhân dân tỉnh (NĐ 30/2020), filed in the Party meeting's dossier."""
    values: dict[str, Any] = {
        "profile": Profile.STATE,
        "title": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "parent_issuer": None,
        "issuer": "ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
        "star": False,
        "signing_form": "TM. ỦY BAN NHÂN DÂN",
        "signer_title": "CHỦ TỊCH",
        **typed("TỜ TRÌNH", "TTr", number="88", issuer_code="UBND"),
        **dated(date(2024, 2, 28)),
    }
    return doc("ubnd", **{**values, **overrides})


def test_a_state_to_trinh_submitted_to_the_meeting_belongs_in_its_dossier() -> None:
    assert codes([minutes(), outcome(), state_document()]) == []


def test_a_state_document_addressed_to_the_ban_thuong_vu_belongs_in_its_dossier() -> None:
    letter = state_document(
        document_type="CÔNG VĂN", type_code=None, number_line="Số 88/UBND-TH", addressees=["Ban Thường vụ Tỉnh ủy"]
    )
    assert codes([minutes(), outcome(), letter]) == []


def test_a_state_document_addressed_elsewhere_is_still_of_another_body() -> None:
    letter = state_document(
        document_type="CÔNG VĂN", type_code=None, number_line="Số 88/UBND-TH", addressees=["Sở Tài chính"]
    )
    assert codes([minutes(), outcome(), letter]) == ["DOS-ISSUER-MISMATCH"]


def test_a_conclusion_of_another_committee_is_still_reported() -> None:
    foreign = outcome(issuer="HUYỆN ỦY NGA SƠN", **typed("KẾT LUẬN", "KL", number="40", issuer_code="HU"))
    assert codes([minutes(), foreign]) == ["DOS-ISSUER-MISMATCH"]


def test_a_notice_of_conclusions_of_another_committee_is_still_reported() -> None:
    foreign = outcome(issuer="HUYỆN ỦY NGA SƠN", **typed("THÔNG BÁO", "TB", number="41", issuer_code="HU"))
    assert codes([minutes(), foreign]) == ["DOS-ISSUER-MISMATCH"]
