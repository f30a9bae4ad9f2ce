"""Meeting dossiers: the biên bản, the outcome, dates, numbers and the issuing body."""

from __future__ import annotations

from datetime import date
from typing import Any

from archive_service.validation import validate_dossier
from schemas.dossier import DossierDocument, DossierInfo, MeetingBody
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
