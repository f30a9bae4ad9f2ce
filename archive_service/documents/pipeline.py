"""After intake, off the request path: read and check a stored original, and make a scan's searchable PDF.

These are the use cases the workers run for a document's jobs; each keeps the catalog consistent in its own
transactions (the parse itself runs outside any transaction, in a sandbox).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select, update

from archive_service.catalog.db import transaction
from archive_service.catalog.documents import finding_row
from archive_service.catalog.models import Derivative, Document, DocumentStatus, FindingRow, IndexOutbox, JobKind
from archive_service.documents import ocr_jobs
from archive_service.dossiers.checks import enqueue_dossier_check
from archive_service.jobs.enqueue import enqueue
from archive_service.jobs.queue import count_ocr_pages
from archive_service.services import Services
from archive_service.storage.base import hash_file
from indexers.page_images import line_layout
from indexers.search.documents import secrecy_of


def process_document(services: Services, document_id: int) -> None:
    """Parse, extract and validate one stored original; store the outcome in the catalog.

    With ``ocr_page_jobs``, a PDF's pages without a text layer are not recognised here: one OCR_PAGE job is
    queued per page (``ocr_jobs``) and the document stays in processing; the last page job queues this again,
    and the reading then takes the pages they stored (the join) and is stored as a whole reading would be.
    """
    from archive_service.documents.processing import analyse_file

    with transaction(services.factory) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return
        doc.status = DocumentStatus.PROCESSING.value
        storage_key, sha256, media_type, electronic = doc.storage_key, doc.sha256, doc.media_type, doc.electronic
        by_pages = services.settings.ocr_page_jobs and media_type == "application/pdf"
        recognised = ocr_jobs.recognised_pages(session, document_id, sha256) if by_pages else []
    with tempfile.TemporaryDirectory(dir=services.settings.spool_dir) as tmp:
        path = Path(tmp) / "original"
        services.blobs.fetch(storage_key, path, sha256=sha256)
        outcome = analyse_file(
            path,
            media_type=media_type,
            timeout_s=services.settings.parse_timeout_s,
            memory_mb=services.settings.parse_memory_mb,
            trust_dir=services.settings.signature_trust_dir,
            electronic=electronic,
            defer_ocr=by_pages,
            recognised=recognised,
        )
    if outcome.pending:
        with transaction(services.factory) as session:
            ocr_jobs.queue_pages(session, document_id, outcome.pending)
        return
    with transaction(services.factory) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return
        ocr_jobs.forget_pages(session, [document_id])  # joined (or read whole): the page readings are done with
        session.query(FindingRow).filter(FindingRow.document_id == document_id).delete()
        session.add_all(finding_row(f, dossier_id=doc.dossier_id, document_id=document_id) for f in outcome.findings)
        if outcome.parsed is None:
            doc.status = DocumentStatus.FAILED.value
            doc.parse_error_code = outcome.error_code
            doc.parse_error_message = outcome.error_message
        else:
            doc.status = DocumentStatus.CHECKED.value
            doc.parse_error_code = doc.parse_error_message = None
            doc.page_count = outcome.parsed.page_count
            doc.ocr = outcome.parsed.ocr
            doc.ocr_confidence = outcome.parsed.ocr_confidence
            count_ocr_pages(session, outcome.parsed.ocr_pages_read)  # for monitoring (page jobs count theirs)
            doc.text = outcome.parsed.text
            doc.parse_info = {
                "page_setup": outcome.parsed.page_setup.model_dump(mode="json"),
                "signatures": outcome.signatures,  # validation.signatures.signature_json, one per signature
                "warnings": outcome.parsed.warnings,
                **line_layout(outcome.parsed),  # where each line is, for the page images' finding boxes
            }
        if outcome.fields is not None:
            doc.fields = outcome.fields.model_dump(mode="json")
            doc.secrecy_level = max(doc.secrecy_level, int(secrecy_of(outcome.fields)))
        doc.validation_status = outcome.validation_status
        session.add(IndexOutbox(document_id=document_id, op="upsert"))
        enqueue_dossier_check(session, doc.dossier_id)
        if doc.ocr and doc.media_type == "application/pdf" and services.settings.searchable_pdf:
            enqueue(session, JobKind.MAKE_SEARCHABLE_PDF, document_id=document_id)
        if services.settings.page_images:  # even unread: its pages may render
            enqueue(session, JobKind.RENDER_PAGES, document_id=document_id)


def mark_unprocessable(services: Services, document_id: int) -> None:
    """The document's processing failed after its last attempt: say so on it (the original stays stored)."""
    with transaction(services.factory) as session:
        session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(
                status=DocumentStatus.FAILED.value,
                parse_error_code="PROCESSING-ERROR",
                parse_error_message="Không xử lý được văn bản sau nhiều lần thử; bản gốc vẫn được lưu.",
            )
        )


def make_searchable_derivative(services: Services, document_id: int) -> None:
    """Store an OCRmyPDF searchable PDF/A beside a scanned original (the original is only read)."""
    from indexers.searchable_pdf import make_searchable_pdf_isolated

    with transaction(services.factory) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return
        storage_key, sha256 = doc.storage_key, doc.sha256
    with tempfile.TemporaryDirectory(dir=services.settings.spool_dir) as tmp:
        original, searchable = Path(tmp) / "original.pdf", Path(tmp) / "searchable.pdf"
        services.blobs.fetch(storage_key, original, sha256=sha256)
        make_searchable_pdf_isolated(original, searchable, timeout_s=services.settings.ocr_timeout_s)
        digest, size = hash_file(searchable)
        info = services.blobs.put(
            searchable, sha256=digest, size=size, media_type="application/pdf", filename="searchable.pdf"
        )
    with transaction(services.factory) as session:
        existing = session.scalar(
            select(Derivative).where(Derivative.document_id == document_id, Derivative.kind == "searchable-pdf")
        )
        if existing is not None:
            session.delete(existing)
            session.flush()
        session.add(
            Derivative(
                document_id=document_id,
                kind="searchable-pdf",
                sha256=digest,
                size=size,
                media_type="application/pdf",
                storage_key=info.key,
            )
        )
