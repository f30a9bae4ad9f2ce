"""Intake: a spooled upload becomes a stored original and a catalog row, in that order.

One catalog transaction per upload: the dossier and duplicate checks, then the blob put (idempotent by SHA-256),
then the row with its audit event, its processing job and its index-outbox entry, committed together. The blob is
stored before the row commits: a failure before the commit leaves at most a blob no row references, which
``verify --repair`` sweeps; never a row without its blob. Only a new version that must be read first (the version
gate, seconds of parsing) costs one more, read-only, transaction before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive_service.catalog import audit, documents, dossiers, links
from archive_service.catalog.access import Principal, readable_document_ids
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Dossier, IndexOutbox, JobKind
from archive_service.dossiers.checks import enqueue_dossier_check
from archive_service.filenames import clean_filename
from archive_service.jobs.enqueue import enqueue
from archive_service.records.lifecycle import refuse_change
from archive_service.storage.base import BlobStore
from archive_service.storage.sniff import UnsupportedMediaType, admit
from schemas.fields import DocumentFields

__all__ = ["IntakeResult", "UnsupportedMediaType", "VersionGate", "store_original"]

# Reads a new version before it is stored and raises when it is not the document it replaces (path, media
# type, the replaced document's reading): see ``documents.versions``.
VersionGate = Callable[[Path, str, DocumentFields], None]


@dataclass(frozen=True)
class IntakeResult:
    """The document a file became (or already was), and whether it was there before."""

    document: Document
    duplicate: bool
    # The same bytes are already a document the caller may not read: they are told nothing about it.
    hidden: bool = False
    # A readable duplicate: the dossier it is filed in, and whether the upload's dossier already holds it
    # (its own or linked); when not, the caller may link it here (``dossiers.service.link_document``).
    home: Dossier | None = None
    in_this_dossier: bool = False
    # The same bytes were removed from this very dossier: uploading them again put the document back in it.
    reattached: bool = False


def _duplicate(session: Session, principal: Principal, existing: Document, dossier_id: int) -> IntakeResult:
    """The answer for bytes already stored: where they are, or nothing when the caller may not read them."""
    if not readable_document_ids(session, principal, {existing.id}):
        return IntakeResult(existing, True, hidden=True)
    home = session.get(Dossier, existing.dossier_id)
    held = links.is_in_dossier(session, dossier_id=dossier_id, document=existing)
    return IntakeResult(existing, True, home=home, in_this_dossier=held)


def _reattach(
    session: Session, principal: Principal, existing: Document, dossier_id: int, client_addr: str | None
) -> IntakeResult | None:
    """Put a document back into its own dossier when its bytes are uploaded there again after a removal.

    The archivist who removed it ("gỡ khỏi hồ sơ") and uploads the file again means to file it again, not
    to be told it is a duplicate of a document the dossier no longer shows. Audited on the document; the
    dossier's check and the index update are queued. None when this is not that case.
    """
    removed_at: datetime | None = existing.removed_from_dossier_at
    if existing.dossier_id != dossier_id or removed_at is None:
        return None
    if not readable_document_ids(session, principal, {existing.id}):
        return None
    existing.removed_from_dossier_at = None
    session.add(IndexOutbox(document_id=existing.id, op="upsert"))
    enqueue_dossier_check(session, dossier_id)
    audit.record_on_document(
        session,
        principal,
        "document.reattach",
        existing,
        client_addr,
        {"dossier_id": dossier_id, "removed_at": removed_at.isoformat()},
    )
    return IntakeResult(existing, False, home=session.get(Dossier, dossier_id), in_this_dossier=True, reattached=True)


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
    version_gate: VersionGate | None = None,
    electronic: bool = False,
) -> IntakeResult:
    """Store one file into a dossier; the same bytes again give back the same document.

    The name is cleaned here as well as in the spool, so that every way in (``ingest`` reads names
    from a disk) stores the same safe name; the type is judged by the parser's sniffer (``admit``).
    A new version (``version_of``) is first read and passed to ``version_gate`` with the reading of the
    document it replaces, outside any transaction (a parse takes seconds); the gate may refuse it.
    ``electronic``: the office marks the new document as issued electronically (its digital signature is then
    required, SIG-MISSING); bytes already stored keep their own mark (changed on the document, audited there).
    """
    filename = clean_filename(filename)
    media_type = admit(path, filename=filename)
    if version_of is not None and version_gate is not None:
        _read_new_version(factory, principal, dossier_id, sha256, version_of, path, media_type, version_gate)
    try:
        # One transaction: the checks, the blob put and the rows. The blob is stored before the row commits
        # (a failure after the put leaves only a blob no row references, which ``verify --repair`` sweeps);
        # the put holds no lock, only reads were made before it.
        with transaction(factory) as session:
            # closed or frozen: nothing goes in (409), nothing is stored
            office_id = refuse_change(session, principal=principal, dossier_id=dossier_id).office_id
            existing = documents.find_by_sha256(session, office_id=office_id, sha256=sha256)
            if existing is not None:
                return _known_bytes(session, principal, existing, dossier_id, filename, client_addr)
            if version_of is not None:
                documents.get_readable(session, principal=principal, document_id=version_of)
            info = blobs.put(path, sha256=sha256, size=size, media_type=media_type, filename=filename)
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
                electronic=electronic,
            )
            session.add(doc)
            session.flush()
            enqueue(session, JobKind.PROCESS_DOCUMENT, document_id=doc.id)
            session.add(IndexOutbox(document_id=doc.id, op="upsert"))
            audit.record(
                session,
                principal=principal,
                action="document.upload",
                object_type="document",
                object_id=doc.id,
                client_addr=client_addr,
                details={
                    "filename": filename,
                    "sha256": sha256,
                    "size": size,
                    "dossier_id": dossier_id,
                    **({"version_of": version_of} if version_of is not None else {}),
                    **({"electronic": True} if electronic else {}),
                },
                office_id=office_id,
            )
        return IntakeResult(doc, False)
    except IntegrityError:
        # Another request stored the same bytes a moment ago: answer with its row.
        with transaction(factory) as session:
            dossier = dossiers.get_writable(session, principal=principal, dossier_id=dossier_id)
            existing = documents.find_by_sha256(session, office_id=dossier.office_id, sha256=sha256)
            if existing is None:
                raise
            return _duplicate(session, principal, existing, dossier_id)


def _known_bytes(
    session: Session,
    principal: Principal,
    existing: Document,
    dossier_id: int,
    filename: str,
    client_addr: str | None,
) -> IntakeResult:
    """Bytes the office already holds: put back into their dossier after a removal, or reported as a duplicate."""
    reattached = _reattach(session, principal, existing, dossier_id, client_addr)
    if reattached is not None:
        return reattached
    audit.record_on_document(
        session,
        principal,
        "document.upload-duplicate",
        existing,
        client_addr,
        {"filename": filename, "dossier_id": dossier_id},
    )
    return _duplicate(session, principal, existing, dossier_id)


def _read_new_version(
    factory: sessionmaker[Session],
    principal: Principal,
    dossier_id: int,
    sha256: str,
    version_of: int,
    path: Path,
    media_type: str,
    version_gate: VersionGate,
) -> None:
    """Run the version gate on a new version, outside any transaction (a parse takes seconds).

    Bytes the office already holds are not read: the upload is then a duplicate (answered by the transaction that
    follows, which checks everything again).
    """
    with transaction(factory) as session:
        office_id = refuse_change(session, principal=principal, dossier_id=dossier_id).office_id
        if documents.find_by_sha256(session, office_id=office_id, sha256=sha256) is not None:
            return
        replaced = documents.get_readable(session, principal=principal, document_id=version_of).fields
    if replaced:
        version_gate(path, media_type, DocumentFields.model_validate(replaced))
