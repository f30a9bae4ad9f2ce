"""SearchQuery → an Elasticsearch request body, scored the same way as the FTS5 backend.

Score = folded relevance (every word and phrase required) + EXACT_WEIGHT × as-written relevance
(+ SYMBOL_BOOST when the symbol key matches). The caller's visibility is part of the bool filter.
"""

from __future__ import annotations

from typing import Any, Final

from indexers.search.querytext import EXACT_WEIGHT, SYMBOL_BOOST, ParsedQuery
from indexers.search.snippets import CLOSE, OPEN
from indexers.textnorm import fold
from schemas.search import FACET_FIELDS, SearchQuery

SNIPPET_CHARS: Final = 160
MAX_ANALYZED_OFFSET: Final = 1_000_000  # longer texts are highlighted on their first million characters

# (as-written field, folded field, weight): trích yếu counts most, then tên loại.
_FIELDS: Final = (
    ("text", "text_folded", 1.0),
    ("summary", "summary_folded", 3.0),
    ("document_type.text", "document_type_folded", 2.0),
    ("issuer.text", "issuer_folded", 1.0),
    ("symbol.text", "symbol_folded", 1.0),
)
EXACT_FIELDS: Final = [f"{exact}^{w}" for exact, _, w in _FIELDS]
FOLDED_FIELDS: Final = [f"{folded}^{w}" for _, folded, w in _FIELDS]
HIT_SOURCE: Final = [
    "document_id",
    "office_id",
    "dossier_id",
    "filename",
    "document_type",
    "summary",
    "symbol",
    "issuer",
    "issued_on",
    "year",
    "secrecy",
    "validation_status",
]


def visibility_filters(query: SearchQuery) -> list[dict[str, Any]]:
    """What the caller may see (clearance, offices) and the chosen filters."""
    filters: list[dict[str, Any]] = [{"range": {"secrecy": {"lte": int(query.max_secrecy)}}}]
    if query.office_ids is not None:
        filters.append({"terms": {"office_id": query.office_ids}})
    for name in ("document_type", "issuer", "issuer_code", "dossier_id", "year", "validation_status"):
        value = getattr(query, name)
        if value is not None:
            filters.append({"term": {name: value}})
    if query.finding_code is not None:
        filters.append({"term": {"finding_codes": query.finding_code}})
    return filters


def _text_query(parsed: ParsedQuery) -> dict[str, Any] | None:
    must: list[dict[str, Any]] = []
    should: list[dict[str, Any]] = []
    if parsed.words:
        must.append(
            {
                "multi_match": {
                    "query": " ".join(fold(w) for w in parsed.words),
                    "type": "cross_fields",
                    "operator": "and",
                    "fields": FOLDED_FIELDS,
                }
            }
        )
    if parsed.marked_words:
        should.append(
            {
                "multi_match": {
                    "query": " ".join(parsed.marked_words),
                    "type": "cross_fields",
                    "operator": "and",
                    "fields": EXACT_FIELDS,
                    "boost": EXACT_WEIGHT,
                }
            }
        )
    for phrase in parsed.phrases:
        must.append({"multi_match": {"query": fold(" ".join(phrase)), "type": "phrase", "fields": FOLDED_FIELDS}})
    for phrase in parsed.marked_phrases:
        should.append(
            {
                "multi_match": {
                    "query": " ".join(phrase),
                    "type": "phrase",
                    "fields": EXACT_FIELDS,
                    "boost": EXACT_WEIGHT,
                }
            }
        )
    if not must:
        return None
    return {"bool": {"must": must, "should": should}}


def _match_query(parsed: ParsedQuery) -> dict[str, Any]:
    alternatives: list[dict[str, Any]] = []
    text_query = _text_query(parsed)
    if text_query is not None:
        alternatives.append(text_query)
    if parsed.symbol_key is not None:
        by_key: dict[str, Any] = {"term": {"symbol_key": parsed.symbol_key}}
        if parsed.number_prefix is not None:
            by_key = {"bool": {"should": [by_key, {"prefix": {"symbol_key": parsed.number_prefix}}]}}
        alternatives.append({"constant_score": {"filter": by_key, "boost": SYMBOL_BOOST}})
    if not alternatives:
        return {"match_all": {}}
    return {"bool": {"should": alternatives, "minimum_should_match": 1}}


def _sort(query: SearchQuery, parsed: ParsedQuery) -> list[Any]:
    sort = query.sort
    if sort == "relevance" and parsed.is_empty:
        sort = "-issued_on"
    if sort == "relevance":
        return ["_score", {"document_id": "asc"}]
    order = "desc" if sort == "-issued_on" else "asc"
    return [{"issued_on": {"order": order, "missing": "_last"}}, {"document_id": "asc"}]


def _aggregations(size: int) -> dict[str, Any]:
    if size <= 0:
        return {}
    order = [{"_count": "desc"}, {"_key": "asc"}]
    return {name: {"terms": {"field": name, "size": size, "order": order}} for name in FACET_FIELDS}


def _highlight() -> dict[str, Any]:
    return {
        "type": "unified",
        "pre_tags": [OPEN],
        "post_tags": [CLOSE],
        "max_analyzed_offset": MAX_ANALYZED_OFFSET,
        "fields": {
            "summary_folded": {"number_of_fragments": 0},
            "text_folded": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1},
        },
    }


def search_body(query: SearchQuery, parsed: ParsedQuery) -> dict[str, Any]:
    """Keyword arguments for ``Elasticsearch.search``: query, sort, page, facets and highlights."""
    body: dict[str, Any] = {
        "query": {"bool": {"must": [_match_query(parsed)], "filter": visibility_filters(query)}},
        "sort": _sort(query, parsed),
        "from_": (query.page - 1) * query.page_size,
        "size": query.page_size,
        "track_total_hits": True,
        "track_scores": True,
        "source_includes": HIT_SOURCE,
    }
    aggs = _aggregations(query.facet_size)
    if aggs:
        body["aggs"] = aggs
    if not parsed.is_empty:
        body["highlight"] = _highlight()
        body["source_includes"] = [*HIT_SOURCE, "text"]  # the original a folded snippet is mapped back to
    return body
