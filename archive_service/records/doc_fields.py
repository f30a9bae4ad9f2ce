"""A document's extracted elements (``Document.fields``, 36-HD/VPTW) as the records' lists read them: trimmed
text, and the ngày ban hành as a date — one reading for the closing checklist and the sheets closing makes."""

from __future__ import annotations

from datetime import date

from archive_service.catalog.models import Document


def field_text(doc: Document, name: str) -> str:
    """The element ``name`` as trimmed text; "" when it was not read."""
    value = (doc.fields or {}).get(name)
    return str(value).strip() if value else ""


def issued_on(doc: Document) -> date | None:
    """The ngày ban hành; None when it was not read or is not an ISO date."""
    text = field_text(doc, "issued_on")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
