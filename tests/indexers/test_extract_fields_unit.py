"""extract_fields on hand-built ParsedDocuments: odd spacing, NFD, Ð, old tone style, state order, gaps."""

from __future__ import annotations

import unicodedata
from datetime import date

from indexers.extract import extract_fields
from schemas.fields import Profile
from schemas.parsed import CellRef, ParsedDocument, Region, Run, TextLine


def doc(*lines: str | tuple[str, bool], cells: dict[int, CellRef] | None = None) -> ParsedDocument:
    """Lines in reading order; a (text, bold) pair sets bold on the line's one run."""
    out: list[TextLine] = []
    for i, spec in enumerate(lines):
        text, bold = spec if isinstance(spec, tuple) else (spec, False)
        cell = (cells or {}).get(i)
        out.append(
            TextLine(
                text=text,
                index=i,
                runs=[Run(text=text, bold=bold, font="Times New Roman", size_pt=14)],
                region=Region.TABLE if cell else Region.BODY,
                cell=cell,
            )
        )
    return ParsedDocument(media_type="application/pdf", page_count=1, lines=out)


PARTY = (
    "ĐẢNG BỘ TỈNH THANH HÓA",
    ("HUYỆN ỦY NGA SƠN", True),
    "*",
    "Số 45-NQ/HU",
    ("ĐẢNG CỘNG SẢN VIỆT NAM", True),
    "Nga Sơn, ngày 18 tháng 01 năm 2024",
    ("NGHỊ QUYẾT", True),
    ("về tăng cường công tác xây dựng Đảng", True),
    "-----",
    "Ban Thường vụ Huyện ủy quyết nghị:",
    "1. Nội dung thứ nhất.",
    "Nơi nhận:",
    "- Ban Thường vụ Tỉnh ủy (để báo cáo),",
    "- Các chi bộ, đảng bộ cơ sở,",
    "- Lưu Văn phòng Huyện ủy.",
    ("T/M BAN THƯỜNG VỤ", True),
    "BÍ THƯ",
    ("Mai Xuân Trường", True),
)


def test_a_party_document_yields_every_formal_element_with_its_location() -> None:
    fields = extract_fields(doc(*PARTY))
    assert fields.profile == Profile.PARTY
    assert fields.title == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert (fields.parent_issuer, fields.issuer, fields.star) == (
        "ĐẢNG BỘ TỈNH THANH HÓA",
        "HUYỆN ỦY NGA SƠN",
        True,
    )
    assert (fields.number, fields.type_code, fields.issuer_code) == ("45", "NQ", "HU")
    assert fields.number_line == "Số 45-NQ/HU"
    assert (fields.place, fields.issued_on) == ("Nga Sơn", date(2024, 1, 18))
    assert fields.document_type == "NGHỊ QUYẾT"
    assert fields.summary == "về tăng cường công tác xây dựng Đảng"
    assert (fields.signing_form, fields.signer_title, fields.signer_name) == (
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Mai Xuân Trường",
    )
    assert fields.recipients == [
        "Ban Thường vụ Tỉnh ủy (để báo cáo),",
        "Các chi bộ, đảng bộ cơ sở,",
        "Lưu Văn phòng Huyện ủy.",
    ]
    assert fields.locations["number"].line == 3
    assert fields.locations["issued_on"].text == "Nga Sơn, ngày 18 tháng 01 năm 2024"
    assert fields.locations["signer_name"].line == 17


def test_spaces_inside_the_number_and_a_line_break_inside_the_date_are_tolerated() -> None:
    lines = list(PARTY)
    lines[3] = "Số  45 - NQ / HU"
    lines[5] = "Nga Sơn, ngày 18 tháng 01\nnăm 2024"
    fields = extract_fields(doc(*lines))
    assert (fields.number, fields.type_code, fields.issuer_code) == ("45", "NQ", "HU")
    assert fields.issued_on == date(2024, 1, 18)


def test_a_date_line_that_wrapped_onto_two_lines_is_joined() -> None:
    lines = [*PARTY[:5], "Nga Sơn, ngày 18 tháng 01", "năm 2024", *PARTY[6:]]
    fields = extract_fields(doc(*lines))
    assert fields.issued_on == date(2024, 1, 18)
    assert fields.date_line == "Nga Sơn, ngày 18 tháng 01 năm 2024"


