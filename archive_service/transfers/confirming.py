"""Closing a sent transfer: confirmed by the receiving side's receipt for this very bag, or cancelled.

NĐ 30/2020 Điều 31: the dossiers are handed over when the archive has checked and accepted them, so they change
state (through the lifecycle, each move audited) only when the receipt names this bag's digest, this transfer and
exactly its dossiers; a transfer is confirmed or cancelled once, while it is still "sent".
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from archive_service.catalog import audit
from archive_service.catalog.access import Principal
from archive_service.catalog.models import Dossier, Role, Transfer
from archive_service.errors import AppError, Conflict
from archive_service.records import lifecycle
from archive_service.transfers.views import STATE_LABELS, TARGET_STEPS, not_found, readable_row, view_of


def writable_sent(session: Session, principal: Principal, transfer_id: int) -> Transfer:
    """The transfer if the caller may change it and it still waits for its receipt (404/403/409 otherwise)."""
    principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    transfer = readable_row(session, principal, transfer_id)
    principal.require_write(
        object_type="transfer", object_id=transfer.id, office_id=transfer.office_id, what="đợt nộp lưu"
    )
    if transfer.state != "sent":
        raise Conflict(
            "TRANSFER-STATE-INVALID",
            f"Đợt nộp lưu số {transfer.id} đang ở trạng thái “{STATE_LABELS.get(transfer.state, transfer.state)}”: "
            "chỉ đợt đã gửi, chưa xác nhận mới xác nhận hoặc hủy được.",
        )
    return transfer


def _mismatch(transfer: Transfer, expected_codes: list[str], receipt: dict[str, Any]) -> str | None:
    if not isinstance(receipt, dict):
        return "biên nhận không phải là một đối tượng JSON"
    if receipt.get("bag_digest") != transfer.bag_digest:
        return "mã gói (bag_digest) trong biên nhận khác với gói đã gửi"
    if str(receipt.get("external_identifier", "")) != str(transfer.id):
        return f"biên nhận ghi số đợt {receipt.get('external_identifier')!r}, không phải {transfer.id}"
    codes = receipt.get("file_codes")
    if not isinstance(codes, list) or sorted(str(c) for c in codes) != sorted(expected_codes):
        return "danh sách mã hồ sơ trong biên nhận khác với các hồ sơ đã gửi"
    return None


def _audit(
    session: Session, principal: Principal, transfer: Transfer, action: str, details: dict[str, Any], addr: str | None
) -> None:
    audit.record(
        session,
        principal=principal,
        action=action,
        object_type="transfer",
        object_id=transfer.id,
        client_addr=addr,
        details=details,
        office_id=transfer.office_id,
    )


def confirm(
    session: Session,
    principal: Principal,
    transfer: Transfer,
    receipt: dict[str, Any],
    *,
    addr: str | None,
    moment: datetime,
) -> None:
    """Check the receipt, then move every dossier to the target state; audited ``transfer.confirm``."""
    problem = _mismatch(transfer, view_of(session, transfer).file_codes, receipt)
    if problem is not None:
        raise Conflict(
            "TRANSFER-RECEIPT-MISMATCH",
            f"Biên nhận không khớp với đợt nộp lưu số {transfer.id}: {problem}. Hồ sơ không được chuyển trạng thái.",
        )
    step = TARGET_STEPS[transfer.target]
    for dossier_id in transfer.dossier_ids:
        dossier = session.get(Dossier, int(dossier_id))
        if dossier is None:
            raise not_found(transfer.id)
        lifecycle.move(session, principal, dossier, step, addr=addr, details={"transfer_id": transfer.id})
    transfer.state = "confirmed"
    transfer.confirmed_by = principal.user_id
    transfer.confirmed_at = moment
    transfer.receipt = receipt
    details = {"bag_digest": transfer.bag_digest, "dossier_ids": transfer.dossier_ids}
    _audit(session, principal, transfer, "transfer.confirm", details, addr)


def cancel(session: Session, principal: Principal, transfer: Transfer, *, addr: str | None) -> None:
    """Withdraw the transfer (its dossiers stay where they are); audited ``transfer.cancel``."""
    transfer.state = "cancelled"
    _audit(session, principal, transfer, "transfer.cancel", {"dossier_ids": transfer.dossier_ids}, addr)


def read_receipt(path: Path) -> dict[str, Any]:
    """A receipt.json from disk (the CLI and the web upload), or 422 in Vietnamese."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AppError(
            "TRANSFER-RECEIPT-INVALID", f"Không đọc được biên nhận {path.name}: {exc}.", status_code=422
        ) from None
    if not isinstance(data, dict):
        raise AppError("TRANSFER-RECEIPT-INVALID", "Biên nhận phải là một đối tượng JSON.", status_code=422)
    return data


__all__ = ["cancel", "confirm", "read_receipt", "writable_sent"]
