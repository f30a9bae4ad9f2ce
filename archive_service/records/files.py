"""Record files: the lists and records the records' life produces, stored beside the originals and served.

Mục lục văn bản and chứng từ kết thúc of a closed dossier (NĐ 30/2020 Điều 29, Phụ lục V), mục lục hồ sơ nộp lưu
and biên bản giao nhận of a transfer (Điều 31, Phụ lục V.III, V.V), danh mục tài liệu hết giá trị and biên bản hủy
of an appraisal (Luật Lưu trữ 2024; 29-HD/VPTW), danh mục hồ sơ of a file plan (Điều 28): each is a file
(PDF, DOCX, XLSX) kept in the blob store by its SHA-256 like an original, so it is verified on every read and
locked with the dossier (``records.locking``).

Who may read one: such a file lists the titles, numbers and summaries of the documents its dossiers hold, so it
is readable only by a caller who may read every dossier it names AND is cleared for the highest secrecy level
among the documents they hold (``catalog.dossier_list.held_by``). Anyone else gets the same 404 as for a file
that does not exist (``catalog.access``: an object the caller may not read is never acknowledged).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive_service.catalog import audit
from archive_service.catalog.access import Principal, readable_dossiers
from archive_service.catalog.db import transaction
from archive_service.catalog.dossier_list import highest_secrecy
from archive_service.catalog.models import Appraisal, Dossier, FilePlan, RecordFile, Transfer
from archive_service.errors import AppError, NotFound, Refusal
from archive_service.filenames import clean_filename
from archive_service.records.sheet import RecordSheet
from archive_service.records.sheet_docx import sheet_docx
from archive_service.services import Services
from archive_service.storage.base import BlobStore, key_for

MEDIA: Final = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OWNER_TYPES: Final = ("dossier", "transfer", "appraisal", "file-plan")
OBJECT_TYPE: Final = "record-file"
NOT_FOUND_CODE: Final = "RECORD-FILE-NOT-FOUND"
NOT_FOUND_MESSAGE: Final = "Không tìm thấy tệp lưu trữ này (hoặc bạn không có quyền xem)."


@dataclass(frozen=True)
class Owner:
    """What a record file belongs to: its office and the dossiers whose contents it lists."""

    office_id: int
    dossier_ids: tuple[int, ...]


def owner_of(session: Session, owner_type: str, owner_id: int) -> Owner | None:
    """The office and the dossiers of a record file's owner, or None when the owner does not exist."""
    if owner_type == "dossier":
        office_id = session.scalar(select(Dossier.office_id).where(Dossier.id == owner_id))
        return None if office_id is None else Owner(office_id, (owner_id,))
    if owner_type in ("transfer", "appraisal"):
        row: Transfer | Appraisal | None = (
            session.get(Transfer, owner_id) if owner_type == "transfer" else session.get(Appraisal, owner_id)
        )
        return None if row is None else Owner(row.office_id, tuple(int(i) for i in row.dossier_ids or ()))
    if owner_type == "file-plan":
        office_id = session.scalar(select(FilePlan.office_id).where(FilePlan.id == owner_id))
        return None if office_id is None else Owner(office_id, ())
    return None


def may_read_owner(session: Session, principal: Principal, owner: Owner) -> bool:
    """Every dossier readable (office) and the caller cleared for the most secret document they hold.

    An owner naming no dossier (a file plan, an empty transfer) is readable by who may see its office.
    """
    if not owner.dossier_ids:
        return principal.sees_every_office or owner.office_id == principal.office_id
    ids = set(owner.dossier_ids)
    readable = session.scalar(
        select(func.count()).select_from(Dossier).where(Dossier.id.in_(ids), readable_dossiers(principal))
    )
    if int(readable or 0) != len(ids):
        return False
    return principal.clearance >= highest_secrecy(session, sorted(ids))


def _hidden(principal: Principal, file_id: int, office_id: int | None) -> NotFound:
    """The 404 of a missing file and of one the caller may not read alike; the latter's refusal is audited."""
    if office_id is None:
        return NotFound(NOT_FOUND_CODE, NOT_FOUND_MESSAGE)
    refusal = Refusal(principal.user_id, OBJECT_TYPE, str(file_id), office_id)
    return NotFound(NOT_FOUND_CODE, NOT_FOUND_MESSAGE, refusal=refusal)


def readable_record_file(session: Session, principal: Principal, file_id: int) -> RecordFile:
    """The record file, when the caller may read its owner's dossiers at the clearance they need; else 404."""
    row = session.get(RecordFile, file_id)
    if row is None:
        raise _hidden(principal, file_id, None)
    owner = owner_of(session, row.owner_type, row.owner_id)
    if owner is None or not may_read_owner(session, principal, owner):
        raise _hidden(principal, file_id, owner.office_id if owner else None)
    return row


def record_files_of(session: Session, owner_type: str, owner_id: int) -> list[RecordFile]:
    """Every record file of an owner, by kind then media type (no access check: the caller has read the owner)."""
    query = select(RecordFile).where(RecordFile.owner_type == owner_type, RecordFile.owner_id == owner_id)
    return list(session.scalars(query.order_by(RecordFile.kind, RecordFile.media_type, RecordFile.id)))


