"""Automatic numbering of DOCX paragraphs (numbering.xml): the label Word prints before the text.

A paragraph is numbered by ``w:numPr`` (its own, or its style's): ``w:numId`` names a ``w:num``, which
points to a ``w:abstractNum`` whose ``w:lvl`` gives, per level, the format (decimal, letters, roman,
bullet), the label text with ``%1``…``%9`` standing for the counters, the start value and what follows
the label (a tab, a space, nothing). Counters run per ``w:num`` through the document; numbering a level
restarts the levels below it. Without this a list typed as a Word list — the "- Như trên," lines of a
Nơi nhận, the "1." "2." of a nghị quyết's articles — would lose its dashes and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from lxml import etree

from indexers.docx_styles import w, wattr

_MAX_LEVELS: Final = 9
_SUFFIX: Final = {"tab": "\t", "space": " ", "nothing": ""}
_ROMAN: Final = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


@dataclass(frozen=True)
class Level:
    """One ``w:lvl``: how its counter is written, where it starts, what follows the label."""

    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    suffix: str = "\t"


@dataclass
class _Instance:
    levels: dict[int, Level]
    counters: dict[int, int] = field(default_factory=dict)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _roman(n: int) -> str:
    out: list[str] = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz, aaa …
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _bullet(text: str) -> str:
    """Symbol/Wingdings bullets are private-use characters: the ASCII they stand for, else '•'."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if 0xF000 <= code <= 0xF0FF:
            base = code - 0xF000
            out.append(chr(base) if 0x21 <= base < 0x7F else "•")
        else:
            out.append(ch)
    return "".join(out)


def format_counter(fmt: str, n: int) -> str:
    """A counter as the level's format writes it (unknown formats as decimal)."""
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


def _read_level(lvl: etree._Element) -> Level:
    return Level(
        fmt=wattr(lvl.find(w("numFmt")), "val") or "decimal",
        text=wattr(lvl.find(w("lvlText")), "val") or "",
        start=_int(wattr(lvl.find(w("start")), "val"), 1),
        suffix=_SUFFIX.get(wattr(lvl.find(w("suff")), "val") or "tab", "\t"),
    )


class Numbering:
    """numbering.xml, and the counters of the lists met so far in reading order."""

    def __init__(self, root: etree._Element | None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._nums: dict[str, _Instance] = {}
        if root is None:
            return
        for abstract in root.iterchildren(w("abstractNum")):
            abstract_id = wattr(abstract, "abstractNumId")
            if abstract_id is not None:
                self._abstract[abstract_id] = {
                    _int(wattr(lvl, "ilvl"), 0): _read_level(lvl) for lvl in abstract.iterchildren(w("lvl"))
                }
        for num in root.iterchildren(w("num")):
            num_id = wattr(num, "numId")
            abstract_id = wattr(num.find(w("abstractNumId")), "val")
            if num_id is None or abstract_id not in self._abstract:
                continue
            levels = dict(self._abstract[str(abstract_id)])
            for override in num.iterchildren(w("lvlOverride")):
                ilvl = _int(wattr(override, "ilvl"), 0)
                lvl = override.find(w("lvl"))
                base = _read_level(lvl) if lvl is not None else levels.get(ilvl, Level())
                start = wattr(override.find(w("startOverride")), "val")
                levels[ilvl] = Level(base.fmt, base.text, _int(start, base.start), base.suffix)
            self._nums[num_id] = _Instance(levels)

    def label(self, num_id: str | None, ilvl: int | None) -> str:
        """Count one more paragraph of list ``num_id`` at level ``ilvl``; its label and what follows it."""
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return ""
        instance = self._nums[num_id]
        level_no = min(max(ilvl or 0, 0), _MAX_LEVELS - 1)
        level = instance.levels.get(level_no)
        if level is None:
            return ""
        counters = instance.counters
        counters[level_no] = counters[level_no] + 1 if level_no in counters else level.start
        for deeper in [k for k in counters if k > level_no]:
            del counters[deeper]
        if level.fmt == "bullet":
            text = _bullet(level.text)
        else:
            text = level.text
            for n in range(_MAX_LEVELS, 0, -1):  # %10 does not exist; %1 must not eat the 1 of %12
                placeholder = f"%{n}"
                if placeholder in text:
                    lvl = instance.levels.get(n - 1, Level())
                    value = counters.get(n - 1, lvl.start)
                    text = text.replace(placeholder, format_counter(lvl.fmt, value))
        return f"{text}{level.suffix}" if text else ""
