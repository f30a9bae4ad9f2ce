"""The dossier filter and facet on every backend: a document counts in every dossier that holds it now.

A document is filed in its own dossier and may be linked into others; removed from its own dossier it is
held by none of them (unless linked). The index entry carries that list (``SearchDocument.dossier_ids``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from indexers.search.base import SearchIndex
from indexers.search.fts5 import Fts5SearchIndex
from schemas.search import SearchDocument, SearchQuery, SearchResult
from tests.search.conftest import IndexFactory

HOME, SECOND, THIRD = 41, 42, 43


def _doc(document_id: str, *, dossier_id: int, held: list[int], summary: str = "về công tác cán bộ") -> SearchDocument:
    return SearchDocument(
        document_id=document_id,
        office_id=1,
        dossier_id=dossier_id,
        dossier_ids=held,
        filename=f"{document_id}.pdf",
        text=f"Nghị quyết {summary}",
        document_type="NGHỊ QUYẾT",
        summary=summary,
        uploaded_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )


def _ids(index: SearchIndex, **filters: object) -> set[str]:
    result = index.search(SearchQuery(page_size=50, **filters))  # type: ignore[arg-type]
    return {h.document_id for h in result.hits}


def _dossier_facet(result: SearchResult) -> dict[object, int]:
    return dict(result.facets["dossier_id"])


def test_a_document_linked_into_a_second_dossier_is_found_and_counted_under_both(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert(
        [
            _doc("linked", dossier_id=HOME, held=[HOME, SECOND]),
            _doc("own-only", dossier_id=SECOND, held=[SECOND]),
        ]
    )
    assert _ids(index, dossier_id=HOME) == {"linked"}
    assert _ids(index, dossier_id=SECOND) == {"linked", "own-only"}
    result = index.search(SearchQuery())
    assert result.total == 2
    assert _dossier_facet(result) == {SECOND: 2, HOME: 1}
    hit = next(h for h in result.hits if h.document_id == "linked")
    assert hit.dossier_id == HOME and hit.dossier_ids == [HOME, SECOND]


def test_a_document_removed_from_its_dossier_is_in_no_dossier_filter_or_facet(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert([_doc("removed", dossier_id=HOME, held=[]), _doc("kept", dossier_id=HOME, held=[HOME])])
    assert _ids(index, dossier_id=HOME) == {"kept"}
    result = index.search(SearchQuery(q="cán bộ"))
    assert {h.document_id for h in result.hits} == {"removed", "kept"}  # still found by its words
    assert _dossier_facet(result) == {HOME: 1}
    removed = next(h for h in result.hits if h.document_id == "removed")
    assert removed.dossier_id == HOME and removed.dossier_ids == []


def test_indexing_a_document_again_replaces_the_dossiers_it_was_in(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert([_doc("moving", dossier_id=HOME, held=[HOME, SECOND])])
    index.upsert([_doc("moving", dossier_id=THIRD, held=[THIRD])])
    assert _ids(index, dossier_id=HOME) == _ids(index, dossier_id=SECOND) == set()
    assert _ids(index, dossier_id=THIRD) == {"moving"}
    assert _dossier_facet(index.search(SearchQuery())) == {THIRD: 1}


def test_a_rebuilt_index_keeps_every_dossier_of_each_document(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert([_doc("stale", dossier_id=HOME, held=[HOME])])
    count = index.reindex(iter([_doc("linked", dossier_id=HOME, held=[HOME, SECOND, THIRD])]))
    assert count == 1
    assert _ids(index, dossier_id=THIRD) == {"linked"}
    assert _dossier_facet(index.search(SearchQuery())) == {HOME: 1, SECOND: 1, THIRD: 1}


def test_the_dossier_filter_combines_with_the_words_and_other_filters(make_index: IndexFactory) -> None:
    index = make_index()
    index.upsert(
        [
            _doc("can-bo", dossier_id=HOME, held=[HOME, SECOND]),
            _doc("tai-chinh", dossier_id=HOME, held=[HOME, SECOND], summary="về quản lý tài chính"),
        ]
    )
    assert _ids(index, q="tai chinh", dossier_id=SECOND) == {"tai-chinh"}
    assert _ids(index, dossier_id=SECOND, office_ids=[2]) == set()


def test_an_entry_not_told_its_dossiers_is_held_by_its_own_dossier() -> None:
    told = _doc("x", dossier_id=HOME, held=[SECOND, HOME, SECOND])
    untold = SearchDocument(document_id="y", office_id=1, dossier_id=HOME, uploaded_at=told.uploaded_at)
    assert told.dossier_ids == [HOME, SECOND]  # one order, no repeats: the content hash is stable
    assert untold.dossier_ids == [HOME]
    assert told.content_hash() != _doc("x", dossier_id=HOME, held=[HOME]).content_hash()


def test_fts5_tables_of_the_older_layout_ask_for_a_rebuild_that_brings_them_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    index = Fts5SearchIndex(path)
    index.ensure_schema()
    assert index.schema_is_current()
    index.upsert([_doc("linked", dossier_id=HOME, held=[HOME, SECOND])])
    # The layout before dossier memberships: no search_dossiers, no layout mark.
    engine = index._engine  # noqa: SLF001 - the test plays an older version of this backend
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE search_dossiers"))
        conn.execute(text("DROP TABLE search_layout"))
    older = Fts5SearchIndex(engine)
    older.ensure_schema()
    assert not older.schema_is_current()
    older.reindex(iter([_doc("linked", dossier_id=HOME, held=[HOME, SECOND])]))
    assert older.schema_is_current()
    assert Fts5SearchIndex(engine).schema_is_current()
    assert _ids(older, dossier_id=SECOND) == {"linked"}
