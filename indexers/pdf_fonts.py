"""PDF font names → family, bold, italic, and the font a substitute stands in for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

_SUBSET: Final = re.compile(r"^[A-Z]{6}\+")
_BOLD: Final = re.compile(r"bold|black|heavy|semibold|demibold|[-,]bd\b", re.IGNORECASE)
_ITALIC: Final = re.compile(r"italic|oblique|[-,]it\b", re.IGNORECASE)
_STYLE_WORDS: Final = re.compile(r"(?:PSMT|PS|MT|Bold|Italic|Oblique|Regular|Semibold|Black|Heavy|Medium|Light)+$")
# Metric-compatible substitutes: the name embedded by LibreOffice/Ghostscript → the font it replaces.
SUBSTITUTES: Final = {
    "Liberation Serif": "Times New Roman",
    "Times": "Times New Roman",  # the PDF base-14 Times-Roman, drawn with whatever the viewer has
    "Tinos": "Times New Roman",
    "Nimbus Roman": "Times New Roman",
    "Nimbus Roman No9 L": "Times New Roman",
    "Liberation Sans": "Arial",
    "Arimo": "Arial",
    "Liberation Mono": "Courier New",
}
_FLAG_ITALIC: Final = 1 << 6
_FLAG_FORCE_BOLD: Final = 1 << 18


@dataclass(frozen=True)
class FontStyle:
    family: str | None
    bold: bool
    italic: bool
    substitute_for: str | None


def family_of(base_font: str) -> str:
    """'ABCDEF+TimesNewRomanPS-BoldMT' → 'Times New Roman'; 'LiberationSerif-Bold' → 'Liberation Serif'."""
    name = _SUBSET.sub("", base_font.lstrip("/"))
    head = re.split(r"[-,]", name, maxsplit=1)[0]
    if head not in ("TimesNewRoman", "Times"):
        head = _STYLE_WORDS.sub("", head) or head
    else:
        head = head.removesuffix("PS")
    if " " not in head:
        head = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", head)
    head = re.sub(r"(?:\s+(?:Bold|Italic|Oblique|Regular|Semibold|Black|Heavy|PSMT|MT))+$", "", head)
    return head.strip()


def font_style(font: Any) -> FontStyle:
    """Style of a PDF font dictionary (a pypdf DictionaryObject, or None)."""
    if font is None:
        return FontStyle(None, False, False, None)
    try:
        base = str(font.get("/BaseFont", "") or "")
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descendants = font["/DescendantFonts"]
            descendant = descendants[0].get_object() if descendants else None
            descriptor = descendant.get("/FontDescriptor") if descendant is not None else None
        descriptor = descriptor.get_object() if descriptor is not None else None
        flags = int(descriptor.get("/Flags", 0)) if descriptor is not None else 0
        weight = float(descriptor.get("/FontWeight", 400)) if descriptor is not None else 400.0
        angle = float(descriptor.get("/ItalicAngle", 0)) if descriptor is not None else 0.0
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return FontStyle(None, False, False, None)
    return style_of(base, flags, weight, angle)


def style_of(base_font: str, flags: int, weight: float, italic_angle: float) -> FontStyle:
    """Style from a font's base name and its descriptor's /Flags, /FontWeight and /ItalicAngle.

    One rule for both readers: pypdf's font dictionaries (``font_style``) and pdfium's font handles
    (``indexers.pdfium_text``) give the same four facts and so the same style.
    """
    name = _SUBSET.sub("", base_font.lstrip("/"))
    # "TimesNewRomanPS-BoldMT", "Arial,BoldItalic", or "Times New Roman Bold" (spaces, no separator).
    style_part = name[len(name.split("-")[0].split(",")[0]) :] or name[len(family_of(name)) :]
    bold = bool(_BOLD.search(style_part)) or bool(flags & _FLAG_FORCE_BOLD) or weight >= 600
    italic = bool(_ITALIC.search(style_part)) or bool(flags & _FLAG_ITALIC) or abs(italic_angle) > 0.5
    family = family_of(name) if name else None
    return FontStyle(family, bold, italic, SUBSTITUTES.get(family or ""))
