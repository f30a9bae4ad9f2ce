"""/api/v1/holds: đóng băng hồ sơ, văn bản (NĐ 30/2020 Phụ lục VI) — place, list, lift; admins place and lift."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from archive_service.freezes import service
from schemas.api import ErrorBody
from schemas.holds import HoldCreate, HoldLift, HoldList, HoldOut

router = APIRouter(prefix="/api/v1/holds", tags=["holds"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorBody, "description": "Chỉ quản trị viên được đóng băng hoặc gỡ đóng băng"},
    404: {"model": ErrorBody, "description": "Không tìm thấy hồ sơ, văn bản hoặc lệnh đóng băng"},
    409: {"model": ErrorBody, "description": "Lệnh đã được gỡ; văn bản của nhiều đơn vị"},
}


@router.post("", status_code=201, response_model=HoldOut, responses=_ERRORS)
def place_hold(data: HoldCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep) -> HoldOut:
    """Đóng băng một hồ sơ hoặc một số văn bản: không được di chuyển, sửa, xóa, hủy cho đến khi gỡ."""
    return service.place_hold(services, principal, data, addr=addr)


@router.get("", response_model=HoldList, responses=_ERRORS)
def list_holds(
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    active: Annotated[bool, Query(description="Chỉ các lệnh đang có hiệu lực")] = False,
) -> HoldList:
    """Các lệnh đóng băng mà người dùng được xem (mọi hồ sơ, văn bản của lệnh đều xem được)."""
    return service.holds(services, principal, active_only=active, addr=addr, via="api")


@router.post("/{hold_id}/lift", response_model=HoldOut, responses=_ERRORS)
def lift_hold(
    hold_id: ObjectId, data: HoldLift, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> HoldOut:
    """Gỡ đóng băng (ghi lý do); lệnh vẫn được lưu cùng người gỡ và thời điểm gỡ."""
    return service.lift_hold(services, principal, hold_id, reason=data.reason, addr=addr)
