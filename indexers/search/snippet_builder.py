"""Snippets built from a hit's own text: the query's words and phrases marked, diacritics as written.

Used by the Elasticsearch backend, which no longer asks the engine to highlight: a highlighter over
the whole text of every hit cost more than the search itself (about a third of p95 at 100k documents).
The page's texts are already fetched, so marking them here costs a few hundred microseconds per hit.

Matching mirrors the index: words are runs of letters and digits, compared folded (no diacritics,
đ → d, any case), a phrase is consecutive words. The text itself is searched, each letter of a query
word standing for every letter that folds to it (``spelled_any_way``): no folded copy is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Final

from indexers.search.folding import fast_nfc, spelled_any_way
from indexers.search.querytext import ParsedQuery
from indexers.search.snippets import CLOSE, ELLIPSIS, OPEN, to_html
from indexers.textnorm import fold

SNIPPET_CHARS: Final = 160
_LEAD_CHARS: Final = 40  # context shown before the first match of a snippet
_MAX_MATCHES: Final = 500  # a text with more is scanned on its first ones for the best window
SNIPPET_SOURCE_CHARS: Final = 100_000  # a longer text is snippeted from its beginning (about 30 pages)
_BETWEEN_WORDS: Final = r"[\W_]+"


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    term: int  # which word or phrase of the query


def _terms(parsed: ParsedQuery) -> list[tuple[str, ...]]:
    """The query's words and phrases as folded word tuples, longest first (a phrase wins over its words)."""
    terms = [tuple(fold(w) for w in phrase) for phrase in parsed.phrases]
    terms += [(fold(w),) for w in parsed.words]
    unique = [t for t in dict.fromkeys(terms) if all(t)]
    return sorted(unique, key=len, reverse=True)


def _pattern(terms: list[tuple[str, ...]]) -> re.Pattern[str]:
    """Whole words only; a phrase's words separated by anything that is not a letter or digit."""
    alternatives = (_BETWEEN_WORDS.join(spelled_any_way(w) for w in term) for term in terms)
    groups = "|".join(f"(?P<t{i}>{alt})" for i, alt in enumerate(alternatives))
    return re.compile(f"(?<![^\\W_])(?:{groups})(?![^\\W_])", re.IGNORECASE)


def _matches(pattern: re.Pattern[str], text: str) -> list[_Match]:
    """Non-overlapping matches in ``text`` (its first SNIPPET_SOURCE_CHARS), in text order."""
    found: list[_Match] = []
    for m in pattern.finditer(text, 0, SNIPPET_SOURCE_CHARS):
        found.append(_Match(m.start(), m.end(), int(str(m.lastgroup)[1:])))
        if len(found) >= _MAX_MATCHES:
            break
    return found


def _marked(text: str, matches: list[_Match], start: int, end: int) -> str:
    """``text[start:end]`` with OPEN/CLOSE around the matches inside it, ELLIPSIS where it was cut."""
    out: list[str] = [ELLIPSIS] if start > 0 else []
    pos = start
    for m in matches:
        if m.start < start or m.end > end:
            continue
        out += [text[pos : m.start], OPEN, text[m.start : m.end], CLOSE]
        pos = m.end
    out.append(text[pos:end])
    if end < len(text):
        out.append(ELLIPSIS)
    return "".join(out)


def _window(text: str, matches: list[_Match], width: int) -> tuple[int, int]:
    """About ``width`` characters holding the most different terms (the earliest such), cut between words."""
    best_count, best = -1, 0
    for i, first in enumerate(matches):
        end = max(0, first.start - _LEAD_CHARS) + width
        # Matches are in text order and do not overlap: the window's are the run that ends before ``end``.
        terms: set[int] = set()
        for m in islice(matches, i, None):
            if m.end > end:
                break
            terms.add(m.term)
        count = len(terms)
        if count > best_count:
            best_count, best = count, i
    first = matches[best]
    start = max(0, first.start - _LEAD_CHARS)
    if start > 0:
        space = text.find(" ", start, first.start)
        start = space + 1 if space >= 0 else first.start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", first.end, end)
        end = space if space >= 0 else max(end, first.end)
    return start, end


class Marker:
    """Marks one query's words and phrases in the texts of its hits (the pattern is built once)."""

    def __init__(self, parsed: ParsedQuery) -> None:
        terms = _terms(parsed)
        self._pattern = _pattern(terms) if terms else None

    def whole(self, text: str | None) -> str | None:
        """All of ``text`` (a trích yếu) with every match marked, as safe HTML; None when nothing matched."""
        if not text or self._pattern is None:
            return None
        text = fast_nfc(text)
        matches = _matches(self._pattern, text)
        return to_html(_marked(text, matches, 0, len(text))) if matches else None

    def snippet(self, text: str | None, width: int = SNIPPET_CHARS) -> str | None:
        """About ``width`` characters of ``text`` around its best cluster of matches, as safe HTML, or None."""
        if not text or self._pattern is None:
            return None
        text = fast_nfc(text)
        matches = _matches(self._pattern, text)
        if not matches:
            return None
        start, end = _window(text, matches, width)
        return to_html(_marked(text, matches, start, end))
