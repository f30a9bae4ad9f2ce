"""The upload page's "văn bản điện tử đã ban hành" box (issue 16): ticked, the files it sends are marked as issued
electronically, so a missing digital signature is reported; a signed original comes back byte-identical."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, FindingRow
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import make_settings
from tests.corpus.session import skip_unless
from tests.realdocs.labels import REAL_DOCS
from tests.samples import tiny_pdf
from tests.web.conftest import Web

SIGNED = REAL_DOCS / "05.signed.pdf"


def _send(web: Web, dossier: int, name: str, content: bytes, fields: dict[str, str]) -> int:
    client = web.login("vanthu")
    response = client.post(
        f"/web-api/ho-so/{dossier}/van-ban",
        files={"files": (name, content, "application/pdf")},
        data=fields,
        headers={"X-CSRF-Token": web.csrf(client)},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def test_the_upload_page_offers_the_electronic_box_and_a_ticked_box_marks_the_file(web: Web) -> None:
    dossier = web.harness.new_dossier()
    client = web.login("vanthu")
    page = client.get(f"/ho-so/{dossier}/tai-len").text
    assert 'type="checkbox" id="electronic" name="electronic" value="true"' in page
    assert "Văn bản điện tử đã ban hành (bắt buộc có chữ ký số)" in page
    assert 'data.append("electronic", "true")' in client.get("/static/upload.js").text

    marked = _send(web, dossier, "thong-bao.pdf", tiny_pdf("Thong bao"), {"electronic": "true"})
    plain = _send(web, dossier, "bien-ban.pdf", tiny_pdf("Bien ban"), {})
    while run_pending_jobs(web.services):
        pass
    api = web.harness.client
    headers = web.harness.reader.headers
    assert api.get(f"/api/v1/documents/{marked}", headers=headers).json()["electronic"] is True
    assert api.get(f"/api/v1/documents/{plain}", headers=headers).json()["electronic"] is False
    codes = {f["code"] for f in api.get(f"/api/v1/documents/{marked}/findings", headers=headers).json()["items"]}
    assert "SIG-MISSING" in codes
    progress = client.get(f"/web-api/van-ban/{marked}/tien-do").json()
    assert progress["validation_status"] == "error" and progress["errors"] >= 1


def test_a_signed_original_uploaded_on_the_page_downloads_byte_identical(web: Web) -> None:
    skip_unless(SIGNED.is_file(), f"no real signed PDF at {SIGNED}")
    content = SIGNED.read_bytes()
    dossier = web.harness.new_dossier()
    doc_id = _send(web, dossier, SIGNED.name, content, {"electronic": "true"})
    while run_pending_jobs(web.services):
        pass
    reader = web.login("doc")
    served = reader.get(f"/van-ban/{doc_id}/ban-goc")
    assert served.status_code == 200
    assert hashlib.sha256(served.content).hexdigest() == hashlib.sha256(content).hexdigest()
    findings = web.harness.client.get(f"/api/v1/documents/{doc_id}/findings", headers=web.harness.reader.headers)
    assert "SIG-MISSING" not in {f["code"] for f in findings.json()["items"]}


@pytest.mark.slow
def test_in_a_browser_a_file_chosen_with_the_box_ticked_is_marked_and_its_missing_signature_shown(
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    from tests.chromium import chromium, new_tab
    from tests.web.test_browser import _serve
    from tests.web.test_browser_upload import CHECK_TIMEOUT_MS, _log_in, _new_dossier, _row

    marked, plain = tmp_path / "thong-bao.pdf", tmp_path / "bien-ban.pdf"
    marked.write_bytes(tiny_pdf("Thong bao"))
    plain.write_bytes(tiny_pdf("Bien ban"))
    with _serve(make_settings("embedded", tmp_path, workers=1)) as live, chromium() as browser:
        page = new_tab(browser, live.url).context.new_page()
        _log_in(page)
        dossier = _new_dossier(page, "Hội nghị Ban Thường vụ lần thứ 21")
        page.goto(f"/ho-so/{dossier}/tai-len")
        page.get_by_label("Văn bản điện tử đã ban hành (bắt buộc có chữ ký số)").check()
        page.locator("#file-input").set_input_files([str(marked)])
        expect(_row(page, marked.name)).to_have_class("upload-checked", timeout=CHECK_TIMEOUT_MS)
        page.get_by_label("Văn bản điện tử đã ban hành (bắt buộc có chữ ký số)").uncheck()
        page.locator("#file-input").set_input_files([str(plain)])
        expect(_row(page, plain.name)).to_have_class("upload-checked", timeout=CHECK_TIMEOUT_MS)
        with transaction(live.services.factory) as session:
            docs = {d.original_filename: d for d in session.query(Document).filter(Document.dossier_id == dossier)}
            assert docs[marked.name].electronic is True and docs[plain.name].electronic is False
            missing = session.query(FindingRow).filter(
                FindingRow.document_id == docs[marked.name].id, FindingRow.code == "SIG-MISSING"
            )
            assert missing.count() == 1
