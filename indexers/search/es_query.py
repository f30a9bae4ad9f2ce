"""SearchQuery → the two Elasticsearch requests of one search: the page of hits, and the counts.

Score = folded relevance of ``content_folded`` (every word and phrase required) + TITLE_WEIGHT × folded
relevance of the tên loại and trích yếu + EXACT_WEIGHT × as-written relevance of ``content``
+ PHRASE_WEIGHT × relevance of the query's neighbouring words found side by side (``match_phrase`` on
``content_folded``, whose two-word shingles make it cheap; all loose words within NEAR_DISTANCE of each other
as a phrase with slop) (+ SYMBOL_BOOST when the symbol key matches), the FTS5 backend's formula on one field
per form.

The page and the counts are separate requests sent together (``_msearch``) so that they run side by
side: the page asks for no total and so lets Lucene skip documents that cannot reach it, while the
counts (exact total and facets) need no scores. The caller's visibility is in the filter of both.
"""

from __future__ import annotations

from typing import Any, Final

from indexers.search.querytext import EXACT_WEIGHT, NEAR_DISTANCE, PHRASE_WEIGHT, SYMBOL_BOOST, ParsedQuery
from indexers.textnorm import fold
from schemas.search import FACET_FIELDS, SIGNATURE_FILTERS, SearchQuery

# A facet counted on another field than its name: a document counts under every dossier that holds it.
FACET_SOURCE: Final = {"dossier_id": "dossier_ids"}
TITLE_WEIGHT: Final = 2.0  # a word of the tên loại or trích yếu counts this much more than one in the text
HIT_SOURCE: Final = [
    "document_id",
    "office_id",
    "dossier_id",
    "dossier_ids",
    "filename",
    "document_type",
    "summary",
    "symbol",
    "issuer",
    "issued_on",
    "year",
    "secrecy",
    "validation_status",
    "signature_state",
    "uploaded_at",
]


def visibility_filters(query: SearchQuery) -> list[dict[str, Any]]:
    """What the caller may see (clearance, offices) and the chosen filters."""
    filters: list[dict[str, Any]] = [{"range": {"secrecy": {"lte": int(query.max_secrecy)}}}]
    if query.office_ids is not None:
        filters.append({"terms": {"office_id": query.office_ids}})
    for name in ("document_type", "issuer", "issuer_code", "dossier_id", "year", "validation_status"):
        value = getattr(query, name)
        if value is not None:
            filters.append({"term": {FACET_SOURCE.get(name, name): value}})
    if query.finding_code is not None:
        filters.append({"term": {"finding_codes": query.finding_code}})
    if query.signature is not None:
        filters.append({"terms": {"signature_state": sorted(s.value for s in SIGNATURE_FILTERS[query.signature])}})
    period = {
        bound: day.isoformat()
        for bound, day in (("gte", query.issued_from), ("lte", query.issued_to))
        if day is not None
    }
    if period:
        filters.append({"range": {"issued_on": period}})
    return filters


def _neighbour_clauses(parsed: ParsedQuery) -> list[dict[str, Any]]:
    """The proximity bonus: each pair of neighbouring query words side by side, and every loose word close by."""
    clauses: list[dict[str, Any]] = [
        {"match_phrase": {"content_folded": {"query": f"{a} {b}", "boost": PHRASE_WEIGHT}}}
        for a, b in parsed.neighbours
    ]
    if len(parsed.words) >= 3:
        every = " ".join(fold(w) for w in parsed.words)
        clauses.append(
            {"match_phrase": {"content_folded": {"query": every, "slop": NEAR_DISTANCE, "boost": PHRASE_WEIGHT}}}
        )
    return clauses


def _text_query(parsed: ParsedQuery) -> dict[str, Any] | None:
    must: list[dict[str, Any]] = []
    should: list[dict[str, Any]] = []
    folded_words = " ".join(fold(w) for w in parsed.words)
    if folded_words:
        must.append({"match": {"content_folded": {"query": folded_words, "operator": "and"}}})
    for phrase in parsed.phrases:
        must.append({"match_phrase": {"content_folded": fold(" ".join(phrase))}})
    if not must:
        return None
    every_word = " ".join([folded_words, *(fold(" ".join(p)) for p in parsed.phrases)]).strip()
    should.append({"match": {"title_folded": {"query": every_word, "boost": TITLE_WEIGHT}}})
    if parsed.marked_words:
        exact = " ".join(parsed.marked_words)
        should.append({"match": {"content": {"query": exact, "operator": "and", "boost": EXACT_WEIGHT}}})
    for phrase in parsed.marked_phrases:
        should.append({"match_phrase": {"content": {"query": " ".join(phrase), "boost": EXACT_WEIGHT}}})
    should.extend(_neighbour_clauses(parsed))
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
    order = "desc" if sort.startswith("-") else "asc"
    return [{sort.lstrip("-"): {"order": order, "missing": "_last"}}, {"document_id": "asc"}]


def _aggregations(size: int) -> dict[str, Any]:
    if size <= 0:
        return {}
    order = [{"_count": "desc"}, {"_key": "asc"}]
    return {
        name: {"terms": {"field": FACET_SOURCE.get(name, name), "size": size, "order": order}} for name in FACET_FIELDS
    }


def _query(query: SearchQuery, parsed: ParsedQuery) -> dict[str, Any]:
    return {"bool": {"must": [_match_query(parsed)], "filter": visibility_filters(query)}}


def hits_body(query: SearchQuery, parsed: ParsedQuery) -> dict[str, Any]:
    """The page: scored and sorted hits, no total; with the texts the snippets are built from."""
    source = HIT_SOURCE if parsed.is_empty else [*HIT_SOURCE, "text"]
    return {
        "query": _query(query, parsed),
        "sort": _sort(query, parsed),
        "from": (query.page - 1) * query.page_size,
        "size": query.page_size,
        "track_total_hits": False,
        "track_scores": True,
        "_source": {"includes": source},
    }


def counts_body(query: SearchQuery, parsed: ParsedQuery) -> dict[str, Any]:
    """The exact total and the facets over every match, unscored (the query as a filter)."""
    body: dict[str, Any] = {
        "query": {"bool": {"filter": [_query(query, parsed)]}},
        "size": 0,
        "track_total_hits": True,
    }
    aggs = _aggregations(query.facet_size)
    if aggs:
        body["aggs"] = aggs
    return body


def msearch_lines(index: str, query: SearchQuery, parsed: ParsedQuery) -> list[dict[str, Any]]:
    """The ``_msearch`` body: the page, then the counts, both on ``index``."""
    header = {"index": index}
    return [header, hits_body(query, parsed), header, counts_body(query, parsed)]
