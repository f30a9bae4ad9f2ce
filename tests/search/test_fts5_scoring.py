"""Scores and counts do not depend on what a caller may not see: the bonuses are scored on visible hits only.

The FTS5 backend scores the as-written and neighbouring-words bonuses only on the hits that passed the caller's
offices, clearance and filters (so that a narrow filter does not pay for every match in the catalog). These
tests pin that this is an optimisation and nothing else: a document scores the same whoever asks and whatever
is filtered, and totals and facets count only what the caller may see. Both backends must agree.
"""

from __future__ import annotations

import pytest

from indexers.search.base import SearchIndex
from schemas.search import SearchQuery, SecrecyLevel
from tests.search.corpus import CORPUS

# Marked words (as-written bonus), two loose words (neighbours bonus), three (NEAR bonus), a phrase, a symbol.
QUERIES = ("công tác đào tạo", "quyết định", "kinh tế xã hội", '"chuyển đổi số"', "981-QĐ/TU cán bộ")
_ALL = {"max_secrecy": SecrecyLevel.TUYET_MAT, "page_size": 200}


def _scores(index: SearchIndex, query: SearchQuery) -> dict[str, float]:
    return {hit.document_id: hit.score for hit in index.search(query).hits}


@pytest.mark.parametrize("q", QUERIES)
def test_a_hit_scores_the_same_whoever_asks(corpus_index: SearchIndex, q: str) -> None:
    everything = _scores(corpus_index, SearchQuery(q=q, **_ALL))
    assert everything, f"the corpus has no match for {q!r}: the test would prove nothing"
    narrowed = [
        SearchQuery(q=q, office_ids=[1], **_ALL),
        SearchQuery(q=q, office_ids=[2], **_ALL),
        SearchQuery(q=q, page_size=200),  # no clearance: secret documents left out
        SearchQuery(q=q, max_secrecy=SecrecyLevel.MAT, office_ids=[1], page_size=200),
    ]
    for query in narrowed:
        seen = _scores(corpus_index, query)
        assert set(seen) <= set(everything)
        for document_id, score in seen.items():
            assert score == pytest.approx(everything[document_id], rel=1e-5), (query, document_id)


@pytest.mark.parametrize("q", QUERIES)
def test_totals_and_facets_count_only_what_the_caller_may_see(corpus_index: SearchIndex, q: str) -> None:
    query = SearchQuery(q=q, office_ids=[1], max_secrecy=SecrecyLevel.NONE, page_size=200)
    result = corpus_index.search(query)
    visible = {d.document_id for d in CORPUS if d.office_id == 1 and d.secrecy <= SecrecyLevel.NONE} & set(
        _scores(corpus_index, SearchQuery(q=q, **_ALL))
    )
    assert {hit.document_id for hit in result.hits} == visible
    assert result.total == len(visible)
    assert sum(n for _, n in result.facets["office_id"]) == len(visible)
    assert all(value == 1 for value, _ in result.facets["office_id"])


def test_a_narrow_filter_keeps_the_order_of_the_whole(corpus_index: SearchIndex) -> None:
    q = "công tác cán bộ"
    whole = [hit.document_id for hit in corpus_index.search(SearchQuery(q=q, **_ALL)).hits]
    mine = [hit.document_id for hit in corpus_index.search(SearchQuery(q=q, office_ids=[1], **_ALL)).hits]
    in_office_1 = {d.document_id for d in CORPUS if d.office_id == 1}
    assert mine == [document_id for document_id in whole if document_id in in_office_1]
