"""Planted errors and their near-misses, one or more per catalogue code, on the factory documents.

Shared by the unit tests (each case must trigger its code; its near-miss must not) and by the quality
table of ``test_corpus_quality.py`` when the generated corpus is not available.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from schemas.parsed import PageSetup


def dated(d: date, place: str = "Thanh Hóa") -> dict[str, Any]:
    """issued_on with its matching date line (36-HD leading zeros)."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return {"issued_on": d, "date_line": f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"}


def typed(name: str, code: str, number: str = "05", issuer_code: str = "TU") -> dict[str, Any]:
    """A document type with its matching number line."""
    return {
        "document_type": name,
        "type_code": code,
        "number": number,
        "number_line": f"Số {number}-{code}/{issuer_code}",
        "issuer_code": issuer_code,
    }


VP: dict[str, Any] = {
    "parent_issuer": "TỈNH ỦY THANH HÓA",
    "issuer": "VĂN PHÒNG",
    "signing_form": None,
    "signer_title": "CHÁNH VĂN PHÒNG",
    **typed("THÔNG BÁO", "TB", issuer_code="VPTU"),
}
UBKT: dict[str, Any] = {
    "parent_issuer": "TỈNH ỦY THANH HÓA",
    "issuer": "ỦY BAN KIỂM TRA",
    "signing_form": "T/M ỦY BAN KIỂM TRA",
    "signer_title": "CHỦ NHIỆM",
    **typed("THÔNG BÁO", "TB", issuer_code="UBKTTU"),
}
HU: dict[str, Any] = {
    "parent_issuer": "ĐẢNG BỘ TỈNH THANH HÓA",
    "issuer": "HUYỆN ỦY NGA SƠN",
    **typed("NGHỊ QUYẾT", "NQ", issuer_code="HU"),
}
CONGRESS: dict[str, Any] = {
    "issuer": "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ TỈNH THANH HÓA LẦN THỨ XX",
    "signing_form": "T/M ĐOÀN CHỦ TỊCH",
    "signer_title": None,
    **typed("NGHỊ QUYẾT", "NQ", issuer_code="ĐH"),
}
BKP: dict[str, Any] = {
    "parent_issuer": "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ TỈNH THANH HÓA LẦN THỨ XX",
    "issuer": "BAN KIỂM PHIẾU",
    "signing_form": "T/M BAN KIỂM PHIẾU",
    "signer_title": "TRƯỞNG BAN",
    **typed("BÁO CÁO", "BC", issuer_code="ĐH"),
}
BBT: dict[str, Any] = {
    "issuer": "BAN CHẤP HÀNH TRUNG ƯƠNG",
    "signing_form": "T/M BAN BÍ THƯ",
    "signer_title": None,
    **typed("QUY ĐỊNH", "QĐ", issuer_code="TW"),
}
STATE = "state"
PARTY = "party"


@dataclass(frozen=True)
class Case:
    code: str
    name: str  # reads as the situation, e.g. "colon after Số"
    trigger: dict[str, Any]
    near_miss: dict[str, Any]
    profile: str = PARTY
    severity: str | None = None  # expected severity of the triggered finding
    layout: bool = True  # pass the ParsedDocument (False: fields only)
    tags: tuple[str, ...] = field(default=())


# A state thông báo whose number and day were left blank for the e-signature stamp (issue 11).
STAMP_BLANK_FIELDS: dict[str, Any] = {
    "number": None,
    "number_line": "Số:      /TB-UBND",
    "number_blank": True,
    "issued_on": None,
    "issued_year": 2025,
    "issued_month": 1,
    "date_blank": True,
    "date_line": "Thanh Hóa, ngày      tháng 01 năm 2025",
    "document_type": "THÔNG BÁO",
    "type_code": "TB",
}

BODY_TAIL = [
    "Ban Thường vụ Tỉnh ủy quyết nghị:",
    "1. Các cấp ủy, tổ chức đảng tập trung lãnh đạo, chỉ đạo thực hiện tốt các nhiệm vụ, giải pháp đề ra.",
]

