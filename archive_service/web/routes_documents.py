"""Page: one document — its fields, its findings marked in its text, the original, versions, audit trail."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from archive_service.api.deps import ClientAddrDep, ServicesDep
from archive_service.api.routes_documents import content_disposition
from archive_service.catalog import audit, documents
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Dossier
from archive_service.reports.fields import field_items, symbol
from archive_service.web import queries
from archive_service.web.auth import WebUserDep
from archive_service.web.preview import build_preview
from archive_service.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/van-ban/{document_id}")
def document_page(
    request: Request, document_id: int, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Một văn bản: thành phần thể thức, các lỗi (đánh dấu trong nội dung), bản gốc, phiên bản, nhật ký."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=user.principal, document_id=document_id)
        audit.record(
            session,
            principal=user.principal,
            action="document.view",
            object_type="document",
            object_id=doc.id,
            client_addr=addr,
            details={"via": "web"},
        )
        findings = documents.findings_of(session, document_id=doc.id)
        dossier = session.get(Dossier, doc.dossier_id)
        versions = queries.versions(session, user.principal, doc)
        show_audit = queries.may_see_audit(user.principal)
        trail = queries.audit_trail(session, object_type="document", object_id=doc.id) if show_audit else []
        office_name = queries.office_names(session).get(doc.office_id, "")
    preview, targets = build_preview(doc.text, [(f.severity, f.location) for f in findings])
    return render(
        request,
        "document.html",
        user=user,
        section="ho-so",
        doc=doc,
        symbol=symbol(doc.fields),
        dossier=dossier,
        office_name=office_name,
        fields=field_items(doc.fields) if doc.fields else [],
        findings=list(zip(findings, targets, strict=True)),
        preview=preview,
        versions=versions,
        can_write=user.principal.can_write_office(doc.office_id),
        show_audit=show_audit,
        trail=trail,
    )


@router.get("/van-ban/{document_id}/ban-goc")
async def download(document_id: int, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep) -> Response:
    """Tải bản gốc đúng từng byte (SHA-256 được kiểm tra trước khi gửi)."""

    def _load() -> tuple[Document, Path]:
        with transaction(services.factory) as session:
            doc = documents.get_readable(session, principal=user.principal, document_id=document_id)
        services.settings.spool_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=services.settings.spool_dir)) / "original"
        services.blobs.fetch(doc.storage_key, tmp, sha256=doc.sha256)
        with transaction(services.factory) as session:
            audit.record(
                session,
                principal=user.principal,
                action="document.download",
                object_type="document",
                object_id=doc.id,
                client_addr=addr,
                details={"via": "web"},
            )
        return doc, tmp

    doc, tmp = await run_in_threadpool(_load)

    def _cleanup() -> None:
        tmp.unlink(missing_ok=True)
        tmp.parent.rmdir()

    return FileResponse(
        tmp,
        media_type=doc.media_type,
        headers={
            "Content-Disposition": content_disposition(doc.original_filename),
            "ETag": f'"{doc.sha256}"',
        },
        background=BackgroundTask(_cleanup),
    )
