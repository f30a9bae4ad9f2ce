"""The 05-HD/VPTW signature blocks and end components: the office's confirmation of a signature, the biên bản's
two blocks, "kiêm" titles, the drafter's mark and the contact information (05-HD Phần I.7.1.4, II.5–6)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from indexers.extract import extract_fields
from indexers.parse import parse_file
from schemas.fields import DocumentFields
from schemas.parsed import ParsedDocument, Region, Run, TextLine
from tests.corpus.session import Corpus

# --- documents ------------------------------------------------------------------------------------------

HEADER_LEFT = ("TỈNH ỦY THANH HÓA", "*", "Số 05-BB/TU")
HEADER_RIGHT = ("ĐẢNG CỘNG SẢN VIỆT NAM", "Thanh Hóa, ngày 20 tháng 6 năm 2026")
MINUTES_HEAD = ("BIÊN BẢN", "hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 3", "-----")
BODY = (
    "Thời gian: 08 giờ 00, ngày 20 tháng 6 năm 2026.",
    "Hội nghị đã thảo luận và thống nhất các nội dung sau đây.",
)
CONFIRMED_BY_OFFICE = (
    "Xác nhận chữ ký của đồng chí Nguyễn Văn Hùng",
    "T/L BAN THƯỜNG VỤ",
    "CHÁNH VĂN PHÒNG",
    "Lê Thị Thu Hà",
)


def _cell(cell: docx.table._Cell, lines: tuple[str, ...], *, size: float | None = None) -> None:
    cell.text = lines[0] if lines else ""
    for text in lines[1:]:
        run = cell.add_paragraph().add_run(text)
        if size is not None:
            run.font.size = Pt(size)


def _docx(
    tmp_path: Path,
    *,
    head: tuple[str, ...] = MINUTES_HEAD,
    body: tuple[str, ...] = BODY,
    left: tuple[str, ...] = (),
    right: tuple[str, ...] = (),
    after: tuple[str, ...] = (),
    after_size: float | None = None,
    footer: tuple[str, ...] = (),
) -> ParsedDocument:
    """A Party document in Word: the header table, tên loại and text, the signature table (left: nơi nhận or
    the minutes-taker, right: the signer), then paragraphs after the table and the page footer."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    _cell(header.cell(0, 0), HEADER_LEFT)
    _cell(header.cell(0, 1), HEADER_RIGHT)
    for text in (*head, *body):
        document.add_paragraph(text)
    signature = document.add_table(rows=1, cols=2)
    _cell(signature.cell(0, 0), left)
    _cell(signature.cell(0, 1), right)
    for text in after:
        run = document.add_paragraph().add_run(text)
        if after_size is not None:
            run.font.size = Pt(after_size)
    for text in footer:
        run = document.sections[0].footer.add_paragraph().add_run(text)
        run.font.size = Pt(10)
    path = tmp_path / "doc.docx"
    document.save(str(path))
    return parse_file(path)


Placed = tuple[str, float, float] | tuple[str, float, float, int]


def _placed(*specs: Placed) -> ParsedDocument:
    """Lines as a PDF gives them: text, left edge x and top y in points (and the page), in reading order."""
    lines: list[TextLine] = []
    for i, spec in enumerate(specs):
        text, x, y = spec[0], spec[1], spec[2]
        page = spec[3] if len(spec) == 4 else 1
        lines.append(
            TextLine(
                text=text,
                index=i,
                page=page,
                runs=[Run(text=text, font="Times New Roman", size_pt=12)],
                x_pt=x,
                y_pt=y,
                width_pt=6.0 * len(text),
                region=Region.BODY,
            )
        )
    return ParsedDocument(media_type="application/pdf", page_count=max(ln.page for ln in lines), lines=lines)


def _plain(*texts: str) -> ParsedDocument:
    """Lines with no table and no geometry (a text layer, or a DOCX set with tab stops)."""
    lines = [
        TextLine(text=t, index=i, runs=[Run(text=t, font="Times New Roman", size_pt=14)]) for i, t in enumerate(texts)
    ]
    return ParsedDocument(media_type="application/pdf", page_count=1, lines=lines)


def _signature(fields: DocumentFields) -> tuple[str | None, str | None, str | None]:
    return fields.signing_form, fields.signer_title, fields.signer_name


# --- 1. the office's confirmation of a signature (05-HD I.7.1.4 a(ii), e(ii)) -----------------------------


