"""Layouts offices really send (issue 11): each a small file made here, read end to end.

Blank numbers and days left for the e-signature stamp, partial dates, wrapped lines, wrapped recipients,
annexes with their own "Nơi nhận", legal normative documents, forms without an issuing body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.document import Document
from docx.shared import Pt
from docx.table import _Cell

from indexers.extract import extract_fields
from indexers.parse import parse_file
from indexers.pdf_lines import Chunk, build_lines, text_width
from schemas.fields import DocumentFields
from schemas.parsed import ParsedDocument, Run, TextLine
from tests.corpus.generator import docx_to_pdf
from tests.corpus.session import need_tools

Para = str | tuple[str, bool]  # text, or (text, bold)


@dataclass
class Layout:
    """A document laid out as offices do: a two-column header table, body paragraphs, a signature table."""

    left: list[Para]
    right: list[Para]
    body: list[Para] = field(default_factory=list)
    recipients: list[Para] = field(default_factory=list)
    signature: list[Para] = field(default_factory=list)
    after: list[Para] = field(default_factory=list)  # an annex after the signature


def _para(container: Document | _Cell, spec: Para) -> None:
    text, bold = spec if isinstance(spec, tuple) else (spec, False)
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.name = "Times New Roman"
    run.font.size = Pt(13)


def _fill(cell: _Cell, paras: list[Para]) -> None:
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    for spec in paras:
        _para(cell, spec)


def write(layout: Layout, path: Path) -> Path:
    document = DocxDocument()
    header = document.add_table(rows=1, cols=2)
    _fill(header.cell(0, 0), layout.left)
    _fill(header.cell(0, 1), layout.right)
    for spec in layout.body:
        _para(document, spec)
    if layout.recipients or layout.signature:
        table = document.add_table(rows=1, cols=2)
        _fill(table.cell(0, 0), layout.recipients or [""])
        _fill(table.cell(0, 1), layout.signature or [""])
    for spec in layout.after:
        _para(document, spec)
    document.save(str(path))
    return path


def read(layout: Layout, tmp_path: Path, name: str = "doc") -> DocumentFields:
    return extract_fields(parse_file(write(layout, tmp_path / f"{name}.docx")))


STATE_RIGHT: list[Para] = [
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
    ("Độc lập - Tự do - Hạnh phúc", True),
]
SIGN: list[Para] = [("TM. ỦY BAN NHÂN DÂN", True), ("CHỦ TỊCH", True), ("Trần Văn Bình", True)]


# --- item 2: number and day left blank for the e-signature stamp ------------------------------------------


def test_a_number_and_day_left_blank_for_the_stamp_are_blanks_not_missing(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[("ỦY BAN NHÂN DÂN", True), ("TỈNH AN GIANG", True), "Số:        /TB-UBND"],
            right=[*STATE_RIGHT, "An Giang, ngày      tháng 01 năm 2025"],
            body=[("THÔNG BÁO", True), ("Kết luận của Chủ tịch tại cuộc họp", True), "Nội dung."],
            signature=SIGN,
        ),
        tmp_path,
    )
    assert fields.number_line is not None and fields.number_line.startswith("Số:")
    assert (fields.number, fields.number_blank) == (None, True)
    assert (fields.type_code, fields.issuer_code) == ("TB", "UBND")
    assert (fields.date_blank, fields.issued_on) == (True, None)
    assert (fields.issued_year, fields.issued_month, fields.place) == (2025, 1, "An Giang")


def _chunk(text: str, x: float, baseline: float, size: float = 13.0, bold: bool = False) -> Chunk:
    return Chunk(text=text, x=x, baseline=baseline, size=size, bold=bold)


def test_pdf_halves_of_a_blank_number_line_on_one_baseline_are_one_line() -> None:
    # Word + a numbering system: "Số: " and "/TB-UBND" drawn apart, the blank between them inside the column.
    chunks = [
        _chunk("ỦY BAN NHÂN DÂN", 117, 80, bold=True),
        _chunk("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 273, 80, bold=True),
        _chunk("TỈNH AN GIANG", 117, 96, bold=True),
        _chunk("Độc lập - Tự do - Hạnh phúc", 329, 96, bold=True),
        _chunk("Số: ", 118, 129, 14),
        _chunk("/TB-UBND", 172, 129, 14),
        _chunk("An Giang, ngày ", 303, 129, 14),
        _chunk("tháng 01 năm 2025", 430, 129, 14),
    ]
    texts = [" ".join(line.text.split()) for line in build_lines(chunks, page=1, page_height=842, first_index=0)]
    assert "Số: /TB-UBND" in texts
    assert "An Giang, ngày tháng 01 năm 2025" in texts
    # The gutter between the columns is no blank: the left and right halves stay apart.
    assert not any("UBND An Giang" in t for t in texts)


def test_pdf_a_wide_gap_after_a_label_at_a_column_gutter_is_not_joined() -> None:
    chunks = [
        _chunk("TỈNH ỦY AN GIANG", 100, 80, bold=True),
        _chunk("ĐẢNG CỘNG SẢN VIỆT NAM", 330, 80, bold=True),
        _chunk("Số", 100, 110, 14),
        _chunk("ngày hôm nay", 330, 110, 14),
    ]
    texts = [line.text for line in build_lines(chunks, page=1, page_height=842, first_index=0)]
    assert "Số" in texts and "ngày hôm nay" in texts


@pytest.mark.slow
def test_a_libreoffice_pdf_with_a_blank_number_keeps_the_codes(tmp_path: Path) -> None:
    need_tools("soffice")
    layout = Layout(
        left=[("ỦY BAN NHÂN DÂN", True), ("TỈNH AN GIANG", True), "Số:\t\t/TB-UBND"],
        right=[*STATE_RIGHT, "An Giang, ngày\t\ttháng 01 năm 2025"],
        body=[("THÔNG BÁO", True), ("Kết luận của Chủ tịch tại cuộc họp", True), "Nội dung."],
        signature=SIGN,
    )
    [pdf] = docx_to_pdf([write(layout, tmp_path / "blank.docx")], tmp_path / "pdf")
    fields = extract_fields(parse_file(pdf))
    assert (fields.number_blank, fields.type_code, fields.issuer_code) == (True, "TB", "UBND")
    assert (fields.date_blank, fields.issued_year, fields.issued_month) == (True, 2025, 1)


# --- item 3: a partly blank date keeps its year --------------------------------------------------------------


def test_a_date_with_day_and_month_blank_keeps_its_year(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[("ĐẢNG BỘ XÃ AN BÌNH", False), ("CHI BỘ THÔN 3", True), "*", "Số 02-QC/CB"],
            right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True), "An Bình, ngày      tháng      năm 2024"],
            body=[("QUY CHẾ", True), ("làm việc của chi bộ", True), "Điều 1."],
        ),
        tmp_path,
    )
    assert (fields.issued_on, fields.issued_year, fields.issued_month, fields.date_blank) == (None, 2024, None, True)


# --- item 6: a number line with an en dash is kept as written --------------------------------------------


def test_a_number_line_with_an_en_dash_is_kept_as_written(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[("ĐẢNG BỘ TỈNH AN GIANG", False), ("HUYỆN ỦY CHÂU THÀNH", True), "*", "Số 12–NQ/HU"],
            right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True), "Châu Thành, ngày 05 tháng 3 năm 2024"],
            body=[("NGHỊ QUYẾT", True), ("về công tác cán bộ", True), "Nội dung."],
        ),
        tmp_path,
    )
    assert fields.number_line == "Số 12–NQ/HU"
    assert (fields.number, fields.type_code, fields.issuer_code) == ("12", "NQ", "HU")
    assert fields.confidence["type_code"] < 1.0  # read past a wrong separator: not a direct reading


# --- item 7: legal normative documents --------------------------------------------------------------------


def test_a_decree_is_a_legal_normative_document_with_its_summary_and_codes(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[("CHÍNH PHỦ", True), "Số: 30/2020/NĐ-CP"],
            right=[*STATE_RIGHT, "Hà Nội, ngày 05 tháng 3 năm 2020"],
            body=[
                ("NGHỊ ĐỊNH", True),
                ("Về công tác văn thư", True),
                "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;",
                "Chính phủ ban hành Nghị định về công tác văn thư.",
            ],
            signature=[("TM. CHÍNH PHỦ", True), ("THỦ TƯỚNG", True), ("Nguyễn Văn An", True)],
        ),
        tmp_path,
    )
    assert (fields.document_type, fields.legal_normative) == ("NGHỊ ĐỊNH", True)
    assert (fields.number, fields.type_code, fields.issuer_code) == ("30", "NĐ", "CP")
    assert fields.summary == "Về công tác văn thư"
    assert fields.issuer == "CHÍNH PHỦ"


def test_an_administrative_decision_is_not_legal_normative(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[("ỦY BAN NHÂN DÂN", True), ("TỈNH AN GIANG", True), "Số: 15/QĐ-UBND"],
            right=[*STATE_RIGHT, "An Giang, ngày 05 tháng 3 năm 2024"],
            body=[("QUYẾT ĐỊNH", True), ("Về việc thành lập Tổ công tác", True), "Điều 1."],
        ),
        tmp_path,
    )
    assert (fields.type_code, fields.issuer_code, fields.legal_normative) == ("QĐ", "UBND", False)


# --- item 1: wrapped lines ---------------------------------------------------------------------------------


def test_a_cong_van_summary_over_several_paragraphs_is_read_whole(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[
                ("ỦY BAN NHÂN DÂN", True),
                ("TỈNH AN GIANG", True),
                "Số: 120/UBND-KGVX",
                "V/v góp ý dự thảo Quyết định sửa đổi,",
                "bổ sung Chương trình cung cấp",
                "dịch vụ viễn thông công ích",
            ],
            right=[*STATE_RIGHT, "An Giang, ngày 24 tháng 01 năm 2025"],
            body=["Kính gửi: Sở Thông tin và Truyền thông", "Nội dung."],
        ),
        tmp_path,
    )
    assert fields.summary == (
        "V/v góp ý dự thảo Quyết định sửa đổi, bổ sung Chương trình cung cấp dịch vụ viễn thông công ích"
    )
    assert fields.document_type == "CÔNG VĂN"


def test_a_parent_issuer_wrapped_onto_two_lines_is_kept_whole(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[
                "ĐẢNG BỘ KHỐI CÁC CƠ QUAN",
                "VÀ DOANH NGHIỆP TỈNH",
                ("ĐẢNG ỦY CƠ QUAN", True),
                ("SỞ TÀI CHÍNH", True),
                "*",
                "Số 15-NQ/ĐU",
            ],
            right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True), "An Giang, ngày 05 tháng 3 năm 2024"],
            body=[("NGHỊ QUYẾT", True), ("về công tác cán bộ", True), "Nội dung."],
        ),
        tmp_path,
    )
    assert fields.parent_issuer == "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH"
    assert fields.issuer == "ĐẢNG ỦY CƠ QUAN SỞ TÀI CHÍNH"


def test_a_date_line_wrapped_before_the_month_keeps_its_year(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[("TỈNH ỦY AN GIANG", True), "*", "Số 05-NQ/TU"],
            right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True), "An Giang, ngày 05", "tháng 3 năm 2024"],
            body=[("NGHỊ QUYẾT", True), ("về công tác cán bộ", True), "Nội dung."],
        ),
        tmp_path,
    )
    assert (fields.place, str(fields.issued_on)) == ("An Giang", "2024-03-05")


# --- item 4: a wrapped recipient entry ----------------------------------------------------------------------


def test_a_recipient_entry_wrapped_onto_a_second_line_joins_it(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[("ỦY BAN NHÂN DÂN", True), ("TỈNH AN GIANG", True), "Số: 11/TB-UBND"],
            right=[*STATE_RIGHT, "An Giang, ngày 08 tháng 01 năm 2025"],
            body=[("THÔNG BÁO", True), ("Kết luận của Chủ tịch", True), "Nội dung."],
            recipients=[
                ("Nơi nhận:", True),
                "- CT, PCT UBND tỉnh;",
                "- Các Sở: Tài chính, Xây dựng,",
                "Nội vụ, Tư pháp;",
                "- Lưu: VT, KTTH.",
            ],
            signature=SIGN,
        ),
        tmp_path,
    )
    assert fields.recipients == [
        "CT, PCT UBND tỉnh;",
        "Các Sở: Tài chính, Xây dựng, Nội vụ, Tư pháp;",
        "Lưu: VT, KTTH.",
    ]


# --- item 5: an annex with its own "Nơi nhận" ---------------------------------------------------------------


def test_an_annex_form_does_not_replace_the_documents_own_recipients(tmp_path: Path) -> None:
    fields = read(
        Layout(
            left=[("ỦY BAN NHÂN DÂN", True), ("TỈNH AN GIANG", True), "Số: 20/QĐ-UBND"],
            right=[*STATE_RIGHT, "An Giang, ngày 08 tháng 01 năm 2025"],
            body=[("QUYẾT ĐỊNH", True), ("Ban hành mẫu báo cáo", True), "Điều 1.", "Điều 2.", "Điều 3."],
            recipients=[("Nơi nhận:", True), "- Như Điều 3;", "- CT, PCT UBND tỉnh;", "- Lưu: VT, NC."],
            signature=SIGN,
            after=[
                ("PHỤ LỤC", True),
                "Mẫu báo cáo (kèm theo Quyết định)",
                "ỦY BAN NHÂN DÂN HUYỆN …",
                "Nơi nhận:",
                "- Như trên;",
                "- Lưu: VT.",
                ("CHỦ TỊCH", True),
            ],
        ),
        tmp_path,
    )
    assert fields.recipients == ["Như Điều 3;", "CT, PCT UBND tỉnh;", "Lưu: VT, NC."]
    assert (fields.signing_form, fields.signer_name) == ("TM. ỦY BAN NHÂN DÂN", "Trần Văn Bình")


# --- item 12: a form without an issuing body, a dotted template date -----------------------------------------


def test_a_form_without_an_issuing_body_has_no_issuer_and_a_blank_template_date(tmp_path: Path) -> None:
    document = DocxDocument()
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ĐƠN ĐỀ NGHỊ CẤP BẢN SAO",
        "Kính gửi: Ủy ban nhân dân xã An Bình",
        "Tôi tên là: ....................",
        ".........., ngày .... tháng .... năm ....",
        "NGƯỜI LÀM ĐƠN",
    ):
        _para(document, text)
    path = tmp_path / "don.docx"
    document.save(str(path))
    fields = extract_fields(parse_file(path))
    assert fields.issuer is None and fields.parent_issuer is None
    assert fields.date_line is not None and fields.date_blank
    assert (fields.place, fields.issued_on, fields.issued_year) == (None, None, None)


# --- confidence: how sure each reading is ------------------------------------------------------------------


def _ocr_doc(*lines: tuple[str, float | None]) -> ParsedDocument:
    out = [
        TextLine(text=text, index=i, runs=[Run(text=text, size_pt=13)], ocr_confidence_min=conf)
        for i, (text, conf) in enumerate(lines)
    ]
    return ParsedDocument(media_type="application/pdf", page_count=1, lines=out, ocr=True)


def test_a_field_read_from_an_unsure_ocr_line_carries_its_least_sure_word() -> None:
    fields = extract_fields(
        _ocr_doc(
            ("TỈNH ỦY AN GIANG", 0.93),
            ("Số 05-NQ/TU", 0.41),
            ("ĐẢNG CỘNG SẢN VIỆT NAM", 0.97),
            ("An Giang, ngày 05 tháng 3 năm 2024", 0.88),
        )
    )
    assert fields.number == "05"
    assert fields.confidence["number"] == pytest.approx(0.41)
    assert fields.confidence["issued_on"] == pytest.approx(0.88)


def test_printed_fields_read_directly_have_full_confidence_and_guesses_less() -> None:
    fields = extract_fields(
        _ocr_doc(
            ("ĐẢNG BỘ TỈNH AN GIANG", None),
            ("ĐẢNG ỦY CƠ QUAN", None),
            ("SỞ TÀI CHÍNH", None),
            ("Số 15-NQ/ĐU", None),
            ("ĐẢNG CỘNG SẢN VIỆT NAM", None),
        )
    )
    assert "number" not in fields.confidence and "title" not in fields.confidence
    # No style tells the parent from the issuer among three capital lines: the split is a guess.
    assert fields.confidence["issuer"] < 1.0 and fields.confidence["parent_issuer"] < 1.0


def _stamp(pdf: Path, out: Path, value: str, x: float, baseline: float) -> Path:
    """Add a signature-field widget whose appearance draws ``value`` at (x, baseline), as e-office signing does."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(pdf))
    page = writer.pages[0]
    height = float(page.mediabox.height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Times-Roman"),
        }
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 13 Tf 0 5 Td ({value}) Tj ET".encode())
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(40), FloatObject(29)]),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
            ),
        }
    )
    bottom = height - baseline - 5
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/F"): FloatObject(132),
            NameObject("/Rect"): ArrayObject(
                [FloatObject(x), FloatObject(bottom), FloatObject(x + 40), FloatObject(bottom + 29)]
            ),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(stream)}),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(widget)])
    with out.open("wb") as handle:
        writer.write(handle)
    return out


