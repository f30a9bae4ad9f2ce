"""Page: one document — its fields, its findings marked in its text, the original, versions, audit trail."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.api.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.api.downloads import file_download, load_original
from archive_service.catalog import audit, documents
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Dossier
from archive_service.reports.fields import field_items, symbol
from archive_service.web import queries
from archive_service.web.auth import WebUserDep
from archive_service.web.preview import build_preview
from archive_service.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/van-ban/{document_id}")
def document_page(
    request: Request, document_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
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
            office_id=doc.office_id,
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
async def download(document_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep) -> Response:
    """Tải bản gốc đúng từng byte (SHA-256 được kiểm tra trước khi gửi)."""
    doc, path = await run_in_threadpool(
        partial(load_original, services, principal=user.principal, document_id=document_id, client_addr=addr, via="web")
    )
    return file_download(path, media_type=doc.media_type, filename=doc.original_filename, etag=doc.sha256)
