"""Facet counts of the FTS5 backend from per-document values held in memory, keyed by the FTS rowid.

A search counts its facets over every hit the caller may see. Read back from SQLite row by row, 100,000 hits
cost half a second (six columns, most of them strings); here each process keeps, per facet, every indexed
document's value as a small integer in a numpy array indexed by rowid (what Elasticsearch calls doc values),
and counts the hits' rowids with ``bincount``: milliseconds.

It may, because a rowid's values never change within a generation of the tables: a changed document is
re-indexed under a new rowid (``Fts5SearchIndex._upsert`` deletes, then inserts above the high-water mark kept
in ``search_meta``, so no rowid is given twice), and a rebuild makes a new generation (a new token in
``search_meta``). So what is held only grows: each search first loads the rows above what is held, up to the
high-water mark of its own snapshot, and a search whose snapshot is of another generation than what is held
reloads it. Which rows are counted is decided in SQL only: the hits table, already restricted to what the
caller may see; the values here say nothing about who may see a document.

Cost, measured at 100,000 documents: 4.6 MB of arrays, loaded in ~0.7 s by ``serve`` at start
(``search.service.warm_up``), or by the first search after a rebuild; later searches load only what was indexed
since. Rows of deleted or re-indexed documents stay held (never counted) until the next rebuild: about 30 bytes
per rowid given.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from schemas.search import FACET_FIELDS, FacetBucket, FacetValue

# One value per document, read from search_documents; None (no value) is ordinal 0 and never a bucket.
SINGLE_VALUED: Final = ("document_type", "issuer", "office_id", "year", "validation_status", "signature_state")
# Many per document, from their own tables: (facet, table, column).
MULTI_VALUED: Final = (
    ("finding_codes", "search_finding_codes", "code"),
    ("dossier_id", "search_dossiers", "dossier_id"),
)
_NONE: Final = 0
_IntArray = npt.NDArray[np.int64]


@dataclass
class _Values:
    """The distinct values of one facet: ordinal → value and back (ordinal 0 is None)."""

    values: list[FacetValue | None] = field(default_factory=lambda: [None])
    ordinal: dict[Hashable, int] = field(default_factory=dict)

    def of(self, value: FacetValue | None) -> int:
        if value is None:
            return _NONE
        found = self.ordinal.get(value)
        if found is None:
            found = self.ordinal[value] = len(self.values)
            self.values.append(value)
        return found

    def buckets(self, counts: _IntArray, size: int) -> list[FacetBucket]:
        """Most frequent first, then by value: the order Elasticsearch's terms aggregation gives."""
        found = [(self.values[i], int(counts[i])) for i in np.flatnonzero(counts)]
        ranked = sorted(((v, n) for v, n in found if v is not None), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:size]


@dataclass
class _Generation:
    """What is held of one generation of the tables: every row with a rowid up to ``loaded``."""

    token: str
    loaded: int = 0
    single: dict[str, npt.NDArray[np.int32]] = field(default_factory=dict)
    pair_rowids: dict[str, _IntArray] = field(default_factory=dict)
    pair_ordinals: dict[str, _IntArray] = field(default_factory=dict)
    values: dict[str, _Values] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in SINGLE_VALUED:
            self.single[name] = np.zeros(0, dtype=np.int32)
        for name, _, _ in MULTI_VALUED:
            self.pair_rowids[name] = np.zeros(0, dtype=np.int64)
            self.pair_ordinals[name] = np.zeros(0, dtype=np.int64)
        for name in FACET_FIELDS:
            self.values[name] = _Values()

    def load(self, cursor: Any, upto: int) -> None:
        """Read the rows with a rowid above ``loaded`` and up to ``upto`` (one snapshot: ``cursor``'s)."""
        bounds = (self.loaded, upto)
        rows = cursor.execute(
            f"SELECT doc_rowid, {', '.join(SINGLE_VALUED)} FROM search_documents "
            "WHERE doc_rowid > ? AND doc_rowid <= ?",
            bounds,
        ).fetchall()
        size = max(upto + 1, 1)
        columns = list(zip(*rows, strict=True)) if rows else []
        for index, name in enumerate(SINGLE_VALUED, start=1):
            column = self.single[name]
            if len(column) < size:
                grown = np.zeros(max(size, 2 * len(column)), dtype=np.int32)
                grown[: len(column)] = column
                column = self.single[name] = grown
            if columns:
                coded = map(self.values[name].of, columns[index])
                column[np.array(columns[0], dtype=np.int64)] = np.fromiter(coded, np.int32, len(rows))
        for name, table, value_column in MULTI_VALUED:
            pairs = cursor.execute(
                f"SELECT doc_rowid, {value_column} FROM {table} WHERE doc_rowid > ? AND doc_rowid <= ?", bounds
            ).fetchall()
            if pairs:
                rowids, found = zip(*pairs, strict=True)
                ordinals = np.fromiter(map(self.values[name].of, found), np.int64, len(pairs))
                self.pair_rowids[name] = np.concatenate((self.pair_rowids[name], np.array(rowids, dtype=np.int64)))
                self.pair_ordinals[name] = np.concatenate((self.pair_ordinals[name], ordinals))
        self.loaded = upto

    def count(self, hits: _IntArray, size: int) -> dict[str, list[FacetBucket]]:
        """Buckets per facet over the rowids ``hits`` (each at most once, all at most ``loaded``)."""
        counts: dict[str, list[FacetBucket]] = {}
        for name in SINGLE_VALUED:
            values = self.values[name]
            tally = np.bincount(self.single[name][hits], minlength=len(values.values))
            counts[name] = values.buckets(tally, size)
        member = np.zeros(self.loaded + 1, dtype=np.bool_)
        member[hits] = True
        for name, _, _ in MULTI_VALUED:
            values = self.values[name]
            chosen = self.pair_ordinals[name][member[self.pair_rowids[name]]]
            counts[name] = values.buckets(np.bincount(chosen, minlength=len(values.values)), size)
        return {name: counts[name] for name in FACET_FIELDS}


class FacetValues:
    """The facet values of the indexed documents, held for one process; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: _Generation | None = None

    def counts(self, cursor: Any, size: int) -> dict[str, list[FacetBucket]] | None:
        """Facet buckets over the rows of ``temp.search_hits``, read in ``cursor``'s snapshot.

        None when the tables carry no generation (a file not yet given its ``search_meta`` row): the caller then
        counts in SQL.
        """
        meta = cursor.execute("SELECT generation, last_rowid FROM search_meta").fetchone()
        if meta is None:
            return None
        token, upto = str(meta[0]), int(meta[1])
        hits = _hit_rowids(cursor)
        with self._lock:
            held = self._held
            if held is None or held.token != token:
                held = self._held = _Generation(token)
            if upto > held.loaded:
                held.load(cursor, upto)
            if len(hits) and int(hits.max()) > held.loaded:
                return None  # a rowid above the snapshot's high-water mark: never, but never counted wrong
            return held.count(hits, size)


def _hit_rowids(cursor: Any) -> _IntArray:
    """The rowids of ``temp.search_hits``, in one string (one row to read instead of one per hit)."""
    joined = cursor.execute("SELECT group_concat(doc_rowid) FROM temp.search_hits").fetchone()[0]
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(str(joined), dtype=np.int64, sep=",")  # text mode: 8 ms for 97,000 ids, split() 16
