"""Every rendering of a report says the same numbers: CSV, JSON, PDF (Vietnamese fonts) and SVG."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from archive_service.reports import fonts
from archive_service.reports.model import MonthCount, Report, ReportScope, RuleCount, Totals, TypeCount
from archive_service.reports.naming import report_filename
from archive_service.reports.render_csv import render_csv, render_json
from archive_service.reports.render_pdf import render_pdf
from archive_service.reports.svg import rules_chart, trend_chart
from archive_service.reports.text import totals_rows


@pytest.fixture
def report() -> Report:
    return Report(
        scope=ReportScope(
            kind="office",
            title="Báo cáo kiểm tra thể thức và thẩm quyền ban hành văn bản",
            office_code="VPTU",
            office_name="Văn phòng Tỉnh ủy Thanh Hóa",
            date_from=date(2024, 1, 1),
            date_to=date(2024, 3, 31),
            generated_at=datetime(2024, 4, 2, 9, 30, tzinfo=UTC),
            generated_by="vanthu",
        ),
        totals=Totals(documents=7, documents_checked=7, documents_ok=3, documents_with_errors=4, errors=9, warnings=2),
        by_rule=[
            RuleCount(code="FMT-NUMBER-COLON", severity="error", count=5, documents=4),
            RuleCount(code="AUTH-TYPE-NOT-ALLOWED", severity="error", count=4, documents=2),
            RuleCount(code="FMT-DATE-STYLE", severity="warning", count=2, documents=2),
        ],
        by_type=[TypeCount(document_type="NGHỊ QUYẾT", documents=7, documents_with_errors=4, errors=9, warnings=2)],
        by_month=[
            MonthCount(month="2024-01", documents=2, documents_with_errors=1, errors=2, warnings=0),
            MonthCount(month="2024-02", documents=0, documents_with_errors=0, errors=0, warnings=0),
            MonthCount(month="2024-03", documents=5, documents_with_errors=3, errors=7, warnings=2),
        ],
    )


def test_the_csv_opens_in_excel_with_vietnamese_headings_and_the_counts(report: Report) -> None:
    data = render_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert ["Tổng số lỗi", "9"] in rows
    # The rule in words heads its row; the code stays beside it for programs.
    assert ['Dấu hai chấm sau chữ "Số" sai quy định', "FMT-NUMBER-COLON", "Lỗi", "5", "4"] in rows
    assert ["2024-03", "5", "3", "7", "2"] in rows


def test_the_json_is_the_report_itself(report: Report) -> None:
    assert Report.model_validate(json.loads(render_json(report))) == report


def test_the_pdf_is_a4_with_embedded_fonts_and_the_same_counts(report: Report) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "BÁO CÁO" in text and "TỈNH ỦY THANH HÓA" in text and "VĂN PHÒNG" in text
    assert "Từ ngày 01/01/2024 đến ngày 31/03/2024" in text
    for label, value in totals_rows(report):
        assert re.search(rf"{re.escape(label)}\s+{value}\b", text), label
    assert re.search(r"\(FMT-NUMBER-COLON\)\s+Lỗi\s+5\s+4", text)
    assert "Cơ quan không có thẩm quyền ban hành loại văn bản này" in " ".join(text.split())
    font_names = {
        str(f["/BaseFont"])
        for p in reader.pages
        for f in (p["/Resources"]["/Font"].values() if "/Font" in p["/Resources"] else [])
    }
    assert any("Serif" in name for name in font_names)


def test_a_missing_font_is_a_clear_error(report: Report) -> None:
    with pytest.raises(fonts.ReportFontMissing) as caught:
        fonts.find_serif_font((("/nonexistent", "A.ttf", "B.ttf"),))
    assert "fonts-liberation2" in caught.value.message


def test_the_charts_are_valid_svg_with_a_title_for_screen_readers(report: Report) -> None:
    for svg in (trend_chart(report.by_month), rules_chart(report.by_rule)):
        root = ET.fromstring(svg)
        ns = "{http://www.w3.org/2000/svg}"
        assert root.tag == f"{ns}svg" and root.get("role") == "img"
        assert root.find(f"{ns}title") is not None
        assert len(root.findall(f"{ns}rect")) == (3 if "theo-ma-loi" in svg else 3)
    assert "03/2024" in trend_chart(report.by_month)


def test_the_file_name_says_office_and_period(report: Report) -> None:
    assert report_filename(report, "pdf") == "bao-cao-VPTU-2024-01-01_2024-03-31.pdf"


def test_chart_axes_count_in_whole_numbers() -> None:
    from archive_service.reports.svg import _axis_max

    assert [_axis_max(v) for v in (0, 2, 4, 5, 9, 137)] == [4, 4, 4, 8, 20, 200]
