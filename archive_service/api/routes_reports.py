"""/api/v1/reports: the format-validation reports for API clients (JSON by default, or CSV or PDF files)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep, file_response
from archive_service.reports import service as reports
from archive_service.reports.model import Report
from schemas.api import ErrorBody

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Báo cáo (JSON), hoặc tệp CSV/PDF khi format=csv|pdf",
        "content": {"text/csv": {}, "application/pdf": {}},
    }
}
FormatQuery = Annotated[reports.FileFormat, Query(description="json (mặc định), csv hoặc pdf")]


def _answer(report: Report, fmt: reports.FileFormat) -> Report | Response:
    return report if fmt == "json" else file_response(reports.report_file(report, fmt))


@router.get("/offices", response_model=Report, responses={**_ERRORS, **_FILES})
async def office_report(
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    office: Annotated[str | None, Query(max_length=64, description="Mã đơn vị; bỏ trống: mọi đơn vị được xem")] = None,
    date_from: Annotated[date | None, Query(alias="from", description="Từ ngày ban hành (YYYY-MM-DD)")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Đến ngày ban hành (YYYY-MM-DD)")] = None,
    format: FormatQuery = "json",
) -> Report | Response:
    """Báo cáo theo đơn vị và kỳ: số lỗi theo mã và mức độ, loại văn bản, tháng; văn bản nhiều lỗi nhất."""
    report = await run_in_threadpool(
        reports.office_report, services, principal, office, date_from, date_to, addr, "api"
    )
    return await run_in_threadpool(_answer, report, format)


@router.get("/dossiers/{dossier_id}", response_model=Report, responses={**_ERRORS, **_FILES})
async def dossier_report(
    dossier_id: ObjectId,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    format: FormatQuery = "json",
) -> Report | Response:
    """Báo cáo một hồ sơ hội nghị: lỗi của từng văn bản và lỗi về thành phần hồ sơ."""
    report = await run_in_threadpool(reports.dossier_report, services, principal, dossier_id, addr)
    return await run_in_threadpool(_answer, report, format)


@router.get("/documents/{document_id}", response_model=Report, responses={**_ERRORS, **_FILES})
async def document_report(
    document_id: ObjectId,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    format: FormatQuery = "json",
) -> Report | Response:
    """Báo cáo một văn bản: thành phần thể thức nhận dạng được và từng lỗi, ở đâu, sửa thế nào."""
    report = await run_in_threadpool(reports.document_report, services, principal, document_id, addr)
    return await run_in_threadpool(_answer, report, format)
