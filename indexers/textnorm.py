"""Vietnamese text normalisation shared by extraction, checks and search.

- ``nfc``: Unicode NFC, with look-alikes mapped (Icelandic Ð/ð → Đ/đ).
- ``new_tone_style``: one canonical tone placement ("UỶ"/"ỦY", "HOÁ"/"HÓA" compare equal after it).
- ``fold``: diacritics removed, đ → d, lower case, whitespace collapsed: what search matches on.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_LOOKALIKES: Final = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"})
_SPACES: Final = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC, with Icelandic Ð and African Đ taken as Vietnamese Đ."""
    return unicodedata.normalize("NFC", text).translate(_LOOKALIKES)


def _tone_pattern() -> re.Pattern[str]:
    # A syllable-final pair only: a letter before the pair is allowed (h-oá), none after it.
    return re.compile(r"([oOuU])([áàảãạéèẻẽẹýỳỷỹỵÁÀẢÃẠÉÈẺẼẸÝỲỶỸỴ])(?![^\W\d_])")


_TONE_PAIR: Final = _tone_pattern()
_VALID_PAIRS: Final = {("o", "a"), ("o", "e"), ("u", "y")}


def new_tone_style(text: str) -> str:
    """Put the tone mark where the 'new' style puts it: hoá → hóa, uỷ → ủy, khoẻ → khỏe."""

    def repl(m: re.Match[str]) -> str:
        first, second = m.group(1), m.group(2)
        base2 = unicodedata.normalize("NFD", second)
        letter, marks = base2[0], base2[1:]
        if (first.lower(), letter.lower()) not in _VALID_PAIRS:
            return m.group(0)
        # "qu" + y is "quý": the u is part of the consonant, the tone stays on y.
        start = m.start(1)
        if start > 0 and m.string[start - 1] in "qQ":
            return m.group(0)
        return unicodedata.normalize("NFC", first + marks) + letter

    return _TONE_PAIR.sub(repl, nfc(text))


def canonical(text: str) -> str:
    """NFC, new tone style, single spaces, stripped: for comparing names as written."""
    return _SPACES.sub(" ", new_tone_style(text)).strip()


def fold(text: str) -> str:
    """Lower case without diacritics, đ → d, single spaces: 'Quyết định' → 'quyet dinh'."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def strip_diacritics(text: str) -> str:
    """The same letters without diacritics, case kept: 'Biên bản Đảng' → 'Bien ban Dang'."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
