"""Issue 14 item 5 in a real browser: the office report agrees with itself and its PDF is a báo cáo that passes.

Embedded backends (no external service): two documents through the API, then the report page in Chromium.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from archive_service.catalog.models import Role
from archive_service.documents.processing import analyse_file
from archive_service.workers.jobs import run_pending_jobs
from tests.chromium import chromium, new_tab
from tests.conftest import add_user, make_settings
from tests.web.helpers import correct_docx, planted_docx
from tests.web.test_browser import _log_in, _serve, shot

pytestmark = pytest.mark.slow


def test_the_office_report_agrees_across_sections_and_downloads_and_its_pdf_passes_check(tmp_path: Path) -> None:
    import httpx
    from playwright.sync_api import expect

    with _serve(make_settings("embedded", tmp_path, workers=0)) as live:
        filer = add_user(live.services, "vanthu-api", Role.ARCHIVIST, "VPTU")
        with httpx.Client(base_url=live.url, headers=filer.headers, timeout=60) as api:
            created = api.post(
                "/api/v1/dossiers",
                json={
                    "title": "Hội nghị Ban Thường vụ lần thứ 15",
                    "meeting_body": "BTV",
                    "meeting_date": "2024-03-01",
                },
            )
            assert created.status_code == 201, created.text
            files = [
                ("files", (p.name, p.read_bytes(), "application/octet-stream"))
                for p in (planted_docx(tmp_path), correct_docx(tmp_path))
            ]
            uploaded = api.post(f"/api/v1/dossiers/{created.json()['id']}/documents", files=files)
            assert uploaded.status_code == 201, uploaded.text
        while run_pending_jobs(live.services):
            pass
        with chromium() as browser:
            tab = new_tab(browser, live.url, downloads=True)
            _log_in(tab)
            tab.goto("/bao-cao")
            tab.get_by_label("Từ ngày").fill("01/01/2024")
            tab.get_by_label("Đến ngày").fill("31/12/2024")
            tab.get_by_role("button", name="Xem báo cáo").click()
            expect(tab.locator("#chu-thich-tong-hop")).to_contain_text("Số lỗi")
            expect(tab.locator("#chu-thich-xu-huong")).to_be_visible()
            summary = {
                row.locator("th").inner_text(): row.locator("td").inner_text()
                for row in tab.locator("#bang-tong-hop tbody tr").all()
            }
            errors = int(summary["Tổng số lỗi"])
            assert errors >= 1
            comparison = tab.locator("section", has=tab.locator("#tieu-de-don-vi")).locator("tbody tr")
            assert sum(int(r.locator("td").nth(3).inner_text()) for r in comparison.all()) == errors
            shot(tab, "40-bao-cao-chu-thich")

            with tab.expect_download() as xlsx_download:
                tab.locator("#tai-xlsx").click()
            xlsx_path = tmp_path / "bao-cao.xlsx"
            xlsx_download.value.save_as(xlsx_path)
            sheet = openpyxl.load_workbook(io.BytesIO(xlsx_path.read_bytes())).active
            assert sheet is not None
            cells = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
            assert cells["Tổng số lỗi"] == errors

            tab.get_by_label("Số báo cáo").fill("12")
            with tab.expect_download() as pdf_download:
                tab.get_by_role("button", name="Tải báo cáo PDF có số").click()
            pdf_path = tmp_path / "bao-cao.pdf"
            pdf_download.value.save_as(pdf_path)
    analysis = analyse_file(pdf_path, media_type="application/pdf")
    assert [f.code for f in analysis.findings if f.severity == "error"] == []
    assert analysis.fields is not None and analysis.fields.number_line == "Số 12-BC/VPTU"
    body = " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert re.search(rf"Tổng số lỗi: {errors};", " ".join(body.split()))
