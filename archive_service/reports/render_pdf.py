"""A report as an A4 PDF an office would file: heading, period, tables and charts, fonts embedded."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from archive_service.reports.fields import format_date
from archive_service.reports.fonts import FontPair, find_serif_font
from archive_service.reports.labels import severity_label
from archive_service.reports.model import Report
from archive_service.reports.svg import SEVERITY_FILL, Bar, month_label
from archive_service.reports.text import local_time, scope_period_text, totals_rows

FAMILY = "ReportSerif"
HEAD = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text))


class _ReportPDF(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, size=9)
        self.cell(0, 6, f"{self.footer_text} — Trang {self.page_no()}/{{nb}}", align="C")


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.get_y() > 250:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 7, _nfc(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=10.5)


def _table(
    pdf: FPDF,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    align: Sequence[str],
) -> None:
    pdf.set_font(FAMILY, size=10)
    with pdf.table(
        col_widths=tuple(widths),
        text_align=tuple(align),
        headings_style=HEAD,
        line_height=5.5,
        width=pdf.epw,
        align="LEFT",
    ) as table:
        head = table.row()
        for h in header:
            head.cell(_nfc(h))
        for r in rows:
            row = table.row()
            for value in r:
                row.cell(_nfc(value))


def _bar_rows(pdf: FPDF, bars: Sequence[Bar]) -> None:
    """Horizontal bars drawn with PDF primitives (the same data as the page's SVG chart)."""
    if not bars:
        return
    label_w, row_h = 62.0, 6.0
    plot_w = pdf.epw - label_w - 14
    top = max(b.value for b in bars) or 1
    if pdf.get_y() + row_h * len(bars) > 275:
        pdf.add_page()
    pdf.set_font(FAMILY, size=8.5)
    for bar in bars:
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w - 2, row_h, _nfc(bar.label), align="R")
        pdf.set_fill_color(*_rgb(bar.fill))
        w = plot_w * bar.value / top
        pdf.rect(pdf.l_margin + label_w, y + 1, max(w, 0.2), row_h - 2, style="F")
        pdf.set_xy(pdf.l_margin + label_w + w + 1.5, y)
        pdf.cell(12, row_h, str(bar.value))
        pdf.set_xy(pdf.l_margin, y + row_h)
    pdf.set_fill_color(255, 255, 255)  # tables drawn next must not inherit the bar colour
    pdf.ln(2)


def _columns(pdf: FPDF, bars: Sequence[Bar]) -> None:
    """Vertical columns with values, month labels beneath (errors per month)."""
    if not bars:
        return
    height, label_h = 45.0, 8.0
    if pdf.get_y() + height + label_h + 6 > 275:
        pdf.add_page()
    x0, y0 = pdf.l_margin + 8, pdf.get_y() + 4
    slot = min(14.0, (pdf.epw - 10) / len(bars))
    top = max(b.value for b in bars) or 1
    pdf.set_draw_color(120, 120, 120)
    pdf.line(x0, y0 + height, x0 + slot * len(bars), y0 + height)
    pdf.set_font(FAMILY, size=7)
    for i, bar in enumerate(bars):
        h = height * bar.value / top
        x = x0 + i * slot + slot * 0.15
        pdf.set_fill_color(*_rgb(bar.fill))
        if h > 0:
            pdf.rect(x, y0 + height - h, slot * 0.7, h, style="F")
        pdf.set_xy(x - 1, y0 + height - h - 4)
        pdf.cell(slot * 0.7 + 2, 4, str(bar.value), align="C")
        pdf.set_xy(x - 2, y0 + height + 1)
        pdf.cell(slot * 0.7 + 4, 4, _nfc(bar.label), align="C")
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, y0 + height + label_h)


