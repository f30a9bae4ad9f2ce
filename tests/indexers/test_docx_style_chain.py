"""The DOCX reader resolves the whole formatting chain, as Word renders it (ECMA-376 §17.7)."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from indexers.docx_reader import read_docx
from schemas.parsed import Alignment, ParsedDocument, Region

W = nsdecls("w")


def _defaults(document: docx.document.Document, *, size_half_pt: int, theme_font: bool = True) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    styles.remove(defaults)
    fonts = '<w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/>' if theme_font else ""
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {W}><w:rPrDefault><w:rPr>{fonts}<w:sz w:val='{size_half_pt}'/></w:rPr>"
            "</w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"
        ),
    )


def _theme_minor(document: docx.document.Document, family: str) -> None:
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/theme"):
            blob = rel.target_part.blob
            start = blob.index(b"<a:minorFont>")
            face = blob.index(b'typeface="', start) + len(b'typeface="')
            end = blob.index(b'"', face)
            rel.target_part._blob = blob[:face] + family.encode() + blob[end:]


def _save(document: docx.document.Document, tmp_path: Path) -> ParsedDocument:
    path = tmp_path / "doc.docx"
    document.save(str(path))
    return read_docx(path)


def _line(parsed: ParsedDocument, text: str):  # type: ignore[no-untyped-def]
    return next(line for line in parsed.lines if line.text == text)


def test_size_and_font_come_from_doc_defaults_and_the_theme_when_runs_say_nothing(tmp_path: Path) -> None:
    document = docx.Document()
    _defaults(document, size_half_pt=28)
    _theme_minor(document, "Times New Roman")
    document.add_paragraph("Nội dung văn bản")
    line = _line(_save(document, tmp_path), "Nội dung văn bản")
    assert line.size_pt == 14.0
    assert line.font == "Times New Roman"
    assert document.paragraphs[0].runs[0].font.size is None  # what python-docx alone would answer


def test_a_paragraph_style_inherits_through_its_based_on_ancestors(tmp_path: Path) -> None:
    document = docx.Document()
    _defaults(document, size_half_pt=28)
    base = document.styles.add_style("Ten loai", WD_STYLE_TYPE.PARAGRAPH)
    base.font.size = Pt(16)
    base.font.bold = True
    base.font.name = "Times New Roman"
    child = document.styles.add_style("Trich yeu", WD_STYLE_TYPE.PARAGRAPH)
    child.base_style = base
    child.font.size = Pt(14)
    document.add_paragraph("NGHỊ QUYẾT", style="Ten loai")
    document.add_paragraph("về công tác cán bộ", style="Trich yeu")
    parsed = _save(document, tmp_path)
    title, summary = _line(parsed, "NGHỊ QUYẾT"), _line(parsed, "về công tác cán bộ")
    assert (title.size_pt, title.bold) == (16.0, True)
    assert (summary.size_pt, summary.bold, summary.font) == (14.0, True, "Times New Roman")


def test_bold_in_both_paragraph_and_character_style_toggles_off(tmp_path: Path) -> None:
    document = docx.Document()
    para = document.styles.add_style("Dam", WD_STYLE_TYPE.PARAGRAPH)
    para.font.bold = True
    char = document.styles.add_style("Nhan manh", WD_STYLE_TYPE.CHARACTER)
    char.font.bold = True
    p = document.add_paragraph(style="Dam")
    p.add_run("toggled", style="Nhan manh")
    direct = document.add_paragraph(style="Dam")
    run = direct.add_run("direct", style="Nhan manh")
    run.bold = True  # direct formatting is absolute, not a toggle
    plain = document.add_paragraph(style="Dam")
    plain.add_run("inherited")
    parsed = _save(document, tmp_path)
    assert _line(parsed, "toggled").bold is False
    assert _line(parsed, "direct").bold is True
    assert _line(parsed, "inherited").bold is True


def test_table_style_size_applies_in_cells_unless_the_paragraph_style_sets_one(tmp_path: Path) -> None:
    document = docx.Document()
    _defaults(document, size_half_pt=24)
    table_style = document.styles.add_style("Khung", WD_STYLE_TYPE.TABLE)
    table_style.element.append(parse_xml(f"<w:rPr {W}><w:sz w:val='28'/></w:rPr>"))
    big = document.styles.add_style("Tieu de", WD_STYLE_TYPE.PARAGRAPH)
    big.font.size = Pt(15)
    table = document.add_table(rows=1, cols=2)
    table.style = table_style
    table.cell(0, 0).paragraphs[0].add_run("TỈNH ỦY THANH HÓA")
    table.cell(0, 1).paragraphs[0].style = big
    table.cell(0, 1).paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM")
    document.add_paragraph("ngoài bảng")
    parsed = _save(document, tmp_path)
    left, right = _line(parsed, "TỈNH ỦY THANH HÓA"), _line(parsed, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert left.size_pt == 14.0 and left.region == Region.TABLE
    assert right.size_pt == 15.0
    assert (left.cell.col if left.cell else None, right.cell.col if right.cell else None) == (0, 1)
    assert _line(parsed, "ngoài bảng").size_pt == 12.0


def test_caps_from_a_style_renders_upper_case(tmp_path: Path) -> None:
    document = docx.Document()
    style = document.styles.add_style("In hoa", WD_STYLE_TYPE.PARAGRAPH)
    style.font.all_caps = True
    document.add_paragraph("Đảng Cộng sản Việt Nam", style="In hoa")
    line = _line(_save(document, tmp_path), "Đảng Cộng sản Việt Nam")
    assert line.runs[0].caps is True
    assert line.rendered_text == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_the_rule_under_the_title_is_read_from_the_paragraph_style_border(tmp_path: Path) -> None:
    document = docx.Document()
    style = document.styles.add_style("Tieu de co gach", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f"<w:pBdr {W}><w:bottom w:val='single' w:sz='6' w:space='1' w:color='000000'/></w:pBdr>")
    )
    style.paragraph_format.alignment = 1
    document.add_paragraph("ĐẢNG CỘNG SẢN VIỆT NAM", style="Tieu de co gach")
    line = _line(_save(document, tmp_path), "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert line.has_bottom_border is True
    assert line.alignment == Alignment.CENTER


def test_text_boxes_nested_tables_and_line_breaks_are_read(tmp_path: Path) -> None:
    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("Thanh Hóa, ngày 05 tháng 3").add_break()
    p.add_run("năm 2024")
    box = document.add_paragraph()
    box._p.append(
        parse_xml(
            f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
            "<w:txbxContent><w:p><w:r><w:t>Số 12-NQ/TU</w:t></w:r></w:p></w:txbxContent>"
            "</v:textbox></v:shape></w:pict></w:r>"
        )
    )
    outer = document.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 1).paragraphs[0].add_run("ô lồng")
    parsed = _save(document, tmp_path)
    assert parsed.lines[0].text == "Thanh Hóa, ngày 05 tháng 3\nnăm 2024"
    boxed = _line(parsed, "Số 12-NQ/TU")
    assert boxed.region == Region.TEXTBOX
    nested = _line(parsed, "ô lồng")
    assert nested.cell is not None and (nested.cell.table, nested.cell.col) == (1, 1)


def test_page_setup_margins_first_page_and_page_number_field_are_reported(tmp_path: Path) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>'))
    document.add_paragraph("Nội dung")
    document.add_page_break()
    document.add_paragraph("Trang hai")
    parsed = _save(document, tmp_path)
    setup = parsed.page_setup
    assert (setup.width_mm, setup.height_mm) == (210.0, 297.0)
    assert (setup.margin_top_mm, setup.margin_bottom_mm, setup.margin_left_mm, setup.margin_right_mm) == (
        20.0,
        20.0,
        30.0,
        15.0,
    )
    assert setup.different_first_page and setup.has_page_numbers
    assert _line(parsed, "Trang hai").page == 2
    assert any(line.region == Region.HEADER for line in parsed.lines)


def test_word_s_rendered_page_breaks_count_pages_once_even_after_an_explicit_break(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Trang một")
    rendered = document.add_paragraph()
    rendered._p.append(parse_xml(f"<w:r {W}><w:lastRenderedPageBreak/><w:t>Trang hai</w:t></w:r>"))
    document.add_page_break()
    again = document.add_paragraph()
    again._p.append(parse_xml(f"<w:r {W}><w:lastRenderedPageBreak/><w:t>Trang ba</w:t></w:r>"))
    parsed = _save(document, tmp_path)
    assert [_line(parsed, t).page for t in ("Trang một", "Trang hai", "Trang ba")] == [1, 2, 3]
    assert parsed.page_count == 3


def test_hidden_text_is_not_read_and_small_caps_count_as_upper_case(tmp_path: Path) -> None:
    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("Nghị quyết")
    p.add_run(" (bản nháp)").font.hidden = True
    small = document.add_paragraph()
    small.add_run("Nơi nhận").font.small_caps = True
    parsed = _save(document, tmp_path)
    assert [line.text for line in parsed.lines] == ["Nghị quyết", "Nơi nhận"]
    assert parsed.lines[1].rendered_text == "NƠI NHẬN"
