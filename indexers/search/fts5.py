"""``SearchIndex`` on SQLite FTS5, in the catalog file (tables prefixed ``search_``): the embedded default."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final
from uuid import uuid4

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

from indexers.search.base import DEFAULT_BATCH_SIZE, SearchError, SearchUnavailable
from indexers.search.batching import batched, last_per_id
from indexers.search.folding import fast_nfc as nfc
from indexers.search.folding import fold_chars
from indexers.search.fts5_facets import FacetValues
from indexers.search.fts5_query import hits_plan, order_by
from indexers.search.fts5_schema import (
    ADDED_COLUMNS,
    FTS_COLUMNS,
    HITS_TABLE,
    INDEX_STATEMENTS,
    LAYOUT_VERSION,
    TABLES,
    create_statements,
)
from indexers.search.querytext import ParsedQuery, parse_query, symbol_key
from indexers.search.snippet_builder import SNIPPET_SOURCE_CHARS, Marker
from schemas.search import (
    FACET_FIELDS,
    FacetBucket,
    FacetValue,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResult,
)

_NEXT: Final = "_next"  # the generation a reindex builds before the swap
_ID_CHUNK: Final = 500  # ids per IN (…) list, well under SQLite's bound-parameter limit
_CACHE_KIB: Final = 65_536  # page cache per connection of an engine opened here
_MMAP_BYTES: Final = 256 << 20  # reads through the OS file cache instead of copies

_DOC_COLUMNS: Final = (
    "doc_rowid, document_id, office_id, dossier_id, filename, document_type, number, type_code, "
    "issuer_code, symbol, symbol_key, issuer, issued_on, year, secrecy, validation_status, uploaded_at, "
    "content_hash, signature_state"
)
_HIT_COLUMNS: Final = (
    "d.doc_rowid, d.document_id, d.office_id, d.dossier_id, d.filename, d.document_type, e.summary, "
    "d.symbol, d.issuer, d.issued_on, d.year, d.secrecy, d.validation_status, h.score, d.uploaded_at, "
    "d.signature_state"
)


def sqlite_engine(path: str | Path) -> Engine:
    """An engine on a SQLite file of its own: WAL (readers never wait for the writer), a busy timeout,
    and a larger cache read through mmap. ``synchronous=NORMAL`` may lose the last commits on power
    loss but never corrupts the file; the index is derived data and ``verify`` finds what is missing."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
        cur.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
        cur.close()

    return engine


