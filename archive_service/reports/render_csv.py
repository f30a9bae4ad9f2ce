"""A report as CSV: one section a table, each headed by its Vietnamese title (UTF-8 with BOM for Excel).

File names, titles and extracted text come from outside: every row goes through ``SafeCsvWriter``, so a
cell that a spreadsheet would run as a formula is written as text (``archive_service.csv_cells``).
``report_rows`` is the table both the CSV and the XLSX export write, so that their columns are the same.
"""

from __future__ import annotations

import io

from archive_service.csv_cells import SafeCsvWriter
from archive_service.reports.counting import CAPTIONS
from archive_service.reports.fields import format_date
from archive_service.reports.labels import rule_label, severity_label, validation_label
from archive_service.reports.model import Report
from archive_service.reports.text import local_time, scope_period_text, totals_rows
from archive_service.reports.trend import UNIT_WORDS


class _Rows:
    """A list of rows with the writer's ``writerow``, so that the sections below read as they are written."""

    def __init__(self) -> None:
        self.rows: list[list[object]] = []

    def writerow(self, row: list[object]) -> None:
        self.rows.append(row)


def report_rows(report: Report) -> list[list[object]]:
    """The whole report as rows: sections headed by their title, captioned, separated by an empty row."""
    w = _Rows()
    s = report.scope
    w.writerow([s.title])
    w.writerow(["Đơn vị", s.office_name or "Tất cả đơn vị"])
    if scope_period_text(s):
        w.writerow(["Kỳ báo cáo", scope_period_text(s)])
    w.writerow(["Ngày lập", local_time(s.generated_at).strftime("%d/%m/%Y %H:%M"), "Người lập", s.generated_by])
    w.writerow([])
    w.writerow(["Tổng hợp"])
    for label, value in totals_rows(report):
        w.writerow([label, value])
    w.writerow([CAPTIONS["totals"]])
    w.writerow([])
    w.writerow(["Theo mã lỗi"])
    w.writerow(["Loại lỗi", "Mã lỗi", "Mức độ", "Số lần", "Số văn bản"])
    for r in report.by_rule:
        w.writerow([rule_label(r.code), r.code, severity_label(r.severity), r.count, r.documents])
    w.writerow([CAPTIONS["by_rule"]])
    w.writerow([])
    w.writerow(["Theo loại văn bản"])
    w.writerow(["Loại văn bản", "Số văn bản", "Văn bản có lỗi", "Số lỗi", "Số cảnh báo"])
    for t in report.by_type:
        w.writerow([t.document_type, t.documents, t.documents_with_errors, t.errors, t.warnings])
    w.writerow([CAPTIONS["by_type"]])
    if report.by_month:
        w.writerow([])
        unit = UNIT_WORDS[report.trend_unit]
        w.writerow([f"Theo {unit}"])
        w.writerow([unit.capitalize(), "Số văn bản", "Văn bản có lỗi", "Số lỗi", "Số cảnh báo"])
        for m in report.by_month:
            w.writerow([m.month, m.documents, m.documents_with_errors, m.errors, m.warnings])
        w.writerow([CAPTIONS["by_month"]])
    if report.by_office:
        w.writerow([])
        w.writerow(["Theo đơn vị"])
        w.writerow(["Mã đơn vị", "Tên đơn vị", "Số văn bản", "Văn bản có lỗi", "Số lỗi", "Số cảnh báo"])
        for o in report.by_office:
            w.writerow([o.office_code, o.office_name, o.documents, o.documents_with_errors, o.errors, o.warnings])
        w.writerow([CAPTIONS["by_office"]])
    w.writerow([])
    w.writerow(["Văn bản có nhiều lỗi nhất"])
    w.writerow(["Mã văn bản", "Tệp", "Số và ký hiệu", "Ngày ban hành", "Kết quả", "Lỗi", "Cảnh báo", "Lưu ý"])
    for d in report.worst_documents:
        w.writerow(
            [
                d.document_id,
                d.filename,
                d.symbol or "",
                format_date(d.issued_on),
                validation_label(d.validation_status),
                d.errors,
                d.warnings,
                d.infos,
            ]
        )
    w.writerow([CAPTIONS["worst"]])
    if report.fields:
        w.writerow([])
        w.writerow(["Thành phần thể thức"])
        for item in report.fields:
            w.writerow([item.label, item.value])
    if report.findings:
        w.writerow([])
        w.writerow(["Chi tiết phát hiện"])
        w.writerow(
            ["Mã văn bản", "Tệp", "Loại lỗi", "Mã lỗi", "Mức độ", "Căn cứ", "Nội dung", "Cách sửa", "Dòng", "Đoạn"]
        )
        for f in report.findings:
            line = "" if f.line is None else f.line + 1
            w.writerow(
                [
                    f.document_id or "",
                    f.filename or "Hồ sơ",
                    rule_label(f.code),
                    f.code,
                    severity_label(f.severity),
                    f.clause,
                    f.message,
                    f.hint,
                    line,
                    f.text or "",
                ]
            )
    return w.rows


def render_csv(report: Report) -> bytes:
    """The whole report in one CSV file; sections are separated by an empty line."""
    out = io.StringIO()
    SafeCsvWriter(out, lineterminator="\r\n").writerows(report_rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_json(report: Report) -> bytes:
    """The report as JSON (the same values the pages show)."""
    return report.model_dump_json(indent=2).encode("utf-8")
