"""A report as CSV: one section a table, each headed by its Vietnamese title (UTF-8 with BOM for Excel).

File names, titles and extracted text come from outside: every row goes through ``SafeCsvWriter``, so a
cell that a spreadsheet would run as a formula is written as text (``archive_service.csv_cells``).
"""

from __future__ import annotations

import io

from archive_service.csv_cells import SafeCsvWriter
from archive_service.reports.fields import format_date
from archive_service.reports.labels import severity_label, validation_label
from archive_service.reports.model import Report
from archive_service.reports.text import local_time, scope_period_text, totals_rows


def render_csv(report: Report) -> bytes:
    """The whole report in one CSV file; sections are separated by an empty line."""
    out = io.StringIO()
    w = SafeCsvWriter(out, lineterminator="\r\n")
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
    w.writerow([])
    w.writerow(["Theo mã lỗi"])
    w.writerow(["Mã lỗi", "Mức độ", "Số lần", "Số văn bản"])
    for r in report.by_rule:
        w.writerow([r.code, severity_label(r.severity), r.count, r.documents])
    w.writerow([])
    w.writerow(["Theo loại văn bản"])
    w.writerow(["Loại văn bản", "Số văn bản", "Văn bản có lỗi", "Số lỗi", "Số cảnh báo"])
    for t in report.by_type:
        w.writerow([t.document_type, t.documents, t.documents_with_errors, t.errors, t.warnings])
    if report.by_month:
        w.writerow([])
        w.writerow(["Theo tháng"])
        w.writerow(["Tháng", "Số văn bản", "Văn bản có lỗi", "Số lỗi", "Số cảnh báo"])
        for m in report.by_month:
            w.writerow([m.month, m.documents, m.documents_with_errors, m.errors, m.warnings])
    if report.by_office:
        w.writerow([])
        w.writerow(["Theo đơn vị"])
        w.writerow(["Mã đơn vị", "Tên đơn vị", "Số văn bản", "Văn bản có lỗi", "Số lỗi", "Số cảnh báo"])
        for o in report.by_office:
            w.writerow([o.office_code, o.office_name, o.documents, o.documents_with_errors, o.errors, o.warnings])
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
    if report.fields:
        w.writerow([])
        w.writerow(["Thành phần thể thức"])
        for item in report.fields:
            w.writerow([item.label, item.value])
    if report.findings:
        w.writerow([])
        w.writerow(["Chi tiết phát hiện"])
        w.writerow(["Mã văn bản", "Tệp", "Mã lỗi", "Mức độ", "Căn cứ", "Nội dung", "Cách sửa", "Dòng", "Đoạn"])
        for f in report.findings:
            line = "" if f.line is None else f.line + 1
            w.writerow(
                [
                    f.document_id or "",
                    f.filename or "Hồ sơ",
                    f.code,
                    severity_label(f.severity),
                    f.clause,
                    f.message,
                    f.hint,
                    line,
                    f.text or "",
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_json(report: Report) -> bytes:
    """The report as JSON (the same values the pages show)."""
    return report.model_dump_json(indent=2).encode("utf-8")