CASES: list[Case] = [
    # ---- FMT ----
    Case(
        "FMT-TITLE-MISSING",
        "no Party title",
        {"title": None},
        {"title": "ĐẢNG CỘNG SẢN VIỆT NAM "},
        severity="error",
    ),
    Case("FMT-TITLE-MISSING", "title in lower case", {"title": "Đảng Cộng sản Việt Nam"}, {}, severity="error"),
    Case(
        "FMT-TITLE-STYLE",
        "title not bold",
        {"styles": {"title": {"bold": False}}},
        {"styles": {"title": {"size_pt": 15.1}}},
        severity="error",
    ),
    Case(
        "FMT-TITLE-STYLE",
        "title at 13 pt",
        {"styles": {"title": {"size_pt": 13}}},
        {"styles": {"title": {"caps": True}}},
        severity="error",
    ),
    Case(
        "FMT-MIXED-PROFILE",
        "Tiêu ngữ in a Party document",
        {"extra_header_lines": ["Độc lập - Tự do - Hạnh phúc"]},
        {"extra_header_lines": ["độc lập, tự do, hạnh phúc của Nhân dân"]},
        severity="error",
    ),
    Case(
        "FMT-ISSUER-MISSING",
        "no issuing body",
        {"issuer": None},
        {"issuer": "TỈNH UỶ THANH HOÁ"},
        severity="error",
    ),
    Case(
        "FMT-STAR-MISSING",
        "no star",
        {"star": False},
        {"star": False, "extra_header_lines": ["*"]},
        severity="error",
    ),
    Case(
        "FMT-STAR-MISSING",
        "state-style rule instead of the star",
        {"star": False, "issuer_border": True},
        {"star": True, "issuer_border": True},
        severity="error",
    ),
    Case(
        "FMT-STAR-MISSING",
        "a typed rule instead of the star",
        {"star": False, "issuer_rule_text": "__________"},
        {"star": True, "issuer_rule_text": "__________"},
        severity="error",
    ),
    Case(
        "FMT-NUMBER-MISSING",
        "no number line",
        {"number_line": None, "number": None},
        {"number_line": None, "number": None, "type_code": None, "document_type": "LỜI KÊU GỌI"},
        severity="error",
    ),
    Case(
        "FMT-NUMBER-COLON",
        "colon after Số",
        {"number_line": "Số: 05-NQ/TU"},
        {"number_line": "Số  05-NQ/TU"},
        severity="error",
    ),
    Case(
        "FMT-NUMBER-COLON",
        "no colon in a state document",
        {"number_line": "Số 12/QĐ-UBND"},
        {"number_line": "Số:12/QĐ-UBND"},
        profile=STATE,
        severity="error",
    ),
    Case(
        "FMT-NUMBER-SYNTAX",
        "state order in a Party number",
        {"number_line": "Số 05/NQ-TU"},
        {"number_line": "Số 05-NQ/BTCTU-BDVTU"},
        severity="error",
    ),
    Case(
        "FMT-NUMBER-LEADING-ZERO",
        "number 5 without zero",
        {"number_line": "Số 5-NQ/TU", "number": "5"},
        {"number_line": "Số 10-NQ/TU", "number": "10"},
        severity="warning",
    ),
    Case(
        "FMT-NUMBER-LEADING-ZERO",
        "state number 5 without zero",
        {"number_line": "Số: 5/QĐ-UBND", "number": "5"},
        {"number_line": "Số: 05/QĐ-UBND", "number": "05"},
        profile=STATE,
        severity="error",
    ),
    Case(
        "FMT-TYPE-ABBR-MISMATCH",
        "KH symbol on a Nghị quyết",
        {"number_line": "Số 05-KH/TU", "type_code": "KH"},
        typed("QUY ĐỊNH", "QĐi"),
        severity="error",
    ),
    Case(
        "FMT-TYPE-ABBR-MISMATCH",
        "QĐi on a Quyết định",
        typed("QUYẾT ĐỊNH", "QĐi"),
        typed("QUYẾT ĐỊNH", "QĐ"),
        severity="error",
    ),
    Case(
        "FMT-TYPE-ABBR-UNKNOWN",
        "state QyĐ in a Party document",
        typed("QUY ĐỊNH", "QyĐ"),
        typed("CHƯƠNG TRÌNH", "CTHĐ"),
        severity="error",
    ),
    Case(
        "FMT-DATE-MISSING",
        "no date line",
        {"date_line": None},
        {"date_line": "Thanh Hoá, ngày 05 tháng 3 năm 2024"},
        severity="error",
    ),
    Case(
        "FMT-DATE-SYNTAX",
        "numeric date",
        {"date_line": "Thanh Hóa, 05/3/2024"},
        {"date_line": "Thanh Hóa,  ngày 05  tháng 3 năm 2024"},
        severity="error",
    ),
    Case(
        "FMT-DATE-LEADING-ZERO",
        "day without zero",
        {"date_line": "Thanh Hóa, ngày 5 tháng 3 năm 2024"},
        {"date_line": "Thanh Hóa, ngày 15 tháng 3 năm 2024", "issued_on": date(2024, 3, 15)},
        severity="error",
    ),
    Case(
        "FMT-DATE-LEADING-ZERO",
        "January without zero",
        {"date_line": "Thanh Hóa, ngày 05 tháng 1 năm 2024", "issued_on": date(2024, 1, 5)},
        dated(date(2024, 1, 5)),
        severity="error",
    ),
    Case(
        "FMT-DATE-LEADING-ZERO",
        "March with a zero",
        {"date_line": "Thanh Hóa, ngày 05 tháng 03 năm 2024"},
        {"date_line": "Thanh Hóa, ngày 05 tháng 10 năm 2024", "issued_on": date(2024, 10, 5)},
        severity="warning",
    ),
    Case(
        "FMT-DATE-INVALID",
        "30 February",
        {"date_line": "Thanh Hóa, ngày 30 tháng 02 năm 2024", "issued_on": None},
        dated(date(2024, 2, 29)),
        severity="error",
    ),
    Case(
        "FMT-DATE-INVALID",
        "date in the future",
        dated(date(2027, 1, 5)),
        dated(date(2026, 6, 1)),
        severity="error",
    ),
    Case(
        "FMT-DATE-STYLE",
        "date line upright",
        {"styles": {"date_line": {"italic": False}}},
        {"styles": {"date_line": {"size_pt": 14.2}}},
        severity="error",
    ),
    Case(
        "FMT-TYPE-NAME-STYLE",
        "tên loại at 14 pt",
        {"styles": {"document_type": {"size_pt": 14}}},
        {"styles": {"document_type": {"size_pt": 16}}},
        severity="error",
    ),
    Case("FMT-FONT", "Arial", {"font": "Arial"}, {"styles": {"star": {"font": "Symbol"}}}, severity="warning"),
    Case("FMT-FONT", "TCVN3 font", {"font": ".VnTime"}, {"font": "Times New Roman"}, severity="error"),
    Case("FMT-FONT", "state document in Arial", {"font": "Arial"}, {}, profile=STATE, severity="error"),
    Case("FMT-BODY-SIZE", "body at 13 pt", {"body_size": 13}, {"body_size": 15}, severity="error"),
    Case(
        "FMT-PAGE-SIZE",
        "Letter paper",
        {"page": PageSetup(width_mm=215.9, height_mm=279.4)},
        {"page": PageSetup(width_mm=297, height_mm=210)},
        severity="error",
    ),
    Case(
        "FMT-MARGINS",
        "left margin 25 mm",
        {
            "page": PageSetup(
                width_mm=210,
                height_mm=297,
                margin_top_mm=20,
                margin_bottom_mm=20,
                margin_left_mm=25,
                margin_right_mm=15,
            )
        },
        {
            "page": PageSetup(
                width_mm=210,
                height_mm=297,
                margin_top_mm=20,
                margin_bottom_mm=20,
                margin_left_mm=30.5,
                margin_right_mm=15,
            )
        },
        severity="warning",
    ),
    Case(
        "FMT-MARGINS",
        "state left margin 25 mm",
        {
            "page": PageSetup(
                width_mm=210,
                height_mm=297,
                margin_top_mm=20,
                margin_bottom_mm=20,
                margin_left_mm=25,
                margin_right_mm=15,
            )
        },
        {
            "page": PageSetup(
                width_mm=210,
                height_mm=297,
                margin_top_mm=25,
                margin_bottom_mm=20,
                margin_left_mm=35,
                margin_right_mm=20,
            )
        },
        profile=STATE,
        severity="error",
    ),
    Case(
        "FMT-DRAFT-MARK",
        "draft mark on an issued document",
        {"draft": "Dự thảo lần 2"},
        {"draft": "Dự thảo lần 2", "number_line": "Số     -NQ/TU", "number": None},
        severity="warning",
    ),
    Case(
        "FMT-SIGN-FORM-STATE-STYLE",
        "TM. with a dot",
        {"signing_form": "TM. BAN THƯỜNG VỤ"},
        {"signing_form": "T/M BAN THƯỜNG VỤ"},
        severity="error",
    ),
    Case(
        "FMT-SIGN-FORM-STATE-STYLE",
        "T/UQ",
        {"signing_form": "T/UQ BAN THƯỜNG VỤ", "signer_title": "CHÁNH VĂN PHÒNG", **typed("BÁO CÁO", "BC")},
        {"signing_form": "T/L BAN THƯỜNG VỤ", "signer_title": "CHÁNH VĂN PHÒNG", **typed("BÁO CÁO", "BC")},
        severity="warning",
    ),
    Case(
        "FMT-SIGN-FORM-STATE-STYLE",
        "T/M in a state document",
        {"signing_form": "T/M ỦY BAN NHÂN DÂN"},
        {"signing_form": "TM. ỦY BAN NHÂN DÂN"},
        profile=STATE,
        severity="error",
    ),
    Case(
        "FMT-SIGNER-TITLE-ORG",
        "BÍ THƯ TỈNH ỦY",
        {"signer_title": "BÍ THƯ TỈNH ỦY"},
        {"signer_title": "PHÓ BÍ THƯ"},
        severity="warning",
    ),
    Case(
        "FMT-SIGNER-ACADEMIC-TITLE",
        "TS. before the name",
        {"signer_name": "TS. Nguyễn Văn A"},
        {"signer_name": "Trần Sĩ Thanh"},
        severity="warning",
    ),
    Case(
        "FMT-RECIPIENTS-MISSING",
        "no nơi nhận",
        {"recipients": []},
        {
            "recipients": [],
            "signing_form": None,
            "signer_title": "CHỦ TRÌ HỘI NGHỊ",
            **typed("BIÊN BẢN", "BB"),
        },
        severity="error",
    ),
    Case(
        "FMT-RECIPIENTS-ARCHIVE-LINE",
        "no archive line",
        {"recipients": ["Các huyện ủy, thị ủy, thành ủy."]},
        {"recipients": ["Như trên,", "Lưu Đảng ủy."]},
        severity="warning",
    ),
    Case(
        "FMT-RECIPIENTS-ARCHIVE-LINE",
        "state archive line",
        {"recipients": ["Như trên,", "Lưu: VT, TH."]},
        {"recipients": ["Như trên,", "Lưu Văn phòng Tỉnh ủy, Vụ Tổng hợp."]},
        severity="warning",
    ),
    # ---- AUTH ----
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "Ban Chấp hành issues a Chỉ thị",
        {"signing_form": "T/M TỈNH ỦY", **typed("CHỈ THỊ", "CT")},
        {"signing_form": "T/M BAN THƯỜNG VỤ", **typed("CHỈ THỊ", "CT")},
        severity="error",
    ),
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "Ban Thường vụ issues a Thông cáo",
        {"signing_form": "T/M BAN THƯỜNG VỤ", **typed("THÔNG CÁO", "TC")},
        {"signing_form": "T/M TỈNH ỦY", **typed("THÔNG CÁO", "TC")},
        severity="error",
    ),
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "Văn phòng issues a Nghị quyết",
        {**VP, **typed("NGHỊ QUYẾT", "NQ", issuer_code="VPTU")},
        VP,
        severity="warning",
    ),
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "Tỉnh ủy issues a Chiến lược",
        {"number_line": None, "number": None, "type_code": None, "document_type": "CHIẾN LƯỢC"},
        {
            "number_line": None,
            "number": None,
            "type_code": None,
            "document_type": "CHIẾN LƯỢC",
            "issuer": "BAN CHẤP HÀNH TRUNG ƯƠNG",
            "signing_form": "T/M BAN CHẤP HÀNH TRUNG ƯƠNG",
            "signer_title": "TỔNG BÍ THƯ",
            "issuer_code": "TW",
        },
        severity="error",
    ),
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "chi bộ issues a Hướng dẫn in 2026",
        {
            "parent_issuer": "ĐẢNG BỘ XÃ HOẰNG TIẾN",
            "issuer": "CHI BỘ THÔN TRUNG ĐÔNG",
            "signing_form": "T/M CHI BỘ",
            **typed("HƯỚNG DẪN", "HD", issuer_code="CB"),
            **dated(date(2026, 3, 10)),
        },
        {
            "parent_issuer": "ĐẢNG BỘ XÃ HOẰNG TIẾN",
            "issuer": "CHI BỘ THÔN TRUNG ĐÔNG",
            "signing_form": "T/M CHI BỘ",
            **typed("KẾT LUẬN", "KL", issuer_code="CB"),
            **dated(date(2026, 3, 10)),
        },
        severity="warning",
    ),
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "congress issues a Quyết định",
        {**CONGRESS, **typed("QUYẾT ĐỊNH", "QĐ", issuer_code="ĐH")},
        CONGRESS,
        severity="error",
    ),
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "Ban Kiểm phiếu files a biên bản (election rules conflict)",
        {**BKP, **typed("BIÊN BẢN", "BB", issuer_code="ĐH")},
        BKP,
        severity="warning",
    ),
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "Ban Bí thư issues a Nghị quyết",
        {**BBT, **typed("NGHỊ QUYẾT", "NQ", issuer_code="TW")},
        BBT,
        severity="warning",
    ),
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "Ủy ban Kiểm tra issues a Chỉ thị",
        {**UBKT, **typed("CHỈ THỊ", "CT", issuer_code="UBKTTU")},
        UBKT,
        severity="warning",
    ),
    Case(
        "AUTH-TYPE-NOT-ALLOWED",
        "Thường trực issues a Nghị quyết in its own name",
        {"signing_form": "T/M THƯỜNG TRỰC TỈNH ỦY"},
        {"signing_form": "T/M THƯỜNG TRỰC TỈNH ỦY", **typed("THÔNG BÁO", "TB")},
        severity="warning",
    ),
    Case(
        # 05-HD/VPTW (27/05/2026) repealed Công văn 3294-CV/VPTW: "QĐi" was right until the day before.
        "FMT-TYPE-ABBR-MISMATCH",
        "QĐi on a Quy định under 05-HD, accepted before it",
        {**typed("QUY ĐỊNH", "QĐi"), **dated(date(2026, 5, 29))},
        {**typed("QUY ĐỊNH", "QĐi"), **dated(date(2026, 5, 26))},
        severity="warning",
    ),
    Case(
        "AUTH-SIGN-KT-COLLECTIVE",
        "K/T CHỦ NHIỆM on an Ủy ban Kiểm tra document",
        {**UBKT, "signing_form": "K/T CHỦ NHIỆM", "signer_title": "PHÓ CHỦ NHIỆM"},
        {**UBKT, "signing_form": "T/M ỦY BAN KIỂM TRA", "signer_title": "PHÓ CHỦ NHIỆM"},
        severity="error",
    ),
    Case(
        "AUTH-SIGN-KT-COLLECTIVE",
        "K/T BÍ THƯ on a Ban Thường vụ document",
        {"signing_form": "K/T BÍ THƯ", "signer_title": "PHÓ BÍ THƯ"},
        {"signing_form": "T/M BAN THƯỜNG VỤ", "signer_title": "PHÓ BÍ THƯ"},
        severity="error",
    ),
    Case(
        "AUTH-SIGN-TM-ADVISORY",
        "T/M VĂN PHÒNG",
        {**VP, "signing_form": "T/M VĂN PHÒNG"},
        VP,
        severity="error",
    ),
    Case(
        "AUTH-SIGN-DEPUTY-NO-KT",
        "Phó Chánh Văn phòng signs without K/T",
        {**VP, "signer_title": "PHÓ CHÁNH VĂN PHÒNG"},
        {**VP, "signing_form": "K/T CHÁNH VĂN PHÒNG", "signer_title": "PHÓ CHÁNH VĂN PHÒNG"},
        severity="error",
    ),
    Case(
        "AUTH-SIGN-KT-HEAD-MISMATCH",
        "K/T CHÁNH VĂN PHÒNG signed by a Phó Trưởng ban",
        {**VP, "signing_form": "K/T CHÁNH VĂN PHÒNG", "signer_title": "PHÓ TRƯỞNG BAN"},
        {**VP, "signing_form": "K/T CHÁNH VĂN PHÒNG", "signer_title": "PHÓ CHÁNH VĂN PHÒNG"},
        severity="error",
    ),
    Case(
        "AUTH-SIGN-ENTITY-MISMATCH",
        "Ủy ban Kiểm tra document signed T/M BAN THƯỜNG VỤ",
        {**UBKT, "signing_form": "T/M BAN THƯỜNG VỤ", "signer_title": "BÍ THƯ"},
        UBKT,
        severity="error",
    ),
    Case(
        "AUTH-SIGNER-NOT-LEADER",
        "T/M BAN THƯỜNG VỤ signed by the Chánh Văn phòng",
        {"signing_form": "T/M BAN THƯỜNG VỤ", "signer_title": "CHÁNH VĂN PHÒNG"},
        {"signing_form": "T/M BAN THƯỜNG VỤ", "signer_title": "PHÓ BÍ THƯ"},
        severity="warning",
    ),
    Case(
        "AUTH-TL-NOT-DELEGABLE",
        "Nghị quyết signed T/L",
        {"signing_form": "T/L BAN THƯỜNG VỤ", "signer_title": "CHÁNH VĂN PHÒNG"},
        {"signing_form": "T/L BAN THƯỜNG VỤ", "signer_title": "CHÁNH VĂN PHÒNG", **typed("BÁO CÁO", "BC")},
        severity="warning",
    ),
    Case(
        "AUTH-SYMBOL-ISSUER-MISMATCH",
        "Tỉnh ủy header with the Văn phòng's code",
        {"number_line": "Số 05-NQ/VPTU", "issuer_code": "VPTU"},
        {"number_line": "Số 05-NQ/TU", "issuer_code": "TU"},
        severity="error",
    ),
    Case(
        "AUTH-SYMBOL-ISSUER-MISMATCH",
        "Văn phòng header with the Tỉnh ủy's code",
        {**VP, "number_line": "Số 05-TB/TU", "issuer_code": "TU"},
        VP,
        severity="error",
    ),
    Case(
        "AUTH-ISSUER-DEFUNCT",
        "Huyện ủy document after 01/07/2025",
        {**HU, **dated(date(2025, 8, 1), "Nga Sơn")},
        {**HU, **dated(date(2025, 6, 30), "Nga Sơn")},
        severity="error",
    ),
    Case(
        "AUTH-ISSUER-DEFUNCT",
        "Tỉnh ủy Hải Dương after the merger",
        {"issuer": "TỈNH ỦY HẢI DƯƠNG", **dated(date(2025, 8, 1), "Hải Dương")},
        {"issuer": "TỈNH ỦY HẢI DƯƠNG", **dated(date(2025, 6, 30), "Hải Dương")},
        severity="error",
    ),
    Case(
        "AUTH-ISSUER-DEFUNCT",
        "Ban Tuyên giáo Thanh Hóa after its merger",
        {
            "parent_issuer": "TỈNH ỦY THANH HÓA",
            "issuer": "BAN TUYÊN GIÁO",
            "signing_form": None,
            "signer_title": "TRƯỞNG BAN",
            **typed("HƯỚNG DẪN", "HD", issuer_code="BTGTU"),
            **dated(date(2025, 3, 3)),
        },
        {
            "parent_issuer": "TỈNH ỦY THANH HÓA",
            "issuer": "BAN TUYÊN GIÁO",
            "signing_form": None,
            "signer_title": "TRƯỞNG BAN",
            **typed("HƯỚNG DẪN", "HD", issuer_code="BTGTU"),
            **dated(date(2025, 1, 15)),
        },
        severity="warning",
    ),
    Case(
        "AUTH-ISSUER-DEFUNCT",
        "Ban Xây dựng Đảng of a đảng ủy xã before 07/2025",
        {
            "parent_issuer": "ĐẢNG ỦY XÃ HOẰNG TIẾN",
            "issuer": "BAN XÂY DỰNG ĐẢNG",
            "signing_form": None,
            "signer_title": "TRƯỞNG BAN",
            **typed("HƯỚNG DẪN", "HD", issuer_code="BXDĐU"),
            **dated(date(2025, 3, 3)),
        },
        {
            "parent_issuer": "ĐẢNG ỦY XÃ HOẰNG TIẾN",
            "issuer": "BAN XÂY DỰNG ĐẢNG",
            "signing_form": None,
            "signer_title": "TRƯỞNG BAN",
            **typed("HƯỚNG DẪN", "HD", issuer_code="BXDĐU"),
            **dated(date(2025, 8, 1)),
        },
        severity="warning",
    ),
    # ---- Reading (issue 11) ----
    Case(
        "READ-UNCERTAIN",
        "number and day left blank for the e-signature stamp",
        STAMP_BLANK_FIELDS,
        {"document_type": "THÔNG BÁO", "type_code": "TB", "number_line": "Số: 12/TB-UBND"},
        profile=STATE,
        severity="info",
    ),
    Case(
        "READ-UNCERTAIN",
        "issuer read with low confidence",
        {"issuer": "TỈNH ỦY THANH HÓA", "confidence": {"issuer": 0.4}},
        {"confidence": {"issuer": 0.95}},
        severity="info",
    ),
]


