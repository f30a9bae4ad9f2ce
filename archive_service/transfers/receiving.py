"""Receiving a bag on the archive's instance: checked, its files stored, its dossiers and documents catalogued.

NĐ 30/2020 Điều 31: the receiving archive checks the package against its mục lục before accepting it; here every
checksum and ho-so.xml against the manifest (bag.verify_bag), then each file's SHA-256 again as it is stored. The
receipt it answers with is what the sender's confirmation checks (confirming.py).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import audit, documents, links
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import (
    Derivative,
    Document,
    Dossier,
    IndexOutbox,
    JobKind,
    MeetingBody,
    Office,
    RecordFile,
    Role,
    Transfer,
)
from archive_service.errors import AppError, Conflict, Forbidden
from archive_service.jobs.enqueue import enqueue
from archive_service.records import locking
from archive_service.records import retention as ret
from archive_service.services import Services
from archive_service.storage.base import hash_file
from archive_service.transfers.bag import VerifyReport, verify_bag
from archive_service.transfers.metadata_xml import DocumentMeta, DossierMeta, FileEntry, TransferMeta
from archive_service.transfers.views import TARGET_STEPS, bad_target


class BagInvalid(AppError):
    status_code = 422

    def __init__(self, problems: Sequence[str]) -> None:
        shown = " ".join(problems[:5]) + (f" (và {len(problems) - 5} lỗi khác)" if len(problems) > 5 else "")
        super().__init__("TRANSFER-BAG-INVALID", f"Gói nộp lưu không hợp lệ, không nhận: {shown}")
        self.problems = list(problems)


@dataclass(frozen=True)
class ImportResult:
    receipt: dict[str, Any]
    receipt_path: Path | None


def _checked(principal: Principal, path: Path) -> tuple[VerifyReport, TransferMeta, str]:
    """The verified bag, its metadata and digest — or 422 when anything in it is wrong, 403 above the clearance."""
    principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    report = verify_bag(path)
    if not report.valid or report.metadata is None or report.digest is None:
        raise BagInvalid(report.problems or ["thiếu siêu dữ liệu."])
    meta = report.metadata
    if meta.target not in TARGET_STEPS:
        raise bad_target(meta.target)
    for d in meta.dossiers:
        if not ret.is_valid(d.maintenance):
            raise BagInvalid([f"Hồ sơ {d.file_code}: thời hạn bảo quản “{d.maintenance}” không hợp lệ."])
    highest = max((doc.secrecy_level for d in meta.dossiers for doc in d.documents), default=0)
    if highest > principal.clearance:
        raise Forbidden(
            "TRANSFER-NOT-CLEARED",
            "Gói có văn bản ở độ mật cao hơn mức bạn được xem: người nhận phải được xem mọi văn bản trong gói.",
        )
    return report, meta, report.digest


def _refuse_twice(session: Session, digest: str) -> None:
    found = session.scalar(select(Transfer.id).where(Transfer.bag_digest == digest, Transfer.state == "received"))
    if found is not None:
        raise Conflict(
            "TRANSFER-ALREADY-IMPORTED",
            f"Gói nộp lưu này đã được nhận (lần nhận số {found}); không nhận lại lần hai.",
        )


def _put_blob(services: Services, bag: Path, entry: FileEntry, filename: str) -> str:
    """Store one file of the bag, its SHA-256 checked again against the metadata; returns its storage key."""
    source = bag / entry.path
    sha256, size = hash_file(source)
    if sha256 != entry.sha256:
        raise BagInvalid([f"Tệp {entry.path} sai mã kiểm tra SHA-256."])
    return services.blobs.put(source, sha256=sha256, size=size, media_type=entry.media_type, filename=filename).key


def _parse_instant(text: str | None, fallback: datetime) -> datetime:
    if not text:
        return fallback
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return fallback


def _meeting_body(value: str | None) -> str | None:
    return value if value in {m.value for m in MeetingBody} else None


def _make_dossier(
    session: Session, principal: Principal, office_id: int, dm: DossierMeta, target: str, moment: datetime
) -> Dossier:
    """A received dossier: created directly in the transfer's target state (it is new here, not moved)."""
    dossier = Dossier(
        office_id=office_id,
        title=dm.title,
        kind=dm.kind or "hoi-nghi",
        meeting_body=_meeting_body(dm.meeting_body),
        meeting_number=dm.meeting_number,
        meeting_date=dm.meeting_date,
        retention=ret.parse(dm.maintenance).code,
        file_code=dm.file_notation,
        former_name=dm.creator,
        start_date=dm.start_date,
        end_date=dm.end_date,
        page_total=dm.page_total,
        description=dm.description,
        usage_mode=dm.rights,
        state=target,
        state_changed_at=moment,
        closed_at=_parse_instant(dm.closed_at, moment),
        created_by=principal.user_id,
    )
    session.add(dossier)
    session.flush()
    return dossier