def test_a_congress_document_is_signed_by_its_presidium_not_by_the_office_that_confirms_it(tmp_path: Path) -> None:
    parsed = _docx(
        tmp_path,
        head=("NGHỊ QUYẾT", "Đại hội đại biểu Đảng bộ tỉnh lần thứ XXI", "-----"),
        left=("Nơi nhận:", "- Các đảng bộ trực thuộc;", "- Lưu Văn phòng Tỉnh ủy."),
        right=("T/M ĐOÀN CHỦ TỊCH", "Nguyễn Văn Hùng"),
        after=CONFIRMED_BY_OFFICE,
    )
    fields = extract_fields(parsed)
    assert _signature(fields) == ("T/M ĐOÀN CHỦ TỊCH", None, "Nguyễn Văn Hùng")
    assert fields.confirmation == "T/L BAN THƯỜNG VỤ CHÁNH VĂN PHÒNG"
    assert fields.locations["confirmation"].text == "T/L BAN THƯỜNG VỤ"
    assert fields.recipients == ["Các đảng bộ trực thuộc;", "Lưu Văn phòng Tỉnh ủy."]


def test_a_minutes_confirmed_by_the_office_keeps_the_chair_as_signer_and_the_minutes_taker(tmp_path: Path) -> None:
    parsed = _docx(
        tmp_path,
        left=("NGƯỜI GHI BIÊN BẢN", "Trần Thị Mai"),
        right=("CHỦ TRÌ HỘI NGHỊ", "Nguyễn Văn Hùng"),
        after=CONFIRMED_BY_OFFICE,
    )
    fields = extract_fields(parsed)
    assert _signature(fields) == (None, "CHỦ TRÌ HỘI NGHỊ", "Nguyễn Văn Hùng")
    assert fields.minute_taker == "Trần Thị Mai"
    assert fields.confirmation == "T/L BAN THƯỜNG VỤ CHÁNH VĂN PHÒNG"


def test_a_pdf_minutes_with_a_confirmation_under_it_reads_the_same() -> None:
    parsed = _placed(
        ("BIÊN BẢN", 280, 130),
        ("Hội nghị đã thảo luận và thống nhất các nội dung sau đây.", 85, 200),
        ("NGƯỜI GHI BIÊN BẢN", 110, 300),
        ("Trần Thị Mai", 140, 360),
        ("CHỦ TRÌ HỘI NGHỊ", 360, 300),
        ("Nguyễn Văn Hùng", 370, 360),
        ("Xác nhận chữ ký của đồng chí", 330, 400),
        ("Nguyễn Văn Hùng", 370, 416),
        ("T/L BAN THƯỜNG VỤ", 350, 432),
        ("CHÁNH VĂN PHÒNG", 352, 448),
        ("Lê Thị Thu Hà", 375, 510),
    )
    fields = extract_fields(parsed)
    assert _signature(fields) == (None, "CHỦ TRÌ HỘI NGHỊ", "Nguyễn Văn Hùng")
    assert fields.minute_taker == "Trần Thị Mai"
    assert fields.confirmation == "T/L BAN THƯỜNG VỤ CHÁNH VĂN PHÒNG"
    assert fields.locations["confirmation"].line == 8


def test_a_congress_resolution_confirmed_by_the_provincial_committee_names_it_as_the_confirmation() -> None:
    fields = extract_fields(
        _plain(
            "NGHỊ QUYẾT",
            "Đại hội thống nhất thông qua các chỉ tiêu chủ yếu.",
            "T/M ĐOÀN CHỦ TỊCH",
            "Nguyễn Văn Hùng",
            "Xác nhận chữ ký của đồng chí Nguyễn Văn Hùng",
            "T/M TỈNH UỶ",
            "BÍ THƯ",
            "Đỗ Trọng Hưng",
        )
    )
    assert _signature(fields) == ("T/M ĐOÀN CHỦ TỊCH", None, "Nguyễn Văn Hùng")
    assert fields.confirmation == "T/M TỈNH UỶ BÍ THƯ"


def test_a_sentence_about_confirming_signatures_in_the_text_is_not_a_confirmation_block() -> None:
    fields = extract_fields(
        _plain(
            "THÔNG BÁO",
            "Xác nhận chữ ký của đồng chí Bí thư chi bộ trên hồ sơ đảng viên là cần thiết.",
            "Các chi bộ thực hiện nghiêm túc.",
            "T/L BAN THƯỜNG VỤ",
            "CHÁNH VĂN PHÒNG",
            "Lê Thị Thu Hà",
        )
    )
    assert fields.confirmation is None
    assert _signature(fields) == ("T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Lê Thị Thu Hà")


# --- 2. the biên bản's two blocks (05-HD I.7.1.4 a(ii)) ----------------------------------------------------


