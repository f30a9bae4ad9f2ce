"""/api/v1/documents: metadata, the original bytes, and findings of one document."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from archive_service.api.findings import finding_out
from archive_service.documents import service
from archive_service.documents.signature_view import document_out
from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from archive_service.edge.downloads import send_download
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
    """Thông tin văn bản, các thành phần thể thức đã trích xuất và kết quả kiểm tra từng chữ ký số."""
    doc = service.view(services, principal, document_id, addr=addr, via="api")
    return document_out(doc).model_copy(update={"destruction_notice": service.tombstone_notice(services, doc)})


@router.patch("/{document_id}", response_model=DocumentOut, responses={**_ERRORS, 403: {"model": ErrorBody}})
def update_document(
    document_id: ObjectId,
    data: DocumentUpdate,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
) -> DocumentOut:
    """Sửa thông tin văn bản (độ mật, hồ sơ, phiên bản trước, đánh dấu văn bản điện tử đã ban hành); bản gốc
    không bao giờ thay đổi.

    Chuyển văn bản sang hồ sơ khác thì cả hai hồ sơ được kiểm tra lại.
    """
    return document_out(service.update(services, principal, document_id, data, addr=addr))


@router.get(
    "/{document_id}/content",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {"application/pdf": {}, "application/octet-stream": {}}}},
)
async def download_original(
    document_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FileResponse:
    """Tải bản gốc, đúng từng byte (kiểm tra SHA-256 trước khi gửi)."""
    download = await run_in_threadpool(
        partial(service.download_original, services, principal, document_id, addr=addr, via="api")
    )
    return send_download(download)


@router.get(
    "/{document_id}/searchable-pdf",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {"application/pdf": {}}}},
)
async def download_searchable_pdf(
    document_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FileResponse:
    """Tải bản PDF/A tìm kiếm được (OCR) của một bản quét; bản gốc giữ nguyên."""
    download = await run_in_threadpool(
        partial(service.download_searchable_pdf, services, principal, document_id, addr=addr, via="api")
    )
    return send_download(download)


@router.get("/{document_id}/findings", response_model=FindingList, responses=_ERRORS)
def get_findings(
    document_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FindingList:
    """Các lỗi thể thức và thẩm quyền đã phát hiện trong văn bản."""
    rows = service.document_findings(services, principal, document_id, addr=addr, via="api")
    return FindingList(items=[finding_out(r) for r in rows])
