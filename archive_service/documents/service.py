"""Document use cases: each checks access, reads or writes, audits and queues its work, in one transaction.

The API, the web pages and the CLI call these and only render what they return; none of them opens a
transaction or records an audit event for a document itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.audit.service import may_read_trail
from archive_service.catalog import audit, documents, dossiers, findings
from archive_service.catalog.access import Principal, readable_documents
from archive_service.catalog.db import reading, transaction
from archive_service.catalog.models import (
    Document,
    DocumentStatus,
    Dossier,
    FindingRow,
    IndexOutbox,
    Job,
    JobKind,
    JobState,
    Role,
)
from archive_service.catalog.tombstones import destruction_notice, refuse_if_destroyed
from archive_service.catalog.versions import superseded_by
from archive_service.documents import versions
from archive_service.documents.files import Download, discard, fetch_verified
from archive_service.documents.intake import IntakeResult, VersionGate, store_original
from archive_service.documents.signature_view import stored_rows
from archive_service.documents.trail import AuditLine, object_trail
from archive_service.dossiers import by_document
from archive_service.dossiers.by_document import DossierFindingsOfDocument
from archive_service.dossiers.checks import enqueue_dossier_check
from archive_service.errors import NotFound
from archive_service.jobs.enqueue import enqueue
from archive_service.records.guards import refuse_unless_changeable
from archive_service.records.lifecycle import open_dossier_to_change, refuse_change
from archive_service.services import Services
from schemas.api import DocumentUpdate
from schemas.fields import DocumentFields

SEARCHABLE_PDF = "searchable-pdf"
# A document in one of these has been read and checked as far as it will be: its result can be shown.
FINAL_STATUSES = frozenset({DocumentStatus.CHECKED.value, DocumentStatus.FAILED.value})


# Every document use case records its event the one way (kept under this name for the document modules).
audit_event = audit.record_on_document


def view(services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str) -> Document:
    """A document the caller may read, with its extracted fields; audited."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        audit_event(session, principal, "document.view", doc, addr, {"via": via})
        return doc


def tombstone_notice(services: Services, doc: Document) -> str | None:
    """ "Đã hủy theo Quyết định số …" for a document destroyed after appraisal; None for a live one."""
    if doc.destroyed_at is None:
        return None
    with transaction(services.factory) as session:
        return destruction_notice(session, doc)


@dataclass(frozen=True)
class DocumentPage:
    """What the document page shows: the document, its findings, its dossier, versions and (for auditors) trail."""

    document: Document
    findings: list[FindingRow]
    dossier: Dossier | None
    office_name: str
    versions: list[Document]
    show_audit: bool
    trail: list[AuditLine]
    # The dossier findings that name this document (a duplicate number, an issuer mismatch), per dossier.
    dossier_findings: list[DossierFindingsOfDocument]
    # The newer version that replaces this one, when the caller may read it (the page points to it).
    superseded_by: Document | None = None
    # "Đã hủy theo Quyết định số …" when the document was destroyed after appraisal (catalog/tombstones.py).
    destruction_notice: str | None = None


def page(services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str) -> DocumentPage:
    """Everything about one document the caller may read, in one reading; audited as a view."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        audit_event(session, principal, "document.view", doc, addr, {"via": via})
        show_audit = may_read_trail(principal)
        return DocumentPage(
            document=doc,
            findings=documents.findings_of(session, document_id=doc.id),
            dossier=session.get(Dossier, doc.dossier_id),
            office_name=dossiers.office_names(session).get(doc.office_id, ""),
            versions=documents.versions(session, principal, doc),
            show_audit=show_audit,
            trail=object_trail(session, object_type="document", object_id=doc.id) if show_audit else [],
            dossier_findings=by_document.of_document(session, principal, doc),
            superseded_by=superseded_by(session, principal, doc.id),
            destruction_notice=destruction_notice(session, doc),
        )


def document_findings(
    services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str
) -> list[FindingRow]:
    """The format and authority findings of a document the caller may read; audited."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        rows = documents.findings_of(session, document_id=doc.id)
        audit_event(session, principal, "document.findings", doc, addr, {"via": via, "findings": len(rows)})
        return rows