@pytest.mark.parametrize(
    ("key", "chair", "taker"),
    [("11-bb-bch", "Nguyễn Văn Hùng", "Trần Thị Mai"), ("27-bb-xa", "Lê Văn Thắng", "Nguyễn Thị Hoa")],
)
def test_the_generated_minutes_name_their_chair_as_signer_and_their_minutes_taker(
    corpus: Corpus, key: str, chair: str, taker: str
) -> None:
    fields = extract_fields(parse_file(corpus.docx[key]))
    assert _signature(fields) == (None, "CHỦ TRÌ HỘI NGHỊ", chair)
    assert fields.minute_taker == taker
    assert fields.locations["minute_taker"].text == taker


def test_the_generated_minutes_as_pdf_name_their_minutes_taker(corpus_pdfs: dict[str, Path]) -> None:
    fields = extract_fields(parse_file(corpus_pdfs["27-bb-xa"]))
    assert _signature(fields) == (None, "CHỦ TRÌ HỘI NGHỊ", "Lê Văn Thắng")
    assert fields.minute_taker == "Nguyễn Thị Hoa"


def test_minutes_blocks_set_with_tab_stops_pair_each_label_with_the_name_under_it() -> None:
    fields = extract_fields(
        _plain(
            "BIÊN BẢN",
            "Hội nghị kết thúc lúc 11 giờ cùng ngày.",
            "NGƯỜI GHI BIÊN BẢN\tCHỦ TRÌ HỘI NGHỊ",
            "Trần Thị Mai\tNguyễn Văn Hùng",
        )
    )
    assert _signature(fields) == (None, "CHỦ TRÌ HỘI NGHỊ", "Nguyễn Văn Hùng")
    assert fields.minute_taker == "Trần Thị Mai"


def test_a_minutes_taker_block_whose_name_was_not_read_is_there_with_no_name(tmp_path: Path) -> None:
    parsed = _docx(tmp_path, left=("NGƯỜI GHI BIÊN BẢN",), right=("CHỦ TRÌ HỘI NGHỊ", "Nguyễn Văn Hùng"))
    fields = extract_fields(parsed)
    assert fields.minute_taker == ""
    assert fields.locations["minute_taker"].text == "NGƯỜI GHI BIÊN BẢN"
    assert _signature(fields) == (None, "CHỦ TRÌ HỘI NGHỊ", "Nguyễn Văn Hùng")


def test_a_minutes_signed_on_behalf_of_the_committee_without_a_minutes_taker_has_none(tmp_path: Path) -> None:
    parsed = _docx(tmp_path, left=("Nơi nhận:", "- Lưu Văn phòng Tỉnh ủy."), right=("T/M BAN THƯỜNG VỤ", "BÍ THƯ"))
    fields = extract_fields(parsed)
    assert fields.minute_taker is None
    assert _signature(fields) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ", None)


# --- 3. "kiêm" titles (05-HD I.7.1.4 đ) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (("BÍ THƯ", "kiêm", "TRƯỞNG BAN CHỈ ĐẠO"), "BÍ THƯ kiêm TRƯỞNG BAN CHỈ ĐẠO"),
        (("TRƯỞNG BAN TỔ CHỨC kiêm CHỦ TỊCH HỘI ĐỒNG",), "TRƯỞNG BAN TỔ CHỨC kiêm CHỦ TỊCH HỘI ĐỒNG"),
        (("TRƯỞNG BAN TỔ CHỨC", "kiêm CHỦ TỊCH HỘI ĐỒNG"), "TRƯỞNG BAN TỔ CHỨC kiêm CHỦ TỊCH HỘI ĐỒNG"),
        (("TRƯỞNG BAN TỔ CHỨC kiêm", "CHỦ TỊCH HỘI ĐỒNG"), "TRƯỞNG BAN TỔ CHỨC kiêm CHỦ TỊCH HỘI ĐỒNG"),
    ],
)
def test_a_kiem_title_is_read_whole_with_no_authority_line(tmp_path: Path, lines: tuple[str, ...], title: str) -> None:
    parsed = _docx(
        tmp_path,
        head=("KẾ HOẠCH", "triển khai công tác chuyển đổi số năm 2026", "-----"),
        left=("Nơi nhận:", "- Các thành viên Ban Chỉ đạo;", "- Lưu Văn phòng Tỉnh ủy."),
        right=(*lines, "Nguyễn Doãn Anh"),
    )
    fields = extract_fields(parsed)
    assert _signature(fields) == (None, title, "Nguyễn Doãn Anh")
    assert fields.locations["signer_title"].text == lines[0]


