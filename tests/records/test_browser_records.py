"""A dossier's life in a real browser (Debian's Chromium through Playwright), on a 390 px phone, over the embedded
backends (SQLite, folder, FTS5) with one background worker.

The archivist plans the year (a đề mục and a row, then corrects the row), the admin records the approval, the
archivist opens the dossier from its row, uploads a DOCX, waits until it is read, closes the dossier (vĩnh viễn)
and finds on its page the state, the mục lục văn bản and chứng từ kết thúc as links, and the history; the link
downloads a PDF. No page of the walk is wider than the phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive_service.catalog.models import Role
from tests.chromium import chromium, new_tab
from tests.conftest import add_user, make_settings
from tests.samples import tiny_docx
from tests.web.conftest import PASSWORD, set_password
from tests.web.test_browser import LiveApp, _serve, shot

pytestmark = pytest.mark.slow

PHONE = 390
READ_TIMEOUT_MS = 120_000


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveApp]:
    """The app on SQLite, a folder and FTS5, one worker; the archivist 'vanthu' and the admin 'quantri' of VPTU."""
    with _serve(make_settings("embedded", tmp_path, workers=1)) as app:
        add_user(app.services, "quantri", Role.ADMIN, "VPTU", clearance=3)
        set_password(app.services, "quantri")
        yield app


@pytest.fixture
def browser(live: LiveApp) -> Iterator[Any]:
    with chromium() as running:
        yield running


def _phone(browser: Any, live: LiveApp, username: str) -> Any:
    """A tab the size of a phone (390 × 844), logged in as ``username``."""
    from playwright.sync_api import expect

    page = new_tab(browser, live.url, width=PHONE, height=844, downloads=True)
    page.goto("/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Đăng nhập")
    return page


def _fits(page: Any) -> None:
    """The page as it is now does not scroll sideways on the phone."""
    page.wait_for_load_state("load")
    content, window = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert window == PHONE and content <= window, f"{page.url} is {content} px wide on a {window} px phone"


def test_a_dossier_is_planned_opened_filled_and_closed_on_a_phone(browser: Any, live: LiveApp) -> None:
    from playwright.sync_api import expect

    archivist = _phone(browser, live, "vanthu")
    archivist.goto("/danh-muc-ho-so")
    _fits(archivist)
    archivist.get_by_role("button", name="Lập danh mục").click()
    archivist.wait_for_url(re.compile(r"/danh-muc-ho-so/\d+$"))
    plan_url = archivist.url
    _fits(archivist)
    archivist.get_by_label("Tên đề mục").fill("Tổng hợp")
    archivist.get_by_role("button", name="Thêm đề mục").click()
    expect(archivist.locator("tr.heading-row")).to_contain_text("I. TỔNG HỢP")
    archivist.get_by_label("Tiêu đề hồ sơ").fill("Hồ sơ Hội nghị tổng kết công tác năm")
    archivist.get_by_label("Thời hạn bảo quản").select_option("vinh-vien")
    archivist.get_by_label("Người lập hồ sơ").fill("Nguyễn An")
    archivist.get_by_label("Đề mục", exact=True).select_option(label="I. Tổng hợp")
    archivist.get_by_role("button", name="Thêm hồ sơ").click()
    row = archivist.locator("tbody tr", has_text="01.VPTU")
    expect(row).to_contain_text("Hồ sơ Hội nghị tổng kết công tác năm")
    expect(row).to_contain_text("Vĩnh viễn")
    _fits(archivist)
    # The row is corrected on its own form (the plan page's "Sửa").
    archivist.get_by_role("link", name="Sửa dòng 01.VPTU").click()
    _fits(archivist)
    archivist.get_by_label("Ghi chú").fill("Bản điện tử")
    archivist.get_by_role("button", name="Lưu").click()
    archivist.wait_for_url(re.compile(r"/danh-muc-ho-so/\d+#dong-\d+$"))
    expect(archivist.locator("tbody tr", has_text="01.VPTU")).to_contain_text("Bản điện tử")
    shot(archivist, "phone-danh-muc-ho-so")

    admin = _phone(browser, live, "quantri")
    admin.goto(plan_url)
    admin.get_by_label("Số quyết định").fill("15-QĐ/VPTU")
    admin.get_by_label("Ngày quyết định").fill("05/01/2026")
    admin.get_by_label("Người phê duyệt").fill("Trần Văn Chánh")
    admin.get_by_role("button", name="Phê duyệt").click()
    expect(admin.get_by_text("Quyết định số 15-QĐ/VPTU ngày 05/01/2026")).to_be_visible()
    _fits(admin)

    archivist.goto(plan_url)
    archivist.locator("tbody tr", has_text="01.VPTU").get_by_role("button", name="Mở hồ sơ").click()
    archivist.wait_for_url(re.compile(r"/ho-so/\d+$"))
    dossier_url = archivist.url
    expect(archivist.get_by_role("heading", level=1)).to_contain_text("Hồ sơ Hội nghị tổng kết công tác năm")
    _fits(archivist)

    archivist.goto(dossier_url + "/tai-len")
    docx = {
        "name": "bien-ban-hoi-nghi.docx",
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "buffer": tiny_docx("Biên bản Hội nghị tổng kết công tác năm"),
    }
    archivist.locator("#file-input").set_input_files([docx])
    uploaded = archivist.locator("#upload-rows tr", has_text="bien-ban-hoi-nghi.docx")
    expect(uploaded).to_have_class("upload-checked", timeout=READ_TIMEOUT_MS)
    _fits(archivist)

    archivist.goto(dossier_url + "/ket-thuc")
    expect(archivist.get_by_text("Không còn văn bản đang được đọc.")).to_be_visible()
    archivist.get_by_label("Thời hạn bảo quản").select_option("vinh-vien")
    _fits(archivist)
    archivist.get_by_role("button", name="Kết thúc hồ sơ").click()
    archivist.wait_for_url(re.compile(r"/ho-so/\d+#trang-thai-ho-so$"))

    state = archivist.locator("#trang-thai-ho-so")
    expect(state.get_by_role("heading", level=2)).to_contain_text("Đã kết thúc")
    expect(state).to_contain_text("Giữ vĩnh viễn")
    for kind in ("Mục lục văn bản", "Chứng từ kết thúc"):
        for name in (f"{kind} (PDF)", f"{kind} (DOCX)"):
            expect(state.get_by_role("link", name=name)).to_have_attribute("href", re.compile(r"^/tep-luu-tru/\d+$"))
    state.locator("summary", has_text="Quá trình của hồ sơ").click()
    expect(state.locator(".dossier-history li", has_text="Đang lập → Đã kết thúc")).to_contain_text("vanthu")
    _fits(archivist)
    shot(archivist, "phone-ho-so-da-ket-thuc")

    for name in ("Chứng từ kết thúc (PDF)", "Mục lục văn bản (PDF)"):
        with archivist.expect_download() as got:
            state.get_by_role("link", name=name).click()
        download = got.value
        assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
        assert Path(download.path()).read_bytes().startswith(b"%PDF"), name
