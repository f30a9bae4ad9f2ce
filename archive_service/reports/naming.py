"""The file names of a report's exports (kept apart from the renderers, which import fpdf and openpyxl)."""

from __future__ import annotations

from archive_service.reports.model import Report


def report_filename(report: Report, extension: str) -> str:
    """An ASCII file name such as ``bao-cao-VPTU-2024-01-01_2024-12-31.pdf``."""
    s = report.scope
    parts = ["bao-cao"]
    if s.kind == "document":
        parts.append(f"van-ban-{s.document_id}")
    elif s.kind == "dossier":
        parts.append(f"ho-so-{s.dossier_id}")
    else:
        parts.append(s.office_code or "tat-ca-don-vi")
        if s.date_from or s.date_to:
            parts.append(f"{s.date_from or ''}_{s.date_to or ''}")
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in "-".join(parts))
    return f"{safe}.{extension}"
