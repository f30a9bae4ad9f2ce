"""The reports as the web pages and the API ask for them: computed as the caller, audited, as files.

One place for both front ends: the period is checked here (one refusal, one status, whichever edge asked),
the reports leave an audit event (who looked at which records), and every report is made into a CSV, JSON,
PDF or SVG file (``FileDownload``: bytes, name, media type) that each edge sends its own way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Final, Literal

from sqlalchemy.orm import Session

from archive_service.catalog import accounts, audit
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Office
from archive_service.errors import AppError, NotFound
from archive_service.reports import compute
from archive_service.reports.files import FileDownload
from archive_service.reports.model import Report
from archive_service.reports.render_csv import render_csv, render_json
from archive_service.reports.render_pdf import render_pdf, report_filename
from archive_service.reports.svg import rules_chart, standalone, trend_chart
from archive_service.services import Services

FileFormat = Literal["csv", "json", "pdf"]
Chart = Literal["ma-loi", "xu-huong"]  # the rules chart, the monthly trend
MEDIA: Final = {"csv": "text/csv; charset=utf-8", "json": "application/json", "pdf": "application/pdf"}


class BadPeriod(AppError):
    """A report period that cannot be read or ends before it starts.

    422 whichever edge asked: the API answers so for any query parameter it cannot use, and the web page
    shows the same status.
    """

    status_code = 422


def bad_date() -> BadPeriod:
    """The refusal of a typed date that is no date (each edge reads its own date format)."""
    return BadPeriod("REPORT-BAD-DATE", "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/03/2024.")


def check_period(start: date | None, end: date | None) -> None:
    """REPORT-BAD-PERIOD when the period ends before it starts."""
    if start and end and start > end:
        raise BadPeriod("REPORT-BAD-PERIOD", "Ngày bắt đầu phải trước ngày kết thúc.")


def _office_of(session: Session, report: Report) -> Office | None:
    """The office a report covers (None: every office the caller sees), for its audit event."""
    code = report.scope.office_code
    return accounts.find_office(session, code) if code else None


def office_report(
    services: Services,
    principal: Principal,
    office_code: str | None,
    start: date | None,
    end: date | None,
    addr: str | None,
    via: str,
) -> Report:
    """Per office (or every office the caller sees) and period; the reading is audited with its period."""
    check_period(start, end)
    with transaction(services.factory) as session:
        report = compute.office_report(
            session, principal=principal, office_code=office_code or None, date_from=start, date_to=end
        )
        office = _office_of(session, report)
        audit.record(
            session,
            principal=principal,
            action="office.report",
            object_type="office",
            object_id=office.id if office else None,
            client_addr=addr,
            details={
                "via": via,
                "office": report.scope.office_code,
                "from": start.isoformat() if start else None,
                "to": end.isoformat() if end else None,
                "documents": report.totals.documents,
            },
            office_id=office.id if office else None,
            scoped=True,
        )
        return report


def _audited(
    services: Services,
    principal: Principal,
    addr: str | None,
    kind: str,
    object_id: int,
    make: Callable[[Session], Report],
) -> Report:
    """A report on one object, with the audit event of its reading ("<kind>.report"), in one transaction."""
    with transaction(services.factory) as session:
        report = make(session)
        office = _office_of(session, report)
        audit.record(
            session,
            principal=principal,
            action=f"{kind}.report",
            object_type=kind,
            object_id=object_id,
            client_addr=addr,
            office_id=office.id if office else None,
        )
        return report


def dossier_report(services: Services, principal: Principal, dossier_id: int, addr: str | None) -> Report:
    """One dossier's report; the reading is audited."""
    return _audited(
        services,
        principal,
        addr,
        "dossier",
        dossier_id,
        lambda session: compute.dossier_report(session, principal=principal, dossier_id=dossier_id),
    )


def document_report(services: Services, principal: Principal, document_id: int, addr: str | None) -> Report:
    """One document's report; the reading is audited."""
    return _audited(
        services,
        principal,
        addr,
        "document",
        document_id,
        lambda session: compute.document_report(session, principal=principal, document_id=document_id),
    )


def report_file(report: Report, fmt: FileFormat) -> FileDownload:
    """The report as a file: ``bao-cao-….csv|json|pdf``."""
    body = {"csv": render_csv, "json": render_json, "pdf": render_pdf}[fmt](report)
    return FileDownload(body=body, filename=report_filename(report, fmt), media_type=MEDIA[fmt])


def chart_file(report: Report, chart: Chart) -> FileDownload:
    """One chart of the report as an .svg file; REPORT-NO-CHART (404) for a trend the report does not have."""
    if chart == "xu-huong":
        if not report.by_month:
            raise NotFound("REPORT-NO-CHART", "Báo cáo này không có biểu đồ xu hướng theo tháng.")
        svg = trend_chart(report.by_month)
    else:
        svg = rules_chart(report.by_rule)
    name = report_filename(report, "svg").removesuffix(".svg") + f"-bieu-do-{chart}.svg"
    return FileDownload(body=standalone(svg), filename=name, media_type="image/svg+xml")
