"""The document page's page images and boxes, the dossier's thumbnails and the PDF inline, over HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive_service.search.service import drain_outbox
from archive_service.workers.jobs import run_pending_jobs
from tests.corpus.session import need_tools
from tests.samples import tiny_pdf
from tests.web.conftest import Web
from tests.web.helpers import planted_docx, upload

pytestmark = [pytest.mark.slow, pytest.mark.page_images]


def _upload_pdf(web: Web, dossier: int) -> int:
    response = web.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("bien-ban.pdf", tiny_pdf("Bien ban hoi nghi"), "application/pdf")},
        headers=web.harness.archivist.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def test_the_document_page_shows_each_page_with_the_planted_finding_boxed(embedded_web: Web, tmp_path: Path) -> None:
    need_tools("soffice")
    web = embedded_web
    client = web.login("vanthu")
    dossier = web.harness.new_dossier()
    (item,) = upload(client, web.csrf(client), dossier, planted_docx(tmp_path))
    doc = item["document"]["id"]  # type: ignore[index]
    run_pending_jobs(web.services)

    html = client.get(f"/van-ban/{doc}").text
    assert 'id="trang-1"' in html and f'src="/van-ban/{doc}/trang/1.png"' in html
    boxes = re.findall(r'id="khung-loi-(\d+)"', html)
    assert boxes, "no finding is boxed on the page"
    colon = re.search(r'<li class="finding sev-error" id="loi-(\d+)">(?:(?!</li>).)*FMT-NUMBER-COLON', html, re.S)
    assert colon and colon.group(1) in boxes  # the planted "Số: 12/NQ-TU" is boxed where it prints
    image = client.get(f"/van-ban/{doc}/trang/1.png?rong=600")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"

    listing = client.get(f"/ho-so/{dossier}").text
    assert f'src="/van-ban/{doc}/anh-nho.png"' in listing and 'loading="lazy"' in listing
    drain_outbox(web.services)
    found = client.get("/tim-kiem", params={"q": "tổ chức cơ sở đảng"}).text
    assert f'src="/van-ban/{doc}/anh-nho.png"' in found  # search results show the first page too
    thumb = client.get(f"/van-ban/{doc}/anh-nho.png")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/png"

    shown = client.get(f"/van-ban/{doc}/xem")
    assert shown.status_code == 200 and shown.content.startswith(b"%PDF")  # the DOCX's LibreOffice rendition
    assert shown.headers["content-disposition"].startswith("inline;")
    assert shown.headers["content-security-policy"].startswith("default-src 'none'; object-src 'self'")


def test_a_pdf_is_viewable_inline_byte_for_byte_and_still_downloadable(embedded_web: Web) -> None:
    web = embedded_web
    client = web.login("doc")
    doc = _upload_pdf(web, web.harness.new_dossier())
    assert client.get(f"/van-ban/{doc}/anh-nho.png", follow_redirects=False).headers["location"].endswith(".svg")
    run_pending_jobs(web.services)

    inline = client.get(f"/van-ban/{doc}/xem")
    attached = client.get(f"/van-ban/{doc}/ban-goc")
    assert inline.content == attached.content == tiny_pdf("Bien ban hoi nghi")
    assert inline.headers["content-type"] == "application/pdf"
    assert inline.headers["content-disposition"].startswith('inline; filename="bien-ban.pdf"')
    assert attached.headers["content-disposition"].startswith("attachment;")
    assert "script-src" not in inline.headers["content-security-policy"]
    assert inline.headers["cache-control"] == "no-store" and inline.headers["x-content-type-options"] == "nosniff"
    assert f'href="/van-ban/{doc}/xem"' in client.get(f"/van-ban/{doc}").text


def test_a_document_whose_pages_cannot_be_rendered_shows_its_text_as_before(
    embedded_web: Web, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = embedded_web
    client = web.login("vanthu")
    dossier = web.harness.new_dossier()
    (item,) = upload(client, web.csrf(client), dossier, planted_docx(tmp_path))
    doc = item["document"]["id"]  # type: ignore[index]
    monkeypatch.setenv("PATH", str(tmp_path))  # a server without LibreOffice: the DOCX cannot be rendered
    run_pending_jobs(web.services)
    monkeypatch.undo()

    html = client.get(f"/van-ban/{doc}").text
    assert 'id="trang-1"' not in html and "Đang tạo ảnh" not in html
    assert 'id="tieu-de-noi-dung"' in html and "Số: 12/NQ-TU" in html  # the text preview, as before
    assert client.get(f"/van-ban/{doc}/trang/1.png").status_code == 404
    assert client.get(f"/van-ban/{doc}/anh-nho.png", follow_redirects=False).status_code == 303
    assert (
        web.client.get(f"/api/v1/documents/{doc}/pages", headers=web.harness.reader.headers).json()["state"] == "failed"
    )
