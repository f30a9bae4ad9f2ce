"""SearchQuery → the SQL that selects what the caller may see, scored, from the FTS5 tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from indexers.search.fts5_schema import COLUMN_WEIGHTS, HITS_COLUMNS
from indexers.search.querytext import EXACT_WEIGHT, NEAR_DISTANCE, PHRASE_WEIGHT, SYMBOL_BOOST, ParsedQuery
from indexers.textnorm import fold
from schemas.search import SIGNATURE_FILTERS, SearchQuery

_HIT_VALUES: Final = (
    "d.doc_rowid, {score}, d.document_id, d.issued_on, d.document_type, d.issuer, d.office_id, d.year, "
    "d.validation_status, d.dossier_id, d.uploaded_at, d.signature_state"
)
_WEIGHTS: Final = ", ".join(str(w) for w in COLUMN_WEIGHTS)


@dataclass
class HitsPlan:
    """Statements that fill ``temp.search_hits`` with every match the caller may see, and their parameters."""

    statements: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    folded_match: str | None = None  # the MATCH expression the snippets are built from


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def folded_match(parsed: ParsedQuery) -> str | None:
    """Every word and phrase, folded, all required: '"quyet" AND "dinh" AND "dao tao"'."""
    parts = [_quoted(fold(w)) for w in parsed.words] + [_quoted(fold(" ".join(p))) for p in parsed.phrases]
    return " AND ".join(parts) or None


def exact_match(parsed: ParsedQuery) -> str | None:
    """Every word and phrase typed with diacritics, as typed, all required: the as-written bonus."""
    parts = [_quoted(w) for w in parsed.marked_words] + [_quoted(" ".join(p)) for p in parsed.marked_phrases]
    return " AND ".join(parts) or None


def neighbours_match(parsed: ParsedQuery) -> str | None:
    """The query's neighbouring words as folded phrases, any of them, and all its loose words close together.

    '"nghi quyet" OR "quyet dinh" OR NEAR("nghi" "quyet" "dinh", 3)': the proximity bonus, never a condition.
    """
    parts = [_quoted(f"{a} {b}") for a, b in parsed.neighbours]
    if len(parsed.words) >= 3:
        near = " ".join(_quoted(fold(w)) for w in parsed.words)
        parts.append(f"NEAR({near}, {NEAR_DISTANCE})")
    return " OR ".join(parts) or None


def _filters(query: SearchQuery, params: dict[str, Any]) -> list[str]:
    """The caller's visibility (clearance, offices) and the chosen filters, as SQL over ``d``."""
    where = ["d.secrecy <= :max_secrecy"]
    params["max_secrecy"] = int(query.max_secrecy)
    if query.office_ids is not None:
        if not query.office_ids:
            where.append("0")
        names = []
        for i, office_id in enumerate(query.office_ids):
            params[f"office_{i}"] = office_id
            names.append(f":office_{i}")
        if names:
            where.append(f"d.office_id IN ({', '.join(names)})")
    for column in ("document_type", "issuer", "issuer_code", "year", "validation_status"):
        value = getattr(query, column)
        if value is not None:
            where.append(f"d.{column} = :{column}")
            params[column] = value
    if query.signature is not None:
        names = []
        for i, state in enumerate(sorted(SIGNATURE_FILTERS[query.signature])):
            params[f"signature_{i}"] = state.value
            names.append(f":signature_{i}")
        where.append(f"d.signature_state IN ({', '.join(names)})")
    if query.issued_from is not None:
        where.append("d.issued_on >= :issued_from")
        params["issued_from"] = query.issued_from.isoformat()
    if query.issued_to is not None:
        where.append("d.issued_on <= :issued_to")
        params["issued_to"] = query.issued_to.isoformat()
    if query.dossier_id is not None:
        # Every dossier that holds the document now, not only its own.
        where.append(
            "EXISTS (SELECT 1 FROM search_dossiers m WHERE m.doc_rowid = d.doc_rowid AND m.dossier_id = :dossier_id)"
        )
        params["dossier_id"] = query.dossier_id
    if query.finding_code is not None:
        where.append(
            "EXISTS (SELECT 1 FROM search_finding_codes c WHERE c.doc_rowid = d.doc_rowid AND c.code = :finding_code)"
        )
        params["finding_code"] = query.finding_code
    return where