@pytest.mark.slow
def test_a_number_stamped_into_the_blank_at_signing_is_read(tmp_path: Path) -> None:
    need_tools("soffice")
    layout = Layout(
        left=[("ỦY BAN NHÂN DÂN", True), ("TỈNH AN GIANG", True), "Số:          /TB-UBND"],
        right=[*STATE_RIGHT, "An Giang, ngày 08 tháng 01 năm 2025"],
        body=[("THÔNG BÁO", True), ("Kết luận của Chủ tịch tại cuộc họp", True), "Nội dung."],
        signature=SIGN,
    )
    [pdf] = docx_to_pdf([write(layout, tmp_path / "stamp.docx")], tmp_path / "pdf")
    unsigned = extract_fields(parse_file(pdf))
    assert unsigned.number_blank
    line = next(ln for ln in parse_file(pdf).lines if "/TB-UBND" in ln.text)
    assert line.x_pt is not None and line.y_pt is not None
    x = line.x_pt + text_width("Số: ", 13) + 2
    fields = extract_fields(parse_file(_stamp(pdf, tmp_path / "signed.pdf", "11", x, line.y_pt + 0.8 * 13)))
    assert (fields.number, fields.number_blank, fields.type_code, fields.issuer_code) == ("11", False, "TB", "UBND")
    assert fields.number_line == "Số: 11/TB-UBND"


