"""The numbers a file plan prints: đề mục lớn in Roman numerals, đề mục nhỏ in Arabic ones, dossiers "01", "02" …

NĐ 30/2020 Phụ lục V.I: dossier numbers run from 01 across the whole list, or again within each đề mục lớn — the
plan's ``numbering`` ("plan" | "heading") says which. A dossier's code joins its number to the unit's ("01.VPTU").
"""

from __future__ import annotations

from typing import Final

_ROMAN: Final = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
ACROSS_PLAN: Final = "plan"
WITHIN_HEADING: Final = "heading"


def roman(n: int) -> str:
    """1 → "I", 4 → "IV", 14 → "XIV" (a đề mục lớn's number)."""
    if n < 1:
        raise ValueError("Roman numerals start at 1")
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def dossier_number(n: int) -> str:
    """1 → "01", 12 → "12", 123 → "123": two digits at least, as the forms print them."""
    return f"{n:02d}"


def file_code(n: int, office_code: str) -> str:
    """The số và ký hiệu hồ sơ a row gets when none is given: its number joined to the unit's code."""
    return f"{dossier_number(n)}.{office_code}"
