"""Geometry: positioned text chunks (PDF runs, OCR words) → visual lines in reading order.

Chunks on one baseline become a row; a row splits into segments where a wide gap separates them
(the two columns of the header and signature tables). Rows that belong to a two-column block are
read column by column, so "TỈNH ỦY …" and "ĐẢNG CỘNG SẢN VIỆT NAM" never interleave; a date line
that wrapped ("…, ngày 05 tháng 3" / "năm 2024") is joined again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from statistics import median
from typing import Final

from indexers.pdf_fonts import FontStyle
from schemas.parsed import Alignment, Region, Run, TextLine

_FONT_DIRS: Final = (
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/liberation2"),
)
_DATE_HEAD: Final = re.compile(r"ng[àa]y\b.*th[áa]ng\b", re.IGNORECASE)
_HAS_YEAR: Final = re.compile(r"n[ăa]m\s*\d{4}", re.IGNORECASE)
_STARTS_YEAR: Final = re.compile(r"^\s*n[ăa]m\b", re.IGNORECASE)
# A label after which a value was left blank on the line ("Số:      /TB-UBND", "ngày    tháng 01").
_BLANK_LABEL: Final = re.compile(r"(?:^|\s)(?:S[ốo]:?|ng[àa]y|th[áa]ng|n[ăa]m)\s*$", re.IGNORECASE)
_BLANK_SPAN: Final = 5.0  # a blank left for a value is at most this many font sizes wide
_NEIGHBOUR_ROWS: Final = 3.5  # rows this many font sizes above or below show where a column runs


@dataclass
class Chunk:
    """A stretch of text drawn at one place: x and baseline in points from the top-left corner."""

    text: str
    x: float
    baseline: float
    size: float
    font: str | None = None
    bold: bool = False
    italic: bool = False
    substitute_for: str | None = None
    width: float | None = None  # when the producer knows it (OCR boxes)
    stamped: bool = False  # a value the signing system stamped into a blank (a number, a day)
    gutter_before: bool = False  # OCR saw a column gutter before this chunk: it starts a new segment

    @property
    def end(self) -> float:
        if self.width is not None:
            return self.x + self.width
        return self.x + text_width(self.text, self.size, self.bold)

    @property
    def ink_end(self) -> float:
        """Where the last visible glyph ends: trailing spaces (a typed blank) print nothing."""
        if self.width is not None:
            return self.x + self.width
        return self.x + text_width(self.text.rstrip(), self.size, self.bold)


_STYLE_FIELDS: Final = tuple(name for name in Run.model_fields if name != "text")


def _same_style(a: Run, b: Run) -> bool:
    """Two runs that differ in their text only (one run when they touch)."""
    return all(getattr(a, name) == getattr(b, name) for name in _STYLE_FIELDS)


def drawn_chunks(text: str, *, x: float, y: float, size: float, style: FontStyle) -> list[Chunk]:
    """The chunks of one text-showing operation at (x, y) in points from the top-left: one per line of ``text``
    (a text object may hold line breaks, each next line 1.15 × the size lower), blank lines left out."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [
        Chunk(
            text=piece,
            x=x,
            baseline=y + k * size * 1.15,
            size=round(size, 2),
            font=style.family,
            bold=style.bold,
            italic=style.italic,
            substitute_for=style.substitute_for,
        )
        for k, piece in enumerate(lines)
        if piece.strip()
    ]


GlyphBox = tuple[float, float, float, float]  # left, top, right, bottom in points from the top-left


@dataclass
class _Segment:
    chunks: list[Chunk] = field(default_factory=list)
    measured_end: float | None = None  # from glyph boxes, when the producer has them
    blanks: set[int] = field(default_factory=set)  # chunk indexes preceded by a blank left for a value

    @property
    def x(self) -> float:
        return self.chunks[0].x

    @property
    def end(self) -> float:
        if self.measured_end is not None:
            return self.measured_end
        return max(c.end for c in self.chunks)

    @property
    def baseline(self) -> float:
        return self.chunks[0].baseline

    @property
    def size(self) -> float:
        return max(c.size for c in self.chunks)


