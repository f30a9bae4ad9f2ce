"""The document page in a real browser (Debian's Chromium through Playwright) shows the pages of a DOCX, a text
PDF and a scan as images, with the planted finding boxed where its line prints; a click on the finding shows
its page and highlights its box. Runs on the embedded backends (SQLite, folder) with one background worker.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from archive_service.catalog.models import Role
from tests.chromium import chromium, new_tab
from tests.conftest import Actor, add_user, make_settings
from tests.corpus.generator import docx_to_pdf, pdf_to_scan
from tests.corpus.session import need_tools
from tests.web.conftest import PASSWORD
from tests.web.helpers import planted_docx
from tests.web.test_browser import LiveApp, _serve, shot

pytestmark = [pytest.mark.slow, pytest.mark.page_images]

PLANTED_CODE = "FMT-NUMBER-COLON"  # "Số: 12/NQ-TU": a colon and the state order in a Party number line
MEDIA = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".pdf": "application/pdf"}


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[LiveApp, Actor]]:
    with _serve(make_settings("embedded", tmp_path, workers=1)) as app:
        yield app, add_user(app.services, "nhap-lieu", Role.ARCHIVIST, "VPTU")


@pytest.fixture
def browser_page(live: tuple[LiveApp, Actor]) -> Iterator[Any]:
    with chromium() as browser:
        yield new_tab(browser, live[0].url)


def _files(folder: Path) -> list[Path]:
    """The planted error as a DOCX, as the PDF LibreOffice makes of it, and as a scan of that PDF."""
    docx = planted_docx(folder, "nghi-quyet-12.docx")
    (pdf,) = docx_to_pdf([docx], folder / "pdf")
    text_pdf = pdf.rename(folder / "nghi-quyet-12-ban-in.pdf")
    scan = pdf_to_scan(text_pdf, folder / "nghi-quyet-12-ban-quet.pdf", seed=5)
    return [docx, text_pdf, scan]


def _upload_and_wait(app: LiveApp, actor: Actor, files: list[Path]) -> tuple[int, list[int]]:
    """Upload through the API; wait until the worker has read, checked and rendered every file."""
    with httpx.Client(base_url=app.url, headers=actor.headers, timeout=60) as client:
        made = client.post("/api/v1/dossiers", json={"title": "Hội nghị Ban Thường vụ", "meeting_body": "BTV"})
        dossier = int(made.json()["id"])
        ids = []
        for path in files:
            sent = client.post(
                f"/api/v1/dossiers/{dossier}/documents",
                files={"files": (path.name, path.read_bytes(), MEDIA[path.suffix])},
            )
            assert sent.status_code == 201, sent.text
            ids.append(int(sent.json()["items"][0]["document"]["id"]))
        deadline = time.monotonic() + 300
        while any(client.get(f"/api/v1/documents/{i}/pages").json()["state"] != "ready" for i in ids):
            assert time.monotonic() < deadline, "the page images were not made in time"
            time.sleep(1)
    return dossier, ids


def _log_in(page: Any) -> None:
    page.goto("/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/ho-so"))


def test_docx_text_pdf_and_scan_show_their_pages_with_the_planted_finding_boxed(
    live: tuple[LiveApp, Actor], browser_page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    need_tools("soffice", "tesseract")
    page = browser_page
    dossier, ids = _upload_and_wait(live[0], live[1], _files(tmp_path))
    _log_in(page)
    for doc, kind in zip(ids, ("docx", "pdf", "scan"), strict=True):
        page.goto(f"/van-ban/{doc}")
        sheet = page.locator("#trang-1")
        image = sheet.locator("img")
        expect(image).to_be_visible()
        assert page.evaluate("img => img.complete && img.naturalWidth", image.element_handle()) > 1000

        card = page.locator(".finding", has_text=PLANTED_CODE)
        number = int((card.get_attribute("id") or "").removeprefix("loi-"))
        box = page.locator(f"#khung-loi-{number}")
        expect(box).to_have_count(1)
        # The box sits in the header's left column, where "Số: 12/NQ-TU" prints.
        frame, drawn = sheet.locator(".page-frame").bounding_box(), box.locator("rect").bounding_box()
        assert drawn["x"] + drawn["width"] < frame["x"] + frame["width"] / 2, kind
        assert frame["y"] < drawn["y"] < frame["y"] + frame["height"] * 0.25, kind

        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        card.get_by_role("button", name="Xem trên trang 1").click()
        expect(box).to_have_class(re.compile(r"\bactive\b"))
        expect(box.locator("rect")).to_be_in_viewport()
        shot(page, f"14e-trang-{kind}")

    page.goto(f"/ho-so/{dossier}")
    thumbs = page.locator("img.doc-thumb")
    expect(thumbs).to_have_count(3)
    for i in range(3):
        expect(thumbs.nth(i)).to_have_attribute("loading", "lazy")
        thumbs.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbs.nth(i).element_handle())