def test_an_unreadable_handwritten_day_keeps_place_month_and_year_and_is_marked_unsure() -> None:
    fields = extract_fields(
        _ocr_doc(
            ("ỦY BAN NHÂN DÂN", 0.96),
            ("TỈNH AN GIANG", 0.9),
            ("Số: 23 /BC-UBND", 0.8),
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.9),
            ("Độc lập - Tự do - Hạnh phúc", 0.93),
            ("An Giang, ngày |3 tháng 01 năm 2025", 0.3),
        )
    )
    assert (fields.place, fields.issued_on, fields.issued_year, fields.issued_month) == ("An Giang", None, 2025, 1)
    assert fields.date_blank and fields.confidence["date_line"] == pytest.approx(0.3)


def test_a_day_written_in_a_printed_date_line_that_cannot_be_read_lowers_its_confidence() -> None:
    fields = extract_fields(_ocr_doc(("ĐẢNG CỘNG SẢN VIỆT NAM", None), ("An Giang, ngày 0† tháng 01 năm 2025", None)))
    assert (fields.issued_on, fields.issued_year, fields.date_blank) == (None, 2025, True)
    assert fields.confidence["date_line"] < 1.0


def test_a_state_body_over_its_place_is_one_issuer_and_a_misread_unit_mark_is_put_right() -> None:
    fields = extract_fields(
        _ocr_doc(
            ("ỦY BAN NHÂN DÂN", 0.9),
            ("TĨNH AN GIANG", 0.7),  # OCR slipped on the tone mark of "TỈNH"
            ("Số: 11/CT-UBND", 0.9),
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.9),
        )
    )
    assert (fields.parent_issuer, fields.issuer) == (None, "ỦY BAN NHÂN DÂN TỈNH AN GIANG")


