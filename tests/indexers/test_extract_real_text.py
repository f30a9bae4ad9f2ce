"""Reading Party documents from text without positions, as pdftotext -layout or tesseract gives it (issue 13).

Each fixture is a few hand-made lines showing one way a real 2025–2026 document reached the reader: two columns
joined by one space (tesseract), a signature block beside the nơi nhận, a misread label, the e-signature stamp
and the running file name of central documents.
"""

from __future__ import annotations

from datetime import date

from indexers.extract import extract_fields
from schemas.fields import DocumentFields
from schemas.parsed import ParsedDocument, TextLine

HEADER = (
    "HUYỆN ỦY NGA SƠN ĐẢNG CỘNG SẢN VIỆT NAM",
    "*",
    "Số 45-NQ/HU Nga Sơn, ngày 18 tháng 7 năm 2026",
    "NGHỊ QUYẾT",
    "về tăng cường công tác xây dựng Đảng",
    "Ban Thường vụ Huyện ủy quyết nghị như sau.",
)


def read(*pages: tuple[str, ...], ocr: bool = True) -> DocumentFields:
    """The fields of a text-only reading: one line per non-empty line, no style, no geometry."""
    lines = [
        TextLine(text=text, index=n, page=page)
        for n, (page, text) in enumerate((p, t) for p, texts in enumerate(pages, start=1) for t in texts)
    ]
    return extract_fields(ParsedDocument(media_type="application/pdf", page_count=len(pages), lines=lines, ocr=ocr))


# --- 1. the số and the date joined with one space -----------------------------------------------------------


def test_a_number_line_joined_to_the_date_by_one_space_reads_both() -> None:
    fields = read(HEADER)
    assert (fields.number_line, fields.number, fields.type_code, fields.issuer_code) == (
        "Số 45-NQ/HU",
        "45",
        "NQ",
        "HU",
    )
    assert (fields.place, fields.issued_on) == ("Nga Sơn", date(2026, 7, 18))
    assert fields.date_line == "Nga Sơn, ngày 18 tháng 7 năm 2026"


def test_a_state_number_joined_to_the_date_by_one_space_reads_both() -> None:
    fields = read(("ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA", "Số: 12/QĐ-UBND Thanh Hóa, ngày 05 tháng 01 năm 2026"))
    assert (fields.number_line, fields.issuer_code, fields.type_code) == ("Số: 12/QĐ-UBND", "UBND", "QĐ")
    assert (fields.place, fields.issued_on) == ("Thanh Hóa", date(2026, 1, 5))


def test_an_issuer_joined_to_the_party_title_by_one_space_is_the_issuer_alone() -> None:
    fields = read(HEADER)
    assert fields.issuer == "HUYỆN ỦY NGA SƠN"
    assert fields.parent_issuer is None
    assert fields.title == "ĐẢNG CỘNG SẢN VIỆT NAM"


# --- 2. the signature block on the lines of the nơi nhận ---------------------------------------------------

ENTRIES = ("- Ban Thường vụ Tỉnh ủy (để b/c);", "- Các chi bộ trực thuộc;", "- Lưu Văn phòng Huyện ủy.")
READ_ENTRIES = ["Ban Thường vụ Tỉnh ủy (để b/c);", "Các chi bộ trực thuộc;", "Lưu Văn phòng Huyện ủy."]


def test_a_signature_block_laid_beside_the_recipients_with_spaces_reads_both() -> None:
    pad = " " * 30
    end = (
        f"Nơi nhận:{pad}      T/M BAN THƯỜNG VỤ",
        f"{ENTRIES[0]}{pad[:14]}BÍ THƯ",
        *ENTRIES[1:],
        f"{pad}{pad[:14]}Mai Xuân Trường",
    )
    fields = read((*HEADER, *end), ocr=False)
    assert fields.recipients == READ_ENTRIES
    assert (fields.signing_form, fields.signer_title, fields.signer_name) == (
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Mai Xuân Trường",
    )