def test_kiem_in_a_sentence_of_the_text_does_not_make_a_title() -> None:
    fields = extract_fields(
        _plain(
            "THÔNG BÁO",
            "Đồng chí Bí thư kiêm Trưởng Ban Chỉ đạo đã kết luận hội nghị.",
            "T/M BAN THƯỜNG VỤ",
            "BÍ THƯ",
            "Đỗ Trọng Hưng",
        )
    )
    assert _signature(fields) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đỗ Trọng Hưng")


def test_the_inspection_committee_is_not_read_as_a_kiem_title() -> None:
    fields = extract_fields(
        _plain("QUYẾT ĐỊNH", "Quyết định có hiệu lực.", "T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM", "Lê Văn A")
    )
    assert _signature(fields) == ("T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM", "Lê Văn A")


# --- 4. drafter's mark and copy count (05-HD II.5, Phụ lục 2 row 13) --------------------------------------


@pytest.mark.parametrize("mark", ["NguyenVanAn-26", "NVA-26", "ABC-268", "NVA_26"])
def test_the_drafter_mark_after_the_recipients_is_read_and_never_joins_the_last_entry(
    tmp_path: Path, mark: str
) -> None:
    # The 36-HD last entry ends "," (unfinished): a continuation line would be appended to it.
    parsed = _docx(
        tmp_path,
        left=("Nơi nhận:", "- Các đảng bộ trực thuộc,", "- Lưu Văn phòng Tỉnh ủy,", mark),
        right=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đỗ Trọng Hưng"),
    )
    fields = extract_fields(parsed)
    assert fields.recipients == ["Các đảng bộ trực thuộc,", "Lưu Văn phòng Tỉnh ủy,"]
    assert fields.drafter_mark == mark
    assert fields.locations["drafter_mark"].text == mark


def test_a_drafter_mark_in_a_pdf_recipients_column_is_read_beside_the_signature() -> None:
    parsed = _placed(
        ("Các chi bộ thực hiện nghiêm túc.", 85, 200),
        ("Nơi nhận:", 85, 260),
        ("- Các đảng bộ trực thuộc;", 85, 276),
        ("T/M BAN THƯỜNG VỤ", 350, 260),
        ("- Lưu Văn phòng Tỉnh ủy.", 85, 290),
        ("BÍ THƯ", 385, 276),
        ("NguyenVanAn-26", 85, 304),
        ("Đỗ Trọng Hưng", 370, 340),
    )
    fields = extract_fields(parsed)
    assert fields.recipients == ["Các đảng bộ trực thuộc;", "Lưu Văn phòng Tỉnh ủy."]
    assert fields.drafter_mark == "NguyenVanAn-26"
    assert _signature(fields) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đỗ Trọng Hưng")


def test_a_wrapped_recipient_entry_still_joins_and_is_no_drafter_mark(tmp_path: Path) -> None:
    parsed = _docx(
        tmp_path,
        left=("Nơi nhận:", "- Các đồng chí Ủy viên Ban Thường vụ", "Tỉnh ủy khóa XX,", "- Lưu Văn phòng Tỉnh ủy."),
        right=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đỗ Trọng Hưng"),
    )
    fields = extract_fields(parsed)
    assert fields.recipients == ["Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy khóa XX,", "Lưu Văn phòng Tỉnh ủy."]
    assert fields.drafter_mark is None


def test_a_drafter_mark_away_from_the_recipients_is_read_where_it_stands(tmp_path: Path) -> None:
    parsed = _docx(
        tmp_path,
        left=("Nơi nhận:", "- Lưu Văn phòng Tỉnh ủy."),
        right=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đỗ Trọng Hưng"),
        after=("NVA-26",),
    )
    fields = extract_fields(parsed)
    where, signer = fields.locations["drafter_mark"].line, fields.locations["signer_name"].line
    assert fields.drafter_mark == "NVA-26"
    assert fields.recipients == ["Lưu Văn phòng Tỉnh ủy."]
    assert where is not None and signer is not None and where > signer
    assert parsed.lines[where].text == "NVA-26"


# --- 5. contact information (05-HD II.6) -------------------------------------------------------------------


def test_contact_lines_after_the_signature_are_read_from_their_first_line_with_page_and_size(
    tmp_path: Path,
) -> None:
    parsed = _docx(
        tmp_path,
        left=("Nơi nhận:", "- Lưu Văn phòng Tỉnh ủy."),
        right=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đỗ Trọng Hưng"),
        after=("Địa chỉ: 45 Đại lộ Lê Lợi, phường Hạc Thành", "Điện thoại: 0237.3852.xxx; Email: vptu@thanhhoa.vn"),
        after_size=10,
    )
    fields = extract_fields(parsed)
    assert fields.contact == "Địa chỉ: 45 Đại lộ Lê Lợi, phường Hạc Thành"
    where = fields.locations["contact"]
    assert where.page == 1
    assert where.line is not None and parsed.lines[where.line].size_pt == 10


