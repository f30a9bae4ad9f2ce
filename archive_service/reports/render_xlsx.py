"""A report as an Excel workbook (XLSX): the same rows and columns as the CSV, one sheet.

A text cell that a spreadsheet would run as a formula gets the CSV's own defence (``csv_cell``: a leading
``'``) and is stored as a plain string, never as a formula, so that a file named ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import io
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font

from archive_service.csv_cells import csv_cell
from archive_service.reports.model import Report
from archive_service.reports.render_csv import report_rows
from archive_service.reports.text import local_time

SHEET_TITLE: Final = "Báo cáo"
COLUMN_WIDTHS: Final = (34, 26, 16, 16, 16, 16, 16, 12, 40)


def _put(cell: Cell, value: object) -> None:
    """A value into a cell: numbers as numbers, text as text whatever it starts with."""
    safe = csv_cell(value)
    if isinstance(safe, str):
        cell.value = safe
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    elif isinstance(safe, int | float):
        cell.value = safe
    elif safe is not None:
        cell.value = str(safe)
        cell.data_type = "s"


def render_xlsx(report: Report) -> bytes:
    """The report as one XLSX sheet: each section's title in bold, its table, its caption."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = SHEET_TITLE
    bold = Font(bold=True)
    titled = True  # the first row, and the first row after an empty one, is a section title
    for r, row in enumerate(report_rows(report), start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            assert isinstance(cell, Cell)  # nothing is merged in this sheet
            _put(cell, value)
            if titled:
                cell.font = bold
        titled = not row
    for i, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[chr(ord("A") + i - 1)].width = width
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=False, vertical="top")
    book.properties.title = report.scope.title
    book.properties.creator = "archive-service"
    book.properties.created = local_time(report.scope.generated_at).replace(tzinfo=None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