def _make_document(
    session: Session,
    principal: Principal,
    dossier: Dossier,
    dm: DocumentMeta,
    keys: dict[str, str],
    counts: dict[str, int],
) -> bool:
    """The document in its new dossier; True when the same bytes were already here (then linked, not copied)."""
    existing = documents.find_by_sha256(session, office_id=dossier.office_id, sha256=dm.file.sha256)
    if existing is not None:
        links.add_link(session, dossier_id=dossier.id, document=existing, user_id=principal.user_id)
        return True
    doc = Document(
        office_id=dossier.office_id,
        dossier_id=dossier.id,
        sha256=dm.file.sha256,
        size=dm.file.size,
        media_type=dm.file.media_type,
        original_filename=dm.filename,
        storage_key=keys[dm.file.path],
        uploaded_by=principal.user_id,
        secrecy_level=dm.secrecy_level,
    )
    session.add(doc)
    session.flush()
    for der in dm.derivatives:
        session.add(
            Derivative(
                document_id=doc.id,
                kind=der.role.split(":", 1)[-1],
                sha256=der.sha256,
                size=der.size,
                media_type=der.media_type,
                storage_key=keys[der.path],
            )
        )
        counts["derivatives"] += 1
    enqueue(session, JobKind.PROCESS_DOCUMENT, document_id=doc.id, bulk=True)
    session.add(IndexOutbox(document_id=doc.id, op="upsert"))
    return False


def _record_file(principal: Principal, dossier: Dossier, rf: FileEntry, key: str) -> RecordFile:
    return RecordFile(
        owner_type="dossier",
        owner_id=dossier.id,
        kind=rf.role.split(":", 1)[-1],
        sha256=rf.sha256,
        size=rf.size,
        media_type=rf.media_type,
        filename=Path(rf.path).name,
        storage_key=key,
        created_by=principal.user_id,
    )


def _catalogue(
    session: Session, principal: Principal, office: Office, meta: TransferMeta, keys: dict[str, str], moment: datetime
) -> tuple[list[Dossier], dict[str, int]]:
    """Every dossier of the bag with its documents and record files; the counts the receipt and audit show."""
    made: list[Dossier] = []
    counts = {"documents": 0, "linked": 0, "derivatives": 0, "record_files": 0}
    for dm in meta.dossiers:
        dossier = _make_dossier(session, principal, office.id, dm, meta.target, moment)
        made.append(dossier)
        for doc_meta in dm.documents:
            linked = _make_document(session, principal, dossier, doc_meta, keys, counts)
            counts["linked" if linked else "documents"] += 1
        for rf in dm.record_files:
            session.add(_record_file(principal, dossier, rf, keys[rf.path]))
            counts["record_files"] += 1
    session.flush()
    return made, counts


def _receipt(
    report: VerifyReport,
    path: Path,
    office: Office,
    made: list[Dossier],
    *,
    document_count: int,
    file_count: int,
    moment: datetime,
) -> dict[str, Any]:
    """What the receiving side answers: the bag's identity and FileCodes that ``confirm_transfer`` checks."""
    meta = report.metadata
    assert meta is not None
    return {
        "bag_name": report.bag_info.get("Internal-Sender-Identifier") or path.name,
        "external_identifier": report.bag_info.get("External-Identifier", meta.identifier),
        "bag_digest": report.digest,
        "target": meta.target,
        "sender": {"office_code": meta.organ_id, "office_name": meta.organ_name},
        "file_codes": [d.file_code for d in meta.dossiers],
        "dossier_count": len(made),
        "document_count": document_count,
        "file_count": file_count,
        "received_at": moment.isoformat(),
        "receiving_instance": {"office_code": office.code, "office_name": office.name, "host": socket.gethostname()},
    }


def receive(
    services: Services, principal: Principal, path: Path, *, addr: str | None, write_receipt: bool, moment: datetime
) -> ImportResult:
    """Verify, store the files, catalogue the dossiers in one transaction audited ``transfer.import``; the receipt
    written beside the bag when asked (the CLI), always returned."""
    report, meta, digest = _checked(principal, path)
    with transaction(services.factory) as session:
        _refuse_twice(session, digest)
    keys = {e.path: _put_blob(services, path, e, Path(e.path).name) for e in meta.all_files()}
    with transaction(services.factory) as session:
        _refuse_twice(session, digest)
        office = session.get(Office, principal.office_id)
        assert office is not None
        made, counts = _catalogue(session, principal, office, meta, keys, moment)
        for dossier in made:
            locking.lock_dossier(session, services.blobs, dossier, now=moment)
        receipt = _receipt(
            report,
            path,
            office,
            made,
            document_count=counts["documents"] + counts["linked"],
            file_count=len(keys),
            moment=moment,
        )
        received = Transfer(
            office_id=office.id,
            target=meta.target,
            state="received",
            dossier_ids=[d.id for d in made],
            bag_name=str(receipt["bag_name"]),
            bag_digest=digest,
            created_by=principal.user_id,
            created_at=moment,
            receipt=receipt,
        )
        session.add(received)
        session.flush()
        receipt["receiving_transfer_id"] = received.id
        received.receipt = dict(receipt)
        audit.record(
            session,
            principal=principal,
            action="transfer.import",
            object_type="transfer",
            object_id=received.id,
            client_addr=addr,
            details={"bag_digest": digest, "dossier_ids": received.dossier_ids, **counts},
            office_id=office.id,
        )
    receipt_path: Path | None = None
    if write_receipt:
        receipt_path = path.parent / f"{path.name}.receipt.json"
        receipt_path.write_text(json.dumps(receipt, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return ImportResult(receipt, receipt_path)


__all__ = ["BagInvalid", "ImportResult", "receive"]
