"""The API names every code in words: findings, /check results, reports and error bodies carry ``label`` (from
schemas/code_labels.yaml) beside ``code``, which stays as it was for programs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from archive_service.workers.jobs import run_pending_jobs
from schemas.code_labels import code_label
from tests.conftest import Harness
from tests.web.helpers import planted_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
COLON = "FMT-NUMBER-COLON"  # planted "Số: 12/NQ-TU"
COLON_LABEL = 'Dấu hai chấm sau chữ "Số" sai quy định'


def _planted(h: Harness, tmp_path: Path) -> tuple[int, int]:
    dossier = h.new_dossier(meeting_date="2024-03-01")
    path = planted_docx(tmp_path)
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files=[("files", (path.name, path.read_bytes(), DOCX))],
        headers=h.archivist.headers,
    )
    assert response.status_code == 201, response.text
    run_pending_jobs(h.services)
    return dossier, int(response.json()["items"][0]["document"]["id"])


def test_document_and_dossier_findings_carry_a_label_beside_their_code(harness: Harness, tmp_path: Path) -> None:
    h = harness
    dossier, document = _planted(h, tmp_path)
    items = h.client.get(f"/api/v1/documents/{document}/findings", headers=h.reader.headers).json()["items"]
    colon = next(f for f in items if f["code"] == COLON)
    assert colon["label"] == COLON_LABEL and colon["severity"] == "error"
    assert all(f["label"] == code_label(f["code"]) != f["code"] for f in items)

    checked = h.client.post(f"/api/v1/dossiers/{dossier}/check", headers=h.archivist.headers)
    assert checked.status_code == 200, checked.text
    dossier_items = h.client.get(f"/api/v1/dossiers/{dossier}/findings", headers=h.reader.headers).json()["items"]
    minutes = next(f for f in dossier_items if f["code"] == "DOS-MISSING-MINUTES")  # only a nghị quyết is filed
    assert minutes["label"] == "Hồ sơ thiếu biên bản hội nghị"


def test_a_file_checked_without_storing_it_has_labelled_findings(harness: Harness, tmp_path: Path) -> None:
    h = harness
    path = planted_docx(tmp_path)
    response = h.client.post(
        "/api/v1/check", files=[("file", (path.name, path.read_bytes(), DOCX))], headers=h.reader.headers
    )
    assert response.status_code == 200, response.text
    (colon,) = [f for f in response.json()["findings"] if f["code"] == COLON]
    assert colon["label"] == COLON_LABEL and list(colon)[:2] == ["code", "label"]


def test_error_bodies_carry_the_label_of_their_code(harness: Harness) -> None:
    h = harness
    missing = h.client.get("/api/v1/dossiers/987654", headers=h.reader.headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "DOSSIER-NOT-FOUND"
    assert missing.json()["error"]["label"] == "Không tìm thấy hồ sơ"

    blank = h.client.post("/api/v1/dossiers", json={"title": " ", "meeting_body": "BTV"}, headers=h.archivist.headers)
    assert blank.status_code == 422
    assert blank.json()["error"] | {"message": ""} == {
        "code": "REQUEST-INVALID",
        "label": "Dữ liệu gửi lên không hợp lệ",
        "message": "",
    }
    anonymous = h.client.get("/api/v1/dossiers")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["label"] == "Cần đăng nhập"
    empty = h.client.post(
        "/api/v1/check", files=[("file", ("rong.pdf", b"", "application/pdf"))], headers=h.reader.headers
    )
    assert empty.json()["error"] == {
        "code": "UPLOAD-EMPTY",
        "label": "Tệp rỗng",
        "message": empty.json()["error"]["message"],
    }


def test_reports_name_each_rule_in_words_in_json_and_in_a_csv_column(harness: Harness, tmp_path: Path) -> None:
    h = harness
    _planted(h, tmp_path)
    period = {"office": "VPTU", "from": "2024-01-01", "to": "2024-12-31"}
    body = h.client.get("/api/v1/reports/offices", params=period, headers=h.reader.headers).json()
    rule = next(r for r in body["by_rule"] if r["code"] == COLON)
    assert rule["label"] == COLON_LABEL

    data = h.client.get("/api/v1/reports/offices", params={**period, "format": "csv"}, headers=h.reader.headers)
    rows = list(csv.reader(io.StringIO(data.content.decode("utf-8-sig"))))
    header = rows.index(["Loại lỗi", "Mã lỗi", "Mức độ", "Số lần", "Số văn bản"])
    by_rule = {row[1]: row for row in rows[header + 1 :] if len(row) == 5}
    assert by_rule[COLON][:3] == [COLON_LABEL, COLON, "Lỗi"]
