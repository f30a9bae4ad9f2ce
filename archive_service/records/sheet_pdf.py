"""A records sheet as an A4 PDF laid out like the NĐ 30/2020 Phụ lục V forms an office prints and signs.

Thể thức (NĐ 30/2020 Phụ lục I, 29-HD/VPTW for Party bodies): the issuing body at the top left in upper case
(the body itself bold) with a "*" under it, "ĐẢNG CỘNG SẢN VIỆT NAM" bold and underlined at the top right, the
italic place and date under it; the title centred in bold capitals; the table whose column numbers (1) (2) … sit
under its header, the header repeated on every page; the signing blocks side by side. Fonts are embedded (a
Vietnamese-covering serif, metric twin of Times New Roman) and the bytes depend on the sheet only: the file is
hashed, stored by its SHA-256 and locked with the dossier, so rendering the same sheet twice must give one file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from archive_service.records import sheet_layout as layout
from archive_service.records.sheet import RecordSheet, Signature
from archive_service.records.sheet_layout import nfc
from archive_service.reports.fonts import find_serif_font

FAMILY: Final = "SheetSerif"
BODY_SIZE: Final = 13.0
TABLE_SIZE: Final = 11.0
FOOTER_SIZE: Final = 9.0
LINE: Final = 6.0
TABLE_LINE: Final = 5.0
SIGN_SPACE: Final = 22.0  # room for the hand signature and the seal
HEAD_STYLE: Final = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
NUMBERS_STYLE: Final = FontFace(emphasis="ITALICS", fill_color=(235, 235, 235))
HEADING_ROW_STYLE: Final = FontFace(emphasis="BOLD")
_ALIGN: Final = {"left": "LEFT", "center": "CENTER", "right": "RIGHT"}


class _SheetPDF(FPDF):
    """Every page ends with the sheet's footer line and "Trang i/n"."""

    def __init__(self, sheet: RecordSheet) -> None:
        super().__init__(orientation="L" if sheet.landscape else "P", unit="mm", format="A4")
        self.footer_text = nfc(sheet.footer) if sheet.footer else ""

    def footer(self) -> None:
        self.set_y(-(layout.MARGIN_BOTTOM_MM - 6))
        self.set_font(FAMILY, "", FOOTER_SIZE)
        page = f"Trang {self.page_no()}/{{nb}}"
        text = f"{self.footer_text} — {page}" if self.footer_text else page
        self.cell(0, 4, text, align="C")


def _setup(sheet: RecordSheet) -> _SheetPDF:
    fonts = find_serif_font()
    pdf = _SheetPDF(sheet)
    pdf.add_font(FAMILY, "", str(fonts.regular))
    pdf.add_font(FAMILY, "B", str(fonts.bold))
    pdf.add_font(FAMILY, "I", str(fonts.italic or fonts.regular))
    pdf.set_margins(layout.MARGIN_LEFT_MM, layout.MARGIN_TOP_MM, layout.MARGIN_RIGHT_MM)
    pdf.set_auto_page_break(True, margin=layout.MARGIN_BOTTOM_MM)
    pdf.set_title(nfc(sheet.metadata.get("title", sheet.title)))
    if subject := sheet.metadata.get("subject"):
        pdf.set_subject(nfc(subject))
    pdf.set_author(layout.sheet_author(sheet))
    pdf.set_creator(layout.APPLICATION)
    pdf.set_producer(layout.APPLICATION)
    pdf.set_lang("vi")
    pdf.set_creation_date(layout.sheet_date(sheet))
    pdf.add_page()
    return pdf


