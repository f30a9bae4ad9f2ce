"""The search index: one ``SearchIndex`` interface, on SQLite FTS5 (embedded) or Elasticsearch (production).

Vietnamese text is indexed as written and folded (``fold_chars``), so 'quyet dinh' finds 'Quyết định'
and an exact-diacritic match ranks first; số và ký hiệu is matched on a normalised ``symbol_key``.
"""

from indexers.search.base import DEFAULT_BATCH_SIZE, SearchError, SearchIndex, SearchUnavailable
from indexers.search.documents import build_search_document
from indexers.search.elastic import ElasticsearchSearchIndex
from indexers.search.fts5 import Fts5SearchIndex
from indexers.search.verify import IndexDrift, find_drift

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "ElasticsearchSearchIndex",
    "Fts5SearchIndex",
    "IndexDrift",
    "SearchError",
    "SearchIndex",
    "SearchUnavailable",
    "build_search_document",
    "find_drift",
]