def test_a_page_number_atop_a_page_is_not_where_the_text_area_begins() -> None:
    from indexers.pdf_reader import _estimate_margins
    from schemas.parsed import PageSetup

    def line(text: str, page: int, y: float, index: int) -> TextLine:
        return TextLine(
            text=text, page=page, index=index, x_pt=99, y_pt=y, width_pt=440, runs=[Run(text=text, size_pt=14)]
        )

    lines = [
        line("ỦY BAN NHÂN DÂN", 1, 73, 0),
        line("Nội dung trang một.", 1, 742, 1),
        line("2", 2, 44, 2),  # Word's page number in the header, low enough to fall in the body band
        line("Nội dung trang hai.", 2, 76, 3),
    ]
    setup = _estimate_margins(PageSetup(width_mm=210.0, height_mm=297.0), lines, [])
    assert setup.margin_top_mm == pytest.approx(73 * 25.4 / 72, abs=0.1)
    assert (setup.has_page_numbers, setup.different_first_page) == (True, True)


def _margin_lines(widths: list[tuple[float, float]]) -> list[TextLine]:
    return [
        TextLine(text="x", page=1, index=i, x_pt=x, y_pt=100 + 20 * i, width_pt=w, runs=[Run(text="x", size_pt=14)])
        for i, (x, w) in enumerate(widths)
    ]