def readable_record_files_of(
    session: Session, principal: Principal, owner_type: str, owner_id: int
) -> list[RecordFile]:
    """The owner's record files if the caller may read them (the rule of ``readable_record_file``), else none."""
    owner = owner_of(session, owner_type, owner_id)
    if owner is None or not may_read_owner(session, principal, owner):
        return []
    return record_files_of(session, owner_type, owner_id)


def _put(blobs: BlobStore, data: bytes, *, media_type: str, filename: str) -> str:
    """The bytes into the blob store by their SHA-256, through a private temporary file (mode 0600)."""
    sha256 = hashlib.sha256(data).hexdigest()
    fd, name = tempfile.mkstemp(prefix="record-file-")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        blobs.put(path, sha256=sha256, size=len(data), media_type=media_type, filename=filename)
    finally:
        path.unlink(missing_ok=True)
    return sha256


def store_record_file(
    blobs: BlobStore,
    session: Session,
    *,
    owner_type: str,
    owner_id: int,
    kind: str,
    filename: str,
    media_type: str,
    data: bytes,
    principal: Principal,
    addr: str | None = None,
) -> RecordFile:
    """Store a produced file for its owner and audit it (``record-file.store``), in the caller's transaction.

    A file of the same owner, kind and media type made earlier is replaced (its row goes; its blob stays, locked
    as it may be); the same bytes again give back the same row. The caller has checked the principal may make it.
    """
    if owner_type not in OWNER_TYPES:
        raise AppError("RECORD-FILE-OWNER-INVALID", f"Loại chủ sở hữu tệp lưu trữ không hợp lệ: {owner_type}.")
    owner = owner_of(session, owner_type, owner_id)
    if owner is None:
        raise NotFound(NOT_FOUND_CODE, NOT_FOUND_MESSAGE)
    name = clean_filename(filename)
    sha256 = _put(blobs, data, media_type=media_type, filename=name)
    earlier = [
        f for f in record_files_of(session, owner_type, owner_id) if f.kind == kind and f.media_type == media_type
    ]
    same = next((f for f in earlier if f.sha256 == sha256 and f.filename == name), None)
    if same is not None and len(earlier) == 1:
        return same
    for old in earlier:
        session.delete(old)
    row = RecordFile(
        owner_type=owner_type,
        owner_id=owner_id,
        kind=kind,
        sha256=sha256,
        size=len(data),
        media_type=media_type,
        filename=name,
        storage_key=key_for(sha256),
        created_by=principal.user_id,
    )
    session.add(row)
    session.flush()
    details: dict[str, Any] = {
        "owner_type": owner_type,
        "owner_id": owner_id,
        "kind": kind,
        "media_type": media_type,
        "sha256": sha256,
        "size": len(data),
        "replaced": [f.id for f in earlier],
    }
    audit.record(
        session,
        principal=principal,
        action="record-file.store",
        object_type=OBJECT_TYPE,
        object_id=row.id,
        client_addr=addr,
        details=details,
        office_id=owner.office_id,
    )
    return row


def store_sheet(
    blobs: BlobStore,
    session: Session,
    sheet: RecordSheet,
    *,
    owner_type: str,
    owner_id: int,
    kind: str,
    stem: str,
    principal: Principal,
    addr: str | None = None,
) -> list[RecordFile]:
    """A records sheet as the two record files an office keeps of it: ``{stem}.pdf``, the copy signed and kept,
    and ``{stem}.docx``, the copy it may still edit before signing (NĐ 30/2020 Phụ lục V forms)."""
    from archive_service.records.sheet_pdf import sheet_pdf  # fpdf (~0.3 s of imports) only where sheets are drawn

    return [
        store_record_file(
            blobs,
            session,
            owner_type=owner_type,
            owner_id=owner_id,
            kind=kind,
            filename=f"{stem}.{ext}",
            media_type=MEDIA[ext],
            data=data,
            principal=principal,
            addr=addr,
        )
        for ext, data in (("pdf", sheet_pdf(sheet)), ("docx", sheet_docx(sheet)))
    ]


@dataclass(frozen=True)
class RecordDownload:
    """A verified copy of a record file in the spool; the edge sends it, then removes it (and its folder)."""

    path: Path
    media_type: str
    filename: str
    etag: str


def download_record_file(
    services: Services, principal: Principal, file_id: int, *, addr: str | None, via: str
) -> RecordDownload:
    """A record file the caller may read, byte-identical (SHA-256 checked), audited ``record-file.download``.

    The blob is fetched outside the transaction (the catalog is not held while bytes move); the download is
    recorded once the verified copy is ready, and a failure to record it sends nothing.
    """
    with transaction(services.factory) as session:
        row = readable_record_file(session, principal, file_id)
        owner = owner_of(session, row.owner_type, row.owner_id)
        session.expunge(row)
    services.settings.spool_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=services.settings.spool_dir))
    path = folder / "record-file"
    try:
        services.blobs.fetch(row.storage_key, path, sha256=row.sha256)
        with transaction(services.factory) as session:
            audit.record(
                session,
                principal=principal,
                action="record-file.download",
                object_type=OBJECT_TYPE,
                object_id=row.id,
                client_addr=addr,
                details={"via": via, "owner_type": row.owner_type, "owner_id": row.owner_id, "kind": row.kind},
                office_id=owner.office_id if owner else None,
            )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a refused or broken copy must not stay in the spool
        raise
    return RecordDownload(path=path, media_type=row.media_type, filename=row.filename, etag=row.sha256)