def update(
    services: Services, principal: Principal, document_id: int, data: DocumentUpdate, *, addr: str | None
) -> Document:
    """Change a document's metadata (secrecy, dossier, version link, electronic mark); the original never changes.

    A real change is audited with its before and after, and queues the index update; moving the document to
    another dossier queues a check of both dossiers, since each has gained or lost a document. Marking it as
    issued electronically, or taking the mark off, queues it to be read and checked again, since whether a
    missing digital signature is an error (SIG-MISSING) depends on the mark.
    """
    with transaction(services.factory) as session:
        if data.model_fields_set:  # a closed dossier's document and a frozen one stay as they are (409)
            doc = documents.get_readable(session, principal=principal, document_id=document_id)
            principal.require_write(object_type="document", object_id=doc.id, office_id=doc.office_id, what="văn bản")
            refuse_unless_changeable(session, [doc])
        doc, changes = documents.update_metadata(session, principal=principal, document_id=document_id, data=data)
        moved_to = changes.get("dossier_id")
        if isinstance(moved_to, list):
            open_dossier_to_change(session, principal=principal, dossier_id=moved_to[1])
        if changes:
            audit_event(session, principal, "document.update", doc, addr, changes)
            session.add(IndexOutbox(document_id=doc.id, op="upsert"))
            moved = changes.get("dossier_id")
            if isinstance(moved, list):
                for dossier_id in moved:
                    enqueue_dossier_check(session, int(dossier_id))
            if "electronic" in changes:
                _check_again(session, doc)
        return doc


def _check_again(session: Session, doc: Document) -> None:
    """Queue the document to be read and checked again, unless a check of it is already waiting.

    A check already running may have read the mark before it changed: only a queued one, which has not read
    it yet, makes another unnecessary.
    """
    waiting = session.scalar(
        select(Job.id).where(
            Job.kind == JobKind.PROCESS_DOCUMENT.value,
            Job.document_id == doc.id,
            Job.state == JobState.QUEUED.value,
        )
    )
    if waiting is None:
        enqueue(session, JobKind.PROCESS_DOCUMENT, document_id=doc.id)
        doc.status = DocumentStatus.STORED.value


def verify_signatures_again(
    services: Services, principal: Principal, *, office_id: int | None = None, addr: str | None, via: str
) -> int:
    """Queue every signed document the caller may change to be read and checked again; returns how many.

    For the operator after the trust anchors change (``ARCHIVE_SIGNATURE_TRUST_DIR``): a signature is verified
    when its document is read, so a new root or CRL takes effect on the documents read again. Admins (every
    office, or ``office_id``) and archivists (their own office); destroyed documents have nothing to verify.
    Each queued document is audited like a "check again" (``document.recheck``, reason ``signatures``).
    """
    principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    queued = 0
    with transaction(services.factory) as session:
        query = select(Document).where(
            readable_documents(principal),
            Document.destroyed_at.is_(None),
            Document.parse_info.is_not(None),
        )
        if office_id is not None:
            query = query.where(Document.office_id == office_id)
        if principal.role is Role.ARCHIVIST:
            query = query.where(Document.office_id == principal.office_id)
        for doc in session.scalars(query.order_by(Document.id)):
            if not stored_rows(doc.parse_info) or not principal.can_write_office(doc.office_id):
                continue
            _check_again(session, doc)
            audit_event(session, principal, "document.recheck", doc, addr, {"via": via, "reason": "signatures"})
            queued += 1
    return queued


@dataclass(frozen=True)
class UploadTarget:
    """Where files may be uploaded: a dossier the caller may write into, and the document they replace, if any."""

    dossier: Dossier
    replaces: Document | None


def upload_target(
    services: Services, principal: Principal, dossier_id: int, *, version_of: int | None = None
) -> UploadTarget:
    """The dossier a page uploads into, when the caller may upload there, and the document replaced (``version_of``).

    Reads only, each on its own (``reading``): the intake's transaction checks it all again before it stores.
    """
    with reading(services.factory) as session:
        dossier = open_dossier_to_change(session, principal=principal, dossier_id=dossier_id)
        replaces = (
            documents.get_readable(session, principal=principal, document_id=version_of)
            if version_of is not None
            else None
        )
        return UploadTarget(dossier=dossier, replaces=replaces)


def may_upload(services: Services, principal: Principal, dossier_id: int) -> None:
    """Refuse an upload before any byte of it is received: 404, 403, 409 as ``upload_target`` answers them.

    One SELECT on its own while no hold is active in the office (``refuse_change``, ``reading``); the intake's
    transaction checks it all again before it stores.
    """
    with reading(services.factory) as session:
        refuse_change(session, principal=principal, dossier_id=dossier_id)


