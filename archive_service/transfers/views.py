"""Reading transfers: their view (dossiers' codes and titles only, no document detail), with the office rule.

A transfer of an office the caller may not read is 404 exactly like a missing one (catalog/access.py); the labels
are the Vietnamese names the web and the API show for its state and target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal
from archive_service.catalog.models import Dossier, Office, Role, Transfer
from archive_service.errors import AppError, NotFound, Refusal
from archive_service.records import retention as ret

RECEIVER_ROLES: Final = (Role.ADMIN, Role.ARCHIVIST)
TARGET_STEPS: Final = {"office-archive": "transfer-office", "historical-archive": "transfer-historical"}

STATE_LABELS: Final = {
    "sent": "Đã gửi, chờ xác nhận",
    "confirmed": "Bên nhận đã xác nhận",
    "cancelled": "Đã hủy",
    "received": "Đã nhận",
}

TARGET_LABELS: Final = {
    "office-archive": "Lưu trữ cơ quan",
    "historical-archive": "Kho lưu trữ cấp ủy",
}


@dataclass(frozen=True)
class TransferView:
    """A transfer as its callers see it (no document detail: only dossiers' codes and titles)."""

    id: int
    office_code: str
    target: str
    state: str
    dossier_ids: list[int]
    file_codes: list[str]
    bag_name: str
    bag_digest: str
    created_at: datetime
    confirmed_at: datetime | None
    receipt: dict[str, Any] | None


@dataclass(frozen=True)
class Candidate:
    """A dossier the caller could put into a transfer now (the web form's choices)."""

    id: int
    file_code: str | None
    title: str
    state: str
    retention_label: str


def bad_target(target: str) -> AppError:
    return AppError(
        "TRANSFER-TARGET-INVALID",
        f"Nơi nhận “{target}” không hợp lệ: ghi “office-archive” (lưu trữ cơ quan) hoặc “historical-archive” "
        "(kho lưu trữ cấp ủy).",
        status_code=422,
    )


def not_found(transfer_id: int, refusal: Refusal | None = None) -> NotFound:
    return NotFound("TRANSFER-NOT-FOUND", f"Không tìm thấy đợt nộp lưu số {transfer_id}.", refusal=refusal)


def file_notation(dossier: Dossier) -> str:
    return dossier.file_code or str(dossier.id)


def year_of(dossier: Dossier) -> int:
    for day in (dossier.start_date, dossier.meeting_date, dossier.end_date):
        if day is not None:
            return day.year
    moment = dossier.closed_at or dossier.created_at
    return moment.year


def file_code_of(dossier: Dossier, organ_id: str) -> str:
    """Mã hồ sơ (Phụ lục VI): OrganId + năm + số và ký hiệu hồ sơ, as ho-so.xml writes it."""
    return f"{organ_id}.{year_of(dossier)}.{file_notation(dossier)}"


def view_of(session: Session, t: Transfer) -> TransferView:
    codes = {o.id: o.code for o in session.scalars(select(Office))}
    ids = [int(i) for i in t.dossier_ids]
    rows = {d.id: d for d in session.scalars(select(Dossier).where(Dossier.id.in_(ids)))}
    file_codes = [file_code_of(rows[i], codes[rows[i].office_id]) for i in ids if i in rows]
    return TransferView(
        id=t.id,
        office_code=codes.get(t.office_id, ""),
        target=t.target,
        state=t.state,
        dossier_ids=ids,
        file_codes=file_codes,
        bag_name=t.bag_name,
        bag_digest=t.bag_digest,
        created_at=t.created_at,
        confirmed_at=t.confirmed_at,
        receipt=t.receipt,
    )


def readable_row(session: Session, principal: Principal, transfer_id: int) -> Transfer:
    """The transfer row when the caller may see its office (404 as a missing one otherwise)."""
    transfer = session.get(Transfer, transfer_id)
    if transfer is None:
        raise not_found(transfer_id)
    if not principal.sees_every_office and transfer.office_id != principal.office_id:
        raise not_found(transfer_id, Refusal(principal.user_id, "transfer", str(transfer_id), transfer.office_id))
    return transfer


def readable_views(session: Session, principal: Principal) -> list[TransferView]:
    """The transfers of the offices the caller may read, newest first (sent, received, confirmed, cancelled)."""
    query = select(Transfer).order_by(Transfer.id.desc())
    if not principal.sees_every_office:
        query = query.where(Transfer.office_id == principal.office_id)
    return [view_of(session, t) for t in session.scalars(query)]


def candidate_rows(session: Session, principal: Principal) -> list[Candidate]:
    """The closed, kept-back and office-archive dossiers of the offices the caller may write (empty for readers)."""
    if principal.role not in RECEIVER_ROLES:
        return []
    query = select(Dossier).where(Dossier.state.in_(["closed", "kept-by-unit", "office-archive"])).order_by(Dossier.id)
    if principal.role is not Role.ADMIN:
        query = query.where(Dossier.office_id == principal.office_id)
    return [
        Candidate(
            d.id, d.file_code, d.title, d.state, ret.parse(d.retention).label if ret.is_valid(d.retention) else ""
        )
        for d in session.scalars(query.limit(1000))
    ]


__all__ = [
    "RECEIVER_ROLES",
    "STATE_LABELS",
    "TARGET_LABELS",
    "TARGET_STEPS",
    "Candidate",
    "TransferView",
    "bad_target",
    "file_code_of",
    "not_found",
    "readable_row",
    "readable_views",
    "view_of",
]
