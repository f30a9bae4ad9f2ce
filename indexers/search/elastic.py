"""``SearchIndex`` on Elasticsearch: a versioned index behind an alias, swapped atomically on reindex."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from indexers.search.base import DEFAULT_BATCH_SIZE, SearchError, SearchUnavailable
from indexers.search.batching import last_per_id
from indexers.search.es_query import msearch_lines
from indexers.search.folding import fast_nfc as nfc
from indexers.search.folding import fold_chars
from indexers.search.querytext import parse_query, symbol_key
from indexers.search.snippet_builder import SNIPPET_SOURCE_CHARS, Marker
from schemas.search import FACET_FIELDS, FacetBucket, SearchDocument, SearchHit, SearchQuery, SearchResult

_MAPPING_FILE: Final = Path(__file__).with_name("es_mapping.json")
# The fields one word may be found in, in the order their values are given to content / content_folded.
_CONTENT: Final = ("text", "summary", "document_type", "issuer", "symbol")
BULK_IN_FLIGHT: Final = 2  # bulk requests sent at once by reindex: Python prepares one while the server indexes
_UNAVAILABLE_STATUS: Final = frozenset({408, 429, 502, 503, 504})
# Mapped as keywords (terms aggregations on global ordinals are faster than on numbers): read back as int.
_NUMERIC_FACETS: Final = frozenset({"office_id", "year", "dossier_id"})


@lru_cache(maxsize=1)
def _mapping_file() -> dict[str, Any]:
    definition: dict[str, Any] = json.loads(_MAPPING_FILE.read_text(encoding="utf-8"))
    return definition


def index_definition(*, shards: int | None = None, replicas: int | None = None) -> dict[str, Any]:
    """Settings and mappings of a new index (``es_mapping.json``), with the cluster's shards and replicas.

    ``None`` keeps the file's value (one shard; replicas expanding from 0 to 1 as nodes join). Neither is part
    of the mapping version: an index built with other numbers still serves, and ``reindex`` builds the next one
    with these.
    """
    definition = copy.deepcopy(_mapping_file())
    index = definition["settings"].setdefault("index", {})
    if shards is not None:
        index["number_of_shards"] = shards
    if replicas is not None:
        index.pop("auto_expand_replicas", None)  # it would override the fixed number
        index["number_of_replicas"] = replicas
    return definition


def schema_version() -> int:
    """The mapping version, part of every index name: a new version means a reindex."""
    return int(_mapping_file()["mappings"]["_meta"]["schema_version"])


def to_source(doc: SearchDocument) -> dict[str, Any]:
    """The indexed JSON of one document: its fields (NFC), the content in both forms, symbol key and hash.

    ``content`` and ``content_folded`` (not kept in ``_source``) hold one value per field of ``_CONTENT``:
    a phrase never runs from one field into the next (the position gap between values).
    """
    source = doc.model_dump(mode="json")
    text = nfc(doc.text)
    # Kept only for snippets (searching uses content; the catalog has the whole text): a hit's page never
    # carries more than the part a snippet is looked for in.
    source["text"] = text[:SNIPPET_SOURCE_CHARS]
    source["summary"] = nfc(doc.summary) if doc.summary else None
    whole = {**source, "text": text}
    content = [nfc(whole[name]) for name in _CONTENT if whole[name]]
    source["content"] = content
    source["content_folded"] = [fold_chars(v) for v in content]
    title = " ".join(v for v in (doc.document_type, doc.summary) if v)
    source["title_folded"] = fold_chars(title) if title else None
    source["symbol_key"] = symbol_key(doc.symbol) if doc.symbol else None
    source["content_hash"] = doc.content_hash()
    return source


def _buckets(name: str, raw: Sequence[Mapping[str, Any]]) -> list[FacetBucket]:
    """Terms buckets as (value, count), numbers as numbers, most frequent first then by value."""
    numeric = name in _NUMERIC_FACETS
    buckets: list[FacetBucket] = [(int(b["key"]) if numeric else b["key"], int(b["doc_count"])) for b in raw]
    return sorted(buckets, key=lambda b: (-b[1], b[0]))


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Connection failures and overload become SearchUnavailable; other refusals SearchError."""
    try:
        yield
    except helpers.BulkIndexError as exc:
        raise SearchError(f"{len(exc.errors)} document(s) refused: {exc.errors[:3]}") from exc
    except ApiError as exc:
        if exc.meta.status in _UNAVAILABLE_STATUS or exc.meta.status >= 500:
            raise SearchUnavailable(f"Elasticsearch unavailable: {exc}") from exc
        raise SearchError(f"Elasticsearch refused the request: {exc}") from exc
    except TransportError as exc:
        raise SearchUnavailable(f"Elasticsearch unreachable: {exc}") from exc


