"""A report as an A4 PDF an office would file: fonts embedded, charts kept with their headings.

The office report is a Party báo cáo of the Văn phòng (``bao_cao``: heading, number, place and date, body,
signature, nơi nhận) whose tables and charts follow as its Phụ lục; the dossier and document reports are
working papers with the full title in the footer of every page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from archive_service.reports.bao_cao import DOCUMENT_TYPE, PARTY_TITLE, BaoCao, Signing, bao_cao
from archive_service.reports.counting import CAPTIONS
from archive_service.reports.fields import format_date
from archive_service.reports.fonts import FontPair, find_serif_font
from archive_service.reports.labels import rule_heading, rule_label, severity_label
from archive_service.reports.model import Report
from archive_service.reports.svg import SEVERITY_FILL, Bar, month_label, trend_title
from archive_service.reports.text import local_time, scope_period_text, totals_rows
from archive_service.reports.trend import UNIT_WORDS

FAMILY = "ReportSerif"
HEAD = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
HEADING_H = 10.0  # a section heading with the space above it
TABLE_START_H = 5.5 * 4  # a heading is never left alone: its table's head and first rows come with it
FOOTER_SIZE = 8.5
FOOTER_LINES = 2


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text))


class _ReportPDF(FPDF):
    """Working papers carry their full title in the footer; a báo cáo numbers its pages at the top from page 2."""

    def __init__(self, footer_text: str | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text

    def header(self) -> None:
        if self.footer_text is None and self.page_no() > 1:
            self.set_y(10)
            self.set_font(FAMILY, size=13)
            self.cell(0, 6, str(self.page_no()), align="C")
            self.set_y(self.t_margin)

    def footer(self) -> None:
        if self.footer_text is None:
            return
        self.set_font(FAMILY, size=FOOTER_SIZE)
        text = _footer_fit(self, self.footer_text, f" — Trang {self.page_no()}/{{nb}}")
        self.set_y(-(6 + 4 * FOOTER_LINES))
        self.multi_cell(0, 4, text, align="C")


def _lines(pdf: FPDF, text: str) -> int:
    """How many lines ``text`` takes across the page in the current font."""
    return len(cast(list[str], pdf.multi_cell(0, 4, text, dry_run=True, output="LINES")))


def _footer_fit(pdf: FPDF, title: str, tail: str) -> str:
    """The whole title and the page number on at most two lines; only a title longer than that is shortened."""
    text = title + tail
    if _lines(pdf, text) <= FOOTER_LINES:
        return text
    words = title.split(" ")
    while len(words) > 1:
        words.pop()
        text = " ".join(words).rstrip(" ,;:") + "…" + tail
        if _lines(pdf, text) <= FOOTER_LINES:
            break
    return text


def _keep(pdf: FPDF, height: float) -> None:
    """A new page unless ``height`` mm fit on this one (what a word processor calls "keep with next")."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _heading(pdf: FPDF, text: str, keep: float = TABLE_START_H) -> None:
    """A section heading, on the same page as the first ``keep`` mm of what follows it."""
    _keep(pdf, HEADING_H + keep)
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 7, _nfc(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=10.5)


