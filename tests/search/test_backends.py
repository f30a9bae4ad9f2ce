"""What each backend owes its operators: where it keeps its data, and how it fails when its engine is gone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from sqlalchemy import create_engine, inspect, text

from indexers.search.base import SearchIndex, SearchUnavailable
from indexers.search.elastic import ElasticsearchSearchIndex, schema_version, to_source
from indexers.search.fts5 import Fts5SearchIndex
from indexers.search.snippet_builder import SNIPPET_SOURCE_CHARS
from schemas.search import SearchQuery, SecrecyLevel
from tests.backends import elasticsearch_url
from tests.search.corpus import CORPUS


@pytest.fixture
def es_client() -> Iterator[Elasticsearch]:
    client = Elasticsearch(elasticsearch_url())
    yield client
    client.close()


@pytest.fixture
def es_prefix(es_client: Elasticsearch) -> Iterator[str]:
    prefix = f"archive-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    es_client.indices.delete(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True)


def test_both_backends_implement_the_search_index_interface(tmp_path: Path) -> None:
    assert isinstance(Fts5SearchIndex(tmp_path / "c.sqlite3"), SearchIndex)
    assert isinstance(ElasticsearchSearchIndex(Elasticsearch("http://127.0.0.1:9")), SearchIndex)


def test_fts5_keeps_to_its_own_search_tables_in_the_catalog_file(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT)"))
        conn.execute(text("INSERT INTO documents VALUES (1, 'Nghị quyết')"))
    index = Fts5SearchIndex(engine)
    index.ensure_schema()
    index.reindex(iter(CORPUS))
    tables = set(inspect(engine).get_table_names())
    assert {t for t in tables if not t.startswith("search_")} == {"documents"}
    assert not any(t.endswith("_next") for t in tables)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT title FROM documents")).scalar_one() == "Nghị quyết"


def test_fts5_without_its_file_is_unavailable(tmp_path: Path) -> None:
    index = Fts5SearchIndex(tmp_path / "missing-dir" / "catalog.sqlite3")
    assert not index.ping()
    with pytest.raises(SearchUnavailable):
        index.search(SearchQuery(q="quyết định"))


def test_an_unreachable_elasticsearch_is_unavailable_not_a_crash() -> None:
    index = ElasticsearchSearchIndex(Elasticsearch("http://127.0.0.1:9", max_retries=0, request_timeout=2))
    assert not index.ping()
    with pytest.raises(SearchUnavailable):
        index.search(SearchQuery(q="quyết định"))
    with pytest.raises(SearchUnavailable):
        index.upsert(CORPUS[:2])


@pytest.mark.real
def test_elasticsearch_serves_through_an_alias_onto_one_versioned_index(
    es_client: Elasticsearch, es_prefix: str
) -> None:
    index = ElasticsearchSearchIndex(es_client, prefix=es_prefix, refresh=True)
    index.ensure_schema()
    index.ensure_schema()  # idempotent
    first = list(es_client.indices.get_alias(name=es_prefix).body)
    assert len(first) == 1 and first[0].startswith(f"{es_prefix}-v{schema_version()}-")
    index.upsert(CORPUS)
    index.reindex(iter(CORPUS))
    second = list(es_client.indices.get_alias(name=es_prefix).body)
    assert len(second) == 1 and second != first
    assert not es_client.indices.exists(index=first[0])
    assert index.count() == len(CORPUS)
    assert index.schema_is_current()


@pytest.mark.real
def test_elasticsearch_mapping_is_explicit_and_strict(es_client: Elasticsearch, es_prefix: str) -> None:
    index = ElasticsearchSearchIndex(es_client, prefix=es_prefix)
    index.ensure_schema()
    mapping = next(iter(es_client.indices.get_mapping(index=es_prefix).body.values()))["mappings"]
    assert mapping["dynamic"] == "strict"
    props = mapping["properties"]
    assert props["symbol_key"]["type"] == "keyword" and props["issued_on"]["type"] == "date"
    assert props["content_folded"]["type"] == "text" and props["document_type"]["type"] == "keyword"
    assert props["content_folded"]["index_phrases"] is True  # two-syllable phrases are single terms
    assert props["text"]["index"] is False  # searched through content / content_folded only


@pytest.mark.real
def test_a_long_text_is_searched_whole_but_only_its_beginning_travels_with_a_hit(
    es_client: Elasticsearch, es_prefix: str
) -> None:
    index = ElasticsearchSearchIndex(es_client, prefix=es_prefix, refresh=True)
    index.ensure_schema()
    filler = "Các cấp ủy tiếp tục quán triệt, triển khai thực hiện nghiêm túc. " * 3500  # ~230k characters
    doc = CORPUS[0].model_copy(update={"text": f"Mở đầu văn bản dài. {filler} Kết thúc: chuyển đổi số."})
    assert len(doc.text) > 2 * SNIPPET_SOURCE_CHARS
    assert len(to_source(doc)["text"]) == SNIPPET_SOURCE_CHARS and to_source(doc)["content"][0] == doc.text
    index.upsert([doc])
    tail = index.search(SearchQuery(q="chuyen doi so", max_secrecy=SecrecyLevel.TOI_MAT))
    assert [h.document_id for h in tail.hits] == [doc.document_id]  # found by words past the stored part
    head = index.search(SearchQuery(q="mở đầu", max_secrecy=SecrecyLevel.TOI_MAT))
    assert any("<mark>Mở</mark> <mark>đầu</mark>" in h for h in head.hits[0].highlights)
