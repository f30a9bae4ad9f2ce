"""The text layer of a PDF from pdfium: positioned runs with their fonts, and the glyph boxes, page by page.

pdfium parses a page's content stream in C; walking its text objects (one per text-showing operator, form
XObjects included) through the raw API costs a few calls per run instead of pypdf's interpreter in Python, which
was nine tenths of our reading time. A run's origin is its object's matrix (the text matrix times the CTM, and the
matrices of the forms around it); its size the font size scaled by that matrix; its style the same rule pypdf's
font dictionaries go through (``indexers.pdf_fonts.style_of``) fed from the font handle's base name, flags,
weight and italic angle. Text comes from the text page, which maps glyphs to Unicode as pypdf does (ToUnicode,
then the encoding), and the text page's rectangles give the glyph boxes that measure where a justified line ends.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from indexers.pdf_fonts import FontStyle, style_of
from indexers.pdf_lines import Chunk, GlyphBox, drawn_chunks, text_width
from indexers.pdfium import serialised

_TEXT_BUFFER: Final = 4096  # UTF-16 units; a longer run asks again with the size pdfium reports
_MAX_DEPTH: Final = 8  # nested form XObjects followed this deep, as a viewer would
_WIDER: Final = 3.0  # a run drawn this many spaces wider than its text lost a typed blank's spaces
_BLANK: Final = 2.5  # a space followed by a gap this many spaces wide was a run of spaces
# pdfium does not give the descriptor's /FontWeight (FPDFFont_GetWeight is a guess from the stem width):
# the name and the flags decide, as for a descriptor without /FontWeight (the same outcomes on our corpus).
_NO_WEIGHT: Final = 400.0
_RUN_LIMIT: Final = 2000  # characters of one run walked when putting its spaces back
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Final[Matrix] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class PageText:
    """One page's runs (pt from the top-left of the crop box) and glyph boxes (pt from the top-left)."""

    chunks: list[Chunk] = field(default_factory=list)
    boxes: list[GlyphBox] = field(default_factory=list)


Frame = tuple[float, tuple[float, float]]  # the crop box's height and its lower-left corner


def _concat(m: Matrix, n: Matrix) -> Matrix:
    """m then n (row vectors, PDF order): the matrix of an object drawn with m inside a form drawn with n."""
    a, b, c, d, e, f = m
    g, h, i, j, k, l_ = n
    return (a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k, e * h + f * j + l_)


