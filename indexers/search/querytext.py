"""What a search box string means: words, "quoted phrases" and a possible số và ký hiệu.

Both backends read a query the same way: every word and every phrase must match (diacritics optional);
a document that also holds every word and phrase typed with diacritics exactly as written scores higher;
and a string that reads as a số và ký hiệu also matches the ``symbol_key`` of a document exactly
(a lone số matches every document with that number, whatever its ký hiệu).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from indexers.textnorm import fold, nfc

# Score = folded relevance + EXACT_WEIGHT × as-written relevance + PHRASE_WEIGHT × relevance of the query's
# neighbouring words found next to each other (+ SYMBOL_BOOST on a symbol_key match), on both backends.
EXACT_WEIGHT: Final = 2.0
# Most Vietnamese words are two syllables ("nghị quyết", "đào tạo"): a document where the syllables typed side
# by side stand side by side is about that word, one with "hội nghị … quyết định" is not.
PHRASE_WEIGHT: Final = 4.0
# Three or more loose words: a further bonus when all of them stand within this many words of each other.
NEAR_DISTANCE: Final = 3
SYMBOL_BOOST: Final = 100.0

_WORD: Final = re.compile(r"[^\W_]+")
_PHRASE: Final = re.compile(r'"([^"]*)"')
_DIGIT: Final = re.compile(r"\d")
# A số và ký hiệu written without spaces inside a longer query: "theo 981-QĐ/TU về …".
_SYMBOL_IN_TEXT: Final = re.compile(r"\d+[-/][^\s\"]+")


@dataclass(frozen=True)
class ParsedQuery:
    """Words and phrases as typed (NFC), each phrase a tuple of words, and the symbol key if any."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    symbol_key: str | None = None

    @property
    def marked_words(self) -> tuple[str, ...]:
        """The words typed with diacritics (or đ): only these earn the as-written bonus."""
        return tuple(w for w in self.words if _is_marked(w))

    @property
    def marked_phrases(self) -> tuple[tuple[str, ...], ...]:
        """The phrases with at least one word typed with diacritics."""
        return tuple(p for p in self.phrases if any(_is_marked(w) for w in p))

    @property
    def neighbours(self) -> tuple[tuple[str, str], ...]:
        """Each pair of loose words typed one after the other, folded: the two-syllable words of the query."""
        folded = [fold(w) for w in self.words]
        return tuple(dict.fromkeys(zip(folded, folded[1:], strict=False)))

    @property
    def number_prefix(self) -> str | None:
        """For a lone số ('981'): the symbol-key prefix of the documents so numbered ('981 ')."""
        key = self.symbol_key
        return f"{key} " if key is not None and key.isdigit() else None

    @property
    def is_empty(self) -> bool:
        """True when nothing searchable was typed: the query then lists documents by filters only."""
        return not self.words and not self.phrases and self.symbol_key is None


def _is_marked(word: str) -> bool:
    # A word typed without diacritics says nothing about them: 'dao' must not favour a literal 'dao'.
    return fold(word) != word.lower()


def words_of(text: str) -> list[str]:
    """The words of ``text`` as the indexes tokenise it: runs of letters and digits, NFC."""
    return _WORD.findall(nfc(text))


def symbol_key(symbol: str) -> str:
    """'981-QĐ/TU', '981 qd tu', '981/QĐ-TU' → '981 qd tu'; numbers lose leading zeros ('05' → '5')."""
    tokens = re.findall(r"[a-z0-9]+", fold(symbol))
    return " ".join(str(int(t)) if t.isdigit() else t for t in tokens)


def parse_query(q: str) -> ParsedQuery:
    """Split ``q`` into quoted phrases and loose words; compute a symbol key when ``q`` holds a number."""
    text = nfc(q)
    phrases = tuple(tuple(p) for p in (words_of(m) for m in _PHRASE.findall(text)) if p)
    loose = _PHRASE.sub(" ", text).replace('"', " ")
    words = tuple(dict.fromkeys(words_of(loose)))
    embedded = _SYMBOL_IN_TEXT.search(loose)
    key: str | None = None
    if embedded:
        key = symbol_key(embedded.group(0))
    elif _DIGIT.search(text):
        key = symbol_key(text)
    return ParsedQuery(words=words, phrases=phrases, symbol_key=key or None)
