"""CSV cells that a spreadsheet shows as text, never runs as a formula (CSV / formula injection).

File names, titles and extracted text come from outside: a document uploaded as
``=cmd|' -c calc'!A0.pdf`` would be a live formula in the office report opened in Excel or
LibreOffice Calc. Every CSV export writes its cells through ``csv_cell`` (or ``SafeCsvWriter``).

The rule follows OWASP "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection):
a cell that begins with ``=``, ``+``, ``-``, ``@``, TAB (0x09) or CR (0x0D) is prefixed with a single
quote, and the cell is quoted by the CSV writer (RFC 4180) so that a separator or a quote inside it
cannot start a new cell. We also prefix a cell beginning with NUL (OWASP ASVS 5.0 V1.2.10), a cell
whose first character after leading white space is a formula character (some spreadsheets trim the
space before evaluating), and the full-width forms ``＝ ＋ － ＠`` that East Asian input methods type
and spreadsheets may read as their ASCII twins. Numbers are not touched: a count stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any, Final

FORMULA_STARTS: Final = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS: Final = frozenset("\t\r\n\x00")
_LEADING_SPACE: Final = " \t\r\n\x00\u00a0\u3000"


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (or a control character opens it)."""
    if not text:
        return False
    if text[0] in CONTROL_STARTS:
        return True
    rest = text.lstrip(_LEADING_SPACE)
    return bool(rest) and rest[0] in FORMULA_STARTS


def csv_cell(value: object) -> object:
    """A text cell prefixed with ``'`` when it could be a formula; any other value unchanged."""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value


def neutralise_row(row: Iterable[object]) -> list[object]:
    """Every cell of ``row`` through ``csv_cell``."""
    return [csv_cell(cell) for cell in row]


class SafeCsvWriter:
    """A ``csv.writer`` whose every row is neutralised: the one way our CSV exports write rows."""

    def __init__(self, out: IO[str], **fmt: Any) -> None:
        self._writer = csv.writer(out, **fmt)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow(neutralise_row(row))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
