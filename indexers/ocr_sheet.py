"""Pieces of a page image stacked into one sheet, so that Tesseract reads them all in one call.

Each piece (a line, a band of ink) is pasted under the previous one with white space between; a word the
sheet's reading finds is traced back to its piece and to where it sits on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image

Box = tuple[int, int, int, int]  # left, top, right, bottom in page pixels
_PAD: Final = 0.35  # white space around and between pieces, in heights of the tallest piece


@dataclass(frozen=True)
class Piece:
    """One box of the page and where it was pasted on the sheet (its top; all start at ``left``)."""

    box: Box
    top: int
    left: int

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    def holds(self, middle: float) -> bool:
        """True when a word whose vertical centre on the sheet is ``middle`` lies in this piece."""
        return self.top <= middle < self.top + self.height

    def to_page(self, left: int, top: int) -> tuple[int, int]:
        """A sheet position back on the page."""
        return left - self.left + self.box[0], top - self.top + self.box[1]


def stack(page: Path, boxes: list[Box], out: Path) -> list[Piece]:
    """Paste ``boxes`` cut from the page image one under another on a white sheet saved to ``out``.

    Empty boxes are left out; the pieces come back in the order given, with where each went.
    """
    with Image.open(page) as image:
        grey = image.convert("L")
        kept = [b for b in boxes if b[2] > b[0] and b[3] > b[1]]
        if not kept:
            return []
        pad = max(8, round(_PAD * max(b[3] - b[1] for b in kept)))
        width = max(b[2] - b[0] for b in kept) + 2 * pad
        height = sum(b[3] - b[1] + pad for b in kept) + pad
        sheet = Image.new("L", (width, height), 255)
        pieces: list[Piece] = []
        y = pad
        for box in kept:
            sheet.paste(grey.crop(box), (pad, y))
            pieces.append(Piece(box, y, pad))
            y += box[3] - box[1] + pad
        sheet.save(out)
    return pieces