class _Reader:
    """The raw calls for one document, with the buffers and the font styles reused across its pages."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.matrix = raw.FS_MATRIX()
        self.size = ctypes.c_float()
        self.angle = ctypes.c_int()
        self.units = _TEXT_BUFFER
        self.buffer = (ctypes.c_ushort * self.units)()
        self.left, self.bottom = ctypes.c_double(), ctypes.c_double()
        self.right, self.top = ctypes.c_double(), ctypes.c_double()
        self.bounds = [ctypes.c_float() for _ in range(4)]  # left, bottom, right, top
        self.styles: dict[int | None, FontStyle] = {}

    def style(self, font: Any) -> FontStyle:
        key = ctypes.cast(font, ctypes.c_void_p).value
        style = self.styles.get(key)
        if style is None:
            style = self._describe(font)
            self.styles[key] = style
        return style

    def _describe(self, font: Any) -> FontStyle:
        raw = self.raw
        if not font:
            return FontStyle(None, False, False, None)
        length = raw.FPDFFont_GetBaseFontName(font, None, 0)
        name = ctypes.create_string_buffer(max(int(length), 1))
        if length:
            raw.FPDFFont_GetBaseFontName(font, name, length)
        angle = float(self.angle.value) if raw.FPDFFont_GetItalicAngle(font, self.angle) else 0.0
        return style_of(name.value.decode("latin-1"), int(raw.FPDFFont_GetFlags(font)), _NO_WEIGHT, angle)

    def text(self, obj: Any, textpage: Any) -> str:
        raw = self.raw
        got = int(raw.FPDFTextObj_GetText(obj, textpage, self.buffer, self.units * 2))
        if got > self.units * 2:
            self.units = got // 2 + 1
            self.buffer = (ctypes.c_ushort * self.units)()
            got = int(raw.FPDFTextObj_GetText(obj, textpage, self.buffer, self.units * 2))
        count = max(got // 2 - 1, 0)  # the length counts the terminating NUL
        return bytes(memoryview(self.buffer).cast("B")[: count * 2]).decode("utf-16-le", "replace")

    def walk(self, holder: Any, in_form: bool, outer: Matrix, depth: int, found: list[tuple[Any, Matrix]]) -> None:
        """Text objects of a page (or of a form object) with their matrices in page space."""
        raw = self.raw
        count = raw.FPDFFormObj_CountObjects(holder) if in_form else raw.FPDFPage_CountObjects(holder)
        for index in range(count):
            obj = raw.FPDFFormObj_GetObject(holder, index) if in_form else raw.FPDFPage_GetObject(holder, index)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_FORM):
                continue
            m = self.matrix
            if not raw.FPDFPageObj_GetMatrix(obj, m):
                continue
            own: Matrix = (m.a, m.b, m.c, m.d, m.e, m.f)
            placed = own if outer is _IDENTITY else _concat(own, outer)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                found.append((obj, placed))
            elif depth < _MAX_DEPTH:
                self.walk(obj, True, placed, depth + 1, found)

    def chunks(self, page: Any, textpage: Any, frame: Frame, blanks: bool) -> list[Chunk]:
        raw = self.raw
        height, (left, bottom) = frame
        objects: list[tuple[Any, Matrix]] = []
        self.walk(page, False, _IDENTITY, 0, objects)
        out: list[Chunk] = []
        for obj, (a, b, c, d, e, f) in objects:
            text = self.text(obj, textpage)
            if not text.strip():
                continue
            scale = math.sqrt(abs(a * d - b * c)) or 1.0
            size = float(self.size.value) if raw.FPDFTextObj_GetFontSize(obj, self.size) else 0.0
            style = self.style(raw.FPDFTextObj_GetFont(obj))
            eff = size * scale
            if blanks and " " in text.strip() and (b, c) == (0.0, 0.0) and eff > 0:
                text = self.typed_blanks(obj, textpage, text, e, f, eff, style.bold)
            x, y = e - left, height - (f - bottom)
            out.extend(drawn_chunks(text, x=x, y=y, size=eff, style=style))
        return out

    def typed_blanks(self, obj: Any, textpage: Any, text: str, x: float, y: float, size: float, bold: bool) -> str:
        """``text`` with the runs of spaces the text page folded into one put back ("Số:          /UBND").

        A blank typed with the space bar for a number stamped at signing is part of the line we read; the text
        page keeps one space of it. Only a run drawn wider than its text (one call) is walked glyph by glyph.
        """
        raw = self.raw
        space = text_width(" ", size, bold) or 0.25 * size
        if not raw.FPDFPageObj_GetBounds(obj, *self.bounds):
            return text
        if self.bounds[2].value - x <= text_width(text.strip(), size, bold) + _WIDER * space:
            return text
        mine = ctypes.cast(obj, ctypes.c_void_p).value
        start = int(raw.FPDFText_GetCharIndexAtPos(textpage, x + 0.1 * size, y + 0.3 * size, 0.2 * size, 0.3 * size))
        if start < 0 or ctypes.cast(raw.FPDFText_GetTextObject(textpage, start), ctypes.c_void_p).value != mine:
            return text
        count = int(raw.FPDFText_CountChars(textpage))
        glyphs: list[tuple[str, float]] = []
        for i in range(start, min(count, start + _RUN_LIMIT)):
            if ctypes.cast(raw.FPDFText_GetTextObject(textpage, i), ctypes.c_void_p).value != mine:
                break
            raw.FPDFText_GetCharOrigin(textpage, i, self.left, self.bottom)
            glyphs.append((chr(raw.FPDFText_GetUnicode(textpage, i)), self.left.value))
        out: list[str] = []
        for k, (char, at) in enumerate(glyphs):
            out.append(char)
            if char == " " and k + 1 < len(glyphs) and glyphs[k + 1][1] - at > _BLANK * space:
                out.append(" " * (round((glyphs[k + 1][1] - at) / space) - 1))
        rebuilt = "".join(out)
        return (
            rebuilt if rebuilt.strip() == text.strip().replace("  ", " ") or rebuilt.split() == text.split() else text
        )

    def boxes(self, textpage: Any, height: float) -> list[GlyphBox]:
        raw = self.raw
        out: list[GlyphBox] = []
        for i in range(raw.FPDFText_CountRects(textpage, 0, -1)):
            if raw.FPDFText_GetRect(textpage, i, self.left, self.top, self.right, self.bottom):
                out.append((self.left.value, height - self.top.value, self.right.value, height - self.bottom.value))
        return out


@serialised
def read_text_layer(path: Path, frames: list[Frame], blanks: Sequence[bool] = ()) -> list[PageText] | None:
    """Runs and glyph boxes of the first ``len(frames)`` pages, or None when pdfium cannot open the file.

    ``frames`` are the pages' crop boxes as the structure reader (pypdf) sees them, so that positions are
    measured from the same corner as before; the glyph boxes keep pdfium's page height. ``blanks`` says, page by
    page, whether typed blanks matter there: the text page folds a run of spaces into one, and only a page with
    widgets (an e-office stamps the number and the day into the blanks as field appearances, ``place_stamps``)
    needs the run's width back; walking glyphs costs a raw call each, so the other pages keep the folded text.
    """
    try:
        import pypdfium2
        import pypdfium2.raw as raw
    except ImportError:  # pragma: no cover - a dependency; the caller falls back to pypdf
        return None
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return None
    reader = _Reader(raw)
    pages: list[PageText] = []
    try:
        for index, frame in enumerate(frames[: len(pdf)]):
            page = raw.FPDF_LoadPage(pdf.raw, index)
            if not page:
                pages.append(PageText())
                continue
            textpage = raw.FPDFText_LoadPage(page)
            try:
                height = float(raw.FPDF_GetPageHeightF(page))
                stamped = index < len(blanks) and blanks[index]
                pages.append(PageText(reader.chunks(page, textpage, frame, stamped), reader.boxes(textpage, height)))
            finally:
                if textpage:
                    raw.FPDFText_ClosePage(textpage)
                raw.FPDF_ClosePage(page)
    finally:
        pdf.close()
    return pages
