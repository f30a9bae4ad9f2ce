"""The reports as the web pages and the API ask for them: computed as the caller, audited, as files.

One place for both front ends: the period is checked here (one refusal, one status, whichever edge asked),
the reports leave an audit event (who looked at which records), and every report is made into a CSV, XLSX,
JSON, PDF or SVG file (``FileDownload``: bytes, name, media type) that each edge sends its own way.
"""

from __future__ import annotations

import unicodedata
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
from archive_service.reports.bao_cao import Signing
from archive_service.reports.files import FileDownload
from archive_service.reports.model import Report
from archive_service.reports.naming import report_filename
from archive_service.reports.render_csv import render_csv, render_json
from archive_service.reports.svg import rules_chart, standalone, trend_chart
from archive_service.services import Services

FileFormat = Literal["csv", "json", "pdf", "xlsx"]
Chart = Literal["ma-loi", "xu-huong"]  # the rules chart, the trend (by month, quarter or year)
MEDIA: Final = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NUMBER_MAX: Final = 16


class BadPeriod(AppError):
    """A report period that cannot be read or ends before it starts.

    422 whichever edge asked: the API answers so for any query parameter it cannot use, and the web page
    shows the same status.
    """

    status_code = 422


class BadNumber(AppError):
    """A báo cáo number that is not a number (422, as any query parameter the report cannot use)."""

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


SIGNER_MAX: Final = 64  # the longest name printed under the signature


def signing(number: str | None, deputy: bool, signer: str | None = None) -> Signing:
    """The báo cáo's number as the user typed it (digits only, or none), who signs it and their name.

    REPORT-BAD-NUMBER (422) for anything but a number: it is printed in "Số …-BC/VP…", which the service's
    own check would then call malformed. REPORT-BAD-SIGNER (422) for a name that is not letters, spaces,
    dots and hyphens (at most 64): it is printed under the signature as it is.
    """
    value = (number or "").strip()
    if value and not (value.isdigit() and len(value) <= NUMBER_MAX):
        raise BadNumber("REPORT-BAD-NUMBER", "Số báo cáo chỉ gồm chữ số, ví dụ 12; để trống nếu chưa cấp số.")
    name = " ".join((signer or "").split())
    if name and not (len(name) <= SIGNER_MAX and all(c.isalpha() or c in " .-" for c in name)):
        raise BadNumber(
            "REPORT-BAD-SIGNER", "Họ và tên người ký chỉ gồm chữ cái, dấu cách, dấu chấm (tối đa 64 ký tự)."
        )
    return Signing(number=value or None, deputy=deputy, signer_name=unicodedata.normalize("NFC", name) or None)


def report_file(report: Report, fmt: FileFormat, sign: Signing | None = None) -> FileDownload:
    """The report as a file: ``bao-cao-….csv|json|pdf|xlsx`` (the office PDF a báo cáo signed as ``sign`` says)."""
    # fpdf and openpyxl (~0.4 s of imports) only in a process that renders one: not every CLI command and worker
    from archive_service.reports.render_pdf import render_pdf
    from archive_service.reports.render_xlsx import render_xlsx

    if fmt == "pdf":
        body = render_pdf(report, signing=sign)
    else:
        body = {"csv": render_csv, "json": render_json, "xlsx": render_xlsx}[fmt](report)
    return FileDownload(body=body, filename=report_filename(report, fmt), media_type=MEDIA[fmt])


def chart_file(report: Report, chart: Chart) -> FileDownload:
    """One chart of the report as an .svg file; REPORT-NO-CHART (404) for a trend the report does not have."""
    if chart == "xu-huong":
        if not report.by_month:
            raise NotFound("REPORT-NO-CHART", "Báo cáo này không có biểu đồ xu hướng.")
        svg = trend_chart(report.by_month, report.trend_unit)
    else:
        svg = rules_chart(report.by_rule)
    name = report_filename(report, "svg").removesuffix(".svg") + f"-bieu-do-{chart}.svg"
    return FileDownload(body=standalone(svg), filename=name, media_type="image/svg+xml")
