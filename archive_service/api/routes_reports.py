"""/api/v1/reports: the format-validation reports for API clients (JSON by default, or CSV or PDF files)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep, file_response
from archive_service.reports import service as reports
from archive_service.reports.bao_cao import Signing
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
        "description": "Báo cáo (JSON), hoặc tệp CSV/XLSX/PDF khi format=csv|xlsx|pdf",
        "content": {"text/csv": {}, "application/pdf": {}, reports.MEDIA["xlsx"]: {}},
    }
}
FormatQuery = Annotated[reports.FileFormat, Query(description="json (mặc định), csv, xlsx hoặc pdf")]


def _answer(report: Report, fmt: reports.FileFormat, sign: Signing | None = None) -> Report | Response:
    return report if fmt == "json" else file_response(reports.report_file(report, fmt, sign))


@router.get("/offices", response_model=Report, responses={**_ERRORS, **_FILES})
async def office_report(
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    office: Annotated[str | None, Query(max_length=64, description="Mã đơn vị; bỏ trống: mọi đơn vị được xem")] = None,
    date_from: Annotated[date | None, Query(alias="from", description="Từ ngày ban hành (YYYY-MM-DD)")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Đến ngày ban hành (YYYY-MM-DD)")] = None,
    format: FormatQuery = "json",
    number: Annotated[
        str | None, Query(max_length=16, description="PDF: số của báo cáo (chữ số); bỏ trống: để trống chờ cấp số")
    ] = None,
    deputy: Annotated[bool, Query(description="PDF: Phó Chánh văn phòng ký thay (K/T CHÁNH VĂN PHÒNG)")] = False,
    signer: Annotated[str | None, Query(max_length=64, description="PDF: họ và tên người ký")] = None,
) -> Report | Response:
    """Báo cáo theo đơn vị và kỳ: số lỗi theo mã và mức độ, loại văn bản, tháng hoặc quý; văn bản nhiều lỗi nhất.

    Dạng PDF là một báo cáo của Văn phòng theo 05-HD/VPTW (tiêu đề, số, địa danh và ngày, chữ ký, nơi nhận),
    số liệu ở phụ lục.
    """
    sign = reports.signing(number, deputy, signer)
    report = await run_in_threadpool(
        reports.office_report, services, principal, office, date_from, date_to, addr, "api"
    )
    return await run_in_threadpool(_answer, report, format, sign)


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
