"""Reading the audit trail: who did what, filtered, for auditors and admins (API, web page, CLI).

An event about a document the reader may not see keeps its who, when and what, but not its details (file
name, dossier, changes); so does an event whose details were seen at a higher clearance than the reader's
(how many hits a search had, which documents a dossier showed): the trail must not become a way around
clearance. Reading the trail is itself audited. The CLI is the operator's own access to the catalog and reads
everything. The API and the web page call ``read_trail`` and ``export_trail``, which hold their transaction;
the CLI calls ``list_events`` and ``export_csv`` inside its own.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Final

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from archive_service.audit.labels import action_label
from archive_service.catalog import accounts, audit
from archive_service.catalog.access import Principal, readable_document_ids
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Office, Role, User
from archive_service.csv_cells import SafeCsvWriter
from archive_service.errors import AppError, Forbidden, NotFound
from archive_service.reports.files import FileDownload
from archive_service.services import Services
from schemas.audit import AuditEventOut

MAX_PAGE: Final = 1000
MAX_EXPORT: Final = 100_000
EXPORT_FILENAME: Final = "nhat-ky-truy-cap.csv"


class BadTrailQuery(AppError):
    """A filter of the trail that cannot be answered (a period that ends before it starts, a date unread).

    422 on every edge, as the API answers any other query parameter it cannot use.
    """

    status_code = 422


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; every field optional. ``action`` ending in "*" matches a prefix ("document.*")."""

    username: str | None = None
    office_code: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def as_details(self) -> dict[str, str]:
        values = {
            "user": self.username,
            "office": self.office_code,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "action": self.action,
            "from": self.since.isoformat() if self.since else None,
            "to": self.until.isoformat() if self.until else None,
        }
        return {k: v for k, v in values.items() if v}


def day_start(day: date | None) -> datetime | None:
    """The first instant of ``day`` (UTC), for a filter's ``since``."""
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def day_end(day: date | None) -> datetime | None:
    """The last instant of ``day`` (UTC), for a filter's ``until``: a period "to" a day includes it."""
    return datetime.combine(day, time.max, tzinfo=UTC) if day else None


def bad_date() -> BadTrailQuery:
    """The refusal of a date the caller typed that is no date (the edges parse their own formats)."""
    return BadTrailQuery("AUDIT-BAD-DATE", "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/03/2024.")


def check_period(f: AuditFilter) -> None:
    """AUDIT-BAD-PERIOD when the period ends before it starts."""
    if f.since and f.until and f.since > f.until:
        raise BadTrailQuery("AUDIT-BAD-PERIOD", "Ngày bắt đầu phải trước ngày kết thúc.")


def may_read_trail(principal: Principal | None) -> bool:
    """Auditors and admins read the trail; None is the operator at the command line."""
    return principal is None or principal.role in {Role.ADMIN, Role.AUDITOR}


def _where(session: Session, f: AuditFilter) -> ColumnElement[bool]:
    check_period(f)
    conditions: list[ColumnElement[bool]] = []
    if f.username:
        user = accounts.find_user(session, f.username)
        conditions.append(AuditEvent.user_id == (user.id if user is not None else -1))
    if f.office_code:
        office = accounts.find_office(session, f.office_code)
        if office is None:
            raise NotFound("OFFICE-NOT-FOUND", f"Không có đơn vị mã {f.office_code}.")
        conditions.append(AuditEvent.office_id == office.id)
    if f.object_type:
        conditions.append(AuditEvent.object_type == f.object_type)
    if f.object_id:
        conditions.append(AuditEvent.object_id == f.object_id)
    if f.action:
        if f.action.endswith("*"):
            conditions.append(AuditEvent.action.startswith(f.action[:-1], autoescape=True))
        else:
            conditions.append(AuditEvent.action == f.action)
    if f.since:
        conditions.append(AuditEvent.at >= f.since)
    if f.until:
        conditions.append(AuditEvent.at <= f.until)
    return and_(True, *conditions)


def _page(where: ColumnElement[bool]) -> Select[AuditEvent, str, str]:
    return (
        select(AuditEvent, User.username, Office.code)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Office, Office.id == AuditEvent.office_id)
        .where(where)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )


def _out(
    session: Session, principal: Principal | None, rows: list[tuple[AuditEvent, str | None, str | None]]
) -> list[AuditEventOut]:
    doc_ids = {i for e, _, _ in rows if (i := _document_id(e)) is not None}
    readable = doc_ids if principal is None else readable_document_ids(session, principal, doc_ids)
    items = []
    for event, username, office_code in rows:
        hidden = (event.object_type == "document" and _document_id(event) not in readable) or _seen_above(
            event, principal
        )
        items.append(
            AuditEventOut(
                id=event.id,
                at=event.at,
                user_id=event.user_id,
                username=username,
                action=event.action,
                action_label=action_label(event.action),
                object_type=event.object_type,
                object_id=event.object_id,
                office_code=office_code,
                client_addr=event.client_addr,
                details=None if hidden else event.details,
                redacted=hidden and event.details is not None,
            )
        )
    return items


