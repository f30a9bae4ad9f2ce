"""The document page's signature panel (issue 16): who signed, when, intact and valid or why not; "Không có chữ
ký số" on an unsigned document; the "Văn bản điện tử đã ban hành" mark set and unset by an archivist's form.

The signed file is a real one (``../shared/real-docs/05.signed.pdf``, five signatures, the first Nguyễn Phước
Bình's); its tampered copy (one byte flipped inside the signed range, ``tests.signatures.pki.tamper``) is the
broken case.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Final

import pytest
from fastapi.testclient import TestClient

from archive_service.workers.jobs import run_pending_jobs
from tests.corpus.session import skip_unless
from tests.realdocs.labels import REAL_DOCS
from tests.signatures.pki import tamper
from tests.web.conftest import Web
from tests.web.helpers import correct_docx

SIGNED: Final = REAL_DOCS / "05.signed.pdf"
SIGNER: Final = "Nguyễn Phước Bình"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARK: Final = '<strong class="electronic-mark">Văn bản điện tử đã ban hành</strong>'


@pytest.fixture
def signed_bytes() -> bytes:
    skip_unless(SIGNED.is_file(), f"no real signed PDF at {SIGNED}")
    return SIGNED.read_bytes()


def _stored(web: Web, client: TestClient, name: str, data: bytes, media_type: str = "application/pdf") -> int:
    """A new dossier with the file, uploaded from the web page and read and checked by the workers."""
    dossier = web.client.post(
        "/api/v1/dossiers",
        json={"title": "Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 12", "meeting_body": "BTV"},
        headers=web.harness.archivist.headers,
    ).json()["id"]
    response = client.post(
        f"/web-api/ho-so/{dossier}/van-ban",
        files=[("files", (name, data, media_type))],
        headers={"X-CSRF-Token": web.csrf(client)},
    )
    assert response.status_code in (200, 201), response.text
    (item,) = response.json()["items"]
    assert item.get("error") is None, item
    while run_pending_jobs(web.services):
        pass
    return int(item["document"]["id"])


def _panel(page: str) -> str:
    """The text of the signature panel (tags dropped, entities decoded)."""
    start = page.index('<section aria-labelledby="tieu-de-chu-ky-so"')
    section = page[start : page.index("</section>", start)]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)))


def test_the_page_shows_each_signature_who_when_and_valid(web: Web, signed_bytes: bytes) -> None:
    archivist = web.login("vanthu")
    doc = _stored(web, archivist, "05.signed.pdf", signed_bytes)
    page = web.login("doc").get(f"/van-ban/{doc}")
    assert page.status_code == 200
    panel = _panel(page.text)
    assert "Chữ ký số hợp lệ" in panel
    assert panel.count("Nguyên vẹn, chữ ký đúng") == 5
    assert f"{SIGNER} (cá nhân; ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI; người ký văn bản)" in panel
    assert "08/01/2025 17:31 (có dấu thời gian chứng thực)" in panel  # 10:31 UTC, shown in Vietnam's time
    assert panel.count("Bao trùm toàn bộ tệp") == 1  # only the last signature; the earlier ones:
    assert panel.count("sau chữ ký này chỉ có thêm các chữ ký số khác") == 4
    assert "Chưa kiểm tra độ tin cậy của chứng thư (chưa cài chứng thư gốc tin cậy)" in panel
    assert "Cấp bởi: Common Name: CA phục vụ các cơ quan Nhà nước G2" in panel
    assert "SIG-CERT-UNTRUSTED" in panel
    assert MARK not in page.text and "/dien-tu" not in page.text  # not marked; a reader has no form


def test_a_tampered_file_shows_why_its_signatures_fail(web: Web, signed_bytes: bytes) -> None:
    doc = _stored(web, web.login("vanthu"), "05-sua.signed.pdf", tamper(signed_bytes))
    panel = _panel(web.login("doc").get(f"/van-ban/{doc}").text)
    assert "Chữ ký số không hợp lệ" in panel
    assert panel.count("Nội dung đã ký không còn nguyên vẹn") == 5
    assert "SIG-INVALID" in panel and "Nguyên vẹn, chữ ký đúng" not in panel


def test_an_unsigned_document_says_so(web: Web, tmp_path: Path) -> None:
    path = correct_docx(tmp_path)
    doc = _stored(web, web.login("vanthu"), path.name, path.read_bytes(), DOCX)
    panel = _panel(web.login("doc").get(f"/van-ban/{doc}").text)
    assert "Không có chữ ký số" in panel and "Chữ ký số 1" not in panel


def test_the_electronic_mark_is_set_and_unset_by_an_archivist_only(web: Web, signed_bytes: bytes) -> None:
    archivist = web.login("vanthu")
    doc = _stored(web, archivist, "05.signed.pdf", signed_bytes)
    api = web.harness

    page = archivist.get(f"/van-ban/{doc}").text
    assert f'action="/van-ban/{doc}/dien-tu"' in page and "Đánh dấu là văn bản điện tử đã ban hành" in page
    marked = archivist.post(
        f"/van-ban/{doc}/dien-tu", data={"csrf_token": web.csrf(archivist), "dien_tu": "1"}, follow_redirects=False
    )
    assert marked.status_code == 303 and marked.headers["location"] == f"/van-ban/{doc}#chu-ky-so"
    assert api.client.get(f"/api/v1/documents/{doc}", headers=api.reader.headers).json()["electronic"] is True
    while run_pending_jobs(web.services):  # the re-check the mark queues (helper D's use case), if any
        pass
    page = archivist.get(f"/van-ban/{doc}").text
    assert MARK in page and "Bỏ đánh dấu văn bản điện tử đã ban hành" in _panel(page)

    reader = web.login("doc")
    refused = reader.post(f"/van-ban/{doc}/dien-tu", data={"csrf_token": web.csrf(reader), "dien_tu": "0"})
    assert refused.status_code == 403
    elsewhere = web.login("vanthu-huyen")
    hidden = elsewhere.post(f"/van-ban/{doc}/dien-tu", data={"csrf_token": web.csrf(elsewhere), "dien_tu": "0"})
    assert hidden.status_code == 404
    no_token = archivist.post(f"/van-ban/{doc}/dien-tu", data={"dien_tu": "0"}, follow_redirects=False)
    assert no_token.status_code == 403
    assert api.client.get(f"/api/v1/documents/{doc}", headers=api.reader.headers).json()["electronic"] is True

    unmarked = archivist.post(
        f"/van-ban/{doc}/dien-tu", data={"csrf_token": web.csrf(archivist), "dien_tu": "0"}, follow_redirects=False
    )
    assert unmarked.status_code == 303
    assert api.client.get(f"/api/v1/documents/{doc}", headers=api.reader.headers).json()["electronic"] is False
    assert MARK not in archivist.get(f"/van-ban/{doc}").text


def test_a_caller_not_cleared_for_the_document_sees_no_signature(web: Web, signed_bytes: bytes) -> None:
    doc = _stored(web, web.login("vanthu"), "05.signed.pdf", signed_bytes)
    api = web.harness
    secret = api.client.patch(f"/api/v1/documents/{doc}", json={"secrecy_level": 1}, headers=api.admin.headers)
    assert secret.status_code == 200, secret.text
    assert SIGNER in _panel(web.login("admin").get(f"/van-ban/{doc}").text)
    for name in ("doc", "vanthu"):  # clearance 0, same office
        page = web.login(name).get(f"/van-ban/{doc}")
        assert page.status_code == 404
        assert SIGNER not in page.text and "QUẢNG NGÃI" not in page.text and "chu-ky-so" not in page.text


def test_the_dossier_table_says_for_each_document_whether_its_signatures_hold(web: Web, signed_bytes: bytes) -> None:
    archivist = web.login("vanthu")
    doc = _stored(web, archivist, "05.signed.pdf", signed_bytes)
    dossier = web.client.get(f"/api/v1/documents/{doc}", headers=web.harness.archivist.headers).json()["dossier_id"]
    page = web.login("doc").get(f"/ho-so/{dossier}").text
    table = page[page.index('id="bang-van-ban"') : page.index("</table>", page.index('id="bang-van-ban"'))]
    headings = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert "Chữ ký số" in headings
    row = table[table.index("05.signed.pdf") :]
    assert headings.index("Chữ ký số") == headings.index("Trạng thái") + 1
    assert re.search(r"Đã kiểm tra</td>\s*<td>Hợp lệ</td>", row)  # the column after the document's status