# ---- Hướng dẫn 05-HD/VPTW (27/5/2026) and the window before it (issue 13) -----------------------------------
# A document is judged by the guide of its own date: 36-HD up to 26/05/2026 (either guide accepted from 09/01),
# 05-HD from 27/05/2026. Each case below plants one error in the regime where the verdict differs.

REC_05 = ["Các đảng ủy trực thuộc Tỉnh ủy;", "Các đồng chí Tỉnh ủy viên;", "Lưu Văn phòng Tỉnh ủy."]
REC_36 = ["Các đảng ủy trực thuộc Tỉnh ủy,", "Các đồng chí Tỉnh ủy viên,", "Lưu Văn phòng Tỉnh ủy."]
D05 = date(2026, 5, 29)
D_WINDOW = date(2026, 3, 10)
D36 = date(2025, 3, 10)
# A 05-HD-correct document of the factory: its recipients end with ";" and its archive line with ".".
HD05: dict[str, Any] = {**dated(D05), "recipients": REC_05}
HD36: dict[str, Any] = {**dated(D36), "recipients": REC_36}
WINDOW: dict[str, Any] = {**dated(D_WINDOW), "recipients": REC_36}
CV: dict[str, Any] = {**VP, **typed("CÔNG VĂN", "CV", number="357", issuer_code="VPTU"), "document_type": "CÔNG VĂN"}
BASIS_05 = ["- Căn cứ Điều lệ Đảng;", "- Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh.", *BODY_TAIL]
BCD: dict[str, Any] = {
    "parent_issuer": "TỈNH ỦY THANH HÓA",
    "issuer": "BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ VÀ CHUYỂN ĐỔI SỐ",
    "signing_form": None,
    **typed("KẾ HOẠCH", "KH", issuer_code="BCĐTU"),
}
CENTRAL: dict[str, Any] = {"issuer": "BAN CHẤP HÀNH TRUNG ƯƠNG", **typed("KẾT LUẬN", "KL", issuer_code="TW")}
PHU_THO: dict[str, Any] = {
    "parent_issuer": "ĐẢNG BỘ TỈNH PHÚ THỌ",
    "issuer": "ĐẢNG ỦY PHƯỜNG PHÚ THỌ",
    "signing_form": "T/M ĐẢNG ỦY",
    **typed("NGHỊ QUYẾT", "NQ", issuer_code="ĐU"),
}
MINUTES: dict[str, Any] = {
    **typed("BIÊN BẢN", "BB"),
    "summary": "hội nghị Ban Thường vụ Tỉnh ủy tháng 5 năm 2026",
    "recipients": [],
}


