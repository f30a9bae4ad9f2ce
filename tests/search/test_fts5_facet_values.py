"""The FTS5 backend counts facets from values each process holds in memory (``indexers.search.fts5_facets``).

Held values are right only while a rowid's values never change: these tests pin that rowids are never given
twice, that another process's writes and rebuilds are seen by the next search, and that the counts are those
SQL gives over the same hits (the path kept for tables without a generation).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from indexers.search.fts5 import Fts5SearchIndex
from indexers.search.fts5_query import hits_plan
from indexers.search.fts5_schema import HITS_TABLE
from indexers.search.querytext import parse_query
from schemas.search import FacetBucket, SearchDocument, SearchQuery, SecrecyLevel
from tests.search.corpus import CORPUS

QUERIES = (
    SearchQuery(max_secrecy=SecrecyLevel.TUYET_MAT),
    SearchQuery(q="quyết định", max_secrecy=SecrecyLevel.TUYET_MAT),
    SearchQuery(q="can bo", office_ids=[1]),
    SearchQuery(q="đào tạo", office_ids=[2], max_secrecy=SecrecyLevel.MAT),
    SearchQuery(q="kết luận", facet_size=1),
    SearchQuery(q="không có từ này ở đâu cả"),
)


def _index(path: Path, docs: list[SearchDocument] | None = None) -> Fts5SearchIndex:
    index = Fts5SearchIndex(path)
    index.ensure_schema()
    if docs:
        index.upsert(docs)
    return index


def _rowids(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {str(d): int(r) for d, r in conn.execute("SELECT document_id, doc_rowid FROM search_documents")}


def _in_sql(index: Fts5SearchIndex, query: SearchQuery) -> dict[str, list[FacetBucket]]:
    """The oracle: the facets SQL counts over the same hits (tables without a generation are counted so)."""
    with index._read() as conn:  # noqa: SLF001 - the same hits, counted the other way
        conn.exec_driver_sql("DROP TABLE IF EXISTS temp.search_hits")
        conn.exec_driver_sql(HITS_TABLE)
        plan = hits_plan(query, parse_query(query.q))
        for statement in plan.statements:
            conn.execute(text(statement), plan.params)
        return index._facets_in_sql(conn, query.facet_size)  # noqa: SLF001


@pytest.mark.parametrize("query", QUERIES, ids=[q.q or "all" for q in QUERIES])
def test_held_values_count_what_sql_counts(tmp_path: Path, query: SearchQuery) -> None:
    index = _index(tmp_path / "catalog.sqlite3", list(CORPUS))
    facets = index.search(query).facets
    assert facets == _in_sql(index, query)
    if query.q != "không có từ này ở đâu cả":
        assert any(facets.values()), "no bucket at all: the comparison would prove nothing"


def test_a_search_of_tables_with_a_generation_never_counts_in_sql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.sqlite3"
    reader = _index(path, list(CORPUS))
    writer = Fts5SearchIndex(path)

    def refused(*_args: object) -> None:
        raise AssertionError("counted in SQL: the held values were not used")

    query = SearchQuery(q="quyết định", max_secrecy=SecrecyLevel.TUYET_MAT)
    expected = _in_sql(reader, query)
    monkeypatch.setattr(reader, "_facets_in_sql", refused)
    assert reader.search(query).facets == expected
    writer.upsert([CORPUS[0].model_copy(update={"office_id": 7})])  # rows above what is held: loaded, not skipped
    facets = reader.search(SearchQuery(max_secrecy=SecrecyLevel.TUYET_MAT)).facets
    assert (7, 1) in facets["office_id"]


def test_a_rowid_is_never_given_twice(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    first, second, third = CORPUS[0], CORPUS[1], CORPUS[2]
    index = _index(path, [first, second])
    before = _rowids(path)
    index.delete([second.document_id])  # the highest rowid goes
    index.upsert([third])
    index.upsert([first.model_copy(update={"office_id": 2})])  # indexed again: a new rowid, never an old one
    after = _rowids(path)
    assert after[third.document_id] > before[second.document_id]
    assert after[first.document_id] > after[third.document_id]
    assert len(set(after.values())) == len(after)


def test_another_process_s_writes_are_counted_at_the_next_search(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    reader = _index(path, list(CORPUS))
    writer = Fts5SearchIndex(path)  # another process: its writes are not seen by reader's held values
    everything = SearchQuery(max_secrecy=SecrecyLevel.TUYET_MAT, facet_size=200)
    before = reader.search(everything).facets
    offices = dict(before["office_id"])
    assert "QUY CHẾ" not in dict(before["document_type"])
    moved = next(d for d in CORPUS if d.office_id == 1)
    gone = next(d for d in CORPUS if d.office_id == 2)
    writer.upsert([moved.model_copy(update={"office_id": 3, "document_type": "QUY CHẾ"})])
    writer.delete([gone.document_id])
    facets = reader.search(everything).facets
    assert dict(facets["office_id"]) == {1: offices[1] - 1, 2: offices[2] - 1, 3: 1}
    assert ("QUY CHẾ", 1) in facets["document_type"]
    assert facets == _in_sql(reader, everything)


def test_a_rebuild_by_another_process_is_counted_from_its_own_rows(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    reader = _index(path, list(CORPUS))
    everything = SearchQuery(max_secrecy=SecrecyLevel.TUYET_MAT, facet_size=200)
    reader.search(everything)  # the rows of the first generation are held
    rebuilt = [d.model_copy(update={"office_id": 9}) for d in reversed(CORPUS[:5])]  # the same rowids, others' values
    Fts5SearchIndex(path).reindex(iter(rebuilt))
    facets = reader.search(everything).facets
    assert dict(facets["office_id"]) == {9: 5}
    assert facets == _in_sql(reader, everything)


def test_an_older_file_without_a_generation_is_counted_in_sql_then_given_one(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    _index(path, list(CORPUS))
    with sqlite3.connect(path) as conn:  # as a file of the layout before search_meta
        conn.execute("DROP TABLE search_meta")
        conn.execute("CREATE TABLE search_meta (generation TEXT NOT NULL, last_rowid INTEGER NOT NULL)")
    query = SearchQuery(q="quyết định", max_secrecy=SecrecyLevel.TUYET_MAT)
    index = Fts5SearchIndex(path)
    expected = _in_sql(index, query)
    assert index.search(query).facets == expected  # no generation: counted in SQL
    index.ensure_schema()  # start-up gives it one, its high-water mark the highest rowid there is
    with sqlite3.connect(path) as conn:
        (last,) = conn.execute("SELECT last_rowid FROM search_meta").fetchone()
    assert last == max(_rowids(path).values())
    assert index.search(query).facets == expected
    index.upsert([CORPUS[0]])
    assert _rowids(path)[CORPUS[0].document_id] == last + 1


def test_counts_stay_those_of_each_search_s_own_snapshot_while_another_process_writes(tmp_path: Path) -> None:
    """Held and SQL counts compared inside one read transaction, while a writer re-indexes, deletes and rebuilds."""
    path = tmp_path / "catalog.sqlite3"
    reader = _index(path, list(CORPUS))
    writer = Fts5SearchIndex(path)
    stop = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            for round_ in range(10_000):
                if stop.is_set():
                    return
                doc = CORPUS[round_ % len(CORPUS)]
                if round_ % 7 == 3:
                    writer.delete([doc.document_id])
                elif round_ % 97 == 50:
                    writer.reindex(iter(d.model_copy(update={"office_id": 1 + round_ % 3}) for d in CORPUS))
                else:
                    writer.upsert([doc.model_copy(update={"office_id": 1 + round_ % 5, "year": 2000 + round_ % 9})])
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    try:
        query = SearchQuery(max_secrecy=SecrecyLevel.TUYET_MAT, facet_size=200)
        compared = 0
        while compared < 150 and thread.is_alive():
            with reader._read() as conn:  # noqa: SLF001 - both counts in one snapshot
                conn.exec_driver_sql("DROP TABLE IF EXISTS temp.search_hits")
                conn.exec_driver_sql(HITS_TABLE)
                plan = hits_plan(query, parse_query(query.q))
                for statement in plan.statements:
                    conn.execute(text(statement), plan.params)
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                held = reader._facet_values.counts(cursor, 200)  # noqa: SLF001 - never the SQL fallback here
                assert held is not None
                assert held == reader._facets_in_sql(conn, 200)  # noqa: SLF001
            compared += 1
    finally:
        stop.set()
        thread.join()
    assert not failures, failures
    assert compared >= 20, "the writer ended before the searches could be compared while it wrote"
