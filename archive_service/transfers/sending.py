"""Sending a transfer: who may send which dossier where, then the bag written and the transfer recorded as sent.

NĐ 30/2020 Điều 30: only dossiers kept 5 years or more go to the office archive (shorter ones stay with the unit
until they expire); only permanent ones go to the historical archive (Luật Lưu trữ 2024; 270-QĐ/TW). Every dossier
is checked before any byte is written; the dossiers do not move until the receipt comes back (confirming.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import audit
from archive_service.catalog import dossiers as dossier_rows
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Dossier, Office, RecordFile, Transfer
from archive_service.errors import AppError, Conflict, NotFound, Refusal
from archive_service.records import lifecycle, locking
from archive_service.records import retention as ret
from archive_service.records.files import store_record_file
from archive_service.services import Services
from archive_service.transfers.bag import export_bag
from archive_service.transfers.bag_archive import store_bag_zip
from archive_service.transfers.packing import Packed, held_documents, pack
from archive_service.transfers.views import TARGET_STEPS, TransferView, view_of


def transferable(session: Session, principal: Principal, dossier_id: int, target: str) -> Dossier:
    """The dossier if this caller may send it there now: 404 unreadable, 403 unwritable, 409 state/hold/retention,
    404 when it holds a document above the caller's clearance (its details must not leave through them)."""
    dossier = dossier_rows.get_readable(session, principal=principal, dossier_id=dossier_id)
    principal.require_write(object_type="dossier", object_id=dossier.id, office_id=dossier.office_id, what="hồ sơ")
    lifecycle.check(session, principal, dossier, TARGET_STEPS[target])
    kept = ret.parse(dossier.retention)
    if target == "office-archive" and not kept.goes_to_office_archive():
        raise Conflict(
            "TRANSFER-RETENTION-SHORT",
            f"Hồ sơ số {dossier.id} có thời hạn bảo quản {kept.label}: chỉ hồ sơ bảo quản từ 5 năm trở lên mới nộp "
            "lưu vào lưu trữ cơ quan; hồ sơ ngắn hơn do đơn vị giữ đến hết hạn (NĐ 30/2020 Điều 30).",
        )
    if target == "historical-archive" and not kept.permanent:
        raise Conflict(
            "TRANSFER-NOT-PERMANENT",
            f"Hồ sơ số {dossier.id} có thời hạn bảo quản {kept.label}: chỉ hồ sơ bảo quản vĩnh viễn mới nộp lưu "
            "vào kho lưu trữ cấp ủy (Luật Lưu trữ 2024; 270-QĐ/TW).",
        )
    highest = max((d.secrecy_level for d in held_documents(session, dossier)), default=0)
    if highest > principal.clearance:
        raise NotFound(
            "TRANSFER-NOT-CLEARED",
            f"Không nộp lưu được hồ sơ số {dossier.id}: chỉ người được xem mọi văn bản của hồ sơ mới được lập gói "
            "nộp lưu của hồ sơ đó.",
            refusal=Refusal(principal.user_id, "dossier", str(dossier.id), dossier.office_id),
        )
    return dossier


def _one_office(session: Session, rows: list[Dossier]) -> Office:
    if len({d.office_id for d in rows}) > 1:
        raise AppError(
            "TRANSFER-MIXED-OFFICES",
            "Một đợt nộp lưu chỉ gồm hồ sơ của một đơn vị: hãy lập gói riêng cho từng đơn vị.",
            status_code=422,
        )
    office = session.get(Office, rows[0].office_id)
    assert office is not None
    return office


def _store_sheets(
    services: Services, session: Session, principal: Principal, transfer: Transfer, packed: Packed
) -> list[RecordFile]:
    """The mục lục and biên bản PDFs kept as the transfer's record files (the sender's copy of what it sent)."""
    return [
        store_record_file(
            services.blobs,
            session,
            owner_type="transfer",
            owner_id=transfer.id,
            kind=kind,
            filename=filename,
            media_type="application/pdf",
            data=data,
            principal=principal,
        )
        for kind, filename, data in (
            ("muc-luc-ho-so-nop-luu", f"Mục lục hồ sơ nộp lưu số {transfer.id}.pdf", packed.muc_luc),
            ("bien-ban-giao-nhan", f"Biên bản giao nhận số {transfer.id}.pdf", packed.bien_ban),
        )
    ]


def _send(
    services: Services,
    session: Session,
    principal: Principal,
    rows: list[Dossier],
    *,
    target: str,
    out_dir: Path,
    addr: str | None,
    moment: datetime,
    written: list[Path],
) -> TransferView:
    """The transfer row, its bag (its path put in ``written`` before a byte is written), its sheets, the audit."""
    office = _one_office(session, rows)
    ids = [d.id for d in rows]
    transfer = Transfer(
        office_id=office.id,
        target=target,
        state="sent",
        dossier_ids=ids,
        bag_name="",
        bag_digest="",
        created_by=principal.user_id,
        created_at=moment,
    )
    session.add(transfer)
    session.flush()
    packed = pack(session, services, transfer, office, rows, moment)
    out_dir.mkdir(parents=True, exist_ok=True)
    bag_path = out_dir / packed.bag_name
    written.append(bag_path)
    digest = export_bag(bag_path, packed.payload, packed.metadata_xml, packed.bag_info)
    transfer.bag_name = packed.bag_name
    transfer.bag_digest = digest
    store_bag_zip(services, transfer, bag_path)  # any server can send it, not only the one that wrote the folder
    stored = _store_sheets(services, session, principal, transfer, packed)
    locking.lock_record_files(session, services.blobs, stored, rows, now=moment)
    audit.record(
        session,
        principal=principal,
        action="transfer.export",
        object_type="transfer",
        object_id=transfer.id,
        client_addr=addr,
        details={"target": target, "dossier_ids": ids, "bag_name": packed.bag_name, "bag_digest": digest},
        office_id=office.id,
    )
    return view_of(session, transfer)


def send(
    services: Services,
    principal: Principal,
    ids: Sequence[int],
    *,
    target: str,
    out_dir: Path,
    addr: str | None,
    moment: datetime,
) -> tuple[TransferView, Path]:
    """Check every dossier, write the bag, record the transfer as sent; a bag whose transaction did not commit is
    removed again, so no bag exists that the catalog does not know."""
    written: list[Path] = []
    try:
        with transaction(services.factory) as session:
            rows = [transferable(session, principal, i, target) for i in ids]
            view = _send(
                services,
                session,
                principal,
                rows,
                target=target,
                out_dir=out_dir,
                addr=addr,
                moment=moment,
                written=written,
            )
    except BaseException:
        for bag_path in written:
            if bag_path.exists() and not _committed(services, bag_path.name):
                shutil.rmtree(bag_path, ignore_errors=True)
        raise
    return view, written[0]


def _committed(services: Services, bag_name: str) -> bool:
    with transaction(services.factory) as session:
        return session.scalar(select(Transfer.id).where(Transfer.bag_name == bag_name)) is not None


__all__ = ["send", "transferable"]
