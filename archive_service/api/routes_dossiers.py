"""/api/v1/dossiers: create, list, read, change dossiers, and upload documents into them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from archive_service.api.findings import finding_out
from archive_service.documents.signature_view import document_out
from archive_service.dossiers import service
from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from archive_service.edge.uploads import receive_and_store
from schemas.api import (
    DocumentList,
    DossierCreate,
    DossierList,
    DossierOut,
    DossierUpdate,
    ErrorBody,
    FindingList,
    LinkRequest,
    LinkResult,
    UploadResult,
)

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorBody, "description": "Không có quyền với hồ sơ của đơn vị này"},
    404: {"model": ErrorBody, "description": "Không tìm thấy hồ sơ"},
}

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "version_of": {"type": "integer"},
                        "xac_nhan": {"type": "integer", "enum": [0, 1]},
                        "electronic": {
                            "type": "boolean",
                            "default": False,
                            "description": "Văn bản điện tử đã ban hành: bắt buộc có chữ ký số (thiếu thì báo "
                            "SIG-MISSING). true hoặc false; giá trị khác bị từ chối (422).",
                        },
                    },
                    "required": ["files"],
                }
            }
        },
    }
}


@router.post("", status_code=201, response_model=DossierOut, responses=_ERRORS)
def create_dossier(
    data: DossierCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> DossierOut:
    """Tạo hồ sơ hội nghị mới trong đơn vị của người dùng."""
    return service.create(services, principal, data, addr=addr)


@router.get("", response_model=DossierList, responses=_ERRORS)
def list_dossiers(
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> DossierList:
    """Danh sách hồ sơ người dùng được xem, cuộc họp mới nhất trước."""
    listing = service.list_dossiers(services, principal, limit=limit, offset=offset, addr=addr, via="api")
    return DossierList(items=listing.items, total=listing.total)


@router.get("/{dossier_id}", response_model=DossierOut, responses=_ERRORS)
def get_dossier(
    dossier_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> DossierOut:
    """Thông tin một hồ sơ."""
    return service.view(services, principal, dossier_id, addr=addr, via="api")


@router.patch("/{dossier_id}", response_model=DossierOut, responses=_ERRORS)
def update_dossier(
    dossier_id: ObjectId, data: DossierUpdate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> DossierOut:
    """Sửa thông tin hồ sơ (văn thư của đơn vị, hoặc quản trị); hồ sơ được kiểm tra lại."""
    return service.update(services, principal, dossier_id, data, addr=addr)


@router.get("/{dossier_id}/findings", response_model=FindingList, responses=_ERRORS)
def get_dossier_findings(
    dossier_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FindingList:
    """Các lỗi của hồ sơ (thiếu biên bản, thiếu kết luận, ngày, số trùng…) ở lần kiểm tra gần nhất.

    Một lỗi nói về văn bản mà người dùng không được xem thì không hiện ra với người đó.
    """
    rows = service.dossier_findings(services, principal, dossier_id, addr=addr, via="api")
    return FindingList(items=[finding_out(r) for r in rows])


@router.post("/{dossier_id}/check", response_model=FindingList, responses={**_ERRORS, 403: _ERRORS[403]})
def check_dossier_now(
    dossier_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FindingList:
    """Kiểm tra ngay tính đầy đủ và nhất quán của hồ sơ hội nghị (văn thư của đơn vị, hoặc quản trị)."""
    rows = service.check_now(services, principal, dossier_id, addr=addr, via="api")
    return FindingList(items=[finding_out(r) for r in rows])


@router.get("/{dossier_id}/documents", response_model=DocumentList, responses=_ERRORS)
def list_documents(
    dossier_id: ObjectId,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> DocumentList:
    """Các văn bản trong hồ sơ mà người dùng được xem."""
    rows, total = service.list_documents(
        services, principal, dossier_id, limit=limit, offset=offset, addr=addr, via="api"
    )
    return DocumentList(items=[document_out(r) for r in rows], total=total)


@router.post(
    "/{dossier_id}/documents",
    status_code=201,
    response_model=UploadResult,
    openapi_extra=_UPLOAD_BODY,
    responses={
        **_ERRORS,
        200: {"model": UploadResult, "description": "Mọi tệp đều đã có trong kho (trùng SHA-256)"},
        413: {"model": ErrorBody, "description": "Tệp vượt giới hạn dung lượng"},
        415: {"model": ErrorBody, "description": "Không phải PDF hoặc DOCX"},
        422: {"model": ErrorBody, "description": "Trường version_of, xac_nhan hoặc electronic không hợp lệ"},
        503: {"model": ErrorBody, "description": "Kho lưu trữ tạm thời không truy cập được"},
    },
)
async def upload_documents(
    dossier_id: ObjectId,
    request: Request,
    response: Response,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
) -> UploadResult:
    """Tải lên một hoặc nhiều tệp (trường `files`) vào hồ sơ; trùng nội dung thì trả về văn bản đã có."""
    outcome = await receive_and_store(
        request, services=services, principal=principal, dossier_id=dossier_id, client_addr=addr
    )
    if outcome.errors and len(outcome.errors) == len(outcome.items):
        raise outcome.errors[0]
    if outcome.nothing_new:
        response.status_code = 200
    return UploadResult(items=outcome.items)


@router.post(
    "/{dossier_id}/links",
    response_model=LinkResult,
    responses={**_ERRORS, 409: {"model": ErrorBody, "description": "Văn bản của đơn vị khác"}},
)
def link_document(
    dossier_id: ObjectId, data: LinkRequest, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> LinkResult:
    """Đưa một văn bản đã có trong kho vào hồ sơ này (cùng bản gốc, không sao chép); hồ sơ sẽ tính cả văn bản đó."""
    return service.link_document(services, principal, dossier_id, data.document_id, addr=addr, via="api")
