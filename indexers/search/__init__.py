"""The search index: one ``SearchIndex`` interface, on SQLite FTS5 (embedded) or Elasticsearch (production).

Vietnamese text is indexed as written and folded (``fold_chars``), so 'quyet dinh' finds 'Quyết định'
and an exact-diacritic match ranks first; số và ký hiệu is matched on a normalised ``symbol_key``.

Import the modules themselves (``indexers.search.base``, ``.fts5``, ``.elastic``): this package imports nothing,
so that a process on the embedded backend never loads the Elasticsearch client (~0.3 s at start).
"""
