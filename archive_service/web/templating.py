"""Jinja2 templates with the filters every page uses (dates in Vietnam time, Vietnamese labels)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import HTMLResponse

from archive_service.audit.labels import action_label
from archive_service.jobs.service import queue_badge
from archive_service.reports import labels
from archive_service.reports.svg import month_label
from archive_service.reports.text import local_time, period_text, scope_period_text
from archive_service.web.auth import WebUser
from archive_service.web.dates import as_input
from schemas.code_labels import code_label
from schemas.signature_state import SHORT_LABELS, signature_state

TEMPLATES_DIR: Final = Path(__file__).parent / "templates"
STATIC_DIR: Final = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def _date(value: date | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = local_time(value).date()
    return value.strftime("%d/%m/%Y")


def _datetime(value: datetime | None) -> str:
    return local_time(value).strftime("%d/%m/%Y %H:%M") if value else "—"


def _size(value: int) -> str:
    """A file size the way people say it: 37,8 KB (Vietnamese decimal comma)."""
    size = float(value)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}".replace(".", ",")
        size /= 1024
    return f"{size:.1f} GB".replace(".", ",")


def _details(details: dict[str, Any] | None) -> str:
    """An audit event's details as people read them: "key: value" pairs, Vietnamese kept as written."""
    if not details:
        return ""
    parts = []
    for key, value in details.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    return " · ".join(parts)


def _labelled_code(code: str) -> Markup:
    """A code as archivists read it: its Vietnamese label first, then the code itself, small (programs and
    support still quote the code)."""
    return Markup('<span class="code-label">{}</span> <code class="code">{}</code>').format(code_label(code), code)


def signature_short(parse_info: Any) -> str:
    """A document's signatures in one or two words for a table ("Hợp lệ", "Không có"); "—" before it is read."""
    if not isinstance(parse_info, dict):
        return "—"
    rows = parse_info.get("signatures")
    state = signature_state([r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else [])
    return SHORT_LABELS[state]


def _query(params: dict[str, Any], **changes: Any) -> str:
    """The query string of ``params`` with ``changes`` (None removes a key)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


env = templates.env
env.filters.update(
    date_vi=_date,
    date_input=as_input,
    datetime_vi=_datetime,
    filesize=_size,
    severity=labels.severity_label,
    validation=labels.validation_label,
    doc_status=labels.status_label,
    meeting_body=lambda v: labels.MEETING_BODY_LABELS.get(v, v),
    secrecy=lambda v: labels.SECRECY_LABELS.get(v, str(v)),
    role=lambda v: labels.ROLE_LABELS.get(str(v), str(v)),
    retention=lambda v: labels.RETENTION_LABELS.get(v, v),
    month=month_label,
    audit_action=action_label,
    audit_details=_details,
    code_label=code_label,
    signature_short=signature_short,
)
env.globals.update(
    query=_query,
    labelled_code=_labelled_code,
    period_text=period_text,
    scope_period_text=scope_period_text,
    RETENTION_LABELS=labels.RETENTION_LABELS,
)


def render(
    request: Request,
    name: str,
    *,
    user: WebUser | None,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """A page: the template with the caller, their CSRF token, the active section (and an admin's queue badge)."""
    context = {"user": user, "csrf_token": user.csrf_token if user else "", **values}
    if user is not None:
        context.setdefault("queue_badge", queue_badge(request.app.state.services, user.principal))
    return templates.TemplateResponse(request, name, context, status_code=status_code)
