"""/api/v1/reports: the same reports as the web pages, for token clients, as JSON, CSV or PDF."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness
from tests.web.helpers import correct_docx, planted_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _checked_dossier(h: Harness, tmp_path: Path) -> tuple[int, dict[str, int]]:
    dossier = h.new_dossier(meeting_date="2024-03-01")
    files = [("files", (p.name, p.read_bytes(), DOCX)) for p in (planted_docx(tmp_path), correct_docx(tmp_path))]
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    run_pending_jobs(h.services)
    return dossier, {i["filename"]: i["document"]["id"] for i in response.json()["items"]}


def test_the_office_report_counts_the_planted_error_in_every_format(harness: Harness, tmp_path: Path) -> None:
    h = harness
    _checked_dossier(h, tmp_path)
    period = {"office": "VPTU", "from": "2024-01-01", "to": "2024-12-31"}
    report = h.client.get("/api/v1/reports/offices", params=period, headers=h.reader.headers)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["totals"]["documents"] == 2
    codes = {r["code"]: r for r in body["by_rule"]}
    assert codes["FMT-NUMBER-COLON"]["count"] == 1 and codes["FMT-NUMBER-COLON"]["severity"] == "error"

    csv_file = h.client.get("/api/v1/reports/offices", params={**period, "format": "csv"}, headers=h.reader.headers)
    assert csv_file.headers["content-type"].startswith("text/csv")
    assert 'filename="bao-cao-VPTU-2024-01-01_2024-12-31.csv"' in csv_file.headers["content-disposition"]
    assert "FMT-NUMBER-COLON" in csv_file.content.decode("utf-8-sig")
    pdf = h.client.get("/api/v1/reports/offices", params={**period, "format": "pdf"}, headers=h.reader.headers)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "FMT-NUMBER-COLON" in text


def test_dossier_and_document_reports_are_audited_and_scoped(harness: Harness, tmp_path: Path) -> None:
    h = harness
    dossier, ids = _checked_dossier(h, tmp_path)
    by_dossier = h.client.get(f"/api/v1/reports/dossiers/{dossier}", headers=h.reader.headers)
    assert by_dossier.status_code == 200 and by_dossier.json()["totals"]["documents"] == 2
    planted = ids["nghi-quyet-sai-so.docx"]
    by_document = h.client.get(f"/api/v1/reports/documents/{planted}", headers=h.reader.headers)
    assert any(f["code"] == "FMT-NUMBER-COLON" for f in by_document.json()["findings"])
    with transaction(h.services.factory) as s:
        actions = set(s.scalars(select(AuditEvent.action)).all())
    assert {"dossier.report", "document.report"} <= actions

    other = h.client.get(f"/api/v1/reports/dossiers/{dossier}", headers=h.other_archivist.headers)
    assert other.status_code == 404 and other.json()["error"]["code"]
    assert h.client.get("/api/v1/reports/offices").status_code == 401


def test_bad_report_requests_say_what_is_wrong(harness: Harness) -> None:
    h = harness
    backwards = h.client.get(
        "/api/v1/reports/offices", params={"from": "2024-12-31", "to": "2024-01-01"}, headers=h.reader.headers
    )
    assert backwards.status_code == 422 and backwards.json()["error"]["code"] == "REPORT-BAD-PERIOD"
    bad_date = h.client.get("/api/v1/reports/offices", params={"from": "31/02/2024"}, headers=h.reader.headers)
    assert bad_date.status_code == 422 and bad_date.json()["error"]["message"]
    bad_format = h.client.get("/api/v1/reports/offices", params={"format": "docx"}, headers=h.reader.headers)
    assert bad_format.status_code == 422


def test_the_office_report_downloads_as_xlsx_and_as_a_numbered_bao_cao(harness: Harness, tmp_path: Path) -> None:
    import openpyxl

    h = harness
    _checked_dossier(h, tmp_path)
    period = {"office": "VPTU", "from": "2024-01-01", "to": "2024-12-31"}
    as_json = h.client.get("/api/v1/reports/offices", params=period, headers=h.reader.headers).json()
    xlsx = h.client.get("/api/v1/reports/offices", params={**period, "format": "xlsx"}, headers=h.reader.headers)
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="bao-cao-VPTU-2024-01-01_2024-12-31.xlsx"' in xlsx.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert cells["Tổng số lỗi"] == as_json["totals"]["errors"]

    pdf = h.client.get(
        "/api/v1/reports/offices",
        params={**period, "format": "pdf", "number": "12", "deputy": "true"},
        headers=h.reader.headers,
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Số 12-BC/VPTU" in text and "K/T CHÁNH VĂN PHÒNG" in text and "PHÓ CHÁNH VĂN PHÒNG" in text
    bad = h.client.get(
        "/api/v1/reports/offices", params={**period, "format": "pdf", "number": "12a"}, headers=h.reader.headers
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "REPORT-BAD-NUMBER"
    named = h.client.get(
        "/api/v1/reports/offices",
        params={**period, "format": "pdf", "signer": "  Lê Thị   Hồng Vân "},
        headers=h.reader.headers,
    )
    signed = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(named.content)).pages)
    assert "CHÁNH VĂN PHÒNG" in signed and "Lê Thị Hồng Vân" in signed  # the name under the signature, tidied
    for odd in ("<script>", "Nguyễn Văn A; DROP", "x" * 65):
        refused = h.client.get(
            "/api/v1/reports/offices", params={**period, "format": "pdf", "signer": odd}, headers=h.reader.headers
        )
        assert refused.status_code == 422, odd
    assert refused.json()["error"]["code"] in ("REPORT-BAD-SIGNER", "REQUEST-INVALID")
