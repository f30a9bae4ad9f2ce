"""The backlog in the web app: an admin sees the queue badge in the header and the queue page; others do not."""

from __future__ import annotations

from tests.samples import tiny_pdf
from tests.web.conftest import Web

BADGE = "Hàng đợi: 1 chờ · 0 đang xử lý · 0 lỗi"


def _upload(web: Web) -> int:
    h = web.harness
    dossier = h.new_dossier(title="Hội nghị mật")
    files = [("files", ("nghi-quyet-mat.pdf", tiny_pdf("Nghi quyet"), "application/pdf"))]
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def test_an_admin_sees_the_queue_badge_and_the_queue_page(web: Web) -> None:
    _upload(web)
    client = web.login("admin")
    home = client.get("/ho-so")
    assert BADGE in home.text and 'href="/quan-tri/hang-doi"' in home.text
    page = client.get("/quan-tri/hang-doi")
    assert page.status_code == 200, page.text
    assert "Hàng đợi xử lý" in page.text and "Đọc và kiểm tra văn bản" in page.text
    assert 'aria-current="page"' in page.text
    assert "nghi-quyet-mat" not in page.text and "Hội nghị mật" not in page.text


def test_an_archivist_sees_no_badge_and_is_refused_the_queue_page(web: Web) -> None:
    _upload(web)
    client = web.login("vanthu")
    assert "Hàng đợi:" not in client.get("/ho-so").text
    refused = client.get("/quan-tri/hang-doi")
    assert refused.status_code == 403
    assert "Hàng đợi xử lý" not in refused.text
