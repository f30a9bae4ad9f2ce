"""The words around the numbers, shared by every rendering so that they all say the same."""

from __future__ import annotations

from datetime import date

from archive_service.reports.model import Report, ReportScope
from archive_service.vietnam_time import local_time

__all__ = ["local_time", "period_text", "scope_period_text", "totals_rows"]


def period_text(date_from: date | None, date_to: date | None) -> str:
    """ "Từ ngày 01/01/2024 đến ngày 31/12/2024", or the open side left out."""
    if date_from and date_to:
        return f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"
    if date_from:
        return f"Từ ngày {date_from:%d/%m/%Y}"
    if date_to:
        return f"Đến ngày {date_to:%d/%m/%Y}"
    return "Toàn bộ thời gian"


def totals_rows(report: Report) -> list[tuple[str, int]]:
    """The headline counts with their labels, in the order every rendering shows them."""
    t = report.totals
    rows = [
        ("Tổng số văn bản", t.documents),
        ("Văn bản đã kiểm tra", t.documents_checked),
        ("Văn bản đạt", t.documents_ok),
        ("Văn bản có cảnh báo", t.documents_with_warnings),
        ("Văn bản có lỗi", t.documents_with_errors),
        ("Văn bản không đọc được", t.documents_unreadable),
        ("Tổng số lỗi", t.errors),
        ("Tổng số cảnh báo", t.warnings),
        ("Tổng số lưu ý", t.infos),
    ]
    if report.scope.kind != "document":
        rows.append(("Phát hiện về thành phần hồ sơ", t.dossier_findings))
    return rows


def scope_period_text(scope: ReportScope) -> str:
    """What period a report covers: the period (office), the meeting date (dossier), nothing (document)."""
    if scope.kind == "office":
        return period_text(scope.date_from, scope.date_to)
    if scope.kind == "dossier":
        return f"Ngày họp: {scope.date_from:%d/%m/%Y}" if scope.date_from else "Chưa ghi ngày họp"
    return ""
