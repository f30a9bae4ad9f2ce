"""Ink the page reading passed over: a line Tesseract's layout analysis took for part of a picture.

The signer's name sits under the flourish of the signature and beside the seal; on a whole page Tesseract
often files that stretch as an image and reads nothing there, although the same line cut out alone reads
cleanly. Here the ink no recognised word covers is found (a row profile of dark pixels), and each band
about one text line tall is read again, all bands of a page stacked into one sheet (``ocr_sheet``). Taller
bands are seals and signatures: left alone. Only lines read with assurance come back — a stroke of a
signature read as letters would be worse than nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from indexers.ocr_sheet import Box, Piece

_INK: Final = 140  # grey below this is ink (the colour step has already lifted seals and blue signatures)
_EDGE: Final = 0.04  # the scanner's border: this share of width and height on each side is not looked at
_WORD_PAD: Final = 0.3  # a recognised word's box grows by this share of its height before masking
_MIN_ROW_INK: Final = 0.015  # a row of text has more dark pixels than this share of its column; a stroke fewer
_BRIDGE: Final = 2  # rows: a thinner gap does not end a band
_LOWEST: Final = 0.5  # bands shorter than this many letter heights are specks or rules
_TALLEST: Final = 2.5  # bands taller than this are a seal, a signature or a picture
_MAX_BANDS: Final = 12
_DEPTH: Final = 8  # cuts within cuts: enough for a page's signature block
LINE_MEAN: Final = 80.0  # a line read in a band comes back only when its words average this (0..100)
WORD_LEAST: Final = 60.0  # and none is below this


@dataclass(frozen=True)
class Found:
    """A word read: text, confidence (0..100), box (px) and its line — on the sheet any key that tells lines
    apart, on the page (band, line)."""

    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int]  # (band, line in the band)


def _ink(image: Image.Image) -> NDArray[np.bool_]:
    return np.asarray(image.convert("L")) < _INK


def _runs(on: NDArray[np.bool_], bridge: int) -> list[tuple[int, int]]:
    """Stretches [start, end) where ``on`` holds, a gap of at most ``bridge`` bridged."""
    runs: list[tuple[int, int]] = []
    k, n = 0, len(on)
    while k < n:
        if not on[k]:
            k += 1
            continue
        start = k
        while k < n and on[k : k + bridge + 1].any():
            k += 1
        runs.append((start, k))
    return runs


def _cut(ink: NDArray[np.bool_], x0: int, y0: int, letter: float, depth: int, out: list[Box]) -> None:
    """Recursive XY cut of ``ink`` (its top-left at x0, y0 on the page): the line-tall pieces go to ``out``.

    Columns first (a gutter a letter height wide), then the bands of rows of each column (a row holds
    text-dense ink for its width), then a band too tall again by columns: a seal beside the signer's
    name is cut away from it before the name's band is judged. A piece that no cut divides and that is
    taller than a line (a seal, a signature) is left.
    """
    if depth > _DEPTH or not ink.any():
        return
    used: NDArray[np.bool_] = np.asarray(ink.any(axis=0), dtype=bool)
    columns = _runs(used, max(1, round(letter)))
    if len(columns) > 1:
        for left, right in columns:
            _cut(ink[:, left:right], x0 + left, y0, letter, depth + 1, out)
        return
    left, right = columns[0]
    height, width = ink.shape
    bands = _runs(ink.sum(axis=1) > max(3, _MIN_ROW_INK * (right - left)), _BRIDGE)
    for top, bottom in bands:
        tall = (bottom - top) / max(letter, 1.0)
        if tall > _TALLEST:
            if (top, bottom) != (0, height):  # a cut was made: look at this band again
                _cut(ink[top:bottom], x0, y0 + top, letter, depth + 1, out)
            continue
        if tall >= _LOWEST:
            inked = np.flatnonzero(ink[top:bottom].any(axis=0))
            out.append((x0 + int(inked[0]), y0 + top, x0 + int(inked[-1]) + 1, y0 + bottom))


def bands(image: Image.Image, words: list[Box], letter_px: float) -> list[Box]:
    """Boxes of ink no recognised word covers, each about one text line tall (``_LOWEST``..``_TALLEST``)."""
    ink = _ink(image)
    height, width = ink.shape
    for left, top, right, bottom in words:
        pad = round(_WORD_PAD * (bottom - top))
        ink[max(0, top - pad) : bottom + pad, max(0, left - pad) : right + pad] = False
    ink[:, : round(_EDGE * width)] = False
    ink[:, round((1 - _EDGE) * width) :] = False
    ink[: round(_EDGE * height)] = False
    ink[round((1 - _EDGE) * height) :] = False
    found: list[Box] = []
    _cut(ink, 0, 0, letter_px, 0, found)
    pad = round(0.4 * letter_px)
    padded = [(max(0, a - pad), max(0, b - pad), min(width, c + pad), min(height, d + pad)) for a, b, c, d in found]
    return sorted(padded, key=lambda box: (box[1], box[0]))[:_MAX_BANDS]


def assured_lines(pieces: list[Piece], words: list[Found]) -> list[Found]:
    """The words of the lines read with assurance, placed back on the page.

    ``words`` are as read on the sheet (``line`` = Tesseract's block and line numbers there); a line is
    kept when its words average ``LINE_MEAN``, none is under ``WORD_LEAST`` and it holds three letters.
    """
    by_line: dict[tuple[int, int], list[Found]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    kept: list[Found] = []
    for number, line in enumerate(by_line.values()):
        confs = [w.conf for w in line]
        letters = sum(ch.isalpha() for w in line for ch in w.text)
        if sum(confs) / len(confs) < LINE_MEAN or min(confs) < WORD_LEAST or letters < 3:
            continue
        middle = sum(w.top + w.height / 2 for w in line) / len(line)
        piece = next((p for p in pieces if p.holds(middle)), None)
        if piece is None:
            continue
        index = pieces.index(piece)
        for w in line:
            left, top = piece.to_page(w.left, w.top)
            kept.append(Found(w.text, w.conf, left, top, w.width, w.height, (index, number)))
    return kept