class ElasticsearchSearchIndex:
    """Documents in ``{prefix}-v{N}-{timestamp}`` indexes, read and written through the alias ``prefix``."""

    def __init__(
        self,
        client: Elasticsearch,
        *,
        prefix: str = "archive-documents",
        refresh: bool = False,
        shards: int | None = None,
        replicas: int | None = None,
    ) -> None:
        """``refresh=True`` makes each write searchable at once (tests); production leaves it off.

        ``shards`` and ``replicas``: of every index this creates (``None``: the mapping file's, 1 and 0).
        """
        self._client = client
        self._definition = index_definition(shards=shards, replicas=replicas)
        self.alias = prefix
        self._refresh = refresh
        self._current = False  # once the alias is seen on this mapping version it stays there

    def new_index_name(self) -> str:
        """A fresh versioned name: ``archive-documents-v1-20250106083000123456``."""
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-v{schema_version()}-{stamp}"

    def schema_is_current(self) -> bool:
        """False when the alias serves an index built with an older mapping (or none): time for a reindex."""
        if not self._current:
            with _engine_errors():
                targets = self._alias_targets()
            self._current = bool(targets) and all(t.startswith(f"{self.alias}-v{schema_version()}-") for t in targets)
        return self._current

    # --- SearchIndex --------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create a first versioned index and point the alias at it, unless the alias exists."""
        with _engine_errors():
            if self._client.indices.exists_alias(name=self.alias):
                return
            name = self.new_index_name()
            self._client.indices.create(index=name, **self._definition)
            self._client.indices.update_aliases(
                actions=[{"add": {"index": name, "alias": self.alias, "is_write_index": True}}]
            )

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        """Index or replace documents by document_id, in one bulk request per 500."""
        actions = (
            {"_op_type": "index", "_index": self.alias, "_id": doc.document_id, "_source": to_source(doc)}
            for doc in last_per_id(docs)
        )
        with _engine_errors():
            helpers.bulk(self._client, actions, chunk_size=DEFAULT_BATCH_SIZE, refresh=self._refresh_arg())

    def delete(self, document_ids: Sequence[str]) -> None:
        """Remove documents; unknown ids are ignored."""
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in document_ids)
        with _engine_errors():
            helpers.bulk(self._client, actions, ignore_status=(404,), refresh=self._refresh_arg())

    def count(self) -> int:
        """How many documents the alias holds."""
        with _engine_errors():
            return int(self._client.count(index=self.alias)["count"])

    def indexed_hashes(self) -> Mapping[str, str]:
        """document_id → content_hash, scrolled through in pages of 1000."""
        with _engine_errors():
            return {
                hit["_id"]: hit["_source"]["content_hash"]
                for hit in helpers.scan(
                    self._client,
                    index=self.alias,
                    query={"query": {"match_all": {}}, "_source": ["content_hash"]},
                    size=1000,
                )
            }

    def ping(self) -> bool:
        """True when the cluster answers and is not red."""
        # Cluster health, not HEAD /: the root endpoint is a module some distributions leave out.
        try:
            health = self._client.cluster.health(timeout="2s")
        except (ApiError, TransportError):
            return False
        return str(health.get("status")) in ("green", "yellow")

    def reindex(self, source: Iterable[SearchDocument], batch_size: int = DEFAULT_BATCH_SIZE) -> int:
        """Stream ``source`` into a new index, then move the alias to it in one call and drop the old ones."""
        name = self.new_index_name()
        actions = (
            {"_op_type": "index", "_index": name, "_id": doc.document_id, "_source": to_source(doc)} for doc in source
        )
        with _engine_errors():
            self._client.indices.create(index=name, **self._definition)
            # No refreshes while loading; searchable once, just before the swap.
            self._client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
            try:
                # parallel_bulk pulls one chunk at a time from the generator (at most BULK_IN_FLIGHT
                # sent and as many queued: memory stays flat); a refused document raises BulkIndexError.
                results = helpers.parallel_bulk(
                    self._client,
                    actions,
                    chunk_size=batch_size,
                    thread_count=BULK_IN_FLIGHT,
                    queue_size=BULK_IN_FLIGHT,
                )
                total = sum(1 for ok, _ in results if ok)
                self._client.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
                self._client.indices.refresh(index=name)
                # One segment before it serves (~10 s at 100k documents here): fewer segments to search and merge.
                self._client.options(request_timeout=3600).indices.forcemerge(index=name, max_num_segments=1)
                old = self._alias_targets()
                swap: list[dict[str, Any]] = [{"remove": {"index": i, "alias": self.alias}} for i in old]
                swap.append({"add": {"index": name, "alias": self.alias, "is_write_index": True}})
                self._client.indices.update_aliases(actions=swap)
                self._current = True
            except BaseException:
                # Best effort: the live index is untouched; the first error is the one to report.
                with suppress(ApiError, TransportError):
                    self._client.indices.delete(index=name, ignore_unavailable=True)
                raise
            for index in old:
                self._client.indices.delete(index=index, ignore_unavailable=True)
        return total

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of what the caller may see, the total and facet counts over every match."""
        parsed = parse_query(query.q)
        with _engine_errors():
            response = self._client.msearch(searches=msearch_lines(self.alias, query, parsed))
        page, counts = (_answer(r) for r in response["responses"])
        marker = Marker(parsed)
        hits = [_hit(raw, marker) for raw in page["hits"]["hits"]]
        aggregations = counts.get("aggregations") or {}
        facets: dict[str, list[FacetBucket]] = {
            name: _buckets(name, aggregations[name]["buckets"]) for name in FACET_FIELDS if name in aggregations
        }
        return SearchResult(total=int(counts["hits"]["total"]["value"]), hits=hits, facets=facets)

    # --- internals ----------------------------------------------------------------------------------

    def _refresh_arg(self) -> bool | str:
        return "true" if self._refresh else False

    def _alias_targets(self) -> list[str]:
        if not self._client.indices.exists_alias(name=self.alias):
            return []
        return sorted(self._client.indices.get_alias(name=self.alias).body)


def _answer(response: Mapping[str, Any]) -> Mapping[str, Any]:
    """One ``_msearch`` answer, or the error it carries raised as the backend errors are."""
    error = response.get("error")
    if error is None:
        return response
    status = int(response.get("status") or 500)
    reason = error.get("reason", error) if isinstance(error, Mapping) else error
    if status in _UNAVAILABLE_STATUS or status >= 500:
        raise SearchUnavailable(f"Elasticsearch unavailable ({status}): {reason}")
    raise SearchError(f"Elasticsearch refused the request ({status}): {reason}")


def _hit(raw: Mapping[str, Any], marker: Marker) -> SearchHit:
    source = raw["_source"]
    summary = source.get("summary")
    marked = [marker.whole(summary), marker.snippet(source.get("text"), summary=summary)]
    return SearchHit(
        document_id=source["document_id"],
        score=float(raw.get("_score") or 0.0),
        office_id=source["office_id"],
        dossier_id=source.get("dossier_id"),
        dossier_ids=source.get("dossier_ids") or [],
        filename=source.get("filename") or "",
        document_type=source.get("document_type"),
        summary=source.get("summary"),
        symbol=source.get("symbol"),
        issuer=source.get("issuer"),
        issued_on=source.get("issued_on"),
        year=source.get("year"),
        secrecy=source.get("secrecy", 0),
        validation_status=source.get("validation_status", "pending"),
        signature_state=source.get("signature_state", "unsigned"),
        uploaded_at=source.get("uploaded_at"),
        highlights=[m for m in marked if m],
    )