def test_nfd_text_reads_the_same_as_nfc() -> None:
    nfd = [
        (unicodedata.normalize("NFD", s[0]), s[1]) if isinstance(s, tuple) else unicodedata.normalize("NFD", s)
        for s in PARTY
    ]
    fields = extract_fields(doc(*nfd))
    assert fields.issuer == "HUYỆN ỦY NGA SƠN"
    assert fields.document_type == "NGHỊ QUYẾT"
    assert fields.issued_on == date(2024, 1, 18)
    assert fields.signing_form == "T/M BAN THƯỜNG VỤ"


def test_icelandic_eth_is_read_as_vietnamese_d_with_stroke() -> None:
    fields = extract_fields(doc(("ÐẢNG ỦY XÃ HOẰNG TIẾN", True), "*", "Số 15-QÐ/ÐU", "ÐẢNG CỘNG SẢN VIỆT NAM"))
    assert (fields.type_code, fields.issuer_code) == ("QĐ", "ĐU")
    assert fields.issuer == "ĐẢNG ỦY XÃ HOẰNG TIẾN"
    assert fields.profile == Profile.PARTY


def test_old_tone_placement_is_kept_as_written_but_recognised() -> None:
    fields = extract_fields(
        doc(("TỈNH UỶ THANH HOÁ", True), "*", "Số 12-NQ/TU", "Thanh Hoá, ngày 05 tháng 3 năm 2024", "HOẢ TỐC")
    )
    assert fields.issuer == "TỈNH UỶ THANH HOÁ"
    assert fields.place == "Thanh Hoá"
    assert fields.urgency == "HỎA TỐC"


def test_a_state_document_reads_number_then_type_then_issuer() -> None:
    fields = extract_fields(
        doc(
            ("ỦY BAN NHÂN DÂN", True),
            ("TỈNH THANH HÓA", True),
            "Số: 1532/QĐ-UBND",
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
            ("Độc lập - Tự do - Hạnh phúc", True),
            "Thanh Hóa, ngày 08 tháng 5 năm 2024",
            ("QUYẾT ĐỊNH", True),
            "Nơi nhận:",
            "- Như Điều 3;",
            "- Lưu: VT.",
            ("TM. ỦY BAN NHÂN DÂN", True),
            "CHỦ TỊCH",
            ("Đỗ Minh Tuấn", True),
        )
    )
    assert fields.profile == Profile.STATE
    assert (fields.number, fields.type_code, fields.issuer_code) == ("1532", "QĐ", "UBND")
    assert fields.issuer == "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"
    assert fields.signing_form == "TM. ỦY BAN NHÂN DÂN"  # recorded as written
    assert fields.signer_name == "Đỗ Minh Tuấn"


def test_a_state_cong_van_symbol_has_no_type_code() -> None:
    fields = extract_fields(doc("Số: 123/UBND-VP", "V/v triển khai kế hoạch"))
    assert fields.type_code is None
    assert fields.issuer_code == "UBND-VP"
    assert fields.document_type == "CÔNG VĂN"
    assert fields.summary == "V/v triển khai kế hoạch"


def test_a_party_cong_van_has_its_trich_yeu_under_the_number_and_kinh_gui() -> None:
    cells = {i: CellRef(table=0, row=0, col=0) for i in range(4)}
    cells.update({4: CellRef(table=0, row=0, col=1), 5: CellRef(table=0, row=0, col=1)})
    fields = extract_fields(
        doc(
            "TỈNH ỦY THANH HÓA",
            ("VĂN PHÒNG", True),
            "Số 357-CV/VPTU",
            "V/v chuẩn bị nội dung hội nghị",
            ("ĐẢNG CỘNG SẢN VIỆT NAM", True),
            "Thanh Hóa, ngày 06 tháng 5 năm 2024",
            "Kính gửi:",
            "- Các ban đảng Tỉnh ủy,",
            "- Ủy ban Kiểm tra Tỉnh ủy.",
            "Văn phòng Tỉnh ủy đề nghị như sau.",
            "CHÁNH VĂN PHÒNG",
            ("Lê Thị Thu Hà", True),
            cells=cells,
        )
    )
    assert fields.document_type == "CÔNG VĂN"
    assert fields.summary == "V/v chuẩn bị nội dung hội nghị"
    assert fields.addressees == ["Các ban đảng Tỉnh ủy,", "Ủy ban Kiểm tra Tỉnh ủy."]
    assert fields.signing_form is None
    assert (fields.signer_title, fields.signer_name) == ("CHÁNH VĂN PHÒNG", "Lê Thị Thu Hà")


