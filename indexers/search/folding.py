"""Folding done in Python, identically for both backends, and kept to the same length as the text.

``fold_chars`` removes diacritics and maps đ → d character by character, so an offset in the folded
text is the same offset in the original: a snippet found in folded text maps back to the words as written.
It needs no analysis plugin on the search server (the Elasticsearch integ-test distribution has none).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from indexers.textnorm import nfc

_LOOKALIKES: Final = ("\u00d0", "\u00f0", "\u0189")  # the look-alikes textnorm.nfc maps to Đ/đ
_MARKS: Final = re.compile(r"[\u0300-\u036f]+")
# Latin-1 Supplement, Latin Extended-A/B, Latin Extended Additional (all precomposed Vietnamese letters).
_RANGES: Final = ((0x00C0, 0x0250), (0x1E00, 0x1F00))


def fast_nfc(text: str) -> str:
    """``textnorm.nfc`` without its per-character table when no look-alike is present (the usual case)."""
    if any(ch in text for ch in _LOOKALIKES):
        return nfc(text)
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for start, end in _RANGES:
        for code in range(start, end):
            decomposed = unicodedata.normalize("NFD", chr(code))
            base = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
            if len(base) == 1 and base != chr(code):
                table[code] = base
    return table


def fold_chars(text: str) -> str:
    """NFC text without diacritics, đ → d, case kept: 'Quyết định' → 'Quyet dinh'; as long as nfc(text)."""
    composed = fast_nfc(text)
    # Fast path: decompose and drop the combining marks, valid when it keeps one character per character.
    folded = _MARKS.sub("", unicodedata.normalize("NFD", composed)).replace("đ", "d").replace("Đ", "D")
    if len(folded) == len(composed):
        return folded
    return composed.translate(_table())


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    """Lower-case base letter → every lower-case letter that folds to it, itself first: 'd' → 'dđ'."""
    spellings: dict[str, list[str]] = {}
    for code, base in _table().items():
        letter = chr(code)
        if letter.islower():
            spellings.setdefault(base.lower(), [base.lower()]).append(letter)
    return {base: "".join(letters) for base, letters in spellings.items()}


@lru_cache(maxsize=4096)
def spelled_any_way(folded_word: str) -> str:
    """A regex (to use with re.IGNORECASE) matching ``folded_word`` written with any diacritics.

    'dao' → '[dđ][aàáảãạăằắẳẵặâầấẩẫậ][oòóỏõọôồốổỗộơờớởỡợ]' (with every other variant of each
    letter): matching the original text this way finds what matching its folded copy would.
    """
    spellings = _spellings()
    return "".join(f"[{spellings[ch]}]" if ch in spellings else re.escape(ch) for ch in folded_word)