def _caption(pdf: FPDF, key: str) -> None:
    """What the table above counts, in words (the same caption in every format)."""
    pdf.set_font(FAMILY, size=9)
    pdf.ln(1)
    pdf.multi_cell(0, 4.5, _nfc(CAPTIONS[key]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut at a word, "…" marking the cut, so that it fits ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and pdf.get_string_width(" ".join(words) + "…") > width:
        words.pop()
    return " ".join(words).rstrip(" ,;") + "…"


BAR_ROW_H = 6.0


def _bar_rows_height(bars: Sequence[Bar]) -> float:
    return BAR_ROW_H * len(bars) + 2


def _bar_rows(pdf: FPDF, bars: Sequence[Bar]) -> None:
    """Horizontal bars drawn with PDF primitives (the same data as the page's SVG chart)."""
    if not bars:
        return
    label_w = 80.0  # wide enough for most rule labels in words at 8.5 pt; longer ones are cut
    plot_w = pdf.epw - label_w - 14
    top = max(b.value for b in bars) or 1
    _keep(pdf, _bar_rows_height(bars))
    pdf.set_font(FAMILY, size=8.5)
    for bar in bars:
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w - 2, BAR_ROW_H, _fit(pdf, _nfc(bar.label), label_w - 2), align="R")
        pdf.set_fill_color(*_rgb(bar.fill))
        w = plot_w * bar.value / top
        pdf.rect(pdf.l_margin + label_w, y + 1, max(w, 0.2), BAR_ROW_H - 2, style="F")
        pdf.set_xy(pdf.l_margin + label_w + w + 1.5, y)
        pdf.cell(12, BAR_ROW_H, str(bar.value))
        pdf.set_xy(pdf.l_margin, y + BAR_ROW_H)
    pdf.set_fill_color(255, 255, 255)  # tables drawn next must not inherit the bar colour
    pdf.ln(2)


COLUMNS_H = 45.0
COLUMN_LABEL_SIZE = 8.0


def _column_layout(pdf: FPDF, bars: Sequence[Bar]) -> tuple[float, bool, float]:
    """The slot of each column, whether its label is turned upright to fit, and the height the labels take."""
    slot = min(14.0, (pdf.epw - 10) / max(len(bars), 1))
    pdf.set_font(FAMILY, size=COLUMN_LABEL_SIZE)
    widest = max((pdf.get_string_width(_nfc(b.label)) for b in bars), default=0.0)
    upright = widest > slot * 0.95
    return slot, upright, (widest + 3 if upright else 6.0)


def _columns_height(pdf: FPDF, bars: Sequence[Bar]) -> float:
    return 4 + COLUMNS_H + _column_layout(pdf, bars)[2] + 2


def _columns(pdf: FPDF, bars: Sequence[Bar]) -> None:
    """Vertical columns with their values; labels beneath, turned upright when the columns are narrow."""
    if not bars:
        return
    _keep(pdf, _columns_height(pdf, bars))
    slot, upright, label_h = _column_layout(pdf, bars)
    x0, y0 = pdf.l_margin + 8, pdf.get_y() + 4
    top = max(b.value for b in bars) or 1
    pdf.set_draw_color(120, 120, 120)
    pdf.line(x0, y0 + COLUMNS_H, x0 + slot * len(bars), y0 + COLUMNS_H)
    for i, bar in enumerate(bars):
        h = COLUMNS_H * bar.value / top
        x = x0 + i * slot + slot * 0.15
        pdf.set_fill_color(*_rgb(bar.fill))
        if h > 0:
            pdf.rect(x, y0 + COLUMNS_H - h, slot * 0.7, h, style="F")
        pdf.set_font(FAMILY, size=COLUMN_LABEL_SIZE)
        pdf.set_xy(x - 1, y0 + COLUMNS_H - h - 4)
        pdf.cell(slot * 0.7 + 2, 4, str(bar.value), align="C")
        label = _nfc(bar.label)
        if upright:
            cx = x + slot * 0.35 + 1.2
            top_y = y0 + COLUMNS_H + 1.5
            with pdf.rotation(90, cx, top_y):
                pdf.text(cx - pdf.get_string_width(label), top_y, label)
        else:
            pdf.set_xy(x - 2, y0 + COLUMNS_H + 1)
            pdf.cell(slot * 0.7 + 4, 4, label, align="C")
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, y0 + COLUMNS_H + label_h + 2)


def _setup(report: Report, fonts: FontPair, footer: str | None) -> _ReportPDF:
    s = report.scope
    pdf = _ReportPDF(footer_text=footer)
    pdf.add_font(FAMILY, "", str(fonts.regular))
    pdf.add_font(FAMILY, "B", str(fonts.bold))
    pdf.add_font(FAMILY, "I", str(fonts.italic or fonts.regular))
    pdf.set_title(_nfc(s.title))
    pdf.set_author(_nfc(s.office_name or "archive-service"))
    pdf.set_creator("archive-service")
    pdf.set_creation_date(local_time(s.generated_at))
    return pdf