@lru_cache(maxsize=8)
def _font(bold: bool) -> object | None:
    try:
        from PIL import ImageFont
    except ImportError:  # pragma: no cover - Pillow is a dependency; degrade to an estimate
        return None
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    for folder in _FONT_DIRS:
        candidate = folder / name
        if candidate.exists():
            return ImageFont.truetype(str(candidate), 1000)
    return None


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` set in a Times-metric font (Liberation Serif measures it)."""
    font = _font(bold)
    if font is None:
        return 0.5 * size * len(text)
    length = float(font.getlength(text))  # type: ignore[attr-defined]
    return length / 1000 * size


_TYPED_BLANK: Final = re.compile(r" {2,}")


def place_stamps(chunks: list[Chunk], stamps: list[Chunk]) -> list[Chunk]:
    """Put values stamped over a typed blank ("Số:          /UBND") into it, splitting the blank's chunk.

    The stamp is drawn over the spaces of the line's own text; split there, the line reads
    "Số:" + "507" + "/UBND" in order of position.
    """
    out = list(chunks)
    for stamp in stamps:
        stamp.stamped = True
        for k, chunk in enumerate(out):
            if chunk.width is not None or abs(chunk.baseline - stamp.baseline) > 0.45 * min(chunk.size, stamp.size):
                continue
            if not chunk.x < stamp.x < chunk.end:
                continue
            for m in _TYPED_BLANK.finditer(chunk.text):
                start = chunk.x + text_width(chunk.text[: m.start()], chunk.size, chunk.bold)
                end = chunk.x + text_width(chunk.text[: m.end()], chunk.size, chunk.bold)
                if start - 2 <= stamp.x <= end:
                    left = replace(chunk, text=chunk.text[: m.start()])
                    right = replace(chunk, text=chunk.text[m.end() :], x=end)
                    out[k : k + 1] = [c for c in (left, right) if c.text.strip()]
                    break
            else:
                continue
            break
        out.append(stamp)
    return out


def _rows(chunks: list[Chunk]) -> list[list[Chunk]]:
    rows: list[list[Chunk]] = []
    for chunk in sorted(chunks, key=lambda c: (c.baseline, c.x)):
        if rows:
            row = rows[-1]
            ref = median(c.baseline for c in row)
            close = abs(chunk.baseline - ref) <= 0.45 * min(chunk.size, min(c.size for c in row))
            # Two chunks one above the other (overlapping in x) are never one visual line.
            # A value stamped into a typed blank ("Số:          /UBND") lies over spaces only: not stacked.
            stacked = any(chunk.x < c.ink_end - 1 and c.x < chunk.ink_end - 1 for c in row)
            if close and not stacked:
                row.append(chunk)
                continue
        rows.append([chunk])
    return [sorted(row, key=lambda c: c.x) for row in rows]


def _segments(row: list[Chunk]) -> list[_Segment]:
    segments: list[_Segment] = []
    for chunk in row:
        if segments and not chunk.gutter_before:
            last = segments[-1]
            gap = chunk.x - last.end
            if gap <= max(1.2 * chunk.size, 14.0):
                last.chunks.append(chunk)
                continue
        segments.append(_Segment([chunk]))
    return segments


def _segment_text(segment: _Segment) -> tuple[str, list[Run]]:
    runs: list[Run] = []
    text = ""
    previous: Chunk | None = None
    for k, chunk in enumerate(segment.chunks):
        piece = chunk.text
        if k in segment.blanks and previous is not None:
            # Keep the blank visible as spaces, about one per quarter em, as a typed blank would be.
            width = max(5, min(20, round((chunk.x - previous.end) / (0.25 * chunk.size))))
            piece = " " * width + piece.lstrip()
            text = text.rstrip()
        joins = previous is not None and text and not text.endswith(" ") and not piece.startswith(" ")
        # A stamped number is followed by its symbol ("507" + "/UBND-KGVX"): the blank's width is no space.
        glued = previous is not None and previous.stamped and piece.startswith(("/", "-"))
        if joins and previous is not None and chunk.x - previous.end > 0.15 * chunk.size and not glued:
            piece = " " + piece
        text += piece
        run = Run(
            text=piece,
            font=chunk.font,
            size_pt=round(chunk.size, 1),
            bold=chunk.bold,
            italic=chunk.italic,
            font_substitute_for=chunk.substitute_for,
        )
        if runs and _same_style(runs[-1], run):
            runs[-1] = runs[-1].model_copy(update={"text": runs[-1].text + piece})
        else:
            runs.append(run)
        previous = chunk
    return text, runs


def _segment_plain(segment: _Segment) -> str:
    return "".join(c.text for c in segment.chunks)


def _covered(start: float, end: float, baseline: float, size: float, rows: list[list[_Segment]]) -> bool:
    """True when a neighbouring row has text running over [start, end]: the gap is not a column gutter."""
    for row in rows:
        if not row or abs(row[0].baseline - baseline) > _NEIGHBOUR_ROWS * size or row[0].baseline == baseline:
            continue
        if any(s.x <= start and s.end >= end for s in row):
            return True
    return False


def join_blanks(rows: list[list[_Segment]]) -> list[list[_Segment]]:
    """Join "Số: " with "/TB-UBND" and "…, ngày " with "tháng 01 năm 2025" across a blank.

    A number or a day left blank for the e-signature stamp leaves a gap wider than a word space, so
    the two halves come out as separate segments. They are one line when the gap is narrow, follows
    a label ("Số:", "ngày", "tháng") and lies inside the column: a row just above or below runs
    across it, which a gutter between the header columns never has.
    """
    out: list[list[_Segment]] = []
    for row in rows:
        merged: list[_Segment] = []
        for segment in row:
            if merged:
                last = merged[-1]
                gap = segment.x - last.end
                size = min(last.size, segment.size)
                if (
                    0 < gap <= _BLANK_SPAN * size
                    and _BLANK_LABEL.search(_segment_plain(last))
                    and _covered(last.end, segment.x, last.baseline, size, rows)
                ):
                    last.blanks.add(len(last.chunks))
                    last.chunks.extend(segment.chunks)
                    last.measured_end = segment.measured_end
                    continue
            merged.append(segment)
        out.append(merged)
    return out


def _alignment(segment: _Segment, left: float, right: float) -> Alignment:
    if right - left < 50:
        return Alignment.UNKNOWN
    start, end = segment.x - left, right - segment.end
    if abs(start - end) < 0.06 * (right - left) and start > 20:
        return Alignment.CENTER
    if start < 45 and end < 3:  # full measure, a first-line indent allowed
        return Alignment.JUSTIFY
    if start < 45:
        return Alignment.LEFT
    if end < 3:
        return Alignment.RIGHT
    return Alignment.UNKNOWN


def _order(rows: list[list[_Segment]]) -> list[_Segment]:
    """Reading order: two-column stretches column by column, everything else row by row."""
    out: list[_Segment] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if len(row) < 2:
            out.extend(row)
            i += 1
            continue
        left_end, right_x = row[0].end, row[1].x
        block = [row]
        j = i + 1
        last_baseline = row[0].baseline
        while j < len(rows):
            nxt = rows[j]
            size = max(s.size for s in nxt)
            if nxt[0].baseline - last_baseline > 7 * size:
                break
            if len(nxt) >= 2:
                left_end, right_x = max(left_end, nxt[0].end), min(right_x, nxt[1].x)
            elif nxt[0].x < right_x - 4 < nxt[0].end:
                break  # a line across both columns: the block is over
            block.append(nxt)
            last_baseline = nxt[0].baseline
            j += 1
        split = (min(left_end, right_x) + right_x) / 2
        out.extend(s for r in block for s in r if s.x < split)
        out.extend(s for r in block for s in r if s.x >= split)
        i = j
    return out


def _measure(row: list[_Segment], boxes: list[GlyphBox]) -> None:
    """Set each segment's true right edge from the glyph boxes on its baseline.

    A justified line is wider than its text set at natural width: word spacing stretches it.
    """
    for i, segment in enumerate(row):
        limit = row[i + 1].x - 1 if i + 1 < len(row) else float("inf")
        low, high = segment.baseline - segment.size, segment.baseline + 0.35 * segment.size
        end = segment.x
        for left, top, right, bottom in sorted(boxes):
            if not low <= (top + bottom) / 2 <= high or left < segment.x - 2 or right > limit:
                continue
            if left > end + max(segment.size, 12.0):
                break
            end = max(end, right)
        if end > segment.x:
            segment.measured_end = end


def build_lines(
    chunks: list[Chunk],
    *,
    page: int,
    page_height: float,
    first_index: int,
    boxes: list[GlyphBox] | None = None,
) -> list[TextLine]:
    """Visual lines of one page, in reading order, numbered from ``first_index``."""
    visible = [c for c in chunks if c.text.strip()]
    if not visible:
        return []
    rows = [_segments(r) for r in _rows(visible)]
    if boxes:
        for row in rows:
            _measure(row, boxes)
    rows = join_blanks(rows)
    ordered = _order(rows)
    body = [s for s in ordered if 0.06 * page_height < s.baseline < 0.95 * page_height] or ordered
    left = min(s.x for s in body)
    right = max(s.end for s in body)
    lines: list[TextLine] = []
    for segment in ordered:
        text, runs = _segment_text(segment)
        text = text.strip()
        if not text:
            continue
        region = Region.BODY
        if segment.baseline < 0.06 * page_height:
            region = Region.HEADER
        elif segment.baseline > 0.95 * page_height:
            region = Region.FOOTER
        lines.append(
            TextLine(
                text=text,
                page=page,
                index=first_index + len(lines),
                region=region,
                alignment=_alignment(segment, left, right),
                runs=runs,
                x_pt=round(segment.x, 1),
                y_pt=round(segment.baseline - 0.8 * segment.size, 1),
                width_pt=round(segment.end - segment.x, 1),
            )
        )
    return join_wrapped_dates(lines)


def join_wrapped_dates(lines: list[TextLine]) -> list[TextLine]:
    """Join "…, ngày 05 tháng 3" with a following "năm 2024" line (a wrapped date line)."""
    out: list[TextLine] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (
            nxt is not None
            and _DATE_HEAD.search(line.text)
            and not _HAS_YEAR.search(line.text)
            and _STARTS_YEAR.match(nxt.text)
        ):
            joined = line.text + " " + nxt.text
            runs = [*line.runs, Run(text=" "), *nxt.runs]
            out.append(line.model_copy(update={"text": joined, "runs": runs}))
            skip = True
        else:
            out.append(line)
    first = lines[0].index if lines else 0
    return [ln if ln.index == first + k else ln.model_copy(update={"index": first + k}) for k, ln in enumerate(out)]
