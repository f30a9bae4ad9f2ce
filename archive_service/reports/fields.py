"""The extracted elements of a document (DocumentFields as stored JSON) as labelled Vietnamese values."""

from __future__ import annotations

from datetime import date
from typing import Any

from archive_service.reports.labels import FIELD_LABELS
from archive_service.reports.model import FieldItem

MISSING = "—"


def format_date(value: date | None) -> str:
    """dd/mm/yyyy, the way an office writes a date in a table."""
    return value.strftime("%d/%m/%Y") if value else MISSING


def issued_on(fields: dict[str, Any] | None) -> date | None:
    """The ngày ban hành stored in the fields JSON, if any."""
    raw = (fields or {}).get("issued_on")
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None


def symbol(fields: dict[str, Any] | None) -> str | None:
    """Số và ký hiệu, e.g. "125-NQ/TU" (built from its parts, or the line as written)."""
    f = fields or {}
    number, type_code, issuer_code = f.get("number"), f.get("type_code"), f.get("issuer_code")
    if number and type_code:
        return f"{number}-{type_code}" + (f"/{issuer_code}" if issuer_code else "")
    line = f.get("number_line")
    return str(line) if line else None


def field_items(fields: dict[str, Any] | None) -> list[FieldItem]:
    """Số và ký hiệu, Cơ quan ban hành, … Độ khẩn: every element in the order of 36-HD/VPTW."""
    f = fields or {}

    def text(key: str) -> str:
        value = f.get(key)
        return str(value) if value else MISSING

    signer = " ".join(str(p) for p in (f.get("signer_title"), f.get("signer_name")) if p) or MISSING
    recipients = f.get("recipients") or []
    values = {
        "number_line": text("number_line"),
        "issuer": text("issuer"),
        "document_type": text("document_type"),
        "summary": text("summary"),
        "place": text("place"),
        "issued_on": format_date(issued_on(f)) if issued_on(f) else text("date_line"),
        "signing_form": text("signing_form"),
        "signer": signer,
        "recipients": "\n".join(str(r) for r in recipients) if recipients else MISSING,
        "secrecy": text("secrecy"),
        "urgency": text("urgency"),
    }
    return [FieldItem(label=FIELD_LABELS[key], value=value) for key, value in values.items()]