def render_pdf(report: Report, *, fonts: FontPair | None = None) -> bytes:
    """The report as an A4 PDF with a Vietnamese serif font embedded (fails clearly without one)."""
    fonts = fonts or find_serif_font()
    s = report.scope
    pdf = _ReportPDF(footer_text=_nfc(s.title)[:90])
    pdf.add_font(FAMILY, "", str(fonts.regular))
    pdf.add_font(FAMILY, "B", str(fonts.bold))
    pdf.set_margins(left=25, top=18, right=15)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(_nfc(s.title))
    pdf.set_author(_nfc(s.office_name or "archive-service"))
    pdf.set_creator("archive-service")
    pdf.set_creation_date(local_time(s.generated_at))
    pdf.add_page()

    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(0, 6, _nfc((s.office_name or "TẤT CẢ ĐƠN VỊ").upper()), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(0, 8, "BÁO CÁO", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 12.5)
    pdf.multi_cell(0, 6.5, _nfc(s.title), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=11)
    if scope_period_text(s):
        pdf.multi_cell(0, 6, _nfc(scope_period_text(s)), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    made = local_time(s.generated_at)
    pdf.multi_cell(
        0,
        6,
        _nfc(f"Ngày lập: {made:%d/%m/%Y %H:%M} — Người lập: {s.generated_by}"),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )

    _heading(pdf, "I. Tổng hợp")
    _table(pdf, ("Chỉ tiêu", "Số lượng"), [(k, v) for k, v in totals_rows(report)], (120, 40), ("LEFT", "RIGHT"))

    if report.fields:
        _heading(pdf, "Thành phần thể thức đã nhận dạng")
        _table(
            pdf,
            ("Thành phần", "Nội dung"),
            [(f.label, f.value) for f in report.fields],
            (45, 125),
            ("LEFT", "LEFT"),
        )

    _heading(pdf, "II. Theo mã lỗi và mức độ")
    if report.by_rule:
        _table(
            pdf,
            ("Mã lỗi", "Mức độ", "Số lần", "Số văn bản"),
            [(r.code, severity_label(r.severity), r.count, r.documents) for r in report.by_rule],
            (80, 30, 25, 35),
            ("LEFT", "LEFT", "RIGHT", "RIGHT"),
        )
        pdf.ln(2)
        _bar_rows(pdf, [Bar(r.code, r.count, SEVERITY_FILL.get(r.severity, "#444444")) for r in report.by_rule[:15]])
    else:
        pdf.multi_cell(0, 6, "Không có lỗi nào.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if report.scope.kind != "document":
        _heading(pdf, "III. Theo loại văn bản")
        _table(
            pdf,
            ("Loại văn bản", "Số văn bản", "Có lỗi", "Số lỗi", "Cảnh báo"),
            [(t.document_type, t.documents, t.documents_with_errors, t.errors, t.warnings) for t in report.by_type],
            (66, 26, 26, 26, 26),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        )
    if report.by_month:
        _heading(pdf, "IV. Xu hướng: số lỗi theo tháng")
        _table(
            pdf,
            ("Tháng", "Số văn bản", "Có lỗi", "Số lỗi", "Cảnh báo"),
            [
                (month_label(m.month), m.documents, m.documents_with_errors, m.errors, m.warnings)
                for m in report.by_month
            ],
            (50, 30, 30, 30, 30),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        )
        _columns(pdf, [Bar(month_label(m.month), m.errors) for m in report.by_month])
    if report.by_office and report.scope.kind == "office":
        _heading(pdf, "V. So sánh giữa các đơn vị")
        _table(
            pdf,
            ("Đơn vị", "Số văn bản", "Có lỗi", "Tỷ lệ", "Số lỗi"),
            [
                (
                    f"{o.office_name} ({o.office_code})",
                    o.documents,
                    o.documents_with_errors,
                    f"{o.error_rate:.0%}",
                    o.errors,
                )
                for o in report.by_office
            ],
            (70, 25, 25, 25, 25),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        )
    if report.worst_documents and report.scope.kind != "document":
        _heading(pdf, "VI. Văn bản có nhiều lỗi nhất")
        _table(
            pdf,
            ("Văn bản", "Số và ký hiệu", "Ngày ban hành", "Lỗi", "Cảnh báo"),
            [
                (
                    f"#{d.document_id} {d.filename}",
                    d.symbol or "—",
                    format_date(d.issued_on),
                    d.errors,
                    d.warnings,
                )
                for d in report.worst_documents
            ],
            (70, 35, 25, 18, 22),
            ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        )
    if report.findings:
        _heading(pdf, "Chi tiết các phát hiện và cách sửa")
        for f in report.findings:
            where = f.filename or "Hồ sơ"
            if f.line is not None:
                where += f", dòng {f.line + 1}"
            pdf.set_font(FAMILY, "B", 10)
            pdf.multi_cell(
                0,
                5.5,
                _nfc(f"[{severity_label(f.severity)}] {f.code} — {where}"),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            pdf.set_font(FAMILY, size=10)
            pdf.multi_cell(0, 5.5, _nfc(f.message), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.multi_cell(0, 5.5, _nfc(f"Cách sửa: {f.hint}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.multi_cell(0, 5.5, _nfc(f"Căn cứ: {f.clause}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
    return bytes(pdf.output())


def report_filename(report: Report, extension: str) -> str:
    """An ASCII file name such as ``bao-cao-VPTU-2024-01-01_2024-12-31.pdf``."""
    s = report.scope
    parts = ["bao-cao"]
    if s.kind == "document":
        parts.append(f"van-ban-{s.document_id}")
    elif s.kind == "dossier":
        parts.append(f"ho-so-{s.dossier_id}")
    else:
        parts.append(s.office_code or "tat-ca-don-vi")
        if s.date_from or s.date_to:
            parts.append(f"{s.date_from or ''}_{s.date_to or ''}")
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in "-".join(parts))
    return f"{safe}.{extension}"