def _bonus(table: str, match: str, weight: float) -> str:
    """Add ``weight`` × bm25 of ``match`` to the hits that also match it (the rowid list bounds the scoring)."""
    return (
        f"UPDATE temp.search_hits SET score = score + {weight} * b.r FROM "
        f"(SELECT rowid, -bm25({table}, {_WEIGHTS}) AS r FROM {table} "
        f"WHERE {table} MATCH {match} AND +rowid IN (SELECT doc_rowid FROM temp.search_hits)) b "
        "WHERE b.rowid = search_hits.doc_rowid"
    )


def hits_plan(query: SearchQuery, parsed: ParsedQuery) -> HitsPlan:
    """The matching documents with their scores; filters are part of each statement, never applied after."""
    params: dict[str, Any] = {}
    where = " AND ".join(_filters(query, params))
    insert = f"INSERT INTO temp.search_hits ({HITS_COLUMNS}) "
    fmatch = folded_match(parsed)
    ematch = exact_match(parsed)
    key = parsed.symbol_key
    if fmatch is None and key is None:
        sql = f"{insert}SELECT {_HIT_VALUES.format(score='0.0')} FROM search_documents d WHERE {where}"
        return HitsPlan(statements=[sql], params=params)

    statements: list[str] = []
    if fmatch is not None:
        # Every folded match the caller may see, scored; the filters join first, so bm25 runs only on those.
        params["folded"] = fmatch
        statements.append(
            f"{insert}SELECT {_HIT_VALUES.format(score=f'-bm25(search_fts_folded, {_WEIGHTS})')} "
            "FROM search_fts_folded f JOIN search_documents d ON d.doc_rowid = f.rowid "
            f"WHERE search_fts_folded MATCH :folded AND {where}"
        )
        # The bonuses, each scored only on the hits already kept (never on what the caller may not see):
        # the as-written match, then the query's neighbouring words side by side.
        if ematch is not None:
            params["exact"] = ematch
            statements.append(_bonus("search_fts_exact", ":exact", EXACT_WEIGHT))
        nmatch = neighbours_match(parsed)
        if nmatch is not None:
            params["neighbours"] = nmatch
            statements.append(_bonus("search_fts_folded", ":neighbours", PHRASE_WEIGHT))
    if key is not None:
        # The document whose số và ký hiệu this is: added, or lifted to the top if already matched.
        params["symbol_key"] = key
        by_key = "d.symbol_key = :symbol_key"
        if parsed.number_prefix is not None:
            # '981' → every '981 …' key: a range on the symbol_key index ('!' sorts right after ' ').
            params["number_from"] = parsed.number_prefix
            params["number_to"] = parsed.number_prefix[:-1] + "!"
            by_key = f"({by_key} OR (d.symbol_key >= :number_from AND d.symbol_key < :number_to))"
        statements.append(
            f"{insert}SELECT {_HIT_VALUES.format(score=str(SYMBOL_BOOST))} FROM search_documents d "
            f"WHERE {by_key} AND {where} "
            f"ON CONFLICT (doc_rowid) DO UPDATE SET score = score + {SYMBOL_BOOST}"
        )
    return HitsPlan(statements=statements, params=params, folded_match=fmatch)


def order_by(query: SearchQuery, parsed: ParsedQuery) -> str:
    """ORDER BY over ``h`` (the hits table); ties broken by document_id for stable pages."""
    sort = query.sort
    if sort == "relevance" and parsed.is_empty:
        sort = "-issued_on"
    if sort == "relevance":
        return "h.score DESC, h.document_id"
    column = sort.lstrip("-")
    direction = "DESC" if sort.startswith("-") else "ASC"
    return f"h.{column} IS NULL, h.{column} {direction}, h.document_id"