def test_a_signing_form_and_title_joined_to_the_label_and_an_entry_by_one_space_read_both() -> None:
    end = ("Nơi nhận: T/M BAN THƯỜNG VỤ", f"{ENTRIES[0]} BÍ THƯ", *ENTRIES[1:], "Mai Xuân Trường")
    fields = read((*HEADER, *end))
    assert fields.recipients == READ_ENTRIES
    assert (fields.signing_form, fields.signer_title, fields.signer_name) == (
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Mai Xuân Trường",
    )


def test_ocr_specks_after_an_entry_are_not_part_of_it() -> None:
    end = ("Nơi nhận:", f"{ENTRIES[0]} Ì", "- Các chi bộ", "trực thuộc; :", f"{ENTRIES[2]} <Ỹ`.ưF_“")
    fields = read((*HEADER, *end))
    assert fields.recipients == READ_ENTRIES


def test_a_title_line_ocr_half_read_beside_an_entry_is_neither_entry_nor_signer() -> None:
    end = (
        "Nơi nhận: T/M BAN THƯỜNG VỤ",
        "- Các đ/c Ủy viên BTV Tỉnh ủy, S Í THƯ THƯỜNG TRưÊ",
        *ENTRIES[1:],
        "Hoàng Giang",
    )
    fields = read((*HEADER, *end))
    assert fields.recipients == ["Các đ/c Ủy viên BTV Tỉnh ủy,", *READ_ENTRIES[1:]]
    assert (fields.signing_form, fields.signer_name) == ("T/M BAN THƯỜNG VỤ", "Hoàng Giang")


def test_capitals_inside_a_scanned_entry_stay_in_the_entry() -> None:
    end = ("Nơi nhận:", "- Các sở: KH&ĐT, TC, XD;", "- Lưu: VT, P.KT, TH.")
    fields = read((*HEADER, *end))
    assert fields.recipients == ["Các sở: KH&ĐT, TC, XD;", "Lưu: VT, P.KT, TH."]


# --- 3. the label misread -----------------------------------------------------------------------------------


def test_a_nơi_nhận_label_with_its_mark_misread_still_opens_the_recipients() -> None:
    fields = read((*HEADER, "Nơi nhân: T/M BAN THƯỜNG VỤ", *ENTRIES))
    assert fields.recipients == READ_ENTRIES
    assert fields.signing_form == "T/M BAN THƯỜNG VỤ"


# --- 4. the e-signature stamp and the running file name are not text ------------------------------------------


def test_the_e_signature_stamp_above_the_header_is_not_the_issuer() -> None:
    stamp = ("BỘ CHÍNH TRỊ", "BỘ CHÍNH TRỊ", "28-07-2026 18:08:51 +07:00")
    header = ("BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 31-CTr/TW", "Hà Nội, ngày 28 tháng 7 năm 2026", "CHƯƠNG TRÌNH")
    fields = read((*stamp, *header))
    assert (fields.parent_issuer, fields.issuer) == (None, "BAN CHẤP HÀNH TRUNG ƯƠNG")


def test_an_e_signature_stamp_on_one_line_is_not_the_parent_issuer() -> None:
    header = ("BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 31-CTr/TW", "Hà Nội, ngày 28 tháng 7 năm 2026", "CHƯƠNG TRÌNH")
    fields = read(("BỘ CHÍNH TRỊ 28-07-2026 18:08:51 +07:00", *header))
    assert (fields.parent_issuer, fields.issuer) == (None, "BAN CHẤP HÀNH TRUNG ƯƠNG")


def test_the_running_file_name_atop_a_page_does_not_cut_the_recipients() -> None:
    fields = read((*HEADER, "Nơi nhận:", *ENTRIES[:2]), ("18.NQHU45.DOC 2", ENTRIES[2]))
    assert fields.recipients == READ_ENTRIES
