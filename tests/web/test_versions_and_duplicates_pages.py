"""The web side of duplicates and versions (issue 14, items 4 and 8): the superseded page points to the new
version, the dossier row says "Đã thay thế", the upload page's JSON calls link a duplicate and confirm a
version, and a page whose session expired can fetch the new session's token."""

from __future__ import annotations

import re
from pathlib import Path

from archive_service.workers.jobs import run_pending_jobs
from tests.samples import tiny_pdf
from tests.web.conftest import Web
from tests.web.helpers import correct_docx, upload


def test_a_superseded_version_points_to_the_new_one_and_its_dossier_row_says_replaced(web: Web, tmp_path: Path) -> None:
    client = web.login("vanthu")
    csrf = web.csrf(client)
    dossier = web.harness.new_dossier()
    [old] = upload(client, csrf, dossier, correct_docx(tmp_path, "nghi-quyet.docx"))
    old_id = old["document"]["id"]  # type: ignore[index]
    response = client.post(
        f"/web-api/ho-so/{dossier}/van-ban",
        files={"files": ("nghi-quyet-sua.pdf", tiny_pdf("ban sua"), "application/pdf")},
        data={"version_of": str(old_id)},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 201, response.text
    new_id = response.json()["items"][0]["document"]["id"]

    old_page = client.get(f"/van-ban/{old_id}").text
    banner = re.search(r'<div class="notice superseded"[^>]*>(.*?)</div>', old_page, re.S)
    assert banner is not None
    assert "Đã thay thế" in banner.group(1) and f'href="/van-ban/{new_id}"' in banner.group(1)
    assert "nghi-quyet-sua.pdf" in banner.group(1)
    assert 'class="notice superseded"' not in client.get(f"/van-ban/{new_id}").text

    dossier_page = client.get(f"/ho-so/{dossier}").text
    old_row = re.search(
        rf'<tr[^>]*>\s*(?:<td[^>]*>.*?</td>\s*)?<th scope="row"><a href="/van-ban/{old_id}".*?</tr>', dossier_page, re.S
    )
    assert old_row is not None and "Đã thay thế" in old_row.group(0)
    assert "Không tính (đã có bản mới)" in old_row.group(0)  # its old result leaves the row's counts
    assert "Có lỗi" not in old_row.group(0) and "Đạt" not in old_row.group(0)
    new_row = re.search(rf'<th scope="row"><a href="/van-ban/{new_id}".*?</tr>', dossier_page, re.S)
    assert new_row is not None and "Đã thay thế" not in new_row.group(0)


def test_the_upload_page_asks_before_storing_a_version_that_reads_as_another_document(web: Web, tmp_path: Path) -> None:
    client = web.login("vanthu")
    csrf = web.csrf(client)
    dossier = web.harness.new_dossier()
    [old] = upload(client, csrf, dossier, correct_docx(tmp_path, "nghi-quyet.docx"))
    run_pending_jobs(web.services)
    other = correct_docx(tmp_path, "cong-van.docx", number="88", type_code="CV", document_type=None)
    fields = {"version_of": str(old["document"]["id"])}  # type: ignore[index]
    files = {"files": (other.name, other.read_bytes(), "application/octet-stream")}

    asked = client.post(f"/web-api/ho-so/{dossier}/van-ban", files=files, data=fields, headers={"X-CSRF-Token": csrf})
    assert asked.status_code == 200  # the page reads each file's outcome: nothing new was stored
    item = asked.json()["items"][0]
    assert item["error"]["code"] == "UPLOAD-VERSION-CHANGED" and "số: 125 → 88" in item["error"]["message"]

    confirmed = client.post(
        f"/web-api/ho-so/{dossier}/van-ban",
        files=files,
        data=fields | {"xac_nhan": "1"},
        headers={"X-CSRF-Token": csrf},
    )
    assert (
        confirmed.status_code == 201 and confirmed.json()["items"][0]["document"]["version_of"] == old["document"]["id"]
    )  # type: ignore[index]


def test_the_upload_page_links_a_duplicate_into_its_dossier_with_the_session_token(web: Web) -> None:
    client = web.login("vanthu")
    csrf = web.csrf(client)
    first, second = web.harness.new_dossier(), web.harness.new_dossier(title="Hội nghị lần thứ 13")
    stored = client.post(
        f"/web-api/ho-so/{first}/van-ban",
        files={"files": ("bb.pdf", tiny_pdf("bb"), "application/pdf")},
        headers={"X-CSRF-Token": csrf},
    )
    doc_id = stored.json()["items"][0]["document"]["id"]
    without_token = client.post(f"/web-api/ho-so/{second}/lien-ket", json={"document_id": doc_id})
    assert without_token.status_code == 403 and without_token.json()["error"]["code"] == "CSRF-INVALID"
    linked = client.post(
        f"/web-api/ho-so/{second}/lien-ket", json={"document_id": doc_id}, headers={"X-CSRF-Token": csrf}
    )
    assert linked.status_code == 200 and linked.json()["linked"] is True
    assert "bb.pdf" in client.get(f"/ho-so/{second}").text


def test_a_page_whose_session_expired_gets_the_new_sessions_token_after_logging_in_again(web: Web) -> None:
    first = web.login("vanthu")
    old_token = web.csrf(first)
    assert first.get("/web-api/phien").json() == {"csrf_token": old_token}
    first.cookies.clear()
    expired = first.get("/web-api/phien")
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "AUTH-SESSION-REQUIRED"
    again = web.login("vanthu")
    assert again.get("/web-api/phien").json() == {"csrf_token": web.csrf(again)}
