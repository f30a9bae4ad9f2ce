"""A records sheet as an Excel workbook (XLSX): the same heading, table and closing lines as the PDF, one sheet.

Offices keep their danh mục hồ sơ and mục lục hồ sơ nộp lưu in spreadsheets too (NĐ 30/2020 Phụ lục V); the
workbook prints like the PDF (A4, the table header repeated on every printed page, "Trang &P/&N" in the footer).
Titles, file names and document summaries come from outside, so every text cell goes through the CSV defence
(``csv_cell``: a leading ``'`` before = + - @) and is stored as a string, never a formula. The workbook's dates
and zip members carry the sheet's date, so that the same sheet gives the same bytes (its SHA-256 is its key).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from archive_service.csv_cells import csv_cell
from archive_service.records import sheet_layout as layout
from archive_service.records.sheet import RecordSheet, Signature
from archive_service.records.sheet_layout import nfc
from archive_service.records.stable_zip import stable_zip

FONT: Final = "Times New Roman"
SHEET_TITLE_MAX: Final = 31  # Excel's limit on a sheet's name
WIDTH_PORTRAIT: Final = 100.0  # characters across the printed page
WIDTH_LANDSCAPE: Final = 150.0
MM_PER_INCH: Final = 25.4
THIN: Final = Side(style="thin", color="000000")
GRID: Final = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL: Final = PatternFill("solid", fgColor="EBEBEB")
_FORBIDDEN_IN_SHEET_NAME: Final = str.maketrans({c: " " for c in "[]:*?/\\"})


def _put(cell: Cell, value: str, *, bold: bool = False, italic: bool = False, size: float = 12) -> None:
    """Text into a cell as text whatever it starts with (a leading ``'`` before a formula character)."""
    safe = csv_cell(nfc(value))
    cell.value = str(safe)
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)


class _Writer:
    """Writes the sheet's blocks one under the other, each row across ``span`` columns."""

    def __init__(self, ws: Worksheet, span: int) -> None:
        self.ws = ws
        self.span = span
        self.row = 1

    def cell(self, row: int, column: int) -> Cell:
        cell = self.ws.cell(row=row, column=column)
        assert isinstance(cell, Cell)  # we never write into the hidden part of a merged range
        return cell

    def across(
        self,
        text: str,
        *,
        first: int = 1,
        last: int | None = None,
        align: str = "center",
        row: int | None = None,
        **style: bool | float,
    ) -> None:
        """``text`` in one cell merged from column ``first`` to ``last`` (default: the whole width)."""
        r = self.row if row is None else row
        end = self.span if last is None else last
        cell = self.cell(r, first)
        _put(cell, text, **style)  # type: ignore[arg-type]
        cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=True)
        if end > first:
            self.ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=end)
        if row is None:
            self.row += 1

    def skip(self) -> None:
        self.row += 1