def test_a_header_laid_out_with_tab_stops_reads_like_a_table() -> None:
    fields = extract_fields(
        doc(
            "TỈNH ỦY THANH HÓA\tĐẢNG CỘNG SẢN VIỆT NAM",
            "*\tThanh Hóa, ngày 05 tháng 3 năm 2024",
            "Số 125-NQ/TU",
            "NGHỊ QUYẾT",
        )
    )
    assert fields.issuer == "TỈNH ỦY THANH HÓA"
    assert fields.star is True
    assert fields.title == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert (fields.number, fields.issued_on) == ("125", date(2024, 3, 5))


def test_secrecy_urgency_and_draft_marks_are_found() -> None:
    fields = extract_fields(doc("DỰ THẢO LẦN 2", "TỈNH ỦY THANH HÓA", "*", "Số 12-NQ/TU", "TỐI MẬT", "THƯỢNG KHẨN"))
    assert (fields.secrecy, fields.urgency, fields.draft) == ("TỐI MẬT", "THƯỢNG KHẨN", "DỰ THẢO LẦN 2")


def test_an_impossible_date_keeps_the_date_line_and_leaves_issued_on_empty() -> None:
    fields = extract_fields(doc("Số 12-NQ/TU", "Thanh Hóa, ngày 31 tháng 02 năm 2024"))
    assert fields.issued_on is None
    assert fields.date_line == "Thanh Hóa, ngày 31 tháng 02 năm 2024"


def test_a_draft_with_a_blank_number_and_date_has_no_number() -> None:
    fields = extract_fields(doc("Số      -NQ/ĐU", "Hoằng Tiến, ngày    tháng    năm 2025"))
    assert fields.number is None
    assert (fields.type_code, fields.issuer_code) == ("NQ", "ĐU")
    assert fields.issued_on is None and fields.date_line is not None


def test_a_state_style_number_with_a_colon_in_a_party_document_is_still_read() -> None:
    fields = extract_fields(doc("ĐẢNG CỘNG SẢN VIỆT NAM", "Số: 12/NQ-TU"))
    assert (fields.number, fields.type_code, fields.issuer_code) == ("12", "NQ", "TU")
    assert fields.number_line == "Số: 12/NQ-TU"
    assert fields.profile == Profile.PARTY


def test_missing_elements_are_none_and_odd_input_never_raises() -> None:
    empty = extract_fields(ParsedDocument(media_type="application/pdf"))
    assert empty.number is None and empty.issuer is None and empty.recipients == []
    assert empty.profile == Profile.UNKNOWN
    junk = extract_fields(doc("Số", "-", "*", "ngày tháng năm", "T/M", "Nơi nhận:", "Kính gửi:", "\t\t", "ĐẢNG"))
    assert junk.number is None and junk.issued_on is None


def test_page_headers_and_footers_are_not_read_as_fields() -> None:
    parsed = doc("Số 12-NQ/TU")
    parsed.lines.insert(0, TextLine(text="Số 99-QĐ/TW", index=0, region=Region.HEADER))
    assert extract_fields(parsed).number == "12"


def test_shuffled_and_truncated_documents_never_make_extraction_raise() -> None:
    import random

    rng = random.Random(5)
    base = doc(*PARTY)
    for _ in range(200):
        lines = list(base.lines)
        rng.shuffle(lines)
        lines = lines[: rng.randrange(len(lines) + 1)]
        for line in lines:
            if rng.random() < 0.2:
                cut = rng.randrange(len(line.text) + 1)
                line.text = line.text[:cut]
                line.runs = [Run(text=line.text)]
        extract_fields(ParsedDocument(media_type="application/pdf", lines=lines))


def test_a_header_table_with_the_number_in_a_second_row_still_gives_the_issuer() -> None:
    cells = {
        0: CellRef(table=0, row=0, col=0),
        1: CellRef(table=0, row=0, col=0),
        2: CellRef(table=0, row=0, col=1),
        3: CellRef(table=0, row=1, col=0),
        4: CellRef(table=0, row=1, col=1),
    }
    fields = extract_fields(
        doc(
            ("TỈNH ỦY THANH HÓA", True),
            "*",
            ("ĐẢNG CỘNG SẢN VIỆT NAM", True),
            "Số 125-NQ/TU",
            "Thanh Hóa, ngày 05 tháng 3 năm 2024",
            cells=cells,
        )
    )
    assert (fields.issuer, fields.star, fields.number) == ("TỈNH ỦY THANH HÓA", True, "125")
    assert fields.issued_on == date(2024, 3, 5)
