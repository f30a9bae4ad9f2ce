"""Snippets taken from the folded text, given back their diacritics and made safe for HTML.

The folded text has the same length as the original (``fold_chars``), so every character of a snippet
sits at the same offset in the original: the snippet is located in the folded text and its characters
are copied from the original, keeping the markers the engine inserted.
"""

from __future__ import annotations

import html
from typing import Final

OPEN: Final = "\x02"
CLOSE: Final = "\x03"
ELLIPSIS: Final = "\x04"
_MARKERS: Final = frozenset((OPEN, CLOSE, ELLIPSIS))


def restore(marked: str, folded: str, original: str) -> str:
    """``marked`` (a snippet of ``folded`` with markers) with the characters of ``original``."""
    plain = "".join(ch for ch in marked if ch not in _MARKERS)
    start = folded.find(plain)
    if start < 0 or len(original) != len(folded):
        return marked
    out: list[str] = []
    pos = start
    for ch in marked:
        if ch in _MARKERS:
            out.append(ch)
        else:
            out.append(original[pos])
            pos += 1
    return "".join(out)


def to_html(marked: str) -> str | None:
    """HTML with ``<mark>…</mark>`` around matches, or None when nothing in it matched."""
    if OPEN not in marked:
        return None
    escaped = html.escape(marked, quote=False)
    return escaped.replace(OPEN, "<mark>").replace(CLOSE, "</mark>").replace(ELLIPSIS, "…").strip()