def _halves(span: int) -> tuple[int, int]:
    """The last column of the heading's left half, and the first of its right half."""
    left_end = max(1, span // 2)
    return left_end, min(span, left_end + 1)


def _header(w: _Writer, sheet: RecordSheet) -> None:
    left = [(nfc(line).upper(), i == len(sheet.issuer_lines) - 1) for i, line in enumerate(sheet.issuer_lines)]
    if sheet.issuer_lines:
        left.append(("*", False))
    right: list[tuple[str, bool, bool]] = []
    if sheet.party_title:
        right.append((layout.PARTY_TITLE, True, False))
    if sheet.place_date:
        right.append((sheet.place_date, False, True))
    if not (left or right):
        return
    left_end, right_start = _halves(w.span)
    if w.span < 2:  # one column: the right half goes under the left
        for text, bold in left:
            w.across(text, bold=bold)
        for text, bold, italic in right:
            w.across(text, bold=bold, italic=italic)
    else:
        for i in range(max(len(left), len(right))):
            if i < len(left):
                w.across(left[i][0], last=left_end, row=w.row, bold=left[i][1])
            if i < len(right):
                text, bold, italic = right[i]
                w.across(text, first=right_start, row=w.row, bold=bold, italic=italic)
            w.skip()
    w.skip()


def _titles(w: _Writer, sheet: RecordSheet) -> None:
    w.across(nfc(sheet.title).upper(), bold=True, size=14)
    for line in sheet.subtitles:
        note = sheet.is_note(line)
        w.across(line, bold=not note, italic=note)
    w.skip()


def _paragraphs(w: _Writer, paragraphs: Sequence[str], width_chars: float) -> None:
    for text in paragraphs:
        lines = max(1, int(len(text) / max(width_chars, 1.0)) + 1)
        w.ws.row_dimensions[w.row].height = 16 * lines
        w.across(text, align="justify")


def _table(w: _Writer, sheet: RecordSheet) -> tuple[int, int] | None:
    """The header, the column numbers, the rows; returns the two header rows (printed on every page)."""
    if not sheet.columns:
        return None
    count = len(sheet.columns)
    head = w.row
    for i, column in enumerate(sheet.columns, start=1):
        for r, text, bold in ((head, column.title, True), (head + 1, sheet.column_numbers[i - 1], False)):
            cell = w.cell(r, i)
            _put(cell, text, bold=bold, italic=not bold)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = GRID
            cell.fill = HEAD_FILL
    w.row += 2
    for row in sheet.rows:
        if row.heading:
            for i in range(1, count + 1):  # borders before the merge: a merged cell's hidden part cannot take them
                w.cell(w.row, i).border = GRID
            w.across(" ".join(c for c in row.cells if c), last=count, align="left", bold=True)
            continue
        values = tuple(row.cells[:count]) + ("",) * max(0, count - len(row.cells))
        for i, (column, value) in enumerate(zip(sheet.columns, values, strict=True), start=1):
            cell = w.cell(w.row, i)
            _put(cell, value)
            cell.alignment = Alignment(horizontal=column.align, vertical="top", wrap_text=True)
            cell.border = GRID
        w.skip()
    w.skip()
    return head, head + 1


def _signatures(w: _Writer, signatures: Sequence[Signature]) -> None:
    """The signing blocks side by side, each over an equal share of the columns."""
    if not signatures:
        return
    w.skip()
    share = max(1, w.span // len(signatures))
    top = w.row
    for i, signature in enumerate(signatures):
        first = 1 + i * share
        last = w.span if i == len(signatures) - 1 else first + share - 1
        lines = [(nfc(signature.title).upper(), True, False), (signature.note, False, True)]
        lines += [("", False, False)] * 3 + [(signature.name, True, False)]
        for offset, (text, bold, italic) in enumerate(lines):
            if text:
                w.across(text, first=first, last=last, row=top + offset, bold=bold, italic=italic)
    w.row = top + 6


def _page_setup(ws: Worksheet, sheet: RecordSheet, header_rows: tuple[int, int] | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.page_margins.top = layout.MARGIN_TOP_MM / MM_PER_INCH
    ws.page_margins.bottom = layout.MARGIN_BOTTOM_MM / MM_PER_INCH
    ws.page_margins.left = layout.MARGIN_LEFT_MM / MM_PER_INCH
    ws.page_margins.right = layout.MARGIN_RIGHT_MM / MM_PER_INCH
    if header_rows:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    footer = nfc(sheet.footer).replace("&", "&&") + " — " if sheet.footer else ""
    odd = ws.oddFooter
    assert odd is not None  # a new worksheet always has its header/footer items
    odd.center.text = f"{footer}Trang &P/&N"
    odd.center.size = 9
    odd.center.font = FONT


def _widths(ws: Worksheet, sheet: RecordSheet, span: int) -> float:
    """Column widths in characters from the relative ``Column.width``; returns the table's width."""
    total_chars = WIDTH_LANDSCAPE if sheet.landscape else WIDTH_PORTRAIT
    weights = [max(c.width, 0.1) for c in sheet.columns] or [1.0]
    weights += [weights[-1]] * (span - len(weights))
    total = sum(weights)
    for i, weight in enumerate(weights, start=1):
        ws.column_dimensions[get_column_letter(i)].width = round(total_chars * weight / total, 2)
    return total_chars


def _properties(book: Workbook, sheet: RecordSheet) -> None:
    when = layout.sheet_date(sheet).replace(tzinfo=None)
    props = book.properties
    props.title = nfc(sheet.metadata.get("title", sheet.title))
    props.subject = nfc(sheet.metadata.get("subject", "")) or None
    props.creator = layout.sheet_author(sheet)
    props.lastModifiedBy = layout.APPLICATION
    props.language = "vi-VN"
    props.created = when
    props.modified = when


def sheet_xlsx(sheet: RecordSheet) -> bytes:
    """The sheet as one XLSX worksheet: heading, title, paragraphs, the table, closing lines, signatures."""
    book = Workbook()
    ws = book.active
    assert isinstance(ws, Worksheet)  # a new workbook always has its first sheet
    ws.title = nfc(sheet.title).translate(_FORBIDDEN_IN_SHEET_NAME).strip()[:SHEET_TITLE_MAX] or "Sheet1"
    span = max(len(sheet.columns), len(sheet.signatures), 1)
    w = _Writer(ws, span)
    width_chars = _widths(ws, sheet, span)
    _header(w, sheet)
    _titles(w, sheet)
    _paragraphs(w, sheet.preamble, width_chars)
    header_rows = _table(w, sheet)
    _paragraphs(w, sheet.closing, width_chars)
    _signatures(w, sheet.signatures)
    _page_setup(ws, sheet, header_rows)
    _properties(book, sheet)
    out = io.BytesIO()
    # ExcelWriter, not Workbook.save: save() would stamp "modified" with the wall clock.
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)).save()
    return stable_zip(out.getvalue(), layout.sheet_date(sheet))
