"""inspect_file: the parsed summary and the fields of one file, as plain JSON-ready data.

Backs ``archive-service inspect FILE --json``; works without a server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from indexers.extract import extract_fields
from indexers.sandbox import parse_file_isolated
from schemas.parsed import ParsedDocument, TextLine

FIRST_LINES: Final = 30


def _line(line: TextLine) -> dict[str, object]:
    return {
        "index": line.index,
        "page": line.page,
        "region": line.region.value,
        "cell": line.cell.model_dump() if line.cell else None,
        "text": line.rendered_text,
        "font": line.font,
        "size_pt": line.size_pt,
        "bold": line.bold,
        "italic": line.italic,
        "underline": line.underline,
        "alignment": line.alignment.value,
        "has_bottom_border": line.has_bottom_border,
    }


def summarize(parsed: ParsedDocument) -> dict[str, object]:
    """The summary of a ParsedDocument: type, pages, page setup, OCR, signatures, first lines, fields."""
    return {
        "media_type": parsed.media_type,
        "page_count": parsed.page_count,
        "page_setup": parsed.page_setup.model_dump(mode="json"),
        "ocr": parsed.ocr,
        "ocr_confidence": parsed.ocr_confidence,
        "signatures": [s.model_dump(mode="json") for s in parsed.signatures],
        "line_count": len(parsed.lines),
        "warnings": list(parsed.warnings),
        "first_lines": [_line(line) for line in parsed.lines[:FIRST_LINES]],
        "fields": extract_fields(parsed).model_dump(mode="json"),
    }


def inspect_file(path: Path) -> dict[str, object]:
    """Parse ``path`` in a sandbox and summarise it; a refused file raises ParseError (its code)."""
    parsed = parse_file_isolated(Path(path))
    return {"file": str(path), **summarize(parsed)}
