"""The issued-date period filter and the upload-date order, run on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime

from schemas.search import SearchQuery
from tests.search.conftest import IndexFactory
from tests.search.corpus import BY_ID

# issued 2021-05-17 … 2024-…; uploaded in the opposite order, one a day in January 2025.
PICKED = ["qd-981-nhan-su", "nq-05-dao-tao", "bc-12-lanh-dao", "bc-no-date"]


def _index(make_index: IndexFactory):  # type: ignore[no-untyped-def]
    index = make_index()
    docs = [
        BY_ID[doc_id].model_copy(update={"uploaded_at": datetime(2025, 1, 10 - i, 9, 0, tzinfo=UTC)})
        for i, doc_id in enumerate(PICKED)
    ]
    index.upsert(docs)
    return index, {d.document_id: d for d in docs}


def test_a_period_keeps_only_documents_issued_within_it_both_days_included(make_index: IndexFactory) -> None:
    index, docs = _index(make_index)
    day = docs["nq-05-dao-tao"].issued_on
    assert day is not None
    found = index.search(SearchQuery(issued_from=day, issued_to=day)).hits
    assert [h.document_id for h in found] == ["nq-05-dao-tao"]
    later = index.search(SearchQuery(issued_from=day, page_size=50)).hits
    expected = {i for i, d in docs.items() if d.issued_on and d.issued_on >= day}
    assert {h.document_id for h in later} == expected and "bc-no-date" not in expected
    earlier = index.search(SearchQuery(issued_to=date(1999, 12, 31))).total
    assert earlier == 0


def test_results_sort_by_upload_date_newest_or_oldest_first(make_index: IndexFactory) -> None:
    index, _ = _index(make_index)
    newest = index.search(SearchQuery(sort="-uploaded_at")).hits
    oldest = index.search(SearchQuery(sort="uploaded_at")).hits
    assert [h.document_id for h in newest] == PICKED
    assert [h.document_id for h in oldest] == list(reversed(PICKED))
    assert newest[0].uploaded_at == datetime(2025, 1, 10, 9, 0, tzinfo=UTC)


def test_words_and_a_period_combine(make_index: IndexFactory) -> None:
    index, docs = _index(make_index)
    day = docs["nq-05-dao-tao"].issued_on
    result = index.search(SearchQuery(q="đào tạo", issued_from=day, issued_to=day))
    assert [h.document_id for h in result.hits] == ["nq-05-dao-tao"] and result.total == 1
