"""The SQLite tables behind the FTS5 search index, all prefixed ``search_``.

- ``search_documents``: one narrow row per document: metadata for filters, facets, sorting and ``verify``
  (the trích yếu and text live only in the FTS tables, so filter and facet scans stay in cache).
- ``search_finding_codes``: the rule codes of each document (a facet and a filter).
- ``search_dossiers``: every dossier that holds each document now (the dossier filter and facet); a
  document filed in one dossier and linked into two more has three rows.
- ``search_layout``: the layout version the tables were built with; an older one (or none) means a rebuild.
- ``search_meta``: one row: this generation's token (new at each rebuild) and the highest rowid ever given in it;
  rowids are never given twice, so a rowid's values never change (``fts5_facets`` holds them in memory).
- ``search_fts_exact``: title fields and text as written (NFC), tokenised keeping diacritics.
- ``search_fts_folded``: the same folded by ``fold_chars`` (no diacritics, đ → d), so 'quyet' finds
  'Quyết'. Its text has the same length as the original, so a snippet maps back to the original.

The FTS rowid is ``search_documents.doc_rowid``.
"""

from __future__ import annotations

from typing import Final

# Version 2: ``search_dossiers`` (before it, one dossier per document in ``search_documents.dossier_id``).
# Version 3: ``search_documents.signature_state`` (the signature filter); an older file is rebuilt.
LAYOUT_VERSION: Final = 3
FTS_COLUMNS: Final = ("text", "summary", "document_type", "issuer", "symbol")
# bm25 weights, in FTS_COLUMNS order: trích yếu counts most, then tên loại.
COLUMN_WEIGHTS: Final = (1.0, 3.0, 2.0, 1.0, 1.0)

TABLES: Final = (
    "search_documents",
    "search_finding_codes",
    "search_dossiers",
    "search_fts_exact",
    "search_fts_folded",
    "search_layout",
    "search_meta",
)


def create_statements(suffix: str = "") -> list[str]:
    """DDL for one generation of the tables; ``suffix`` names the generation a reindex builds."""
    cols = ", ".join(FTS_COLUMNS)
    return [
        f"""CREATE TABLE IF NOT EXISTS search_documents{suffix} (
            doc_rowid INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL UNIQUE,
            office_id INTEGER NOT NULL,
            dossier_id INTEGER,
            filename TEXT NOT NULL,
            document_type TEXT,
            number TEXT,
            type_code TEXT,
            issuer_code TEXT,
            symbol TEXT,
            symbol_key TEXT,
            issuer TEXT,
            issued_on TEXT,
            year INTEGER,
            secrecy INTEGER NOT NULL,
            validation_status TEXT NOT NULL,
            uploaded_at TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            signature_state TEXT NOT NULL DEFAULT 'unsigned'
        )""",
        f"""CREATE TABLE IF NOT EXISTS search_finding_codes{suffix} (
            doc_rowid INTEGER NOT NULL,
            code TEXT NOT NULL,
            PRIMARY KEY (doc_rowid, code)
        ) WITHOUT ROWID""",
        f"""CREATE TABLE IF NOT EXISTS search_dossiers{suffix} (
            doc_rowid INTEGER NOT NULL,
            dossier_id INTEGER NOT NULL,
            PRIMARY KEY (doc_rowid, dossier_id)
        ) WITHOUT ROWID""",
        f"""CREATE TABLE IF NOT EXISTS search_layout{suffix} (version INTEGER NOT NULL)""",
        f"""CREATE TABLE IF NOT EXISTS search_meta{suffix} (generation TEXT NOT NULL, last_rowid INTEGER NOT NULL)""",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_exact{suffix}
            USING fts5({cols}, tokenize = 'unicode61 remove_diacritics 0')""",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_folded{suffix}
            USING fts5({cols}, tokenize = 'unicode61 remove_diacritics 2')""",
    ]


# Columns a later layout added to ``search_documents``, as ``ALTER TABLE … ADD COLUMN`` gives them to the tables of
# an older file: its searches keep working (every row with the default) until the rebuild fills them.
ADDED_COLUMNS: Final = {"signature_state": "TEXT NOT NULL DEFAULT 'unsigned'"}


# Per search: every match the caller may see, with what sorting and facets read, so that neither goes
# back to search_documents for more than one page of rows.
HITS_TABLE: Final = """CREATE TEMP TABLE search_hits (
    doc_rowid INTEGER PRIMARY KEY, score REAL NOT NULL, document_id TEXT NOT NULL, issued_on TEXT,
    document_type TEXT, issuer TEXT, office_id INTEGER, year INTEGER, validation_status TEXT,
    dossier_id INTEGER, uploaded_at TEXT, signature_state TEXT
)"""
HITS_COLUMNS: Final = ", ".join(
    (
        "doc_rowid",
        "score",
        "document_id",
        "issued_on",
        "document_type",
        "issuer",
        "office_id",
        "year",
        "validation_status",
        "dossier_id",
        "uploaded_at",
        "signature_state",
    )
)

# Created on the live tables only (index names are global in SQLite, so a reindex builds them after the swap).
INDEX_STATEMENTS: Final = (
    "CREATE INDEX IF NOT EXISTS search_documents_symbol_key ON search_documents (symbol_key)",
    "CREATE INDEX IF NOT EXISTS search_documents_office ON search_documents (office_id, secrecy)",
    "CREATE INDEX IF NOT EXISTS search_documents_issued_on ON search_documents (issued_on)",
    "CREATE INDEX IF NOT EXISTS search_documents_dossier ON search_documents (dossier_id)",
    "CREATE INDEX IF NOT EXISTS search_finding_codes_code ON search_finding_codes (code)",
    "CREATE INDEX IF NOT EXISTS search_dossiers_dossier ON search_dossiers (dossier_id)",
)
