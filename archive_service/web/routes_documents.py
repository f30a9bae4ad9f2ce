"""Page: one document — its fields, its digital signatures, its findings marked in its text, the original,
versions, audit trail; and the form that marks it as an issued electronic document."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from archive_service.documents import pages
from archive_service.documents import service as document_service
from archive_service.documents.signature_view import signature_panel
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.edge.downloads import send_download
from archive_service.reports.fields import field_items, symbol
from archive_service.validation import regime_label
from archive_service.web.auth import WebUserDep
from archive_service.web.csrf import FormUserDep
from archive_service.web.preview import build_preview
from archive_service.web.templating import render
from schemas.api import DocumentUpdate
from schemas.fields import DocumentFields

router = APIRouter(include_in_schema=False)


def _regime(stored: dict[str, Any] | None) -> str | None:
    """The texts the document was judged by, from its stored fields (date and profile)."""
    if not stored:
        return None
    fields = DocumentFields.model_validate(stored)
    return regime_label(fields, fields.profile.value)


@router.get("/van-ban/{document_id}")
def document_page(
    request: Request, document_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Một văn bản: thành phần thể thức, các lỗi (đánh dấu trong nội dung), bản gốc, phiên bản, nhật ký."""
    page = document_service.page(services, user.principal, document_id, addr=addr, via="web")
    doc, findings = page.document, page.findings
    preview, targets = build_preview(doc.text, [(f.severity, f.location) for f in findings])
    return render(
        request,
        "document.html",
        user=user,
        section="ho-so",
        doc=doc,
        symbol=symbol(doc.fields),
        regime=_regime(doc.fields),
        dossier=page.dossier,
        office_name=page.office_name,
        fields=field_items(doc.fields) if doc.fields else [],
        signatures=signature_panel(doc.parse_info, electronic=doc.electronic),
        findings=list(zip(findings, targets, strict=True)),
        preview=preview,
        versions=page.versions,
        can_write=user.principal.can_write_office(doc.office_id),
        show_audit=page.show_audit,
        trail=page.trail,
        dossier_findings=page.dossier_findings,
        superseded_by=page.superseded_by,
        destruction_notice=page.destruction_notice,
        page_preview=pages.preview(services, user.principal, doc.id, [(f.severity, f.location) for f in findings]),
    )


@router.get("/van-ban/{document_id}/ban-goc")
async def download(document_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep) -> Response:
    """Tải bản gốc đúng từng byte (SHA-256 được kiểm tra trước khi gửi)."""
    download = await run_in_threadpool(
        partial(document_service.download_original, services, user.principal, document_id, addr=addr, via="web")
    )
    return send_download(download)


@router.post("/van-ban/{document_id}/dien-tu")
def set_electronic(
    document_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    dien_tu: Annotated[str, Form()] = "",
) -> Response:
    """Đánh dấu (dien_tu=1) hoặc bỏ đánh dấu văn bản điện tử đã ban hành; văn bản được kiểm tra lại chữ ký số."""
    data = DocumentUpdate(electronic=dien_tu == "1")
    document_service.update(services, user.principal, document_id, data, addr=addr)
    return RedirectResponse(f"/van-ban/{document_id}#chu-ky-so", status_code=303)
