"""/api/v1/dossiers/{id}: closing (checklist, close), keeping back, record files and the dossier's history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from archive_service.records import outputs, service
from schemas.api import ErrorBody
from schemas.closing import (
    ChecklistOut,
    ClosedOut,
    CloseRequest,
    HistoryList,
    KeepRequest,
    KeptOut,
    RecordFileList,
)

router = APIRouter(prefix="/api/v1/dossiers", tags=["records"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorBody, "description": "Vai trò hoặc đơn vị không được thực hiện bước này"},
    404: {"model": ErrorBody, "description": "Không tìm thấy hồ sơ"},
}
_STEP_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    409: {"model": ErrorBody, "description": "Trạng thái không cho phép, hồ sơ bị đóng băng, hoặc chưa đủ điều kiện"},
    422: {"model": ErrorBody, "description": "Giá trị không hợp lệ (thời hạn bảo quản, ngày, văn bản đồng ý)"},
}


@router.get("/{dossier_id}/closing-checklist", response_model=ChecklistOut, responses=_ERRORS)
def closing_checklist(
    dossier_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> ChecklistOut:
    """Danh sách kiểm tra trước khi kết thúc hồ sơ: văn bản đang đọc, bản nháp, bản trùng, số trang, thời hạn."""
    return outputs.checklist_out(service.checklist(services, principal, dossier_id, addr=addr, via="api"))


@router.post("/{dossier_id}/close", response_model=ClosedOut, responses=_STEP_ERRORS)
def close_dossier(
    dossier_id: ObjectId, body: CloseRequest, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> ClosedOut:
    """Kết thúc hồ sơ (NĐ 30/2020 Điều 29): lập chứng từ kết thúc, mục lục văn bản (hồ sơ vĩnh viễn), khóa bản gốc."""
    closed = service.close_dossier(
        services, principal, dossier_id, retention=body.retention, take_out=body.take_out, addr=addr
    )
    return outputs.closed_out(closed)


@router.post("/{dossier_id}/keep", response_model=KeptOut, responses=_STEP_ERRORS)
def keep_dossier(
    dossier_id: ObjectId, body: KeepRequest, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> KeptOut:
    """Giữ lại hồ sơ tại đơn vị (NĐ 30/2020 Điều 30.2): tối đa 2 năm sau hạn nộp lưu, có văn bản đồng ý."""
    kept = service.keep(services, principal, dossier_id, until=body.until, consent=body.consent, addr=addr)
    return outputs.kept_out(kept)


@router.get("/{dossier_id}/record-files", response_model=RecordFileList, responses=_ERRORS)
def record_files(
    dossier_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> RecordFileList:
    """Các tệp lưu trữ của hồ sơ (chứng từ kết thúc, mục lục văn bản …), nếu người gọi được xem."""
    rows = service.record_files(services, principal, dossier_id, addr=addr, via="api")
    return RecordFileList(items=[outputs.file_out(r) for r in rows])


@router.get("/{dossier_id}/history", response_model=HistoryList, responses=_ERRORS)
def dossier_history(
    dossier_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> HistoryList:
    """Quá trình của hồ sơ: ai, khi nào, chuyển từ trạng thái nào sang trạng thái nào."""
    items = service.history(services, principal, dossier_id, addr=addr, via="api")
    return HistoryList(items=items)
