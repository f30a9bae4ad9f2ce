"""Dates as Vietnamese users type and read them: ngày/tháng/năm (05/03/2024), ISO accepted too.

A native ``<input type="date">`` shows the browser's locale (03/05/2024 on an English system), so the
forms take text in the Vietnamese order and these functions read and write it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

_VN: Final = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO: Final = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_date(text: str) -> date:
    """'05/03/2024', '5/3/2024', '05-03-2024', '05.03.2024' or '2024-03-05' → 5 March 2024 (ValueError else)."""
    if m := _VN.match(text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    if m := _ISO.match(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(f"not a date: {text!r}")


def parse_optional_date(text: str | None) -> date | None:
    """None for an empty field; otherwise ``parse_date``."""
    return parse_date(text) if text and text.strip() else None


def as_input(value: object) -> str:
    """What a date field shows: dd/mm/yyyy for a date or a readable string, the text as typed otherwise.

    Anything else (None, a template's undefined value) shows an empty field.
    """
    if not isinstance(value, date | str) or value == "":
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    try:
        return parse_date(value).strftime("%d/%m/%Y")
    except ValueError:
        return value
