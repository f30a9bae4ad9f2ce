"""A records sheet as a Word document (DOCX) the office can still edit before it signs: the same blocks as the PDF.

Thể thức of NĐ 30/2020 Phụ lục I and 29-HD/VPTW: Times New Roman 14 pt body, 12 pt table, A4 with the margins of
``sheet_layout``; the heading is a borderless two-column table (issuer with "*" on the left, "ĐẢNG CỘNG SẢN VIỆT
NAM" and the italic place-date on the right); the table's header and its row of column numbers repeat at the top
of every page (``w:tblHeader``); the signing blocks side by side; "Trang i/n" in the page footer. Core properties
and zip member dates come from the sheet, so the same sheet gives the same bytes (its SHA-256 is its key).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from archive_service.records import sheet_layout as layout
from archive_service.records.sheet import RecordSheet, Signature
from archive_service.records.sheet_layout import nfc
from archive_service.records.stable_zip import stable_zip

FONT: Final = "Times New Roman"
BODY_PT: Final = 14
TABLE_PT: Final = 12
SMALL_PT: Final = 13
FOOTER_PT: Final = 10
A4_SHORT_MM: Final = 210.0
A4_LONG_MM: Final = 297.0
_ALIGN: Final = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _page(doc: DocxDocument, landscape: bool) -> float:
    """A4 in the asked orientation with the NĐ 30 margins; returns the text width in mm."""
    section = doc.sections[0]
    width, height = (A4_LONG_MM, A4_SHORT_MM) if landscape else (A4_SHORT_MM, A4_LONG_MM)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(layout.MARGIN_TOP_MM), Mm(layout.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(layout.MARGIN_LEFT_MM), Mm(layout.MARGIN_RIGHT_MM)
    section.footer_distance = Mm(8)
    return width - layout.MARGIN_LEFT_MM - layout.MARGIN_RIGHT_MM


def _styles(doc: DocxDocument) -> None:
    """Times New Roman 14 pt everywhere (the East Asian slot too, or Word substitutes a font for "ơ", "ư")."""
    normal = doc.styles["Normal"]
    font = normal.font
    font.name = FONT
    font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    paragraph = normal.paragraph_format
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(0)
    paragraph.line_spacing = 1.0


def _text(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
) -> None:
    run = paragraph.add_run(nfc(text))
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if size is not None:
        run.font.size = Pt(size)


def _para(
    container: DocxDocument | _Cell,
    text: str = "",
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    first: bool = False,
    **style: bool | float,
) -> Paragraph:
    """A paragraph in a document or cell; ``first`` reuses a cell's own empty first paragraph."""
    if first and isinstance(container, _Cell) and container.paragraphs and not container.paragraphs[0].text:
        paragraph: Paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = align
    if text:
        _text(paragraph, text, **style)  # type: ignore[arg-type]
    return paragraph