# SQLite result codes that mean "the file cannot be used right now", not "this statement is wrong".
_UNAVAILABLE_CODES: Final = frozenset({5, 6, 7, 10, 13, 14})  # BUSY, LOCKED, NOMEM, IOERR, FULL, CANTOPEN


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Busy, locked, unreadable or full files become SearchUnavailable; other failures SearchError."""
    try:
        yield
    except OperationalError as exc:
        code = getattr(exc.orig, "sqlite_errorcode", None)
        if code is not None and (code & 0xFF) in _UNAVAILABLE_CODES:
            raise SearchUnavailable(f"search index unavailable: {exc.orig}") from exc
        raise SearchError(f"search index error: {exc.orig}") from exc


def _in_list(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    names = [f"{prefix}{i}" for i in range(len(values))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, values, strict=True))


def _fts_values(doc: SearchDocument) -> tuple[str, ...]:
    return tuple(nfc(getattr(doc, column) or "") for column in FTS_COLUMNS)


class Fts5SearchIndex:
    """Full-text search in SQLite: as-written and folded FTS5 tables plus a metadata table for facets."""

    def __init__(self, engine: Engine | str | Path) -> None:
        self._engine = engine if isinstance(engine, Engine) else sqlite_engine(engine)
        if self._engine.dialect.name != "sqlite":
            raise ValueError("the FTS5 search index needs a SQLite engine")
        self._current = False  # once the tables are seen on this layout they stay on it
        self._facet_values = FacetValues()  # this process's copy of every document's facet values

    # --- transactions -------------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """One snapshot for every statement of a search (WAL keeps it while a reindex swaps)."""
        with _engine_errors(), self._engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA temp_store = MEMORY")  # the per-search hits table
            conn.exec_driver_sql("BEGIN")
            try:
                yield conn
            finally:
                conn.rollback()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction that takes the lock up front, so concurrent writers queue instead of fail."""
        with _engine_errors(), self._engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    # --- SearchIndex --------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the ``search_`` tables and their indexes if they do not exist.

        Tables made here from nothing are of this layout; tables of an older layout only gain the missing
        tables (empty) and columns (``ADDED_COLUMNS``, at their default) and stay marked old, so that the old
        index keeps answering and ``schema_is_current`` asks for the rebuild that fills them.
        """
        with self._write() as conn:
            fresh = not conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_documents'"
            ).first()
            for statement in create_statements():
                conn.exec_driver_sql(statement)
            have = {str(r[1]) for r in conn.exec_driver_sql("PRAGMA table_info(search_documents)")}
            added = [column for column in ADDED_COLUMNS if column not in have]
            for column in added:
                conn.exec_driver_sql(f"ALTER TABLE search_documents ADD COLUMN {column} {ADDED_COLUMNS[column]}")
            for statement in INDEX_STATEMENTS:
                conn.exec_driver_sql(statement)
            if fresh:
                self._mark_layout(conn, "")
            self._ensure_generation(conn, renew=bool(added))

    def _ensure_generation(self, conn: Connection, *, renew: bool) -> None:
        """Give tables of an older file their ``search_meta`` row; ``renew``: their rows changed in place.

        The high-water mark starts at the highest rowid there is. A new token tells every process that what it
        holds of these rows (``fts5_facets``) is no longer theirs.
        """
        exists = conn.exec_driver_sql("SELECT 1 FROM search_meta").first()
        if exists and not renew:
            return
        conn.exec_driver_sql("DELETE FROM search_meta")
        conn.exec_driver_sql(
            "INSERT INTO search_meta (generation, last_rowid) "
            "SELECT ?, coalesce(max(doc_rowid), 0) FROM search_documents",
            (uuid4().hex,),
        )

    def schema_is_current(self) -> bool:
        """False when the tables were built by an older layout (or not yet): time for a reindex."""
        if not self._current:
            with self._read() as conn:
                exists = conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_layout'"
                ).first()
                version = conn.exec_driver_sql("SELECT max(version) FROM search_layout").scalar() if exists else None
            self._current = version == LAYOUT_VERSION
        return self._current

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        """Replace each document by document_id, all of ``docs`` in one transaction."""
        if docs:
            with self._write() as conn:
                self._upsert(conn, last_per_id(docs), "")

    def delete(self, document_ids: Sequence[str]) -> None:
        """Remove documents; unknown ids are ignored."""
        if document_ids:
            with self._write() as conn:
                self._delete(conn, list(document_ids), "")

    def count(self) -> int:
        """How many documents are indexed."""
        with self._read() as conn:
            return int(conn.execute(text("SELECT count(*) FROM search_documents")).scalar_one())

    def indexed_hashes(self) -> Mapping[str, str]:
        """document_id → content_hash of what is indexed."""
        with self._read() as conn:
            rows = conn.execute(text("SELECT document_id, content_hash FROM search_documents"))
            return {str(r[0]): str(r[1]) for r in rows}

    def ping(self) -> bool:
        """True when the SQLite file answers."""
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError:
            return False
        return True

    def reindex(self, source: Iterable[SearchDocument], batch_size: int = DEFAULT_BATCH_SIZE) -> int:
        """Load ``source`` into new tables batch by batch, then swap them in with one transaction."""
        with self._write() as conn:
            self._drop_generation(conn, _NEXT)
            for statement in create_statements(_NEXT):
                conn.exec_driver_sql(statement)
            self._mark_layout(conn, _NEXT)
        total = 0
        for batch in batched(source, batch_size):
            with self._write() as conn:
                self._upsert(conn, last_per_id(batch), _NEXT)
            total += len(batch)
        with self._write() as conn:
            for table in ("search_fts_exact", "search_fts_folded"):
                conn.exec_driver_sql(f"INSERT INTO {table}{_NEXT} ({table}{_NEXT}) VALUES ('optimize')")
        with self._write() as conn:
            self._drop_generation(conn, "")
            for table in TABLES:
                conn.exec_driver_sql(f"ALTER TABLE {table}{_NEXT} RENAME TO {table}")
            for statement in INDEX_STATEMENTS:
                conn.exec_driver_sql(statement)
        self._current = True
        return total

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of what the caller may see, the total and facet counts over every match."""
        parsed = parse_query(query.q)
        plan = hits_plan(query, parsed)
        with self._read() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS temp.search_hits")
            conn.exec_driver_sql(HITS_TABLE)
            for statement in plan.statements:
                conn.execute(text(statement), plan.params)
            total = int(conn.execute(text("SELECT count(*) FROM temp.search_hits")).scalar_one())
            page = [
                int(r[0])
                for r in conn.execute(
                    text(
                        f"SELECT h.doc_rowid FROM temp.search_hits h ORDER BY {order_by(query, parsed)} "
                        "LIMIT :limit OFFSET :offset"
                    ),
                    {"limit": query.page_size, "offset": (query.page - 1) * query.page_size},
                )
            ]
            rows = self._page_rows(conn, page)
            held = self._dossiers_of(conn, page)
            highlights = self._highlights(conn, parsed, page)
            facets = self._facets(conn, query.facet_size)
        hits = [
            SearchHit(
                document_id=r.document_id,
                score=float(r.score or 0.0),
                office_id=r.office_id,
                dossier_id=r.dossier_id,
                dossier_ids=held.get(int(r.doc_rowid), []),
                filename=r.filename,
                document_type=r.document_type,
                summary=r.summary,
                symbol=r.symbol,
                issuer=r.issuer,
                issued_on=r.issued_on,
                year=r.year,
                secrecy=r.secrecy,
                validation_status=r.validation_status,
                signature_state=r.signature_state,
                uploaded_at=r.uploaded_at,
                highlights=highlights.get(int(r.doc_rowid), []),
            )
            for r in rows
        ]
        return SearchResult(total=total, hits=hits, facets=facets)

    # --- internals ----------------------------------------------------------------------------------

    def _mark_layout(self, conn: Connection, suffix: str) -> None:
        """Tables of this layout, and a generation of their own (a new token, no rowid given yet)."""
        conn.exec_driver_sql(f"DELETE FROM search_layout{suffix}")
        conn.exec_driver_sql(f"INSERT INTO search_layout{suffix} (version) VALUES ({int(LAYOUT_VERSION)})")
        conn.exec_driver_sql(f"DELETE FROM search_meta{suffix}")
        conn.exec_driver_sql(f"INSERT INTO search_meta{suffix} (generation, last_rowid) VALUES (?, 0)", (uuid4().hex,))

    def _drop_generation(self, conn: Connection, suffix: str) -> None:
        for table in TABLES:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}{suffix}")

    def _delete(self, conn: Connection, document_ids: list[str], suffix: str) -> None:
        for start in range(0, len(document_ids), _ID_CHUNK):
            names, params = _in_list("id", document_ids[start : start + _ID_CHUNK])
            rowids = [
                int(r[0])
                for r in conn.execute(
                    text(f"SELECT doc_rowid FROM search_documents{suffix} WHERE document_id IN ({names})"),
                    params,
                )
            ]
            if not rowids:
                continue
            names, params = _in_list("r", rowids)
            for table, column in (
                ("search_fts_exact", "rowid"),
                ("search_fts_folded", "rowid"),
                ("search_finding_codes", "doc_rowid"),
                ("search_dossiers", "doc_rowid"),
                ("search_documents", "doc_rowid"),
            ):
                conn.execute(text(f"DELETE FROM {table}{suffix} WHERE {column} IN ({names})"), params)

    def _upsert(self, conn: Connection, docs: list[SearchDocument], suffix: str) -> None:
        self._delete(conn, [d.document_id for d in docs], suffix)
        # The write lock is held (BEGIN IMMEDIATE), so no other writer can take the same rowids. Above the
        # high-water mark too, so that a rowid is never given twice (a deleted last row's included): its
        # values never change, which lets every process hold them (fts5_facets).
        next_rowid = text(
            f"SELECT max(coalesce((SELECT max(doc_rowid) FROM search_documents{suffix}), 0), "
            f"coalesce((SELECT max(last_rowid) FROM search_meta{suffix}), 0)) + 1"
        )
        first = int(conn.execute(next_rowid).scalar_one())
        doc_rows: list[tuple[Any, ...]] = []
        code_rows: list[tuple[int, str]] = []
        dossier_rows: list[tuple[int, int]] = []
        exact_rows: list[tuple[Any, ...]] = []
        folded_rows: list[tuple[Any, ...]] = []
        for rowid, doc in enumerate(docs, start=first):
            doc_rows.append(
                (
                    rowid,
                    doc.document_id,
                    doc.office_id,
                    doc.dossier_id,
                    doc.filename,
                    doc.document_type,
                    doc.number,
                    doc.type_code,
                    doc.issuer_code,
                    doc.symbol,
                    symbol_key(doc.symbol) if doc.symbol else None,
                    doc.issuer,
                    doc.issued_on.isoformat() if doc.issued_on else None,
                    doc.year,
                    int(doc.secrecy),
                    doc.validation_status,
                    doc.uploaded_at.isoformat(),
                    doc.content_hash(),
                    doc.signature_state.value,
                )
            )
            code_rows.extend((rowid, code) for code in dict.fromkeys(doc.finding_codes))
            dossier_rows.extend((rowid, dossier_id) for dossier_id in dict.fromkeys(doc.dossier_ids))
            values = _fts_values(doc)
            exact_rows.append((rowid, *values))
            folded_rows.append((rowid, *(fold_chars(v) for v in values)))
        # The DB-API cursor for executemany: bulk inserts without a round of SQLAlchemy per row.
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(
                f"INSERT INTO search_documents{suffix} ({_DOC_COLUMNS}) VALUES ({', '.join('?' * 19)})",
                doc_rows,
            )
            cursor.executemany(f"INSERT INTO search_finding_codes{suffix} VALUES (?, ?)", code_rows)
            cursor.executemany(f"INSERT INTO search_dossiers{suffix} VALUES (?, ?)", dossier_rows)
            cols = ", ".join(("rowid", *FTS_COLUMNS))
            marks = ", ".join("?" * (len(FTS_COLUMNS) + 1))
            for table, fts_rows in (("search_fts_exact", exact_rows), ("search_fts_folded", folded_rows)):
                cursor.executemany(f"INSERT INTO {table}{suffix} ({cols}) VALUES ({marks})", fts_rows)
            cursor.execute(f"UPDATE search_meta{suffix} SET last_rowid = ?", (first + len(docs) - 1,))
        finally:
            cursor.close()

    def _page_rows(self, conn: Connection, page: list[int]) -> list[Any]:
        """The shown fields of one page of hits, in the order of ``page``."""
        if not page:
            return []
        names, params = _in_list("r", page)
        rows = conn.execute(
            text(
                f"SELECT {_HIT_COLUMNS} FROM temp.search_hits h "
                "JOIN search_documents d ON d.doc_rowid = h.doc_rowid "
                "JOIN search_fts_exact e ON e.rowid = h.doc_rowid "
                f"WHERE h.doc_rowid IN ({names})"
            ),
            params,
        ).all()
        position = {rowid: i for i, rowid in enumerate(page)}
        return sorted(rows, key=lambda r: position[int(r.doc_rowid)])

    def _dossiers_of(self, conn: Connection, page: list[int]) -> dict[int, list[int]]:
        """The dossiers holding each hit of one page."""
        held: dict[int, list[int]] = {}
        if not page:
            return held
        names, params = _in_list("r", page)
        rows = conn.execute(
            text(
                f"SELECT doc_rowid, dossier_id FROM search_dossiers WHERE doc_rowid IN ({names}) "
                "ORDER BY doc_rowid, dossier_id"
            ),
            params,
        )
        for rowid, dossier_id in rows:
            held.setdefault(int(rowid), []).append(int(dossier_id))
        return held

    def _highlights(self, conn: Connection, parsed: ParsedQuery, rowids: list[int]) -> dict[int, list[str]]:
        """Trích yếu and a body snippet per page hit, marked as the Elasticsearch backend marks them."""
        if parsed.is_empty or not rowids:
            return {}
        marker = Marker(parsed)
        names, params = _in_list("r", rowids)
        rows = conn.execute(
            text(
                f"SELECT rowid, summary, substr(text, 1, {SNIPPET_SOURCE_CHARS}) FROM search_fts_exact "
                f"WHERE rowid IN ({names})"
            ),
            params,
        )
        result: dict[int, list[str]] = {}
        for rowid, summary, body in rows:
            marked = [marker.whole(summary), marker.snippet(body, summary=summary)]
            result[int(rowid)] = [m for m in marked if m]
        return result

    def _facets(self, conn: Connection, size: int) -> dict[str, list[FacetBucket]]:
        """Counts per value over every match (already restricted to what the caller may see)."""
        if size <= 0:
            return {}
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            held = self._facet_values.counts(cursor, size)
        finally:
            cursor.close()
        return held if held is not None else self._facets_in_sql(conn, size)

    def _facets_in_sql(self, conn: Connection, size: int) -> dict[str, list[FacetBucket]]:
        """The same counts read back from SQLite (tables without a generation): half a second per 100,000 hits."""
        # One pass over the hits table for the single-valued facets; rule codes and dossiers (many per
        # document) from their own tables.
        names = [n for n in FACET_FIELDS if n not in ("finding_codes", "dossier_id")]
        rows = conn.execute(text(f"SELECT {', '.join(names)} FROM temp.search_hits")).all()
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        counters: dict[str, Counter[FacetValue]] = {}
        for name, column in zip(names, columns, strict=True):
            counters[name] = Counter(column)  # counted in C
            counters[name].pop(None, None)  # type: ignore[call-overload]
        codes = conn.execute(
            text(
                "SELECT c.code, count(*) FROM temp.search_hits h "
                "JOIN search_finding_codes c ON c.doc_rowid = h.doc_rowid GROUP BY c.code"
            )
        )
        counters["finding_codes"] = Counter({str(code): int(n) for code, n in codes})
        held = conn.execute(
            text(
                "SELECT m.dossier_id, count(*) FROM temp.search_hits h "
                "JOIN search_dossiers m ON m.doc_rowid = h.doc_rowid GROUP BY m.dossier_id"
            )
        )
        counters["dossier_id"] = Counter({int(dossier_id): int(n) for dossier_id, n in held})
        # Most frequent first, then by value: the order Elasticsearch's terms aggregation gives.
        return {name: sorted(counters[name].items(), key=lambda kv: (-kv[1], kv[0]))[:size] for name in FACET_FIELDS}
