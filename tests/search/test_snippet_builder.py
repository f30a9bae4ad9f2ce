"""Snippets built in Python for Elasticsearch hits: the right words marked, as written, safe, short."""

from __future__ import annotations

import unicodedata

import pytest

from indexers.search.base import SearchError, SearchUnavailable
from indexers.search.elastic import _answer
from indexers.search.querytext import parse_query
from indexers.search.snippet_builder import SNIPPET_CHARS, Marker


def best_snippet(text: str | None, q: str) -> str | None:
    return Marker(parse_query(q)).snippet(text)


def mark_whole(text: str | None, q: str) -> str | None:
    return Marker(parse_query(q)).whole(text)


FILLER = "Các cấp ủy tiếp tục quán triệt, triển khai thực hiện nghiêm túc các chủ trương của Trung ương. " * 6


def test_words_typed_without_diacritics_are_marked_as_written() -> None:
    snippet = best_snippet("Nghị quyết về ĐÀO TẠO, bồi dưỡng cán bộ", ("dao tao boi duong"))
    assert snippet == "Nghị quyết về <mark>ĐÀO</mark> <mark>TẠO</mark>, <mark>bồi</mark> <mark>dưỡng</mark> cán bộ"


def test_only_whole_words_are_marked() -> None:
    # 'dan' must not mark inside 'dang' nor 'Đảng' (folded 'dang').
    assert best_snippet("Đảng viên và nhân dân", ("dan")) == "Đảng viên và nhân <mark>dân</mark>"


def test_a_phrase_is_marked_whole_and_only_where_its_words_follow_each_other() -> None:
    text = "chính trị và lý luận; lý luận chính trị cho đảng viên"
    snippet = best_snippet(text, ('"ly luan chinh tri"'))
    assert snippet == "chính trị và lý luận; <mark>lý luận chính trị</mark> cho đảng viên"


def test_the_snippet_is_cut_between_words_around_the_best_cluster() -> None:
    text = FILLER + "Về công tác đào tạo, bồi dưỡng lý luận chính trị năm 2025. " + FILLER + " đào tạo"
    snippet = best_snippet(text, ("đào tạo bồi dưỡng"))
    assert snippet is not None and snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>bồi</mark> <mark>dưỡng</mark>" in snippet  # the window with every word, not the last 'đào tạo'
    plain = snippet.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert len(plain) <= SNIPPET_CHARS and plain in text and plain.split()[0] in text.split()


def test_markup_in_the_text_is_escaped() -> None:
    snippet = best_snippet("Hồ sơ <script>alert(1)</script> & lưu trữ", ("lưu trữ"))
    assert snippet == "Hồ sơ &lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>lưu</mark> <mark>trữ</mark>"


def test_nothing_matched_gives_no_snippet() -> None:
    assert best_snippet("Báo cáo tổng kết", ("nghị quyết")) is None
    assert best_snippet(None, ("nghị quyết")) is None
    assert mark_whole("về công tác cán bộ", ("kinh tế")) is None


def test_a_summary_is_marked_whole() -> None:
    summary = "về công tác đào tạo, bồi dưỡng cán bộ, công chức"
    assert mark_whole(summary, ("cong")) == (
        "về <mark>công</mark> tác đào tạo, bồi dưỡng cán bộ, <mark>công</mark> chức"
    )


def test_decomposed_text_is_composed_before_marking() -> None:
    text = unicodedata.normalize("NFD", "Quyết định về nhân sự")
    assert best_snippet(text, ("quyet dinh")) == "<mark>Quyết</mark> <mark>định</mark> về nhân sự"


def test_an_error_inside_a_multi_search_answer_is_raised() -> None:
    assert _answer({"hits": {}})["hits"] == {}
    with pytest.raises(SearchError, match="400"):
        _answer({"status": 400, "error": {"type": "search_phase_execution_exception", "reason": "bad query"}})
    with pytest.raises(SearchUnavailable):
        _answer({"status": 503, "error": {"reason": "all shards failed"}})