def _borderless(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed column widths (Word ignores the grid unless every cell carries its width too)."""
    table.autofit = False
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)


def _header(doc: DocxDocument, sheet: RecordSheet, text_mm: float) -> None:
    if not (sheet.issuer_lines or sheet.party_title or sheet.place_date):
        return
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    _widths(table, (text_mm * 0.45, text_mm * 0.55))
    left, right = table.rows[0].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(sheet.issuer_lines):
        last = i == len(sheet.issuer_lines) - 1
        _para(left, nfc(line).upper(), align=centre, first=i == 0, bold=last, size=SMALL_PT)
    if sheet.issuer_lines:
        _para(left, "*", align=centre, size=SMALL_PT)
    if sheet.party_title:
        _para(right, layout.PARTY_TITLE, align=centre, first=True, bold=True, underline=True, size=BODY_PT + 1)
        _para(right, "", align=centre)
    if sheet.place_date:
        _para(right, sheet.place_date, align=centre, first=True, italic=True)
    _para(doc)


def _title(doc: DocxDocument, sheet: RecordSheet) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, nfc(sheet.title).upper(), align=centre, bold=True, size=BODY_PT + 1)
    for line in sheet.subtitles:
        note = sheet.is_note(line)
        _para(doc, line, align=centre, bold=not note, italic=note)
    _para(doc)


def _paragraphs(doc: DocxDocument, paragraphs: Sequence[str]) -> None:
    for text in paragraphs:
        paragraph = _para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)


def _repeat_as_header(row: _Row) -> None:
    """``w:tblHeader``: Word repeats this row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _cell(cell: _Cell, text: str, align: WD_ALIGN_PARAGRAPH, *, bold: bool = False, italic: bool = False) -> None:
    _para(cell, text, align=align, first=True, bold=bold, italic=italic, size=TABLE_PT)


def _table(doc: DocxDocument, sheet: RecordSheet, text_mm: float) -> None:
    if not sheet.columns:
        return
    count = len(sheet.columns)
    table = doc.add_table(rows=2 + len(sheet.rows), cols=count)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(max(c.width, 0.1) for c in sheet.columns)
    _widths(table, tuple(text_mm * max(c.width, 0.1) / total for c in sheet.columns))
    rows = table.rows
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for i, column in enumerate(sheet.columns):
        _cell(rows[0].cells[i], nfc(column.title), centre, bold=True)
        _cell(rows[1].cells[i], sheet.column_numbers[i], centre, italic=True)
    _repeat_as_header(rows[0])
    _repeat_as_header(rows[1])
    for r, row in enumerate(sheet.rows, start=2):
        cells = rows[r].cells
        if row.heading:
            merged = cells[0].merge(cells[-1]) if count > 1 else cells[0]
            _cell(merged, " ".join(nfc(c) for c in row.cells if c), WD_ALIGN_PARAGRAPH.LEFT, bold=True)
            continue
        values = tuple(row.cells[:count]) + ("",) * max(0, count - len(row.cells))
        for i, value in enumerate(values):
            _cell(cells[i], nfc(value), _ALIGN[sheet.columns[i].align])
    _para(doc)


def _signatures(doc: DocxDocument, signatures: Sequence[Signature], text_mm: float) -> None:
    if not signatures:
        return
    _para(doc)
    # One signer signs on the right half (an empty left cell), as every NĐ 30 form places the signature.
    alone = len(signatures) == 1
    table = doc.add_table(rows=1, cols=2 if alone else len(signatures))
    _borderless(table)
    _widths(table, (text_mm / 2, text_mm / 2) if alone else (text_mm / len(signatures),) * len(signatures))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # the blocks stay on one page
    centre = WD_ALIGN_PARAGRAPH.CENTER
    cells = table.rows[0].cells[1:] if alone else table.rows[0].cells
    for cell, signature in zip(cells, signatures, strict=True):
        _para(cell, nfc(signature.title).upper(), align=centre, first=True, bold=True)
        if signature.note:
            _para(cell, signature.note, align=centre, italic=True, size=SMALL_PT)
        for _ in range(4):
            _para(cell, "", align=centre)
        _para(cell, signature.name, align=centre, bold=True)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A simple Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(FOOTER_PT * 2))  # half-points
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _footer(doc: DocxDocument, sheet: RecordSheet) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lead = f"{nfc(sheet.footer)} — Trang " if sheet.footer else "Trang "
    _text(paragraph, lead, size=FOOTER_PT)
    _field(paragraph, "PAGE")
    _text(paragraph, "/", size=FOOTER_PT)
    _field(paragraph, "NUMPAGES")


def _properties(doc: DocxDocument, sheet: RecordSheet) -> None:
    when = layout.sheet_date(sheet).replace(tzinfo=None)
    props = doc.core_properties
    props.title = nfc(sheet.metadata.get("title", sheet.title))
    props.subject = nfc(sheet.metadata.get("subject", ""))
    props.author = layout.sheet_author(sheet)
    props.last_modified_by = layout.APPLICATION
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = "vi-VN"
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when


def sheet_docx(sheet: RecordSheet) -> bytes:
    """The sheet as a DOCX: heading, title, paragraphs, the table, closing lines, signatures; same sheet, same bytes."""
    doc = Document()
    text_mm = _page(doc, sheet.landscape)
    _styles(doc)
    _header(doc, sheet, text_mm)
    _title(doc, sheet)
    _paragraphs(doc, sheet.preamble)
    _table(doc, sheet, text_mm)
    _paragraphs(doc, sheet.closing)
    _signatures(doc, sheet.signatures, text_mm)
    _footer(doc, sheet)
    _properties(doc, sheet)
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue(), layout.sheet_date(sheet))
