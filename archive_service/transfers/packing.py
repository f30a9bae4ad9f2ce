"""What goes in a transfer bag: each dossier's files and metadata, the two sheets, the bag-info fields.

NĐ 30/2020 Điều 30–31 and Phụ lục VI: a dossier travels whole — its originals byte-identical, their derivatives,
its record files (mục lục văn bản, chứng từ kết thúc) — with ho-so.xml describing each file and the mục lục hồ sơ
nộp lưu (Phụ lục V.III) and biên bản giao nhận (Phụ lục V.V) as PDFs. Nothing is written here: the payloads are
functions that fetch a blob when ``bag.export_bag`` writes the bag.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import links
from archive_service.catalog.models import Derivative, Document, Dossier, Office, RecordFile, Transfer
from archive_service.records import retention as ret
from archive_service.services import Services
from archive_service.transfers.bag import Payload, safe_name
from archive_service.transfers.metadata_xml import (
    DocumentMeta,
    DossierMeta,
    FileEntry,
    TransferMeta,
    ho_so_xml,
    split_code_number,
)
from archive_service.transfers.sheets import TransferSheetInput, bien_ban_giao_nhan, muc_luc_ho_so
from archive_service.transfers.views import file_notation, year_of
from archive_service.vietnam_time import today_in_vietnam
from schemas.fields import DocumentFields

SECRECY_NAMES: Final = {1: "MẬT", 2: "TỐI MẬT", 3: "TUYỆT MẬT"}
_EXTENSIONS: Final = {"application/pdf": ".pdf", "image/png": ".png", "application/xml": ".xml"}


@dataclass(frozen=True)
class Packed:
    """Everything a bag holds, ready for ``export_bag``; the two sheet PDFs are also kept as record files."""

    bag_name: str
    payload: list[Payload]
    metadata_xml: bytes
    bag_info: dict[str, str]
    muc_luc: bytes
    bien_ban: bytes


def held_documents(session: Session, dossier: Dossier) -> list[Document]:
    """Everything the dossier holds (own and linked, superseded versions too): a transfer carries it whole."""
    query = select(Document).where(links.in_dossier(dossier.id), Document.destroyed_at.is_(None))
    return list(session.scalars(query.order_by(Document.id)))


def _extension(media_type: str, filename: str) -> str:
    if media_type in _EXTENSIONS:
        return _EXTENSIONS[media_type]
    dot = filename.rfind(".")
    return safe_name(filename[dot:]) if dot > 0 else ""


def _blob_payload(services: Services, path: str, key: str, sha256: str) -> Payload:
    def write(target: Path) -> None:
        services.blobs.fetch(key, target, sha256=sha256)  # raises BlobCorrupt: no damaged original leaves

    return Payload(path, write=write)


def _document_meta(ordinal: int, doc: Document, file: FileEntry, derivatives: tuple[FileEntry, ...]) -> DocumentMeta:
    fields = DocumentFields.model_validate(doc.fields or {})
    number, notation = split_code_number(fields.number_line)
    if number is None and fields.number:
        number = fields.number
    if notation is None and fields.type_code and fields.issuer_code:
        notation = f"{fields.type_code}/{fields.issuer_code}"
    return DocumentMeta(
        ordinal=ordinal,
        filename=doc.original_filename,
        file=file,
        type_name=fields.document_type,
        code_number=number,
        code_notation=notation,
        issued_date=fields.issued_on,
        organ_name=fields.issuer,
        subject=fields.summary,
        page_amount=doc.page_count,
        signer_position=" ".join(p for p in (fields.signing_form, fields.signer_title) if p) or None,
        signer_name=fields.signer_name,
        to=tuple(fields.recipients),
        urgency=fields.urgency,
        secrecy=fields.secrecy or SECRECY_NAMES.get(doc.secrecy_level),
        secrecy_level=doc.secrecy_level,
        derivatives=derivatives,
    )


def _documents(
    session: Session, services: Services, dossier: Dossier, folder: str
) -> tuple[list[DocumentMeta], list[Payload]]:
    """The dossier's documents in order: each original and its derivatives, as metadata and payloads."""
    payload: list[Payload] = []
    docs: list[DocumentMeta] = []
    for n, doc in enumerate(held_documents(session, dossier), start=1):
        path = f"data/originals/{folder}/{n:02d}-{safe_name(doc.original_filename)}"
        payload.append(_blob_payload(services, path, doc.storage_key, doc.sha256))
        original = FileEntry(path, doc.sha256, doc.size, doc.media_type, "original")
        derived: list[FileEntry] = []
        for der in session.scalars(select(Derivative).where(Derivative.document_id == doc.id).order_by(Derivative.id)):
            dpath = f"data/derivatives/{folder}/{n:02d}-{safe_name(der.kind)}{_extension(der.media_type, '')}"
            payload.append(_blob_payload(services, dpath, der.storage_key, der.sha256))
            derived.append(FileEntry(dpath, der.sha256, der.size, der.media_type, f"derivative:{der.kind}"))
        docs.append(_document_meta(n, doc, original, tuple(derived)))
    return docs, payload