def upload(
    services: Services,
    principal: Principal,
    dossier_id: int,
    *,
    path: Path,
    filename: str,
    sha256: str,
    size: int,
    addr: str | None,
    version_of: int | None = None,
    confirmed: bool = False,
    electronic: bool = False,
) -> IntakeResult:
    """Store one received file into a dossier, or as a new version of a document (``version_of``).

    The original goes to the blob store first, then its row with its audit event, its processing job and
    its index-outbox entry in one transaction (see ``documents.intake``); the same bytes again give back the
    same document. A new version whose số, tên loại or issuer reads differently from the document it replaces
    is refused (409 UPLOAD-VERSION-CHANGED) unless ``confirmed``: the old one would be marked superseded.
    ``electronic``: the office marks it as issued electronically, so it must carry a digital signature.
    """
    return store_original(
        factory=services.factory,
        blobs=services.blobs,
        principal=principal,
        dossier_id=dossier_id,
        path=path,
        filename=filename,
        sha256=sha256,
        size=size,
        client_addr=addr,
        version_of=version_of,
        version_gate=None if confirmed else _version_gate(services),
        electronic=electronic,
    )


def _version_gate(services: Services) -> VersionGate:
    """Read a new version in the parse sandbox, within the workers' budgets, and compare it with the old."""
    settings = services.settings

    def gate(path: Path, media_type: str, old: DocumentFields) -> None:
        versions.refuse_changed_reading(
            path, media_type=media_type, old=old, timeout_s=settings.parse_timeout_s, memory_mb=settings.parse_memory_mb
        )

    return gate


def _audited_download(
    services: Services, principal: Principal, doc: Document, download: Download, action: str, addr: str | None, via: str
) -> Download:
    """Record the download once the verified copy is ready; a failure to record it sends nothing."""
    try:
        with transaction(services.factory) as session:
            audit_event(session, principal, action, doc, addr, {"via": via})
    except BaseException:
        discard(download.path)
        raise
    return download


def download_original(
    services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str
) -> Download:
    """The original of a document the caller may read, byte-identical (its SHA-256 checked); audited.

    The blob is fetched outside any transaction (a large file must not hold the catalog), then the download
    is recorded.
    """
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        refuse_if_destroyed(session, doc)  # 410 DOCUMENT-DESTROYED: only the tombstone's metadata remains
    path = fetch_verified(services, key=doc.storage_key, sha256=doc.sha256, name="original")
    download = Download(path=path, media_type=doc.media_type, filename=doc.original_filename, etag=doc.sha256)
    return _audited_download(services, principal, doc, download, "document.download", addr, via)


def download_searchable_pdf(
    services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str
) -> Download:
    """The searchable PDF/A made beside a scanned original (its SHA-256 checked); audited.

    NotFound (DERIVATIVE-NOT-READY) when it has not been made, or the document needs none.
    """
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        refuse_if_destroyed(session, doc)
        made = documents.derivative(session, document_id=doc.id, kind=SEARCHABLE_PDF)
        if made is None:
            raise NotFound("DERIVATIVE-NOT-READY", "Văn bản này chưa có (hoặc không cần) bản PDF tìm kiếm được.")
    path = fetch_verified(services, key=made.storage_key, sha256=made.sha256, name="searchable.pdf")
    name = doc.original_filename.rsplit(".", 1)[0] + " (OCR).pdf"
    download = Download(path=path, media_type="application/pdf", filename=name)
    return _audited_download(services, principal, doc, download, "document.download-searchable", addr, via)


@dataclass(frozen=True)
class Progress:
    """How far a just-uploaded document has come, and its findings per severity once it is checked."""

    document: Document
    done: bool
    counts: Counter[str]


def progress(services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str) -> Progress:
    """The processing state of a document the caller may read; its final result is audited as a view."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        counts = findings.counts_per_document(session, [doc.id]).get(doc.id, Counter())
        done = doc.status in FINAL_STATUSES
        if done:
            # The result is a read of the document: recorded when it is shown.
            audit_event(session, principal, "document.view", doc, addr, {"via": via})
        return Progress(document=doc, done=done, counts=counts)
