"""A fresh, empty SearchIndex per backend: FTS5 in a tmp SQLite file, or a real Elasticsearch."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from indexers.search.base import SearchIndex
from indexers.search.elastic import ElasticsearchSearchIndex
from indexers.search.fts5 import Fts5SearchIndex
from tests.backends import elasticsearch_url
from tests.search.corpus import CORPUS

# Elasticsearch runs when ARCHIVE_TEST_ES_URL is set (e.g. http://127.0.0.1:9200); otherwise it is skipped
# with that reason, or fails the run under ARCHIVE_TEST_REQUIRE_REAL=1 (tests/backends.py).
BACKENDS = [
    pytest.param("fts5", id="fts5"),
    pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.real),
]

IndexFactory = Callable[[], SearchIndex]


@dataclass(frozen=True)
class EsSession:
    client: Elasticsearch
    prefix: str  # every index of this test session starts with it


@pytest.fixture(scope="session")
def es_session() -> Iterator[EsSession]:
    """One client for the session; every index and alias it made is deleted at the end."""
    session = EsSession(Elasticsearch(elasticsearch_url()), f"archive-test-{uuid.uuid4().hex[:8]}")
    yield session
    session.client.indices.delete(index=f"{session.prefix}-*", ignore_unavailable=True, allow_no_indices=True)
    session.client.close()


def _factory(request: pytest.FixtureRequest, tmp_path: Path) -> IndexFactory:
    backend = str(request.param)
    es = request.getfixturevalue("es_session") if backend == "elasticsearch" else None
    counter = iter(range(1_000_000))

    def make() -> SearchIndex:
        index: SearchIndex
        if es is None:
            index = Fts5SearchIndex(tmp_path / f"catalog-{next(counter)}.sqlite3")
        else:
            prefix = f"{es.prefix}-{uuid.uuid4().hex[:8]}"
            index = ElasticsearchSearchIndex(es.client, prefix=prefix, refresh=True)
        index.ensure_schema()
        return index

    return make


@pytest.fixture(params=BACKENDS)
def make_index(request: pytest.FixtureRequest, tmp_path: Path) -> IndexFactory:
    """Build fresh empty indexes of the parametrised backend."""
    return _factory(request, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """The corpus, indexed once per backend, for the tests that only read."""
    index = _factory(request, tmp_path_factory.mktemp("corpus"))()
    index.upsert(CORPUS)
    return index