def _record_files(
    session: Session, services: Services, dossier: Dossier, folder: str
) -> tuple[list[FileEntry], list[Payload]]:
    """The dossier's record files (mục lục văn bản, chứng từ kết thúc…), each under a name unique in its folder."""
    payload: list[Payload] = []
    records: list[FileEntry] = []
    seen: set[str] = set()
    query = select(RecordFile).where(RecordFile.owner_type == "dossier", RecordFile.owner_id == dossier.id)
    for rf in session.scalars(query.order_by(RecordFile.id)):
        name = safe_name(rf.filename)
        if name in seen:
            name = f"{rf.id}-{name}"
        seen.add(name)
        rpath = f"data/record-files/{folder}/{name}"
        payload.append(_blob_payload(services, rpath, rf.storage_key, rf.sha256))
        records.append(FileEntry(rpath, rf.sha256, rf.size, rf.media_type, f"record-file:{rf.kind}"))
    return records, payload


def dossier_plan(
    session: Session, services: Services, dossier: Dossier, organ_id: str, folder: str
) -> tuple[DossierMeta, list[Payload]]:
    """The dossier's metadata and the files that carry it: originals, derivatives, its record files."""
    docs, payload = _documents(session, services, dossier, folder)
    records, record_payload = _record_files(session, services, dossier, folder)
    kept = ret.parse(dossier.retention)
    meta = DossierMeta(
        organ_id=organ_id,
        year=year_of(dossier),
        file_notation=file_notation(dossier),
        title=dossier.title,
        maintenance=kept.code,
        maintenance_label=kept.label,
        rights=dossier.usage_mode,
        creator=dossier.former_name,
        start_date=dossier.start_date,
        end_date=dossier.end_date,
        page_total=dossier.page_total,
        description=dossier.description,
        kind=dossier.kind,
        meeting_body=dossier.meeting_body,
        meeting_number=dossier.meeting_number,
        meeting_date=dossier.meeting_date,
        closed_at=dossier.closed_at.isoformat() if dossier.closed_at else None,
        documents=tuple(docs),
        record_files=tuple(records),
    )
    return meta, payload + record_payload


def _sheet_entry(path: str, data: bytes, kind: str) -> tuple[FileEntry, Payload]:
    entry = FileEntry(path, hashlib.sha256(data).hexdigest(), len(data), "application/pdf", f"sheet:{kind}")
    return entry, Payload(path, data=data)


def _plans(
    session: Session, services: Services, office: Office, rows: list[Dossier]
) -> tuple[list[DossierMeta], list[Payload]]:
    """Every dossier's plan, each in its own folder of the bag (named by its file code, made unique)."""
    payload: list[Payload] = []
    metas: list[DossierMeta] = []
    folders: set[str] = set()
    for dossier in rows:
        folder = safe_name(dossier.file_code) if dossier.file_code else f"ho-so-{dossier.id}"
        folder = f"{folder}-{dossier.id}" if folder in folders else folder
        folders.add(folder)
        meta, files = dossier_plan(session, services, dossier, office.code, folder)
        metas.append(meta)
        payload += files
    return metas, payload


def pack(
    session: Session, services: Services, transfer: Transfer, office: Office, rows: list[Dossier], moment: datetime
) -> Packed:
    """The bag of this (flushed) transfer: its name, payload, ho-so.xml, bag-info and the two sheet PDFs."""
    day = today_in_vietnam(moment)  # the bag's name, its sheets and its Bagging-Date: one day, the offices'
    bag_name = f"nop-luu-{safe_name(office.code)}-{transfer.id:05d}-{day:%Y%m%d}"
    metas, payload = _plans(session, services, office, rows)
    file_count = sum(1 + len(d.derivatives) for m in metas for d in m.documents)
    file_count += sum(len(m.record_files) for m in metas) + 2
    sheet_input = TransferSheetInput(
        transfer.id, transfer.target, office.name, office.code, day, tuple(metas), file_count
    )
    from archive_service.records.sheet_pdf import sheet_pdf  # fpdf (~0.3 s of imports) only where bags are packed

    muc_luc = sheet_pdf(muc_luc_ho_so(sheet_input))
    bien_ban = sheet_pdf(bien_ban_giao_nhan(sheet_input))
    muc_luc_entry, muc_luc_payload = _sheet_entry("data/muc-luc-ho-so-nop-luu.pdf", muc_luc, "muc-luc-ho-so-nop-luu")
    bien_ban_entry, bien_ban_payload = _sheet_entry("data/bien-ban-giao-nhan.pdf", bien_ban, "bien-ban-giao-nhan")
    transfer_meta = TransferMeta(
        identifier=str(transfer.id),
        target=transfer.target,
        organ_id=office.code,
        organ_name=office.name,
        created_at=moment.isoformat(),
        dossiers=tuple(metas),
        files=(muc_luc_entry, bien_ban_entry),
    )
    bag_info = {
        "Source-Organization": office.name,
        "Organization-Address": office.code,
        "External-Identifier": str(transfer.id),
        "External-Description": f"Nộp lưu {len(rows)} hồ sơ vào {transfer.target} (NĐ 30/2020 Điều 30-31)",
        "Internal-Sender-Identifier": bag_name,
        "Bagging-Date": day.isoformat(),
        "Bag-Count": "1 of 1",
    }
    return Packed(
        bag_name,
        [*payload, muc_luc_payload, bien_ban_payload],
        ho_so_xml(transfer_meta),
        bag_info,
        muc_luc,
        bien_ban,
    )


__all__ = ["Packed", "dossier_plan", "held_documents", "pack"]
