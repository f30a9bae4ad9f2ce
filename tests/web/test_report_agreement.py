"""The office report page captions what each table counts, offers XLSX, and its PDF is a numbered báo cáo."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient
from pypdf import PdfReader

from archive_service.search.service import drain_outbox
from archive_service.workers.jobs import run_pending_jobs
from tests.web.conftest import Web
from tests.web.helpers import correct_docx, planted_docx, upload

PERIOD = {"tu_ngay": "01/01/2024", "den_ngay": "31/12/2024"}


def _report_page(web: Web, tmp_path: Path) -> tuple[str, TestClient]:
    client = web.login("vanthu")
    response = client.post(
        "/ho-so/moi",
        data={
            "csrf_token": web.csrf(client, "/ho-so/moi"),
            "title": "Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 12",
            "meeting_body": "BTV",
            "meeting_number": "12",
            "meeting_date": "2024-03-01",
            "retention": "vinh-vien",
        },
        follow_redirects=False,
    )
    dossier_id = int(response.headers["location"].rsplit("/", 1)[1])
    upload(client, web.csrf(client), dossier_id, planted_docx(tmp_path), correct_docx(tmp_path))
    run_pending_jobs(web.services)
    drain_outbox(web.services)
    return client.get("/bao-cao", params=PERIOD).text, client


def test_each_table_of_the_report_page_says_what_it_counts_and_the_totals_agree(web: Web, tmp_path: Path) -> None:
    page, client = _report_page(web, tmp_path)
    for caption_id in ("chu-thich-tong-hop", "chu-thich-loai", "chu-thich-xu-huong", "chu-thich-don-vi"):
        assert f'id="{caption_id}"' in page, caption_id
    assert "Số lỗi: số phát hiện mức lỗi trên các văn bản còn hiệu lực" in page
    summary = page[page.index('id="bang-tong-hop"') :]
    errors = re.search(r'Tổng số lỗi</th><td class="num">(\d+)</td>', summary)
    assert errors is not None
    offices = page[page.index('id="tieu-de-don-vi"') : page.index('id="chu-thich-don-vi"')]
    office_errors = re.findall(r'<td class="num">\d+%</td><td class="num">(\d+)</td>', offices)
    assert sum(map(int, office_errors)) == int(errors[1])

    xlsx = client.get("/bao-cao/don-vi.xlsx", params=PERIOD)
    assert 'id="tai-xlsx"' in page and xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}["Tổng số lỗi"] == int(errors[1])


def test_the_office_pdf_is_a_bao_cao_with_the_number_the_user_gives(web: Web, tmp_path: Path) -> None:
    page, client = _report_page(web, tmp_path)
    assert 'id="bao-cao-pdf"' in page and 'name="so"' in page
    pdf = client.get("/bao-cao/don-vi.pdf", params={**PERIOD, "so": "7"})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Số 07-BC/VPTU" in text  # the 0 before a number from 1 to 9
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CHÁNH VĂN PHÒNG" in text and "Nơi nhận:" in text
    assert "PHỤ LỤC" in text
