"""Reports on format and authority findings: per document, per dossier, per office and period.

Computed once (``compute``) into a ``Report`` value, then drawn as HTML (the web pages), CSV, JSON,
PDF and SVG charts.
"""
