"""The SearchIndex contract, run on every backend: what an archivist sees when searching the archive."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date

import pytest

from indexers.search.base import SearchIndex
from indexers.search.verify import find_drift
from schemas.search import SearchDocument, SearchQuery, SearchResult, SecrecyLevel
from tests.search.conftest import IndexFactory
from tests.search.corpus import BY_ID, CORPUS, RELEVANCE, SECRET_IDS, TU, RelevanceCase

ALL = SecrecyLevel.TUYET_MAT


def ids(result: SearchResult) -> list[str]:
    return [hit.document_id for hit in result.hits]


def search(index: SearchIndex, q: str = "", **kwargs: object) -> SearchResult:
    return index.search(SearchQuery(q=q, page_size=50, **kwargs))  # type: ignore[arg-type]


def edited(doc: SearchDocument, **changes: object) -> SearchDocument:
    return doc.model_copy(update=changes)


@pytest.mark.parametrize("case", RELEVANCE, ids=[c.name for c in RELEVANCE])
def test_relevance_queries_return_their_expected_documents(corpus_index: SearchIndex, case: RelevanceCase) -> None:
    result = search(
        corpus_index,
        case.q,
        year=case.year,
        issuer=case.issuer,
        document_type=case.document_type,
        max_secrecy=case.max_secrecy,
    )
    found = ids(result)
    assert found[: len(case.top)] == list(case.top), found
    assert case.contains <= set(found), found
    assert not case.excludes & set(found), found
    assert result.total == len(found)


def test_words_typed_without_diacritics_find_documents_written_with_them(corpus_index: SearchIndex) -> None:
    with_marks = set(ids(search(corpus_index, "quyết định")))
    without = set(ids(search(corpus_index, "quyet dinh")))
    assert with_marks and with_marks <= without
    assert {"qd-981-nhan-su", "qd-1015-khen-thuong"} <= without


def test_an_exact_diacritic_match_ranks_above_a_folded_only_match(make_index: IndexFactory) -> None:
    # "chỉ đạo tạo" holds dao/tao side by side (folded) three times, but never "đào tạo" as written.
    index = make_index()
    folded_only = edited(
        BY_ID["bc-12-lanh-dao"],
        summary="kết quả công tác dân vận",
        text="Chỉ đạo tạo chuyển biến ở cơ sở; chỉ đạo tạo đồng thuận; chỉ đạo tạo niềm tin trong Nhân dân.",
    )
    exact = edited(BY_ID["nq-05-dao-tao"], summary="về công tác cán bộ", text="Nâng cao chất lượng đào tạo cán bộ.")
    index.upsert([folded_only, exact])
    folded = ids(search(index, "dao tao"))
    assert folded.index("bc-12-lanh-dao") < folded.index("nq-05-dao-tao"), "the pair does not discriminate"
    assert ids(search(index, "đào tạo")) == ["nq-05-dao-tao", "bc-12-lanh-dao"]


@pytest.mark.parametrize("spelling", ["981-QĐ/TU", "981-QD/TU", "981 QĐ TU", "981/QĐ-TU", "981-qđ/tu"])
def test_a_symbol_finds_its_document_first_however_it_is_typed(corpus_index: SearchIndex, spelling: str) -> None:
    assert ids(search(corpus_index, spelling))[0] == "qd-981-nhan-su"


def test_a_lone_number_finds_the_documents_so_numbered_first(corpus_index: SearchIndex) -> None:
    assert ids(search(corpus_index, "981"))[0] == "qd-981-nhan-su"
    assert set(ids(search(corpus_index, "05"))[:2]) == {"nq-05-dao-tao", "qd-05-xa-dao-tao"}


def test_a_symbol_with_a_leading_zero_finds_the_document(corpus_index: SearchIndex) -> None:
    assert ids(search(corpus_index, "5-NQ/TU"))[0] == "nq-05-dao-tao"


def test_hits_carry_highlights_with_diacritics_as_written(corpus_index: SearchIndex) -> None:
    hit = search(corpus_index, "dao tao boi duong").hits[0]
    assert hit.document_id == "nq-05-dao-tao"
    joined = " ".join(hit.highlights)
    assert "<mark>đào</mark>" in joined and "<mark>bồi</mark>" in joined
    assert hit.summary == BY_ID["nq-05-dao-tao"].summary and hit.symbol == "05-NQ/TU"


def test_highlights_are_escaped_html(make_index: IndexFactory) -> None:
    index = make_index()
    doc = edited(BY_ID["kh-88-so-hoa"], text="Hồ sơ <script>alert(1)</script> số hóa & lưu trữ")
    index.upsert([doc])
    joined = " ".join(search(index, "lưu trữ").hits[0].highlights)
    assert "<script>" not in joined and "&lt;script&gt;" in joined and "<mark>" in joined


def test_filters_by_issuer_and_year_narrow_the_results(corpus_index: SearchIndex) -> None:
    result = search(corpus_index, "", issuer=TU, year=2022)
    assert set(ids(result)) == {"bc-30-kinh-te-xa-hoi"}
    result = search(corpus_index, "", issuer_code="BTCTU")
    assert set(ids(result)) == {"hd-08-phat-trien-dang-vien", "ttr-17-bien-che", "hd-11-dao-tao-ly-luan"}


def test_filters_by_dossier_status_and_finding_code(corpus_index: SearchIndex) -> None:
    assert set(ids(search(corpus_index, dossier_id=14))) == {"tb-215-ket-luan-hoi-nghi", "bb-hoi-nghi-quy-1"}
    assert set(ids(search(corpus_index, validation_status="error"))) == {"qd-220-quy-che", "bc-55-kiem-tra"}
    by_code = set(ids(search(corpus_index, finding_code="FMT-DATE-FORMAT")))
    assert by_code == {"ct-07-chuyen-doi-so", "bc-55-kiem-tra", "tb-33-ky-luat"}


def test_facets_count_every_match_not_only_the_page(corpus_index: SearchIndex) -> None:
    result = corpus_index.search(SearchQuery(q="", page_size=2, max_secrecy=ALL))
    visible = CORPUS
    assert result.total == len(visible) and len(result.hits) == 2
    types = dict(result.facets["document_type"])
    assert types["QUYẾT ĐỊNH"] == sum(d.document_type == "QUYẾT ĐỊNH" for d in visible)
    assert dict(result.facets["office_id"]) == {1: 25, 2: 5}
    assert dict(result.facets["finding_codes"])["FMT-DATE-FORMAT"] == 3
    assert dict(result.facets["validation_status"])["error"] == 2
    assert dict(result.facets["year"])[2024] == sum(d.year == 2024 for d in visible)
    assert dict(result.facets["dossier_id"])[11] == 2
    assert dict(result.facets["issuer"])[TU] == sum(d.issuer == TU for d in visible)
    counts = [count for _, count in result.facets["document_type"]]
    assert counts == sorted(counts, reverse=True)


def test_facets_follow_the_query_and_filters(corpus_index: SearchIndex) -> None:
    result = search(corpus_index, "quyet dinh", office_ids=[2])
    assert dict(result.facets["office_id"]) == {2: result.total}


def test_pages_split_the_results_without_overlap(corpus_index: SearchIndex) -> None:
    seen: list[str] = []
    for page in (1, 2, 3, 4):
        result = corpus_index.search(SearchQuery(q="", page=page, page_size=7, sort="-issued_on"))
        assert result.total == len(CORPUS) - len(SECRET_IDS)
        seen += ids(result)
    assert len(seen) == len(set(seen)) == len(CORPUS) - len(SECRET_IDS)


def test_sorting_by_issue_date_puts_undated_documents_last(corpus_index: SearchIndex) -> None:
    newest = corpus_index.search(SearchQuery(q="", sort="-issued_on", page_size=100))
    oldest = corpus_index.search(SearchQuery(q="", sort="issued_on", page_size=100))
    dates = [h.issued_on for h in newest.hits if h.issued_on]
    assert dates == sorted(dates, reverse=True)
    assert newest.hits[-1].document_id == oldest.hits[-1].document_id == "bc-no-date"
    assert [h.issued_on for h in oldest.hits][0] == date(2021, 5, 17)


def test_a_secret_document_is_never_shown_to_a_caller_without_clearance(corpus_index: SearchIndex) -> None:
    for q in ("", "phòng thủ", "3344-QĐ/TU", "bí mật nhà nước", "nhân sự"):
        result = search(corpus_index, q)
        assert not SECRET_IDS & set(ids(result)), q
    result = search(corpus_index, "")
    assert dict(result.facets["dossier_id"]).get(15) is None
    assert sum(count for _, count in result.facets["office_id"]) == len(CORPUS) - len(SECRET_IDS)
    assert dict(result.facets["office_id"]) == {1: 23, 2: 4}


def test_clearance_opens_exactly_the_levels_it_covers(corpus_index: SearchIndex) -> None:
    assert SECRET_IDS & set(ids(search(corpus_index, "", max_secrecy=SecrecyLevel.MAT))) == {
        "qd-3344-quoc-phong",
        "tb-22-xa-mat",
    }
    assert set(ids(search(corpus_index, "", max_secrecy=SecrecyLevel.TOI_MAT))) >= SECRET_IDS


def test_office_filter_keeps_a_reader_to_the_offices_granted(corpus_index: SearchIndex) -> None:
    found = ids(search(corpus_index, "đảng ủy", office_ids=[2]))
    assert found and all(BY_ID[i].office_id == 2 for i in found)
    assert search(corpus_index, "", office_ids=[]).total == 0
    assert search(corpus_index, "", office_ids=[1, 2]).total == len(CORPUS) - len(SECRET_IDS)


def test_a_deleted_document_is_no_longer_found(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert(CORPUS)
    index.delete(["qd-981-nhan-su", "not-indexed"])
    assert "qd-981-nhan-su" not in ids(search(index, "981-QĐ/TU"))
    assert index.count() == len(CORPUS) - 1


def test_upserting_the_same_document_twice_keeps_one_entry(make_index: IndexFactory) -> None:
    index = make_index()
    doc = BY_ID["kl-45-kinh-te-tap-the"]
    index.upsert([doc])
    index.upsert([doc, doc])
    changed = edited(doc, summary="về phát triển hợp tác xã kiểu mới", finding_codes=["FMT-X"])
    index.upsert([changed])
    assert index.count() == 1
    assert search(index, "kinh tế tập thể hợp tác xã").total == 1
    result = search(index, "kiểu mới")
    assert ids(result) == [doc.document_id]
    assert dict(result.facets["finding_codes"]) == {"FMT-X": 1}
    assert search(index, "", finding_code="FMT-X").total == 1


def test_verify_finds_documents_missing_stale_and_orphaned(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert(CORPUS[:10])
    catalog = [edited(d, summary="sửa trích yếu") if i == 3 else d for i, d in enumerate(CORPUS[:12])]
    drift = find_drift(((d.document_id, d.content_hash()) for d in catalog[1:]), index.indexed_hashes())
    assert drift.missing == sorted(d.document_id for d in CORPUS[10:12])
    assert drift.stale == [CORPUS[3].document_id]
    assert drift.orphaned == [CORPUS[0].document_id]
    index.upsert(catalog[1:])
    index.delete([CORPUS[0].document_id])
    assert find_drift(((d.document_id, d.content_hash()) for d in catalog[1:]), index.indexed_hashes()).clean


def test_reindex_swaps_in_a_fresh_index_without_a_failed_search(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert(CORPUS)
    index.upsert([edited(CORPUS[0], document_id="gone-after-reindex")])
    errors: list[BaseException] = []
    totals: list[int] = []
    done = threading.Event()

    def keep_searching() -> None:
        while not done.is_set():
            try:
                totals.append(search(index, "quyet dinh", max_secrecy=ALL).total)
            except BaseException as exc:  # noqa: BLE001 - any failure during the swap is the finding
                errors.append(exc)

    def source() -> Iterator[SearchDocument]:
        for i in range(20):  # several batches: the whole corpus, then more copies
            if i == 10:  # half-way, let searches run against the old index while the new one loads
                deadline = time.monotonic() + 10
                while len(totals) < 3 and time.monotonic() < deadline:
                    time.sleep(0.01)
            for doc in CORPUS:
                yield doc if i == 0 else edited(doc, document_id=f"{doc.document_id}-copy-{i}")

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        indexed = index.reindex(source(), batch_size=97)
    finally:
        done.set()
        searcher.join()
    assert not errors, errors[:3]
    assert len(totals) >= 3
    assert set(totals) <= {search(index, "quyet dinh", max_secrecy=ALL).total, *totals[:1]}
    assert indexed == 20 * len(CORPUS) == index.count()
    assert "gone-after-reindex" not in index.indexed_hashes()
    assert ids(search(index, "981-QĐ/TU"))[0] == "qd-981-nhan-su"


def test_reindex_can_run_again_on_a_reindexed_index(make_index: IndexFactory) -> None:
    index = make_index()
    assert index.reindex(iter(CORPUS[:5])) == 5
    assert index.reindex(iter(CORPUS[5:8]), batch_size=2) == 3
    assert index.count() == 3
    index.upsert([CORPUS[0]])
    assert index.count() == 4


def test_an_empty_index_answers_and_pings(make_index: IndexFactory) -> None:
    index = make_index()
    assert index.ping()
    result = search(index, "quyết định")
    assert result.total == 0 and result.hits == []
    assert index.count() == 0 and dict(index.indexed_hashes()) == {}


def test_a_failed_reindex_leaves_the_live_index_serving(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert(CORPUS)

    def broken_source() -> Iterator[SearchDocument]:
        yield from CORPUS[:5]
        raise RuntimeError("catalog read failed")

    with pytest.raises(RuntimeError):
        index.reindex(broken_source(), batch_size=2)
    assert index.count() == len(CORPUS)
    assert ids(search(index, "981-QĐ/TU"))[0] == "qd-981-nhan-su"
    assert index.reindex(iter(CORPUS[:3])) == 3
    assert index.count() == 3