@pytest.mark.parametrize(
    ("overhang", "right_mm"),
    [
        (0.0, 15.0),  # everything in the text area
        (6.0, 15.0),  # the header table runs 2 mm into the right margin: the paragraphs still end at 15 mm
    ],
)
def test_the_right_margin_is_where_the_paragraphs_end_not_a_header_table(overhang: float, right_mm: float) -> None:
    from indexers.pdf_reader import _estimate_margins
    from schemas.parsed import PageSetup

    right_pt = 595.3 - 15.0 * 72 / 25.4
    x = 30.0 * 72 / 25.4
    header = [(x - 10, 170.0), (300.0, right_pt - 300.0 + overhang)]  # issuer cell, Quốc hiệu cell
    paragraphs = [(x, right_pt - x)] * 6 + [(x, 200.0)]  # justified lines, the last one short
    setup = _estimate_margins(PageSetup(width_mm=210.0, height_mm=297.0), _margin_lines(header + paragraphs), [])
    assert setup.margin_right_mm == pytest.approx(right_mm, abs=0.2)


def test_paragraphs_that_all_run_into_the_margin_show_the_narrow_margin() -> None:
    from indexers.pdf_reader import _estimate_margins
    from schemas.parsed import PageSetup

    right_pt = 595.3 - 10.0 * 72 / 25.4  # a LibreOffice page with 10 mm margins
    x = 10.0 * 72 / 25.4
    setup = _estimate_margins(PageSetup(width_mm=210.0, height_mm=297.0), _margin_lines([(x, right_pt - x)] * 5), [])
    assert setup.margin_right_mm == pytest.approx(10.0, abs=0.2)
