"""The search backend the settings name."""

from __future__ import annotations

from archive_service.config import SearchBackend, Settings
from indexers.search.base import SearchIndex


def make_search_index(settings: Settings) -> SearchIndex:
    """The search backend the settings name (FTS5 in its own SQLite file, or Elasticsearch)."""
    if settings.search_backend is SearchBackend.ELASTICSEARCH:
        from elasticsearch import Elasticsearch

        from indexers.search.elastic import ElasticsearchSearchIndex

        client = Elasticsearch(settings.es_url, request_timeout=30, retry_on_timeout=False, max_retries=1)
        return ElasticsearchSearchIndex(client, prefix=settings.es_index_prefix, refresh=settings.search_refresh)
    from indexers.search.fts5 import Fts5SearchIndex

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Fts5SearchIndex(settings.data_dir / "search.sqlite3")