def _header(pdf: FPDF, sheet: RecordSheet) -> None:
    """The two-column thể thức heading: the issuer on the left, the Party's title and the place-date on the right."""
    if not (sheet.issuer_lines or sheet.party_title or sheet.place_date):
        return
    top = pdf.get_y()
    left_w = pdf.epw * 0.45
    right_w = pdf.epw - left_w
    for i, line in enumerate(sheet.issuer_lines):
        last = i == len(sheet.issuer_lines) - 1
        pdf.set_font(FAMILY, "B" if last else "", BODY_SIZE - 1)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(left_w, LINE, nfc(line).upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if sheet.issuer_lines:
        pdf.set_font(FAMILY, "", BODY_SIZE - 1)
        pdf.set_x(pdf.l_margin)
        pdf.cell(left_w, LINE, "*", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    x = pdf.l_margin + left_w
    if sheet.party_title:
        pdf.set_font(FAMILY, "BU", BODY_SIZE + 1)
        pdf.set_x(x)
        pdf.cell(right_w, LINE, layout.PARTY_TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(LINE / 2)
    if sheet.place_date:
        pdf.set_font(FAMILY, "I", BODY_SIZE)
        pdf.set_x(x)
        pdf.multi_cell(right_w, LINE, nfc(sheet.place_date), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(left_bottom, pdf.get_y()))
    pdf.ln(LINE)


def _centred(pdf: FPDF, sheet: RecordSheet) -> None:
    pdf.set_font(FAMILY, "B", BODY_SIZE + 2)
    pdf.multi_cell(0, LINE + 1, nfc(sheet.title).upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for line in sheet.subtitles:
        pdf.set_font(FAMILY, "I" if sheet.is_note(line) else "B", BODY_SIZE)
        pdf.multi_cell(0, LINE, nfc(line), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(LINE / 2)


def _paragraphs(pdf: FPDF, paragraphs: Sequence[str]) -> None:
    pdf.set_font(FAMILY, "", BODY_SIZE)
    for text in paragraphs:
        pdf.multi_cell(0, LINE, nfc(text), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)


def _table(pdf: FPDF, sheet: RecordSheet) -> None:
    """Header and column numbers are the two heading rows fpdf2 repeats at the top of every new page."""
    if not sheet.columns:
        return
    count = len(sheet.columns)
    pdf.set_font(FAMILY, "", TABLE_SIZE)
    with pdf.table(
        col_widths=tuple(max(c.width, 0.1) for c in sheet.columns),
        text_align=tuple(_ALIGN[c.align] for c in sheet.columns),
        headings_style=HEAD_STYLE,
        num_heading_rows=2,
        repeat_headings=1,
        line_height=TABLE_LINE,
        width=pdf.epw,
        align="LEFT",
        v_align="MIDDLE",
        padding=(0.8, 1.2),
    ) as table:
        head = table.row()
        for column in sheet.columns:
            head.cell(nfc(column.title), align="CENTER")
        numbers = table.row(style=NUMBERS_STYLE)
        for number in sheet.column_numbers:
            numbers.cell(number, align="CENTER")
        for row in sheet.rows:
            if row.heading:
                text = " ".join(nfc(c) for c in row.cells if c)
                table.row(style=HEADING_ROW_STYLE).cell(text, colspan=count, align="LEFT")
                continue
            line = table.row()
            cells = tuple(row.cells[:count]) + ("",) * max(0, count - len(row.cells))
            for value in cells:
                line.cell(nfc(value))
    pdf.ln(LINE / 2)


def _line_count(pdf: FPDF, width: float, text: str) -> int:
    return len(cast(list[str], pdf.multi_cell(width, LINE, text, dry_run=True, output="LINES")))


def _signature_height(pdf: FPDF, signature: Signature, width: float) -> float:
    pdf.set_font(FAMILY, "B", BODY_SIZE)
    lines = _line_count(pdf, width, nfc(signature.title).upper())
    if signature.note:
        pdf.set_font(FAMILY, "I", BODY_SIZE - 1)
        lines += _line_count(pdf, width, nfc(signature.note))
    return lines * LINE + SIGN_SPACE + LINE


def _signatures(pdf: FPDF, signatures: Sequence[Signature]) -> None:
    """The signing blocks side by side, kept on one page: title bold upper case, note italic, room, name bold; a
    single block on the right half."""
    if not signatures:
        return
    # One signer signs on the right half, under the place and date, as every NĐ 30 form places the signature.
    left = pdf.l_margin + (pdf.epw / 2 if len(signatures) == 1 else 0.0)
    width = (pdf.epw / 2) if len(signatures) == 1 else pdf.epw / len(signatures)
    height = max(_signature_height(pdf, s, width) for s in signatures)
    if pdf.get_y() + LINE + height > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(LINE / 2)
    top = pdf.get_y()
    for i, signature in enumerate(signatures):
        x = left + i * width
        pdf.set_xy(x, top)
        pdf.set_font(FAMILY, "B", BODY_SIZE)
        pdf.multi_cell(width, LINE, nfc(signature.title).upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        if signature.note:
            pdf.set_font(FAMILY, "I", BODY_SIZE - 1)
            pdf.multi_cell(width, LINE, nfc(signature.note), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_xy(x, top + height - LINE)
        pdf.set_font(FAMILY, "B", BODY_SIZE)
        pdf.cell(width, LINE, nfc(signature.name), align="C")
    pdf.set_xy(pdf.l_margin, top + height)


def sheet_pdf(sheet: RecordSheet) -> bytes:
    """The sheet as a PDF: heading, title, paragraphs, the table, closing lines, signatures; same sheet, same bytes."""
    pdf = _setup(sheet)
    _header(pdf, sheet)
    _centred(pdf, sheet)
    _paragraphs(pdf, sheet.preamble)
    _table(pdf, sheet)
    _paragraphs(pdf, sheet.closing)
    _signatures(pdf, sheet.signatures)
    return bytes(pdf.output())
