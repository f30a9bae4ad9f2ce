"""Snippets built from a hit's own text: the query's words and phrases marked, diacritics as written.

Used by both backends, so that a hit reads the same whichever engine found it: Elasticsearch no longer
asks the engine to highlight (a highlighter over the whole text of every hit cost more than the search
itself, about a third of p95 at 100k documents), and FTS5's ``snippet()`` can neither prefer neighbouring
words nor skip the header. The page's texts are already fetched, so marking them here costs a few hundred
microseconds per hit.

Two rules make a snippet say why the document was found. Words typed side by side ("nghị quyết") are
marked where they stand side by side in the text; their lone occurrences ("hội nghị … quyết định") are
marked only when the text never has them together. And the snippet comes from the body: the header of a
Party document (ĐẢNG CỘNG SẢN VIỆT NAM, the issuer, số, place and date, tên loại, trích yếu) is the same
boilerplate in every hit, and the trích yếu is shown on its own already.

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
_NEIGHBOUR_GAP: Final = re.compile(r"[\W_]{1,4}")  # what may stand between two words read as one
_HEADER_LINES: Final = 30  # the header of a document is looked for in its first lines only
_DATE_LINE: Final = re.compile(r"ngay\s+\S+\s+thang\s+\S+\s+nam", re.IGNORECASE)
_NUMBER_LINE: Final = re.compile(r"^(so|so va ky hieu)\s*[:\d]", re.IGNORECASE)
_NO_WORDS: Final = re.compile(r"^[\W_]*$")


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


def _window(text: str, matches: list[_Match], width: int, floor: int = 0) -> tuple[int, int]:
    """About ``width`` characters holding the most different terms (the earliest such), cut between words.

    The window starts no earlier than ``floor`` (the body's start, when its matches are the ones shown).
    """
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
    start = max(floor, first.start - _LEAD_CHARS)
    if start > floor:
        space = text.find(" ", start, first.start)
        start = space + 1 if space >= 0 else first.start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", first.end, end)
        end = space if space >= 0 else max(end, first.end)
    return start, end


def _squeezed(text: str) -> str:
    return " ".join(fold(text).split())


def _is_header_line(line: str, summary: str) -> bool:
    """A line of a Party document's header: capitals, số, place and date, rules and stars, the trích yếu."""
    folded = _squeezed(line)
    if not folded or _NO_WORDS.match(folded):
        return True
    letters = [ch for ch in line if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return True  # ĐẢNG CỘNG SẢN VIỆT NAM, TỈNH ỦY …, NGHỊ QUYẾT
    if _NUMBER_LINE.match(folded) or _DATE_LINE.search(folded):
        return True
    return bool(summary) and folded in summary


def body_start(text: str, summary: str | None = None) -> int:
    """Where the body of ``text`` begins: after its leading header lines (0 when it has none, or is all header)."""
    folded_summary = _squeezed(summary or "")
    pos = 0
    for _ in range(_HEADER_LINES):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if not _is_header_line(line, folded_summary):
            return pos
        if end < 0:
            return 0  # nothing but header: snippets may come from it
        pos = end + 1
    return pos


class Marker:
    """Marks one query's words and phrases in the texts of its hits (the pattern is built once)."""

    def __init__(self, parsed: ParsedQuery) -> None:
        terms = _terms(parsed)
        self._pattern = _pattern(terms) if terms else None
        index = {term: i for i, term in enumerate(terms)}
        self._pairs = {(index[(a,)], index[(b,)]) for a, b in parsed.neighbours if (a,) in index and (b,) in index}
        self._phrases = {i for i, term in enumerate(terms) if len(term) > 1}

    def _focused(self, text: str, matches: list[_Match]) -> list[_Match]:
        """The matches to mark: words typed side by side where they stand side by side, if they ever do."""
        if not self._pairs:
            return matches
        joined: set[int] = set()
        for i, (a, b) in enumerate(zip(matches, matches[1:], strict=False)):
            if (a.term, b.term) in self._pairs and _NEIGHBOUR_GAP.fullmatch(text, a.end, b.start):
                joined.update((i, i + 1))
        if not joined:
            return matches
        return [m for i, m in enumerate(matches) if i in joined or m.term in self._phrases]

    def _found(self, text: str) -> list[_Match]:
        assert self._pattern is not None
        return self._focused(text, _matches(self._pattern, text))

    def whole(self, text: str | None) -> str | None:
        """All of ``text`` (a trích yếu) with its matches marked, as safe HTML; None when nothing matched."""
        if not text or self._pattern is None:
            return None
        text = fast_nfc(text)
        matches = self._found(text)
        return to_html(_marked(text, matches, 0, len(text))) if matches else None

    def snippet(self, text: str | None, width: int = SNIPPET_CHARS, *, summary: str | None = None) -> str | None:
        """About ``width`` characters of ``text`` around its best cluster of matches, as safe HTML, or None.

        The cluster is looked for in the body (after the header and the trích yếu ``summary``) and taken from
        the header only when the body has no match.
        """
        if not text or self._pattern is None:
            return None
        text = fast_nfc(text)
        matches = self._found(text)
        if not matches:
            return None
        body = body_start(text, summary)
        in_body = [m for m in matches if m.start >= body]
        start, end = _window(text, in_body or matches, width, body if in_body else 0)
        return to_html(_marked(text, matches, start, end))
