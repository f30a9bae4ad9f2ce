"""/api/v1/retention-schedule and /api/v1/reminders: the retention schedule (read by anyone signed in, edited by
admins) and the deadlines of the caller's closed dossiers. Each handler parses and calls one use case."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from archive_service.edge.deps import ClientAddrDep, PrincipalDep, ServicesDep
from archive_service.retention import reminders, service
from schemas.api import ErrorBody
from schemas.retention import (
    RemindersOut,
    RetentionGroupEdit,
    RetentionGroupHistory,
    RetentionGroupOut,
    RetentionScheduleOut,
)

router = APIRouter(prefix="/api/v1", tags=["retention"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorBody, "description": "Chỉ quản trị viên được sửa (AUTH-FORBIDDEN-ROLE)"},
    404: {"model": ErrorBody, "description": "Không có nhóm (RETENTION-GROUP-NOT-FOUND) hoặc đơn vị này"},
    422: {"model": ErrorBody, "description": "Thời hạn bảo quản không hợp lệ (RETENTION-INVALID)"},
}

GroupCode = Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[A-Z][A-Z0-9-]+$")]
OfficeCode = Annotated[str | None, Query(max_length=64, description="Mã đơn vị; mặc định: đơn vị của bạn")]


@router.get("/retention-schedule", response_model=RetentionScheduleOut, responses=_ERRORS)
def read_schedule(services: ServicesDep, principal: PrincipalDep, office: OfficeCode = None) -> RetentionScheduleOut:
    """Bảng thời hạn bảo quản đang áp dụng cho đơn vị; giá trị ``confidence: proposal`` là đề xuất, chưa đối chiếu
    với bảng của Hướng dẫn 35-HD/VPTW."""
    return service.read_schedule(services, principal, office_code=office)


@router.put("/retention-schedule/{group_code}", response_model=RetentionGroupOut, responses=_ERRORS)
def edit_group(
    group_code: GroupCode, data: RetentionGroupEdit, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> RetentionGroupOut:
    """Sửa một nhóm (quản trị): tạo phiên bản mới, phiên bản trước được thay thế và vẫn giữ trong lịch sử."""
    return service.edit_group(services, principal, group_code, data, addr=addr)


@router.get("/retention-schedule/{group_code}/history", response_model=RetentionGroupHistory, responses=_ERRORS)
def group_history(
    group_code: GroupCode, services: ServicesDep, principal: PrincipalDep, office: OfficeCode = None
) -> RetentionGroupHistory:
    """Các phiên bản của một nhóm, mới nhất trước; phiên bản 0 là giá trị đề xuất ban đầu."""
    return service.group_history(services, principal, group_code, office_code=office)


@router.get("/reminders", response_model=RemindersOut, responses=_ERRORS)
def read_reminders(services: ServicesDep, principal: PrincipalDep, office: OfficeCode = None) -> RemindersOut:
    """Nhắc việc: hồ sơ sắp đến hạn nộp lưu (30 ngày), quá hạn nộp lưu, giữ lại quá hạn, hết thời hạn bảo quản."""
    return reminders.reminders(services, principal, office_code=office)
