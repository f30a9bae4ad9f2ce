"""A records sheet rendered to PDF, DOCX and XLSX (records/sheet_pdf.py, sheet_docx.py, sheet_xlsx.py).

The three files say the same thing: Vietnamese intact, the heading row, the table header repeated on every
page, the same bytes for the same sheet (they are stored by SHA-256 and locked), and a formula-like cell kept as
text in the workbook.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest

from archive_service.records.sheet import Column, RecordSheet, Row, Signature
from archive_service.records.sheet_docx import sheet_docx
from archive_service.records.sheet_pdf import sheet_pdf
from archive_service.records.sheet_xlsx import sheet_xlsx

FORMULA = '=HYPERLINK("http://x","bấm")'
HEADING = "I. HỒ SƠ NGUYÊN TẮC ĐẶC BIỆT"
COLUMNS = (
    Column("STT", 0.6, "center"),
    Column("Số và ký hiệu hồ sơ", 1.2),
    Column("Tiêu đề hồ sơ", 4.0),
    Column("Thời hạn bảo quản", 1.3, "center"),
    Column("Ghi chú", 1.3),
)


def _title(i: int) -> str:
    return f"Hồ sơ Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ {i} (khóa XIX), nhiệm kỳ 2020–2025"


def _sheet(**changes: object) -> RecordSheet:
    rows = [Row((HEADING,), heading=True)]
    rows += [Row((str(i), f"01.{i:02d}", _title(i), "Vĩnh viễn", FORMULA if i == 7 else "")) for i in range(1, 61)]
    sheet = RecordSheet(
        title="Danh mục hồ sơ",
        issuer_lines=("Đảng bộ tỉnh Thanh Hóa", "Văn phòng Tỉnh ủy"),
        place_date="Thanh Hóa, ngày 05 tháng 01 năm 2026",
        subtitles=("Năm 2026",),
        preamble=("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư.",),
        columns=COLUMNS,
        rows=tuple(rows),
        closing=("Danh mục này có 60 hồ sơ, gồm 01 hồ sơ nguyên tắc.",),
        signatures=(
            Signature("Người lập", "Nguyễn Văn Ánh", "(Ký, ghi rõ họ tên)"),
            Signature("Chánh Văn phòng", "Trần Thị Bình", "(Ký tên, đóng dấu)"),
        ),
        footer="Danh mục hồ sơ năm 2026 — Văn phòng Tỉnh ủy",
        metadata={"date": "2026-01-05", "subject": "Danh mục hồ sơ"},
    )
    return replace(sheet, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def sheet() -> RecordSheet:
    return _sheet()


@pytest.fixture(scope="module")
def pdf(sheet: RecordSheet) -> bytes:
    return sheet_pdf(sheet)


def _pages(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    finally:
        document.close()


def test_pdf_keeps_vietnamese_and_the_layout(pdf: bytes) -> None:
    pages = _pages(pdf)
    assert len(pages) >= 2
    first = pages[0]
    for text in ("ĐẢNG BỘ TỈNH THANH HÓA", "VĂN PHÒNG TỈNH ỦY", "ĐẢNG CỘNG SẢN VIỆT NAM", "DANH MỤC HỒ SƠ", HEADING):
        assert text in first
    assert "Thanh Hóa, ngày 05 tháng 01 năm 2026" in first
    assert "Căn cứ Nghị định số 30/2020/NĐ-CP" in first
    assert "(1) (2) (3) (4) (5)" in first
    assert "Trang 1/" in first and f"Trang {len(pages)}/{len(pages)}" in pages[-1]
    assert "Hồ sơ Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 1 (khóa XIX)" in first
    whole = " ".join(pages)
    assert "lần thứ 60 (khóa XIX)" in whole
    assert "NGƯỜI LẬP" in pages[-1] and "Trần Thị Bình" in pages[-1] and "CHÁNH VĂN PHÒNG" in pages[-1]


def test_pdf_repeats_the_table_header_on_the_next_page(pdf: bytes) -> None:
    second = _pages(pdf)[1]
    assert "Tiêu đề hồ sơ" in second and "Số và ký hiệu hồ sơ" in second
    assert "(1) (2) (3) (4) (5)" in second
    assert "DANH MỤC HỒ SƠ" not in second  # the title is printed once; only the table's header repeats


def test_pdf_is_a4_and_landscape_when_asked(pdf: bytes) -> None:
    portrait = pdfium.PdfDocument(pdf)[0].get_size()
    landscape = pdfium.PdfDocument(sheet_pdf(_sheet(landscape=True, rows=())))[0].get_size()
    assert round(portrait[0] / 72 * 25.4) == 210 and round(portrait[1] / 72 * 25.4) == 297
    assert round(landscape[0] / 72 * 25.4) == 297 and round(landscape[1] / 72 * 25.4) == 210


def test_docx_holds_the_same_cells(sheet: RecordSheet) -> None:
    document = docx.Document(io.BytesIO(sheet_docx(sheet)))
    table = next(t for t in document.tables if len(t.rows) == 2 + len(sheet.rows))
    assert [c.text for c in table.rows[0].cells] == [c.title for c in COLUMNS]
    assert [c.text for c in table.rows[1].cells] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    assert {c.text for c in table.rows[2].cells} == {HEADING}  # one cell merged across
    assert [c.text for c in table.rows[3].cells] == ["1", "01.01", _title(1), "Vĩnh viễn", ""]
    assert table.rows[-1].cells[2].text == _title(60)
    repeated = [
        r for r in table.rows if r._tr.trPr is not None and r._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    ]
    assert len(repeated) == 2
    header = document.tables[0].rows[0].cells
    assert "VĂN PHÒNG TỈNH ỦY" in header[0].text and "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1].text
    text = "\n".join(p.text for p in document.paragraphs)
    assert "DANH MỤC HỒ SƠ" in text and "Căn cứ Nghị định số 30/2020/NĐ-CP" in text
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.core_properties.created is not None and document.core_properties.created.year == 2026


def test_xlsx_holds_the_same_cells_and_neutralises_formulas(sheet: RecordSheet) -> None:
    book = openpyxl.load_workbook(io.BytesIO(sheet_xlsx(sheet)))
    ws = book.active
    assert ws is not None
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    head = values.index([c.title for c in COLUMNS])
    assert values[head + 1] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    assert values[head + 2][0] == HEADING
    assert f"A{head + 3}:E{head + 3}" in {str(r) for r in ws.merged_cells.ranges}
    assert values[head + 3] == ["1", "01.01", _title(1), "Vĩnh viễn", None]
    seventh = values[head + 9]
    assert seventh[0] == "7" and seventh[4] == "'" + FORMULA
    cell = ws.cell(row=head + 10, column=5)
    assert cell.data_type == "s"  # text, not a formula
    assert ws.print_title_rows == f"${head + 1}:${head + 2}"
    assert any(row[0] == "DANH MỤC HỒ SƠ" for row in values)
    assert ws.cell(row=head + 1, column=1).font.b


@pytest.mark.parametrize("render", [sheet_pdf, sheet_docx, sheet_xlsx], ids=["pdf", "docx", "xlsx"])
def test_same_sheet_same_bytes(render: object, sheet: RecordSheet) -> None:
    assert callable(render)
    first, second = render(sheet), render(_sheet())
    assert first == second
    assert render(_sheet(title="Mục lục văn bản")) != first


@pytest.mark.parametrize("render", [sheet_docx, sheet_xlsx], ids=["docx", "xlsx"])
def test_office_files_are_dated_by_the_sheet(render: object) -> None:
    assert callable(render)
    with zipfile.ZipFile(io.BytesIO(render(_sheet()))) as package:
        assert {info.date_time[:3] for info in package.infolist()} == {(2026, 1, 5)}
        core = package.read("docProps/core.xml").decode()
    assert "2026-01-05T00:00:00" in core


def test_a_sheet_with_no_table_still_renders() -> None:
    bare = RecordSheet(title="Biên bản hủy tài liệu hết giá trị", party_title=False, closing=("Hết.",))
    assert "BIÊN BẢN HỦY TÀI LIỆU HẾT GIÁ TRỊ" in _pages(sheet_pdf(bare))[0]
    assert docx.Document(io.BytesIO(sheet_docx(bare))).paragraphs
    assert openpyxl.load_workbook(io.BytesIO(sheet_xlsx(bare))).active is not None
