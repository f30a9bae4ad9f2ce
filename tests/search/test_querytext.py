"""How a search box string is read, and how folded snippets get their diacritics back."""

from __future__ import annotations

import pytest

from indexers.search.folding import fold_chars
from indexers.search.querytext import parse_query, symbol_key
from indexers.search.snippets import CLOSE, OPEN, restore, to_html
from indexers.textnorm import fold


@pytest.mark.parametrize("spelling", ["981-QĐ/TU", "981-QD/TU", "981 QĐ TU", "981/QĐ-TU", " 981 – qđ / tu "])
def test_every_spelling_of_a_symbol_has_one_key(spelling: str) -> None:
    assert symbol_key(spelling) == "981 qd tu"


def test_a_symbol_key_ignores_leading_zeros_and_keeps_compound_codes() -> None:
    assert symbol_key("05-NQ/TW") == symbol_key("5-NQ/TW") == "5 nq tw"
    assert symbol_key("12-HD/BTCTU-BDVTU") == "12 hd btctu bdvtu"


def test_a_query_splits_into_words_phrases_and_a_symbol() -> None:
    parsed = parse_query('theo 981-QĐ/TU "đào tạo cán bộ" năm 2024')
    assert parsed.words == ("theo", "981", "QĐ", "TU", "năm", "2024")
    assert parsed.phrases == (("đào", "tạo", "cán", "bộ"),)
    assert parsed.symbol_key == "981 qd tu"


def test_a_query_without_a_number_has_no_symbol_and_punctuation_alone_is_empty() -> None:
    assert parse_query("Quyết định").symbol_key is None
    assert parse_query(' "" - / ').is_empty


def test_decomposed_input_reads_like_composed_input() -> None:
    decomposed = "Quye\u0302\u0301t đi\u0323nh"
    assert parse_query(decomposed).words == ("Quyết", "định")


def test_folding_keeps_the_length_so_offsets_map_back() -> None:
    text = "QUYẾT ĐỊNH về đào tạo, bồi dưỡng — Thanh Hoá; Ðảng (Icelandic Ð)"
    folded = fold_chars(text)
    assert len(folded) == len(text)
    assert folded.lower() == fold(text)


def test_a_folded_snippet_is_given_back_its_diacritics_and_escaped() -> None:
    original = "Nghị quyết về <đào tạo> & bồi dưỡng cán bộ"
    folded = fold_chars(original)
    marked = f"ve <{OPEN}dao{CLOSE} {OPEN}tao{CLOSE}> & boi"
    assert to_html(restore(marked, folded, original)) == "về &lt;<mark>đào</mark> <mark>tạo</mark>&gt; &amp; bồi"


def test_a_snippet_without_a_match_is_dropped() -> None:
    assert to_html("no marks here") is None