def _tables(pdf: FPDF, report: Report, numbered: Sequence[str]) -> None:
    """The report's sections: the summary, by rule (chart, then table), by type, the trend, offices, worst."""
    n = iter(numbered)
    _heading(pdf, f"{next(n)}. Tổng hợp")
    _table(pdf, ("Chỉ tiêu", "Số lượng"), [(k, v) for k, v in totals_rows(report)], (120, 40), ("LEFT", "RIGHT"))
    _caption(pdf, "totals")

    if report.fields:
        _heading(pdf, "Thành phần thể thức đã nhận dạng")
        _table(
            pdf,
            ("Thành phần", "Nội dung"),
            [(f.label, f.value) for f in report.fields],
            (45, 125),
            ("LEFT", "LEFT"),
        )

    rules_title = f"{next(n)}. Theo loại lỗi và mức độ"
    if report.by_rule:
        bars = [Bar(rule_label(r.code), r.count, SEVERITY_FILL.get(r.severity, "#444444")) for r in report.by_rule[:15]]
        _heading(pdf, rules_title, keep=_bar_rows_height(bars))
        _bar_rows(pdf, bars)
        _table(
            pdf,
            ("Loại lỗi", "Mức độ", "Số lần", "Số văn bản"),
            [(rule_heading(r.code), severity_label(r.severity), r.count, r.documents) for r in report.by_rule],
            (80, 30, 25, 35),
            ("LEFT", "LEFT", "RIGHT", "RIGHT"),
        )
        _caption(pdf, "by_rule")
    else:
        _heading(pdf, rules_title, keep=6)
        pdf.multi_cell(0, 6, "Không có lỗi nào.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if report.scope.kind != "document":
        _heading(pdf, f"{next(n)}. Theo loại văn bản")
        _table(
            pdf,
            ("Loại văn bản", "Số văn bản", "Có lỗi", "Số lỗi", "Cảnh báo"),
            [(t.document_type, t.documents, t.documents_with_errors, t.errors, t.warnings) for t in report.by_type],
            (66, 26, 26, 26, 26),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        )
        _caption(pdf, "by_type")
    if report.by_month:
        unit = UNIT_WORDS[report.trend_unit]
        bars = [Bar(m.label or month_label(m.month), m.errors) for m in report.by_month]
        _heading(pdf, f"{next(n)}. Xu hướng: {trend_title(report.trend_unit).lower()}", keep=_columns_height(pdf, bars))
        _columns(pdf, bars)
        _table(
            pdf,
            (unit.capitalize(), "Số văn bản", "Có lỗi", "Số lỗi", "Cảnh báo"),
            [
                (m.label or month_label(m.month), m.documents, m.documents_with_errors, m.errors, m.warnings)
                for m in report.by_month
            ],
            (50, 30, 30, 30, 30),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        )
        _caption(pdf, "by_month")
    if report.by_office and report.scope.kind == "office":
        _heading(pdf, f"{next(n)}. So sánh giữa các đơn vị")
        _table(
            pdf,
            ("Đơn vị", "Số văn bản", "Có lỗi", "Tỷ lệ", "Số lỗi", "Cảnh báo"),
            [
                (
                    f"{o.office_name} ({o.office_code})",
                    o.documents,
                    o.documents_with_errors,
                    f"{o.error_rate:.0%}",
                    o.errors,
                    o.warnings,
                )
                for o in report.by_office
            ],
            (60, 22, 22, 22, 22, 22),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        )
        _caption(pdf, "by_office")
    if report.worst_documents and report.scope.kind != "document":
        _heading(pdf, f"{next(n)}. Văn bản có nhiều lỗi nhất")
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
        _caption(pdf, "worst")


def _findings(pdf: FPDF, report: Report) -> None:
    if not report.findings:
        return
    _heading(pdf, "Chi tiết các phát hiện và cách sửa", keep=22)
    for f in report.findings:
        where = f.filename or "Hồ sơ"
        if f.line is not None:
            where += f", dòng {f.line + 1}"
        _keep(pdf, 22)
        pdf.set_font(FAMILY, "B", 10)
        pdf.multi_cell(
            0,
            5.5,
            _nfc(f"[{severity_label(f.severity)}] {rule_heading(f.code)} — {where}"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.set_font(FAMILY, size=10)
        pdf.multi_cell(0, 5.5, _nfc(f.message), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.multi_cell(0, 5.5, _nfc(f"Cách sửa: {f.hint}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.multi_cell(0, 5.5, _nfc(f"Căn cứ: {f.clause}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)


def _working_paper(report: Report, fonts: FontPair) -> bytes:
    """A dossier or document report: office, title, period, then its sections; the title in every footer."""
    s = report.scope
    pdf = _setup(report, fonts, footer=_nfc(s.title))
    pdf.set_margins(left=25, top=18, right=15)
    pdf.set_auto_page_break(auto=True, margin=10 + 4 * FOOTER_LINES)
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
    _tables(pdf, report, ("I", "II", "III", "IV", "V", "VI"))
    _findings(pdf, report)
    return bytes(pdf.output())


def _centred(pdf: FPDF, x: float, w: float, y: float, text: str, style: str = "", size: float = 14) -> float:
    """One centred line in the column at ``x``..``x + w``; the y below it."""
    pdf.set_font(FAMILY, style, size)
    pdf.set_xy(x, y)
    pdf.multi_cell(w, 6.5, _nfc(text), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    return pdf.get_y()


def _bao_cao_page(pdf: FPDF, doc: BaoCao) -> None:
    """The báo cáo itself (05-HD/VPTW): heading, number, place and date, type, trích yếu, body, signature."""
    left_w = round(pdf.epw * 0.46, 1)
    right_x, right_w = pdf.l_margin + left_w, pdf.epw - left_w
    top = pdf.t_margin
    y = top
    if doc.committee:
        y = _centred(pdf, pdf.l_margin, left_w, y, doc.committee)
    y = _centred(pdf, pdf.l_margin, left_w, y, doc.office_line, "B")
    y = _centred(pdf, pdf.l_margin, left_w, y, "*")
    left_end = _centred(pdf, pdf.l_margin, left_w, y, doc.number_line)
    y = _centred(pdf, right_x, right_w, top, PARTY_TITLE, "B", 15)
    pdf.set_font(FAMILY, "B", 15)
    rule_w = pdf.get_string_width(PARTY_TITLE)
    pdf.line(right_x + (right_w - rule_w) / 2, y, right_x + (right_w + rule_w) / 2, y)
    right_end = _centred(pdf, right_x, right_w, y + 6.5, doc.date_line, "I")
    pdf.set_xy(pdf.l_margin, max(left_end, right_end) + 8)

    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 8, DOCUMENT_TYPE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, _nfc(doc.summary), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=14)
    pdf.multi_cell(0, 7, "-----", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    pdf.set_font(FAMILY, size=14)
    for paragraph in doc.body:
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(0, 7.5, _nfc("\u2003\u2003" + paragraph), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    # Signature (right) and nơi nhận (left) side by side, kept together on one page.
    sign_h = 6.5 * (len(doc.signing_lines) + 5) + 4
    _keep(pdf, sign_h + 6)
    pdf.ln(4)
    y = pdf.get_y()
    pdf.set_xy(pdf.l_margin, y)
    pdf.set_font(FAMILY, "BU", 14)
    pdf.cell(left_w, 6.5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=12)
    for line in doc.recipients:
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(left_w, 5.5, _nfc(f"- {line}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    recipients_end = pdf.get_y()
    sy = y
    for line in doc.signing_lines:
        sy = _centred(pdf, right_x, right_w, sy, line, "B")
    sy += 6.5 * 4
    if doc.signer_name:
        sy = _centred(pdf, right_x, right_w, sy, doc.signer_name, "B")
    pdf.set_xy(pdf.l_margin, max(sy, recipients_end) + 4)


def _office_bao_cao(report: Report, fonts: FontPair, signing: Signing) -> bytes:
    """The office report as a báo cáo of the Văn phòng, with its figures as the Phụ lục on the next pages."""
    pdf = _setup(report, fonts, footer=None)
    # 05-HD/VPTW: top and bottom 20 mm, left 30 mm, right 15 mm.
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    _bao_cao_page(pdf, bao_cao(report, signing))
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, "PHỤ LỤC", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 12)
    s = report.scope
    subtitle = f"Số liệu kiểm tra thể thức và thẩm quyền ban hành văn bản — {s.office_name or 'Tất cả đơn vị'}"
    pdf.multi_cell(0, 6, _nfc(subtitle), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=11)
    pdf.multi_cell(0, 6, _nfc(scope_period_text(s)), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _tables(pdf, report, ("1", "2", "3", "4", "5", "6"))
    return bytes(pdf.output())


def render_pdf(report: Report, *, fonts: FontPair | None = None, signing: Signing | None = None) -> bytes:
    """The report as an A4 PDF with a Vietnamese serif font embedded (fails clearly without one)."""
    fonts = fonts or find_serif_font()
    if report.scope.kind == "office":
        return _office_bao_cao(report, fonts, signing or Signing())
    return _working_paper(report, fonts)
