"""The ``SearchIndex`` interface every search backend implements, and its errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from schemas.search import SearchDocument, SearchQuery, SearchResult

DEFAULT_BATCH_SIZE = 500


class SearchError(Exception):
    """The search engine refused a request (a bad document or query): retrying will not help."""


class SearchUnavailable(SearchError):
    """The search engine cannot be reached or is overloaded; the caller may retry later (the outbox does)."""


@runtime_checkable
class SearchIndex(Protocol):
    """A derived, rebuildable index of ``SearchDocument``: one entry per document_id."""

    def ensure_schema(self) -> None:
        """Create the index (tables, or mapping and alias) if it does not exist yet."""
        ...

    def schema_is_current(self) -> bool:
        """False when the live index was built by an older layout: ``reindex`` brings it up to date."""
        ...

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        """Add or replace documents by document_id, in bulk."""
        ...

    def delete(self, document_ids: Sequence[str]) -> None:
        """Remove documents; ids that are not indexed are ignored."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of what the caller may see, with the total and facet counts."""
        ...

    def count(self) -> int:
        """How many documents are indexed."""
        ...

    def indexed_hashes(self) -> Mapping[str, str]:
        """document_id → the ``content_hash`` stored when it was indexed, for ``verify``."""
        ...

    def reindex(self, source: Iterable[SearchDocument], batch_size: int = DEFAULT_BATCH_SIZE) -> int:
        """Build a fresh index from ``source`` (streamed, never held whole), swap it in; return the count."""
        ...

    def ping(self) -> bool:
        """True when the engine answers."""
        ...
