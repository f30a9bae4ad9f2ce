"""What the three renderings of a records sheet share: the page margins, the Party's title, the fixed date.

Căn lề (NĐ 30/2020 Phụ lục I, mục II.2): top 20–25 mm, bottom 20–25 mm, left 30–35 mm, right 15–20 mm; we take
the smallest of each. The date the files carry is the sheet's own (``metadata["date"]``), never "now": a record
file is stored under its SHA-256 and locked, so the same sheet must always render to the same bytes.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from typing import Final

from archive_service.records.sheet import RecordSheet

PARTY_TITLE: Final = "ĐẢNG CỘNG SẢN VIỆT NAM"
MARGIN_TOP_MM: Final = 20.0
MARGIN_BOTTOM_MM: Final = 20.0
MARGIN_LEFT_MM: Final = 30.0
MARGIN_RIGHT_MM: Final = 15.0
FIXED_EPOCH: Final = datetime(2000, 1, 1, tzinfo=UTC)
APPLICATION: Final = "archive-service"


def nfc(text: str) -> str:
    """Vietnamese typed on different keyboards arrives composed or decomposed; fonts and searches want one form."""
    return unicodedata.normalize("NFC", text)


_OFFICE_PREFIX: Final = "VĂN PHÒNG "


def office_issuer_lines(office_name: str) -> tuple[str, ...]:
    """The issuing-body block of an office's sheet, as a Party document sets it (36-HD/VPTW mục II.2; 05-HD):
    the superior body on the first line, the office on the second — "Văn phòng Tỉnh ủy Thanh Hóa" becomes
    ("TỈNH ỦY THANH HÓA", "VĂN PHÒNG"). A name that does not start with "Văn phòng" is one line."""
    name = " ".join(nfc(office_name).split()).upper()
    if name.startswith(_OFFICE_PREFIX) and len(name) > len(_OFFICE_PREFIX):
        return (name[len(_OFFICE_PREFIX) :], "VĂN PHÒNG")
    return (name,) if name else ()


def vi_date(day: date) -> str:
    """ "ngày 05 tháng 01 năm 2026", "ngày 12 tháng 3 năm 2026": as a Party record writes a date (Hướng dẫn
    36-HD/VPTW, kept by 29-HD/VPTW: a day below 10 and the months 1 and 2 take a leading zero, the others do not)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(day: date, place: str | None = None) -> str:
    """The địa danh, ngày tháng năm line under the Party's title: "Thanh Hóa, ngày 05 tháng 01 năm 2026", or
    "Ngày 05 tháng 01 năm 2026" when the place is not known (a line never starts in lower case)."""
    if place:
        return f"{place}, {vi_date(day)}"
    text = vi_date(day)
    return text[:1].upper() + text[1:]


def sheet_date(sheet: RecordSheet) -> datetime:
    """The instant the files carry as their creation date: ``metadata["date"]`` (ISO date or datetime) or a fixed
    epoch when the sheet has none or an unreadable one."""
    raw = sheet.metadata.get("date", "").strip()
    if not raw:
        return FIXED_EPOCH
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        try:
            day = date.fromisoformat(raw[:10])
        except ValueError:
            return FIXED_EPOCH
        parsed = datetime(day.year, day.month, day.day)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def sheet_author(sheet: RecordSheet) -> str:
    """Who the document properties name as author: ``metadata["author"]``, else the issuing body."""
    return nfc(sheet.metadata.get("author") or (sheet.issuer_lines[-1] if sheet.issuer_lines else APPLICATION))
