"""Nộp lưu use cases: export a bag, import it on the receiving side, confirm with its receipt, cancel, list.

NĐ 30/2020 Điều 30–31 (and Luật Lưu trữ 2024 for the historical archive): the office sends its closed dossiers
with a mục lục and a biên bản giao nhận; the receiving archive checks the package and links its metadata before
accepting it. So the sender's dossiers change state only when the receiving side's receipt for this very bag (its
digest, its dossiers) comes back — ``confirm_transfer`` — never when the bag is merely written.

This is the module the edges (api, web, cli) call; the work is in views.py (reading, access), packing.py (what
goes in the bag), sending.py (export checks and writing), receiving.py (import) and confirming.py (receipt).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import utcnow
from archive_service.errors import AppError
from archive_service.services import Services
from archive_service.transfers import confirming, receiving, sending, views
from archive_service.transfers.bag import VerifyReport, verify_bag
from archive_service.transfers.confirming import read_receipt
from archive_service.transfers.receiving import BagInvalid, ImportResult
from archive_service.transfers.views import (
    RECEIVER_ROLES,
    STATE_LABELS,
    TARGET_LABELS,
    TARGET_STEPS,
    Candidate,
    TransferView,
)
from archive_service.transfers.zips import bag_zip, import_zip


@dataclass(frozen=True)
class ExportResult:
    transfer: TransferView
    bag_path: Path


def list_transfers(services: Services, principal: Principal) -> list[TransferView]:
    """The transfers of the offices the caller may read, newest first (sent, received, confirmed, cancelled)."""
    with transaction(services.factory) as session:
        return views.readable_views(session, principal)


def get_transfer(services: Services, principal: Principal, transfer_id: int) -> TransferView:
    with transaction(services.factory) as session:
        return views.view_of(session, views.readable_row(session, principal, transfer_id))


def candidates(services: Services, principal: Principal) -> list[Candidate]:
    """The closed, kept-back and office-archive dossiers of the offices the caller may write (empty for readers)."""
    with transaction(services.factory) as session:
        return views.candidate_rows(session, principal)


def export_transfer(
    services: Services,
    principal: Principal,
    dossier_ids: Sequence[int],
    *,
    target: str,
    out_dir: Path,
    addr: str | None,
    now: datetime | None = None,
) -> ExportResult:
    """Write the transfer bag of these dossiers into ``out_dir`` and record the transfer as sent.

    Every dossier is checked before any byte is written (access, state, hold, retention, clearance); the
    dossiers do not move yet. The mục lục and biên bản PDFs are stored as the transfer's record files and locked
    as long as the dossiers; audited ``transfer.export``.
    """
    if target not in TARGET_STEPS:
        raise views.bad_target(target)
    ids = list(dict.fromkeys(int(i) for i in dossier_ids))
    if not ids:
        raise AppError("TRANSFER-EMPTY", "Chọn ít nhất một hồ sơ để nộp lưu.", status_code=422)
    view, bag_path = sending.send(
        services, principal, ids, target=target, out_dir=out_dir, addr=addr, moment=now or utcnow()
    )
    return ExportResult(view, bag_path)


def import_bag(
    services: Services,
    principal: Principal,
    path: Path,
    *,
    addr: str | None,
    write_receipt: bool = True,
    now: datetime | None = None,
) -> ImportResult:
    """Receive a bag into this instance's catalog, in the caller's office, and answer with a receipt.

    The bag is verified first (every checksum, the metadata against the manifest); its originals, derivatives and
    record files go into this blob store, then the dossiers (state = the transfer's target) and documents (queued
    for reading, like an ingest) into the catalog, in one transaction audited ``transfer.import``. The same bag
    twice is refused (409). The receipt — bag name, External-Identifier, digest, FileCodes, counts — is what the
    sender's ``confirm_transfer`` checks.
    """
    return receiving.receive(services, principal, path, addr=addr, write_receipt=write_receipt, moment=now or utcnow())


def confirm_transfer(
    services: Services,
    principal: Principal,
    transfer_id: int,
    receipt: dict[str, Any],
    *,
    addr: str | None,
    now: datetime | None = None,
) -> TransferView:
    """The receiving side's receipt for this bag: check it, then move every dossier to the target state."""
    with transaction(services.factory) as session:
        transfer = confirming.writable_sent(session, principal, transfer_id)
        confirming.confirm(session, principal, transfer, receipt, addr=addr, moment=now or utcnow())
        return views.view_of(session, transfer)


def cancel_transfer(services: Services, principal: Principal, transfer_id: int, *, addr: str | None) -> TransferView:
    """Withdraw a sent transfer that the receiving side will not confirm (its dossiers stay where they are)."""
    with transaction(services.factory) as session:
        transfer = confirming.writable_sent(session, principal, transfer_id)
        confirming.cancel(session, principal, transfer, addr=addr)
        return views.view_of(session, transfer)


def verify(path: Path) -> VerifyReport:
    """Check a received bag without importing it (every checksum, ho-so.xml against the manifest)."""
    return verify_bag(path)


__all__ = [
    "RECEIVER_ROLES",
    "STATE_LABELS",
    "TARGET_LABELS",
    "BagInvalid",
    "Candidate",
    "ExportResult",
    "ImportResult",
    "TransferView",
    "bag_zip",
    "cancel_transfer",
    "candidates",
    "confirm_transfer",
    "export_transfer",
    "get_transfer",
    "import_bag",
    "import_zip",
    "list_transfers",
    "read_receipt",
    "verify",
]