def place(name: str, d: date = D05) -> dict[str, Any]:
    return {"place": name, "issued_on": d, "date_line": f"{name}, ngày {d.day:02d} tháng {d.month} năm {d.year}"}


CASES += [
    Case(
        "FMT-RECIPIENTS-PUNCT",
        "recipients ending with ',' under 05-HD",
        {**HD05, "recipients": REC_36},
        HD05,
        severity="warning",
    ),
    Case(
        "FMT-RECIPIENTS-PUNCT",
        "recipients ending with ';' under 36-HD",
        {**HD36, "recipients": REC_05},
        HD36,
        severity="warning",
    ),
    Case(
        # 09/01–26/05/2026: ";" (05-HD) and "," (36-HD) are both accepted, an entry with neither is not.
        "FMT-RECIPIENTS-PUNCT",
        "recipients without punctuation in the window, either guide accepted",
        {**WINDOW, "recipients": ["Các đảng ủy trực thuộc Tỉnh ủy", "Các đồng chí Tỉnh ủy viên", "Lưu Văn phòng."]},
        {**WINDOW, "recipients": REC_05},
        severity="warning",
    ),
    Case(
        "FMT-RECIPIENTS-PUNCT",
        "Kính gửi entries ending with ',' under 05-HD",
        {**CV, **HD05, "addressees": ["Các ban đảng Tỉnh ủy,", "Ủy ban Kiểm tra Tỉnh ủy,"]},
        {**CV, **HD05, "addressees": ["Các ban đảng Tỉnh ủy;", "Ủy ban Kiểm tra Tỉnh ủy;"]},
        severity="warning",
    ),
    Case(
        "FMT-RECIPIENTS-STYLE",
        "'Nơi nhận:' not underlined",
        {**HD05, "styles": {"recipients_label": {"underline": False}}},
        HD05,
        severity="warning",
    ),
    Case(
        "FMT-RECIPIENTS-STYLE",
        "recipient entries at 14 pt",
        {"styles": {"recipients": {"size_pt": 14}}},
        {"styles": {"recipients": {"size_pt": 12.1}}},
        severity="warning",
    ),
    Case(
        "FMT-BASIS-PUNCT",
        "last căn cứ ending with ';' under 05-HD",
        {**HD05, "body": ["- Căn cứ Điều lệ Đảng;", "- Căn cứ Quy chế làm việc;", *BODY_TAIL]},
        {**HD05, "body": BASIS_05},
        severity="warning",
    ),
    Case(
        "FMT-BASIS-PUNCT",
        "căn cứ without its dash under 36-HD",
        {**HD36, "body": ["Căn cứ Điều lệ Đảng;", "- Xét đề nghị của Ban Tổ chức Tỉnh ủy,", *BODY_TAIL]},
        {**HD36, "body": ["- Căn cứ Điều lệ Đảng;", "- Xét đề nghị của Ban Tổ chức Tỉnh ủy,", *BODY_TAIL]},
        severity="warning",
    ),
    Case(
        # The window accepts the 05-HD form (last căn cứ ".") and the 36-HD one (last ","): only a missing ";" is
        # wrong under both.
        "FMT-BASIS-PUNCT",
        "căn cứ without ';' in the window, last '.' accepted",
        {**WINDOW, "body": ["- Căn cứ Điều lệ Đảng", "- Căn cứ Quy chế làm việc.", *BODY_TAIL]},
        {**WINDOW, "body": BASIS_05},
        severity="warning",
    ),
    Case(
        "FMT-SUMMARY-VV",
        "'V/v' before a Party công văn's trích yếu",
        {**CV, **HD05, "summary": "V/v chuẩn bị hội nghị Ban Thường vụ Tỉnh ủy"},
        {**CV, **HD05, "summary": "về việc chuẩn bị hội nghị Ban Thường vụ Tỉnh ủy"},
        severity="warning",
    ),
    Case(
        "FMT-SUMMARY-RULE",
        "no hyphens under the trích yếu under 05-HD",
        {**HD05, "separator": None},
        {**HD05, "separator": "-----"},
        severity="error",
    ),
    Case(
        "FMT-SUMMARY-RULE",
        "no hyphens under the trích yếu under 36-HD",
        {**HD36, "separator": None},
        {**HD36, "separator": "—————"},
        severity="info",
    ),
    Case(
        "FMT-PLACE-LEVEL",
        "a one-syllable place without its level",
        {**HD05, **place("Huế")},
        {**HD05, **place("Thành phố Huế")},
        severity="warning",
    ),
    Case(
        "FMT-PLACE-LEVEL",
        "a place named after a person under 05-HD; a one-syllable place before it",
        {**HD05, **place("Hồ Chí Minh")},
        {**HD36, **place("Huế", D36)},
        severity="warning",
    ),
    Case(
        "FMT-PLACE-LEVEL",
        "a ward named like its province without 'Phường'",
        {**PHU_THO, **HD05, **place("Phú Thọ")},
        {**PHU_THO, **HD05, **place("Phường Phú Thọ")},
        severity="warning",
    ),
    Case(
        "FMT-PLACE-LEVEL",
        "a province merged away in 2025",
        {**HD05, **place("Hà Giang")},
        {**HD05, **place("Tuyên Quang")},
        severity="warning",
    ),
    Case(
        "FMT-URGENCY-MARK",
        "an urgency mark outside the list",
        {**HD05, "urgency": "KHẨN CẤP"},
        {**HD05, "urgency": "THƯỢNG KHẨN"},
        severity="warning",
    ),
    Case(
        "FMT-URGENCY-MARK",
        "an urgency mark above the số",
        {**HD36, "urgency": "KHẨN", "urgency_above_number": True},
        {**HD36, "urgency": "KHẨN"},
        severity="warning",
    ),
    Case(
        "FMT-URGENCY-MARK",
        "'HỎA TỐC HẸN GIỜ' after 05-HD, fine before",
        {**HD05, "urgency": "HỎA TỐC HẸN GIỜ"},
        {**HD36, "urgency": "HỎA TỐC HẸN GIỜ"},
        severity="info",
    ),
    Case(
        "FMT-DRAFTER-MARK",
        "drafter's mark in capitals under 05-HD",
        {**HD05, "drafter_mark": "NGUYENVANAN-26"},
        {**HD05, "drafter_mark": "NguyenVanAn-26"},
        severity="warning",
    ),
    Case(
        "FMT-DRAFTER-MARK",
        "drafter's mark in lower case under 36-HD",
        {**HD36, "drafter_mark": "NguyenVanAn-26", "styles": {"drafter_mark": {"size_pt": 8}}},
        {**HD36, "drafter_mark": "NVA-26", "styles": {"drafter_mark": {"size_pt": 8}}},
        severity="info",
    ),
    Case(
        "FMT-CONTACT-PLACEMENT",
        "contact information on the first page under 05-HD",
        {**HD05, "contact": "Điện thoại: 0237.3852.123; email: vptu@thanhhoa.dcs.vn", "pages": 2},
        {**HD05, "contact": "Điện thoại: 0237.3852.123; email: vptu@thanhhoa.dcs.vn", "pages": 2, "contact_page": 2},
        severity="warning",
    ),
    Case(
        "FMT-CONTACT-PLACEMENT",
        "contact information at 12 pt under 36-HD",
        {**HD36, "contact": "Điện thoại: 0237.3852.123", "styles": {"contact": {"size_pt": 12}}},
        {**HD36, "contact": "Điện thoại: 0237.3852.123"},
        severity="warning",
    ),
    Case(
        "FMT-SIGN-COLLECTIVE-NO-TM",
        "a Ban Thường vụ document signed without T/M",
        {**HD05, "signing_form": None},
        {**HD05, "signing_form": "T/M BAN THƯỜNG VỤ"},
        severity="error",
    ),
    Case(
        "FMT-SIGN-COLLECTIVE-NO-TM",
        "a hội đồng without its own seal signs with a 'kiêm' title",
        {
            **HD05,
            "parent_issuer": "TỈNH ỦY THANH HÓA",
            "issuer": "HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG",
            **typed("THÔNG BÁO", "TB", issuer_code="HĐTĐKTTU"),
            "signing_form": None,
            "signer_title": "CHỦ TỊCH",
        },
        {
            **HD05,
            "parent_issuer": "TỈNH ỦY THANH HÓA",
            "issuer": "HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG",
            **typed("THÔNG BÁO", "TB", issuer_code="HĐTĐKTTU"),
            "signing_form": None,
            "signer_title": "TRƯỞNG BAN TỔ CHỨC kiêm CHỦ TỊCH HỘI ĐỒNG",
        },
        severity="error",
    ),
    Case(
        "FMT-COPY-MARK",
        "a 36-HD copy label on a copy made under 05-HD",
        {**HD05, "tail_lines": ["SAO Y BẢN CHÍNH", "Số 03-BS/VPTU"]},
        {**HD05, "tail_lines": ["BẢN SAO VĂN BẢN", "Văn phòng Tỉnh ủy", "Số 03-BS/VPTU", "Hình thức sao: sao y"]},
        severity="warning",
    ),
    Case(
        "FMT-COPY-MARK",
        "a copy without its BS number under 36-HD",
        {**HD36, "tail_lines": ["SAO Y BẢN CHÍNH", "Thanh Hóa, ngày 12 tháng 3 năm 2025"]},
        {**HD36, "tail_lines": ["SAO Y BẢN CHÍNH", "Số 24-BS/VPTU"]},
        severity="error",
    ),
    Case(
        "AUTH-MINUTES-SIGNING",
        "a biên bản signed T/M without the minutes-taker",
        {**HD05, **MINUTES, "signing_form": "T/M BAN THƯỜNG VỤ", "signer_title": "BÍ THƯ"},
        {**HD05, **MINUTES, "signing_form": None, "signer_title": "CHỦ TRÌ HỘI NGHỊ", "minute_taker": "Trần Thị Mai"},
        severity="warning",
    ),
    # ---- existing codes whose verdict 05-HD changes ----
    Case(
        "FMT-NUMBER-LEADING-ZERO",
        "number below 10 without a zero is an error under 05-HD",
        {**HD05, **typed("NGHỊ QUYẾT", "NQ", number="5")},
        {**HD05, **typed("NGHỊ QUYẾT", "NQ", number="05")},
        severity="error",
    ),
    Case(
        # 05-HD I.7.1.4 c(iii): a deputy running a body that has no head signs directly.
        "AUTH-SIGN-DEPUTY-NO-KT",
        "a deputy signing directly: wrong under 36-HD, allowed under 05-HD",
        {**VP, **HD36, "signer_title": "PHÓ CHÁNH VĂN PHÒNG"},
        {**VP, **HD05, "signer_title": "PHÓ CHÁNH VĂN PHÒNG"},
        severity="error",
    ),
    Case(
        "AUTH-SIGNER-NOT-LEADER",
        "a title line under T/M BỘ CHÍNH TRỊ under 05-HD",
        {**CENTRAL, **HD05, "signing_form": "T/M BỘ CHÍNH TRỊ", "signer_title": "TỔNG BÍ THƯ"},
        {**CENTRAL, **HD05, "signing_form": "T/M BỘ CHÍNH TRỊ", "signer_title": None},
        severity="warning",
    ),
    Case(
        "AUTH-SIGNER-NOT-LEADER",
        "T/M ỦY BAN KIỂM TRA signed by a member under 05-HD",
        {**UBKT, **HD05, "signer_title": "ỦY VIÊN"},
        {**UBKT, **HD05, "signer_title": "PHÓ CHỦ NHIỆM"},
        severity="warning",
    ),
    Case(
        "AUTH-SIGN-KT-HEAD-MISMATCH",
        "a deputy of a ban chỉ đạo without a seal signs K/T",
        {**BCD, **HD05, "signing_form": "K/T TRƯỞNG BAN", "signer_title": "ỦY VIÊN BAN THƯỜNG VỤ kiêm PHÓ TRƯỞNG BAN"},
        {**BCD, **HD05, "signer_title": "ỦY VIÊN BAN THƯỜNG VỤ kiêm PHÓ TRƯỞNG BAN"},
        severity="error",
    ),
    Case(
        "FMT-SIGNER-TITLE-ORG",
        "the organisation after the title is an error under 05-HD, a 'kiêm' title is not",
        {**HD05, "signer_title": "BÍ THƯ TỈNH ỦY"},
        {**BCD, **HD05, "signer_title": "PHÓ CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH kiêm TRƯỞNG BAN CHỈ ĐẠO"},
        severity="error",
    ),
    Case(
        "AUTH-SYMBOL-ISSUER-MISMATCH",
        "a ban xây dựng đảng of a commune đảng ủy numbered as its ban tổ chức",
        {
            **HD05,
            "parent_issuer": "ĐẢNG ỦY XÃ HOẰNG HÓA",
            "issuer": "BAN XÂY DỰNG ĐẢNG",
            "signing_form": None,
            "signer_title": "TRƯỞNG BAN",
            **typed("HƯỚNG DẪN", "HD", issuer_code="BTCĐU"),
        },
        {
            **HD05,
            "parent_issuer": "ĐẢNG ỦY XÃ HOẰNG HÓA",
            "issuer": "BAN XÂY DỰNG ĐẢNG",
            "signing_form": None,
            "signer_title": "TRƯỞNG BAN",
            **typed("HƯỚNG DẪN", "HD", issuer_code="BXDĐĐU"),
        },
        severity="error",
    ),
]

