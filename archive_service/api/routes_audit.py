"""/api/v1/audit: the audit trail for auditors and admins, filtered, as JSON or a CSV export."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.audit import service
from archive_service.catalog.access import Principal
from archive_service.edge.deps import ClientAddrDep, PrincipalDep, ServicesDep, file_response
from archive_service.services import Services
from schemas.api import ErrorBody
from schemas.audit import AuditList

router = APIRouter(prefix="/api/v1", tags=["audit"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody, "description": "Chỉ kiểm tra viên và quản trị"},
    422: {"model": ErrorBody},
}


def _read(
    services: Services,
    principal: Principal,
    f: service.AuditFilter,
    fmt: str,
    limit: int,
    offset: int,
    addr: str | None,
) -> AuditList | Response:
    if fmt == "csv":
        return file_response(service.export_trail(services, principal, f, addr=addr, via="api"))
    items, total = service.read_trail(services, principal, f, limit=limit, offset=offset, addr=addr, via="api")
    return AuditList(items=items, total=total)


@router.get(
    "/audit",
    response_model=AuditList,
    responses={
        **_ERRORS,
        200: {"description": "Nhật ký (JSON), hoặc tệp CSV khi format=csv", "content": {"text/csv": {}}},
    },
)
async def read_audit(
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    user: Annotated[str | None, Query(max_length=64, description="Tên đăng nhập")] = None,
    office: Annotated[str | None, Query(max_length=64, description="Mã đơn vị của đối tượng")] = None,
    object_type: Annotated[
        str | None, Query(max_length=32, description="document, dossier, user, office, search…")
    ] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[
        str | None, Query(max_length=64, description='Mã hành động; "document.*" cho mọi hành động về văn bản')
    ] = None,
    date_from: Annotated[date | None, Query(alias="from", description="Từ ngày (YYYY-MM-DD, UTC)")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Đến hết ngày (YYYY-MM-DD, UTC)")] = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    format: Annotated[Literal["json", "csv"], Query(description="json (mặc định) hoặc csv")] = "json",
) -> AuditList | Response:
    """Nhật ký truy cập và thay đổi: ai, làm gì, với đối tượng nào, khi nào, từ đâu (mới nhất trước)."""
    f = service.AuditFilter(
        username=user,
        office_code=office,
        object_type=object_type,
        object_id=object_id,
        action=action,
        since=service.day_start(date_from),
        until=service.day_end(date_to),
    )
    return await run_in_threadpool(_read, services, principal, f, format, limit, offset, addr)
