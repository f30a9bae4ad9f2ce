"""Intake: a spooled upload becomes a stored original and a catalog row, in that order.

The blob is written first (idempotent by SHA-256), the row second, in one transaction with its
audit event, its processing job and its index-outbox entry. A failure before the commit leaves at
most a blob no row references, which ``verify --repair`` sweeps; never a row without its blob.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive_service.catalog import audit, documents, dossiers
from archive_service.catalog.access import Principal, readable_document_ids
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, IndexOutbox, Job, JobKind
from archive_service.filenames import clean_filename
from archive_service.storage.base import BlobStore
from archive_service.storage.sniff import UnsupportedMediaType, admit

__all__ = ["IntakeResult", "UnsupportedMediaType", "store_original"]


@dataclass(frozen=True)
class IntakeResult:
    """The document a file became (or already was), and whether it was there before."""

    document: Document
    duplicate: bool
    # The same bytes are already a document the caller may not read: they are told nothing about it.
    hidden: bool = False


def store_original(
    *,
    factory: sessionmaker[Session],
    blobs: BlobStore,
    principal: Principal,
    dossier_id: int,
    path: Path,
    filename: str,
    sha256: str,
    size: int,
    client_addr: str | None,
    version_of: int | None = None,
) -> IntakeResult:
    """Store one file into a dossier; the same bytes again give back the same document.

    The name is cleaned here as well as in the spool, so that every way in (``ingest`` reads names
    from a disk) stores the same safe name; the type is judged by the parser's sniffer (``admit``).
    """
    filename = clean_filename(filename)
    media_type = admit(path, filename=filename)
    with transaction(factory) as session:
        dossier = dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)
        office_id = dossier.office_id
        existing = documents.find_by_sha256(session, office_id=office_id, sha256=sha256)
        if existing is not None:
            audit.record(
                session,
                principal=principal,
                action="document.upload-duplicate",
                object_type="document",
                object_id=existing.id,
                client_addr=client_addr,
                details={"filename": filename, "dossier_id": dossier_id},
                office_id=office_id,
            )
            hidden = not readable_document_ids(session, principal, {existing.id})
            return IntakeResult(existing, True, hidden=hidden)
        if version_of is not None:
            documents.get_readable(session, principal=principal, document_id=version_of)

    info = blobs.put(path, sha256=sha256, size=size, media_type=media_type, filename=filename)

    try:
        with transaction(factory) as session:
            doc = Document(
                office_id=office_id,
                dossier_id=dossier_id,
                sha256=sha256,
                size=size,
                media_type=media_type,
                original_filename=filename,
                storage_key=info.key,
                uploaded_by=principal.user_id,
                version_of=version_of,
            )
            session.add(doc)
            session.flush()
            session.add(Job(kind=JobKind.PROCESS_DOCUMENT.value, document_id=doc.id))
            session.add(IndexOutbox(document_id=doc.id, op="upsert"))
            audit.record(
                session,
                principal=principal,
                action="document.upload",
                object_type="document",
                object_id=doc.id,
                client_addr=client_addr,
                details={"filename": filename, "sha256": sha256, "size": size, "dossier_id": dossier_id},
                office_id=office_id,
            )
        return IntakeResult(doc, False)
    except IntegrityError:
        # Another request stored the same bytes a moment ago: answer with its row.
        with transaction(factory) as session:
            existing = documents.find_by_sha256(session, office_id=office_id, sha256=sha256)
            hidden = existing is not None and not readable_document_ids(session, principal, {existing.id})
        if existing is None:
            raise
        return IntakeResult(existing, True, hidden=hidden)
