"""/api/v1/documents: metadata, the original bytes, and findings of one document."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from archive_service.api.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from archive_service.api.downloads import fetch_verified, file_download, load_original
from archive_service.api.findings import finding_out
from archive_service.catalog import audit, documents
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Derivative, Document, IndexOutbox
from archive_service.documents import service as document_service
from archive_service.errors import NotFound
from schemas.api import DocumentOut, DocumentUpdate, ErrorBody, FindingList

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    404: {"model": ErrorBody, "description": "Không tìm thấy văn bản (hoặc không có quyền xem)"},
}


@router.get("/{document_id}", response_model=DocumentOut, responses=_ERRORS)
def get_document(
    document_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> DocumentOut:
    """Thông tin văn bản và các thành phần thể thức đã trích xuất."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        audit.record(
            session,
            principal=principal,
            action="document.view",
            object_type="document",
            object_id=doc.id,
            client_addr=addr,
            details={"via": "api"},
            office_id=doc.office_id,
        )
        return DocumentOut.model_validate(doc)


@router.patch("/{document_id}", response_model=DocumentOut, responses={**_ERRORS, 403: {"model": ErrorBody}})
def update_document(
    document_id: ObjectId,
    data: DocumentUpdate,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
) -> DocumentOut:
    """Sửa thông tin văn bản (độ mật, hồ sơ, phiên bản trước); bản gốc không bao giờ thay đổi."""
    with transaction(services.factory) as session:
        doc, changes = documents.update_metadata(session, principal=principal, document_id=document_id, data=data)
        if changes:
            audit.record(
                session,
                principal=principal,
                action="document.update",
                object_type="document",
                object_id=doc.id,
                client_addr=addr,
                details=changes,
                office_id=doc.office_id,
            )
            session.add(IndexOutbox(document_id=doc.id, op="upsert"))
        return DocumentOut.model_validate(doc)


@router.get(
    "/{document_id}/content",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {"application/pdf": {}, "application/octet-stream": {}}}},
)
async def download_original(
    document_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FileResponse:
    """Tải bản gốc, đúng từng byte (kiểm tra SHA-256 trước khi gửi)."""
    doc, path = await run_in_threadpool(
        partial(load_original, services, principal=principal, document_id=document_id, client_addr=addr, via="api")
    )
    return file_download(path, media_type=doc.media_type, filename=doc.original_filename, etag=doc.sha256)


@router.get(
    "/{document_id}/searchable-pdf",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {"application/pdf": {}}}},
)
async def download_searchable_pdf(
    document_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FileResponse:
    """Tải bản PDF/A tìm kiếm được (OCR) của một bản quét; bản gốc giữ nguyên."""

    def _load() -> tuple[Document, Path]:
        with transaction(services.factory) as session:
            doc = documents.get_readable(session, principal=principal, document_id=document_id)
            derivative = session.scalar(
                select(Derivative).where(Derivative.document_id == doc.id, Derivative.kind == "searchable-pdf")
            )
            if derivative is None:
                raise NotFound("DERIVATIVE-NOT-READY", "Văn bản này chưa có (hoặc không cần) bản PDF tìm kiếm được.")
            audit.record(
                session,
                principal=principal,
                action="document.download-searchable",
                object_type="document",
                object_id=doc.id,
                client_addr=addr,
                office_id=doc.office_id,
            )
            key, sha = derivative.storage_key, derivative.sha256
        return doc, fetch_verified(services, key=key, sha256=sha, name="searchable.pdf")

    doc, path = await run_in_threadpool(_load)
    name = doc.original_filename.rsplit(".", 1)[0] + " (OCR).pdf"
    return file_download(path, media_type="application/pdf", filename=name)


@router.get("/{document_id}/findings", response_model=FindingList, responses=_ERRORS)
def get_findings(
    document_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FindingList:
    """Các lỗi thể thức và thẩm quyền đã phát hiện trong văn bản."""
    rows = document_service.document_findings(services, principal, document_id, addr=addr, via="api")
    return FindingList(items=[finding_out(r) for r in rows])