CHI_BO: dict[str, Any] = {
    "parent_issuer": "ĐẢNG BỘ CƠ QUAN ỦY BAN NHÂN DÂN XÃ HOẰNG HÓA",
    "issuer": "CHI BỘ VĂN PHÒNG",
    "signing_form": "T/M CHI BỘ",
    **typed("NGHỊ QUYẾT", "NQ", issuer_code="CB"),
}

CASES += [
    Case(
        "FMT-ISSUER-MISSING",
        "a commune đảng ủy without its superior đảng bộ under 05-HD",
        {**PHU_THO, **HD05, "parent_issuer": None, **place("Phường Phú Thọ")},
        {**PHU_THO, **HD05, **place("Phường Phú Thọ")},
        severity="warning",
    ),
    Case(
        "FMT-ISSUER-MISSING",
        "a provincial Ban Thường vụ names itself instead of the tỉnh ủy under 05-HD",
        {**HD05, "issuer": "BAN THƯỜNG VỤ TỈNH ỦY THANH HÓA"},
        {**HD05, "issuer": "TỈNH ỦY THANH HÓA"},
        severity="warning",
    ),
    Case(
        "AUTH-SIGN-ENTITY-MISMATCH",
        "a chi bộ signing T/L under its superior's Ban Thường vụ: wrong under 36-HD, allowed under 05-HD",
        {**CHI_BO, **HD36, "signing_form": "T/L BAN THƯỜNG VỤ", "signer_title": "BÍ THƯ"},
        {**CHI_BO, **HD05, "signing_form": "T/L BAN THƯỜNG VỤ", "signer_title": "BÍ THƯ"},
        severity="error",
    ),
]
