"""ParsedDocument: what the parsers (indexers/) make of a file — text, styled lines, page setup.

Produced by ``indexers`` (DOCX, PDF, OCR); read by extraction and by the format checks, which need
to know how each line is set (font, size, bold, italic, underline, caps, alignment) and where it sits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, Field

_T = TypeVar("_T", bound=Hashable)


class Alignment(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"
    UNKNOWN = "unknown"


class Region(StrEnum):
    """Where a line sits in the document's structure."""

    BODY = "body"
    TABLE = "table"  # a cell of a (usually borderless) layout table: header block, signature block
    HEADER = "header"  # page header (phần đầu trang)
    FOOTER = "footer"
    TEXTBOX = "textbox"


class Run(BaseModel):
    """A stretch of text with one resolved style (every inherited property already applied)."""

    text: str
    font: str | None = None
    size_pt: float | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    caps: bool = False  # w:caps: rendered upper case whatever the stored text
    # PDF: the font the embedded one stands in for by metrics ("Times New Roman" for Liberation Serif)
    font_substitute_for: str | None = None


class CellRef(BaseModel):
    """Position of a line inside a table: which table, row and column (all 0-based)."""

    table: int
    row: int
    col: int


class TextLine(BaseModel):
    """One paragraph (DOCX) or one visual line (PDF, OCR), with its runs and position."""

    text: str
    page: int = 1  # 1-based; for DOCX an estimate (explicit page breaks only)
    index: int  # 0-based order in the document's reading order
    paragraph: int | None = None  # DOCX paragraph index in its container
    region: Region = Region.BODY
    cell: CellRef | None = None
    alignment: Alignment = Alignment.UNKNOWN
    runs: list[Run] = Field(default_factory=list)
    x_pt: float | None = None  # PDF/OCR: left edge from the page's left, in points
    y_pt: float | None = None  # PDF/OCR: top edge from the page's top, in points
    width_pt: float | None = None
    has_bottom_border: bool = False  # the rule under "ĐẢNG CỘNG SẢN VIỆT NAM" (w:pBdr/w:bottom)
    # OCR only: mean and lowest Tesseract word confidence of the line, 0..1 (None: printed text, read directly)
    ocr_confidence: float | None = None
    ocr_confidence_min: float | None = None

    @property
    def rendered_text(self) -> str:
        """The text as it prints: runs with caps applied upper-cased."""
        if not self.runs:
            return self.text
        return "".join(r.text.upper() if r.caps else r.text for r in self.runs)

    def _visible_runs(self) -> list[Run]:
        return [r for r in self.runs if r.text.strip()]

    @property
    def bold(self) -> bool:
        """True when every visible run is bold."""
        runs = self._visible_runs()
        return bool(runs) and all(r.bold for r in runs)

    @property
    def italic(self) -> bool:
        runs = self._visible_runs()
        return bool(runs) and all(r.italic for r in runs)

    @property
    def underline(self) -> bool:
        runs = self._visible_runs()
        return bool(runs) and all(r.underline for r in runs)

    @property
    def size_pt(self) -> float | None:
        """The size of most of the visible characters."""
        return _dominant(self._visible_runs(), lambda r: r.size_pt)

    @property
    def font(self) -> str | None:
        return _dominant(self._visible_runs(), lambda r: r.font)


def _dominant(runs: list[Run], key: Callable[[Run], _T | None]) -> _T | None:
    weights: dict[_T, int] = {}
    for r in runs:
        value = key(r)
        if value is not None:
            weights[value] = weights.get(value, 0) + len(r.text.strip())
    if not weights:
        return None
    return max(weights, key=lambda v: weights[v])


class PageSetup(BaseModel):
    """Paper and margins in millimetres (of the first section/page)."""

    width_mm: float | None = None
    height_mm: float | None = None
    margin_top_mm: float | None = None
    margin_bottom_mm: float | None = None
    margin_left_mm: float | None = None
    margin_right_mm: float | None = None
    different_first_page: bool = False
    has_page_numbers: bool = False


class DigitalSignature(BaseModel):
    """A ký số found in a PDF: who signed and when, as far as the file says."""

    signer_name: str | None = None
    signed_at: str | None = None  # ISO 8601 when the file gives it
    field_name: str | None = None


class ParsedDocument(BaseModel):
    """Everything the checks need to know about a file's content and layout."""

    media_type: str  # application/pdf, or the DOCX media type
    page_count: int = 0
    page_setup: PageSetup = Field(default_factory=PageSetup)
    lines: list[TextLine] = Field(default_factory=list)
    ocr: bool = False
    ocr_confidence: float | None = None  # 0..100, mean word confidence from Tesseract
    signatures: list[DigitalSignature] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole text, one line per TextLine, in reading order."""
        return "\n".join(line.rendered_text for line in self.lines)
