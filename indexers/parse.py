"""parse_file: any uploaded file → ParsedDocument, or a ParseError with its code.

The type is sniffed from the bytes (never the name). ``parse_file_isolated`` runs the same in a
child process with a time and memory budget, for files from outside. This module is the one name
callers import; the in-process reading lives in ``indexers.parse_inprocess`` and the child process in
``indexers.sandbox``, which imports the former, never this module (no import cycle).
"""

from __future__ import annotations

from indexers.parse_inprocess import MAX_FILE_BYTES, parse_file
from indexers.sandbox import ocr_page_isolated, parse_file_isolated

__all__ = ["MAX_FILE_BYTES", "ocr_page_isolated", "parse_file", "parse_file_isolated"]
