"""Pages and downloads: reports per office and period, per dossier, per document (HTML, CSV, XLSX, JSON, PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.accounts.service import offices_to_pick
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep, file_response
from archive_service.reports import service as reports
from archive_service.reports.counting import CAPTIONS
from archive_service.reports.model import Report
from archive_service.reports.service import Chart
from archive_service.reports.svg import rules_chart, trend_chart, trend_title
from archive_service.reports.text import totals_rows
from archive_service.web.auth import WebUser, WebUserDep
from archive_service.web.dates import parse_optional_date
from archive_service.web.templating import render

router = APIRouter(include_in_schema=False)


def _period(tu_ngay: str | None, den_ngay: str | None) -> tuple[date | None, date | None]:
    """The period as typed (ngày/tháng/năm); the use case checks that it is one."""
    try:
        return parse_optional_date(tu_ngay), parse_optional_date(den_ngay)
    except ValueError as exc:
        raise reports.bad_date() from exc


def _page(request: Request, user: WebUser, report: Report, **extra: Any) -> Response:
    return render(
        request,
        "report.html",
        user=user,
        section="bao-cao",
        report=report,
        totals=totals_rows(report),
        trend_svg=trend_chart(report.by_month, report.trend_unit) if report.by_month else "",
        trend_title=trend_title(report.trend_unit),
        rules_svg=rules_chart(report.by_rule),
        captions=CAPTIONS,
        **extra,
    )


@dataclass(frozen=True)
class OfficeReport:
    """The office-and-period report the query asks for, and that query (for the page's links)."""

    report: Report
    params: dict[str, str | None]
    # The page only: a typed date that is not one (or a period that ends before it starts). The form is shown
    # again with this message over the report of no period, instead of a dead-end error page.
    date_error: str | None = None
    date_code: str | None = None


async def _office_report_for(
    services: ServicesDep,
    user: WebUserDep,
    addr: ClientAddrDep,
    don_vi: Annotated[str | None, Query(max_length=64)] = None,
    tu_ngay: str | None = None,
    den_ngay: str | None = None,
) -> OfficeReport:
    start, end = _period(tu_ngay, den_ngay)
    report = await run_in_threadpool(reports.office_report, services, user.principal, don_vi, start, end, addr, "web")
    return OfficeReport(report, {"don_vi": don_vi, "tu_ngay": tu_ngay, "den_ngay": den_ngay})


OfficeReportDep = Annotated[OfficeReport, Depends(_office_report_for)]


async def _office_page_report(
    services: ServicesDep,
    user: WebUserDep,
    addr: ClientAddrDep,
    don_vi: Annotated[str | None, Query(max_length=64)] = None,
    tu_ngay: str | None = None,
    den_ngay: str | None = None,
) -> OfficeReport:
    """The page's report; a bad date keeps the page, with the form and its message (downloads still refuse)."""
    try:
        return await _office_report_for(services, user, addr, don_vi, tu_ngay, den_ngay)
    except reports.BadPeriod as exc:
        report = await run_in_threadpool(
            reports.office_report, services, user.principal, don_vi, None, None, addr, "web"
        )
        return OfficeReport(report, {"don_vi": don_vi, "tu_ngay": tu_ngay, "den_ngay": den_ngay}, exc.message, exc.code)


OfficePageReportDep = Annotated[OfficeReport, Depends(_office_page_report)]


@router.get("/bao-cao")
async def office_page(
    request: Request, services: ServicesDep, user: WebUserDep, office: OfficePageReportDep
) -> Response:
    """Báo cáo theo đơn vị và kỳ: số lỗi theo mã, mức độ, loại văn bản, tháng; văn bản nhiều lỗi nhất."""
    offices = await run_in_threadpool(offices_to_pick, services, user.principal)
    return _page(
        request,
        user,
        office.report,
        offices=offices,
        params=office.params,
        download_base="/bao-cao/don-vi",
        date_error=office.date_error,
        date_code=office.date_code,
        status_code=422 if office.date_error else 200,  # the status the API answers a bad date with
    )


@router.get("/bao-cao/don-vi.{fmt}")
async def office_download(
    fmt: reports.FileFormat,
    office: OfficeReportDep,
    so: Annotated[str | None, Query(max_length=16)] = None,
    ky_thay: bool = False,
    nguoi_ky: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Tải báo cáo theo đơn vị và kỳ dưới dạng CSV, XLSX, JSON hoặc PDF (PDF: báo cáo của Văn phòng, số ``so``)."""
    sign = reports.signing(so, ky_thay, nguoi_ky)
    return file_response(await run_in_threadpool(reports.report_file, office.report, fmt, sign))


@router.get("/bao-cao/don-vi/bieu-do-{chart}.svg")
async def office_chart(chart: Chart, office: OfficeReportDep) -> Response:
    """Tải một biểu đồ của báo cáo theo đơn vị và kỳ (SVG)."""
    return file_response(reports.chart_file(office.report, chart))


@router.get("/bao-cao/ho-so/{dossier_id:int}")
async def dossier_page(
    request: Request, dossier_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Báo cáo một hồ sơ hội nghị."""
    report = await run_in_threadpool(reports.dossier_report, services, user.principal, dossier_id, addr)
    return _page(request, user, report, download_base=f"/bao-cao/ho-so/{dossier_id}", params={})


@router.get("/bao-cao/ho-so/{dossier_id:int}.{fmt}")
async def dossier_download(
    dossier_id: ObjectId, fmt: reports.FileFormat, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Tải báo cáo hồ sơ dưới dạng CSV, XLSX, JSON hoặc PDF."""
    report = await run_in_threadpool(reports.dossier_report, services, user.principal, dossier_id, addr)
    return file_response(await run_in_threadpool(reports.report_file, report, fmt))


@router.get("/bao-cao/van-ban/{document_id:int}")
async def document_page(
    request: Request, document_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Báo cáo một văn bản."""
    report = await run_in_threadpool(reports.document_report, services, user.principal, document_id, addr)
    return _page(request, user, report, download_base=f"/bao-cao/van-ban/{document_id}", params={})


@router.get("/bao-cao/van-ban/{document_id:int}.{fmt}")
async def document_download(
    document_id: ObjectId, fmt: reports.FileFormat, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    report = await run_in_threadpool(reports.document_report, services, user.principal, document_id, addr)
    return file_response(await run_in_threadpool(reports.report_file, report, fmt))


@router.get("/bao-cao/ho-so/{dossier_id:int}/bieu-do-{chart}.svg")
async def dossier_chart(
    dossier_id: ObjectId, chart: Chart, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Tải một biểu đồ của báo cáo hồ sơ (SVG)."""
    report = await run_in_threadpool(reports.dossier_report, services, user.principal, dossier_id, addr)
    return file_response(reports.chart_file(report, chart))


@router.get("/bao-cao/van-ban/{document_id:int}/bieu-do-{chart}.svg")
async def document_chart(
    document_id: ObjectId, chart: Chart, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Tải một biểu đồ của báo cáo văn bản (SVG)."""
    report = await run_in_threadpool(reports.document_report, services, user.principal, document_id, addr)
    return file_response(reports.chart_file(report, chart))