def test_contact_information_in_the_page_footer_is_read(tmp_path: Path) -> None:
    parsed = _docx(
        tmp_path,
        left=("Nơi nhận:", "- Lưu Văn phòng Tỉnh ủy."),
        right=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đỗ Trọng Hưng"),
        footer=("E-mail: vptu@thanhhoa.dcs.vn - Website: thanhhoa.dcs.vn",),
    )
    fields = extract_fields(parsed)
    assert fields.contact == "E-mail: vptu@thanhhoa.dcs.vn - Website: thanhhoa.dcs.vn"
    assert parsed.lines[fields.locations["contact"].line or 0].region == Region.FOOTER


def test_contact_information_at_the_foot_of_the_first_page_is_read_with_that_page() -> None:
    parsed = _placed(
        ("BÁO CÁO", 280, 130),
        ("Trong 6 tháng đầu năm, các cấp ủy đã tập trung lãnh đạo.", 85, 200),
        ("Địa chỉ: 45 Đại lộ Lê Lợi, phường Hạc Thành; ĐT: 0237.3852.xxx", 85, 780),
        ("Thời gian tới cần tiếp tục đổi mới phương thức lãnh đạo.", 85, 80, 2),
        ("Các chi bộ thực hiện nghiêm túc báo cáo này.", 85, 100, 2),
        ("Nơi nhận:", 85, 200, 2),
        ("- Lưu Văn phòng Tỉnh ủy.", 85, 216, 2),
        ("T/L BAN THƯỜNG VỤ", 350, 200, 2),
        ("CHÁNH VĂN PHÒNG", 352, 216, 2),
        ("Lê Thị Thu Hà", 375, 280, 2),
        ("Ban Thường vụ", 85, 320, 2),
        ("Tỉnh ủy Thanh Hóa", 85, 340, 2),
        ("kính báo cáo.", 85, 360, 2),
    )
    fields = extract_fields(parsed)
    assert fields.contact == "Địa chỉ: 45 Đại lộ Lê Lợi, phường Hạc Thành; ĐT: 0237.3852.xxx"
    assert fields.locations["contact"].page == 1


def test_an_address_in_the_text_of_the_minutes_is_not_contact_information(tmp_path: Path) -> None:
    parsed = _docx(
        tmp_path,
        body=(
            "Thời gian: 08 giờ 00, ngày 20 tháng 6 năm 2026.",
            "Địa chỉ: Hội trường Tỉnh ủy, 45 Đại lộ Lê Lợi.",
            "Thành phần: các đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh.",
            "Điện thoại cho các đồng chí vắng mặt được thực hiện trước hội nghị.",
            "Hội nghị đã thảo luận và thống nhất các nội dung sau đây.",
            "Hội nghị kết thúc lúc 11 giờ cùng ngày.",
            "Biên bản được lập thành 02 bản.",
            "Biên bản đã được thông qua tại hội nghị.",
            "Các đồng chí dự hội nghị nhất trí.",
        ),
        left=("NGƯỜI GHI BIÊN BẢN", "Trần Thị Mai"),
        right=("CHỦ TRÌ HỘI NGHỊ", "Nguyễn Văn Hùng"),
    )
    fields = extract_fields(parsed)
    assert fields.contact is None


# --- Kính trình (05-HD I.9.2.4) ----------------------------------------------------------------------------


def test_the_entries_under_kinh_trinh_are_read_as_addressees() -> None:
    fields = extract_fields(
        _plain(
            "TỜ TRÌNH",
            "về việc đề nghị phê duyệt đề án",
            "Kính trình:",
            "- Ban Thường vụ Tỉnh ủy;",
            "- Thường trực Tỉnh ủy.",
            "Kính trình bày với các đồng chí nội dung sau.",
        )
    )
    assert fields.addressees == ["Ban Thường vụ Tỉnh ủy;", "Thường trực Tỉnh ủy."]
    assert fields.summary == "về việc đề nghị phê duyệt đề án"


def test_a_sentence_opening_with_kinh_trinh_bay_is_no_addressee_list() -> None:
    fields = extract_fields(_plain("BÁO CÁO", "Kính trình bày với các đồng chí nội dung sau.", "- Nội dung một;"))
    assert fields.addressees == []
