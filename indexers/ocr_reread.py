"""A second look at the lines Tesseract was unsure of: each recognised again on its own.

On a whole page Tesseract decides layout and letters together; a header line beside the Quốc hiệu, or a
signature line near a seal, comes out with its marks wrong ("TINH QUANG NGAÀI", "PHÓ CHỦ TỊC") while the
same line cropped and read alone (``--psm 6`` on a strip of lines) is read right. The unsure lines of a
page are cut out, stacked into one image with white space between them, and recognised in one call; a
line takes the new reading only when its words are surer and it kept about as many letters.

Number lines and date lines are left alone: their handwritten or stamped values have their own, stricter
path (``ocr._read_stamped_number``), and a second guess at a handwritten digit is how a wrong value would
come in with a high confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Final

from PIL import Image

from indexers import ocr_sheet
from indexers.ocr_sheet import Piece
from schemas.parsed import TextLine

UNSURE: Final = 0.85  # a line whose words average below this is looked at again
_GAIN: Final = 0.05  # the new reading must be surer by this much
_MAX_LINES: Final = 24  # per page, the least sure first
_SKIP: Final = re.compile(r"^\s*S\w\s*:?|ng[àa]y\b.*th[áa]ng\b", re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    """One recognised word of the stacked image: its text, confidence (0..100) and vertical centre (px)."""

    text: str
    conf: float
    middle: float
    left: int


@dataclass(frozen=True)
class Strip:
    """An unsure line and where its crop went on the sheet."""

    line: TextLine
    piece: Piece


def candidates(lines: list[TextLine]) -> list[TextLine]:
    """The lines worth a second look: unsure, wide enough to be words, not a number or date line."""
    unsure = [
        ln
        for ln in lines
        if ln.ocr_confidence is not None
        and ln.ocr_confidence < UNSURE
        and ln.x_pt is not None
        and ln.y_pt is not None
        and ln.width_pt is not None
        and ln.size_pt is not None
        and ln.width_pt >= 1.5 * ln.size_pt
        and sum(ch.isalpha() for ch in ln.text) >= 3
        and not _SKIP.search(ln.text)
    ]
    return sorted(unsure, key=lambda ln: ln.ocr_confidence or 0.0)[:_MAX_LINES]


def _box(line: TextLine, dpi: int, size: tuple[int, int]) -> tuple[int, int, int, int]:
    scale = dpi / 72.0
    font = line.size_pt or 12.0
    x, y, w = line.x_pt or 0.0, line.y_pt or 0.0, line.width_pt or 0.0
    left = max(0, round((x - 0.3 * font) * scale))
    right = min(size[0], round((x + w + 0.3 * font) * scale))
    top = max(0, round((y - 0.15 * font) * scale))
    bottom = min(size[1], round((y + 1.1 * font) * scale))
    return left, top, right, bottom


def stack(page: Path, lines: list[TextLine], dpi: int, out: Path) -> list[Strip]:
    """Write the strips of ``lines`` cut from the page image, one under another, to ``out``."""
    with Image.open(page) as image:
        size = image.size
    boxes = [_box(ln, dpi, size) for ln in lines]
    kept = [(ln, b) for ln, b in zip(lines, boxes, strict=True) if b[2] > b[0] and b[3] > b[1]]
    pieces = ocr_sheet.stack(page, [b for _, b in kept], out)
    return [Strip(ln, piece) for (ln, _), piece in zip(kept, pieces, strict=True)]


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def merge(lines: list[TextLine], strips: list[Strip], words: list[Word]) -> list[TextLine]:
    """The page's lines with each re-read strip's reading put in where it is surer."""
    better: dict[int, TextLine] = {}
    for strip in strips:
        found = sorted((w for w in words if strip.piece.holds(w.middle) and w.conf >= 0), key=lambda w: w.left)
        if not found:
            continue
        text = " ".join(w.text for w in found)
        old = strip.line
        new_mean = mean(w.conf for w in found) / 100
        kept = _letters(old.text)
        if new_mean < (old.ocr_confidence or 0.0) + _GAIN or not 0.7 * kept <= _letters(text) <= 1.3 * kept + 1:
            continue
        runs = [old.runs[0].model_copy(update={"text": text})] if old.runs else []
        better[old.index] = old.model_copy(
            update={
                "text": text,
                "runs": runs,
                "ocr_confidence": round(new_mean, 3),
                "ocr_confidence_min": round(min(w.conf for w in found) / 100, 3),
            }
        )
    return [better.get(ln.index, ln) for ln in lines]
