"""In a real browser (Debian's Chromium through Playwright) no finding card, search facet, report row or chart
legend is headed by a raw code such as FMT-NUMBER-COLON: the Vietnamese label heads it, the code follows it,
smaller. Runs on the embedded backends (SQLite, folder, FTS5) with one background worker.
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
from tests.web.conftest import PASSWORD
from tests.web.helpers import correct_docx, planted_docx
from tests.web.test_browser import LiveApp, _serve, shot

pytestmark = pytest.mark.slow

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
COLON_LABEL = 'Dấu hai chấm sau chữ "Số" sai quy định'

# Every element whose own text is a code: it must be the small code right after its label, never alone.
RAW_CODES_JS = r"""
() => {
  const code = /^[A-Z][A-Z0-9]*(-[A-Z][A-Z0-9]*)+$/;
  const raw = [];
  for (const el of document.querySelectorAll('main *')) {
    if (el.children.length || !code.test(el.textContent.trim())) continue;
    const label = el.previousElementSibling;
    const labelled = el.matches('code.code') && label && label.matches('.code-label') && label.textContent.trim();
    if (!labelled) raw.push(el.textContent.trim());
  }
  return raw;
}
"""


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[LiveApp, Actor]]:
    with _serve(make_settings("embedded", tmp_path, workers=1)) as app:
        yield app, add_user(app.services, "nhap-lieu", Role.ARCHIVIST, "VPTU")


@pytest.fixture
def browser_page(live: tuple[LiveApp, Actor]) -> Iterator[Any]:
    with chromium() as browser:
        yield new_tab(browser, live[0].url)


def _upload_and_wait(app: LiveApp, actor: Actor, files: list[Path]) -> tuple[int, dict[str, int]]:
    """Upload through the API; wait until every file is checked and findable."""
    with httpx.Client(base_url=app.url, headers=actor.headers, timeout=60) as client:
        made = client.post(
            "/api/v1/dossiers",
            json={"title": "Hội nghị Ban Thường vụ", "meeting_body": "BTV", "meeting_date": "2024-03-01"},
        )
        dossier = int(made.json()["id"])
        sent = client.post(
            f"/api/v1/dossiers/{dossier}/documents", files=[("files", (p.name, p.read_bytes(), DOCX)) for p in files]
        )
        assert sent.status_code == 201, sent.text
        ids = {item["filename"]: int(item["document"]["id"]) for item in sent.json()["items"]}
        deadline = time.monotonic() + 180
        while True:
            statuses = {client.get(f"/api/v1/documents/{i}").json()["status"] for i in ids.values()}
            found = client.get("/api/v1/search", params={"q": "nghi quyet"}).json()
            if statuses == {"checked"} and found["total"] == len(ids):
                break
            assert time.monotonic() < deadline, f"not checked and indexed in time: {statuses}"
            time.sleep(0.5)
    return dossier, ids


def _log_in(page: Any) -> None:
    page.goto("/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/ho-so"))


def _label_heads_and_code_is_smaller(page: Any, scope: Any) -> None:
    """Within ``scope`` the label is drawn before (left of) its code, and the code in a smaller font."""
    label, code = scope.locator(".code-label").first, scope.locator("code.code").first
    assert label.inner_text().strip() and not re.fullmatch(r"[A-Z0-9-]+", label.inner_text().strip())
    box_label, box_code = label.bounding_box(), code.bounding_box()
    assert box_label["x"] < box_code["x"] or box_label["y"] < box_code["y"]
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    assert page.evaluate(size, code.element_handle()) < page.evaluate(size, label.element_handle())


def test_no_card_facet_report_row_or_chart_legend_is_headed_by_a_raw_code(
    live: tuple[LiveApp, Actor], browser_page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    dossier, ids = _upload_and_wait(live[0], live[1], [planted_docx(tmp_path), correct_docx(tmp_path)])
    _log_in(page)

    page.goto(f"/van-ban/{ids['nghi-quyet-sai-so.docx']}")
    card = page.locator(".finding-head", has_text="FMT-NUMBER-COLON")
    expect(card.locator(".code-label")).to_have_text(COLON_LABEL)
    _label_heads_and_code_is_smaller(page, card)
    assert page.evaluate(RAW_CODES_JS) == []
    shot(page, "14a-the-loi-co-nhan")

    page.goto(f"/ho-so/{dossier}")
    expect(page.locator(".code-label", has_text="Hồ sơ thiếu biên bản hội nghị").first).to_be_visible()
    assert page.evaluate(RAW_CODES_JS) == []

    page.goto("/tim-kiem?q=nghi+quyet")
    facet = page.locator("section.facet", has=page.locator("#facet-ma_loi"))
    expect(facet.get_by_role("heading")).to_have_text("Loại lỗi")
    entry = facet.get_by_role("link", name=re.compile("Dấu hai chấm"))
    _label_heads_and_code_is_smaller(page, entry)
    assert page.evaluate(RAW_CODES_JS) == []
    entry.click()
    expect(page.get_by_text(re.compile(r"Tìm thấy 1 văn bản"))).to_be_visible()
    shot(page, "14a-bo-loc-loai-loi")

    page.goto("/bao-cao?tu_ngay=01/01/2024&den_ngay=31/12/2024")
    row = page.locator("#bang-ma-loi tbody tr", has_text="FMT-NUMBER-COLON")
    expect(row.locator("th .code-label")).to_have_text(COLON_LABEL)
    _label_heads_and_code_is_smaller(page, row)
    legend = page.locator("svg[aria-labelledby^='theo-ma-loi'] text[text-anchor='end']").all_text_contents()
    assert COLON_LABEL in legend and not [t for t in legend if re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+", t)]
    assert page.evaluate(RAW_CODES_JS) == []
    shot(page, "14a-bao-cao-loai-loi")

    page.goto("/ho-so/987654")
    expect(page.locator("main .code-label")).to_have_text("Không tìm thấy hồ sơ")
    assert page.evaluate(RAW_CODES_JS) == []