def _document_id(event: AuditEvent) -> int | None:
    """The document an event is about, or None (another object, or an id that names no document)."""
    if event.object_type != "document" or not event.object_id or not event.object_id.isdigit():
        return None
    value = int(event.object_id)
    return value if value < 2**63 else None


def _seen_above(event: AuditEvent, reader: Principal | None) -> bool:
    """Whether the event's details were seen at a clearance above the reader's (counts, ids of secrets)."""
    seen = (event.details or {}).get(audit.SEEN_AT_CLEARANCE)
    return reader is not None and isinstance(seen, int) and seen > reader.clearance


def _require(principal: Principal | None) -> None:
    if not may_read_trail(principal):
        raise Forbidden("AUTH-FORBIDDEN-ROLE", "Chỉ kiểm tra viên và quản trị được xem nhật ký truy cập.")


def list_events(
    session: Session,
    principal: Principal | None,
    f: AuditFilter,
    *,
    limit: int,
    offset: int,
    addr: str | None,
    via: str,
) -> tuple[list[AuditEventOut], int]:
    """A page of the trail, newest first, with the total; the reading leaves an event of its own."""
    _require(principal)
    where = _where(session, f)
    total = int(session.scalar(select(func.count()).select_from(AuditEvent).where(where)) or 0)
    rows = [tuple(r) for r in session.execute(_page(where).limit(min(limit, MAX_PAGE)).offset(offset))]
    items = _out(session, principal, rows)  # type: ignore[arg-type]
    audit.record(
        session,
        principal=principal,
        action="audit.read",
        object_type="audit",
        object_id=None,
        client_addr=addr,
        details={"via": via, "filter": f.as_details(), "total": total},
    )
    return items, total


CSV_HEADER: Final = [
    "Mã sự kiện",
    "Thời điểm (UTC)",
    "Người dùng",
    "Hành động",
    "Mã hành động",
    "Loại đối tượng",
    "Mã đối tượng",
    "Đơn vị",
    "Địa chỉ máy",
    "Chi tiết",
]


def export_csv(session: Session, principal: Principal | None, f: AuditFilter, *, addr: str | None, via: str) -> bytes:
    """Every matching event (up to MAX_EXPORT) as CSV (UTF-8 with BOM for Excel); the export is audited."""
    _require(principal)
    where = _where(session, f)
    rows = [tuple(r) for r in session.execute(_page(where).limit(MAX_EXPORT))]
    items = _out(session, principal, rows)  # type: ignore[arg-type]
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for item in items:
        details = "(ẩn: văn bản vượt quyền xem)" if item.redacted else (_details_text(item.details))
        writer.writerow(
            [
                item.id,
                item.at.isoformat(timespec="seconds"),
                item.username or "",
                item.action_label,
                item.action,
                item.object_type,
                item.object_id or "",
                item.office_code or "",
                item.client_addr or "",
                details,
            ]
        )
    audit.record(
        session,
        principal=principal,
        action="audit.export",
        object_type="audit",
        object_id=None,
        client_addr=addr,
        details={"via": via, "filter": f.as_details(), "rows": len(items)},
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _details_text(details: dict[str, object] | None) -> str:
    if not details:
        return ""
    return json.dumps(details, ensure_ascii=False, sort_keys=True)


def read_trail(
    services: Services,
    principal: Principal | None,
    f: AuditFilter,
    *,
    limit: int,
    offset: int,
    addr: str | None,
    via: str,
) -> tuple[list[AuditEventOut], int]:
    """A page of the trail for an auditor or admin (None: the operator at the command line), with the total; the
    reading is audited in the same transaction."""
    with transaction(services.factory) as session:
        return list_events(session, principal, f, limit=limit, offset=offset, addr=addr, via=via)


def export_trail(
    services: Services, principal: Principal | None, f: AuditFilter, *, addr: str | None, via: str
) -> FileDownload:
    """Every matching event as the CSV file ``nhat-ky-truy-cap.csv``; the export is audited."""
    with transaction(services.factory) as session:
        body = export_csv(session, principal, f, addr=addr, via=via)
    return FileDownload(body=body, filename=EXPORT_FILENAME, media_type="text/csv; charset=utf-8")
