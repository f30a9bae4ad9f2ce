"""The dossier list, the dossier page's bulk actions and every page on a phone, in a real browser (issue 14,
items 6, 7 and 9): Debian's Chromium through Playwright, over the embedded backends (SQLite, folder, FTS5),
so these run wherever Chromium is installed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, DocumentStatus, FindingRow, Job, Role
from tests.chromium import chromium, new_tab
from tests.conftest import add_user, make_settings
from tests.samples import tiny_pdf
from tests.web.conftest import PASSWORD
from tests.web.test_browser import LiveApp, _serve, shot

pytestmark = pytest.mark.slow

LONG_TITLE = "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ mười hai nhiệm kỳ 2020–2025 (mở rộng, phiên bế mạc)"
LONG_FILE = "To-trinh-so-125-TTr-VPTU-ve-viec-de-nghi-phe-duyet-ke-hoach-cong-tac-nam-2024-cua-Van-phong.pdf"


@pytest.fixture
def embedded_app(tmp_path: Path) -> Iterator[LiveApp]:
    with _serve(make_settings("embedded", tmp_path)) as live:
        yield live


@pytest.fixture
def browser(embedded_app: LiveApp) -> Iterator[Any]:
    """A headless Chromium (no network but the loopback app); skipped only where Chromium is missing."""
    with chromium() as running:
        yield running


def _page(browser: Any, live: LiveApp, width: int, height: int = 844) -> Any:
    tab = new_tab(browser, live.url, width=width, height=height, downloads=True)
    tab.goto("/dang-nhap")
    tab.get_by_label("Tên đăng nhập").fill("vanthu")
    tab.get_by_label("Mật khẩu").fill(PASSWORD)
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.wait_for_url(re.compile(r"/ho-so"))
    return tab


def _seed(live: LiveApp) -> tuple[int, int, dict[str, int]]:
    """Two dossiers (one with a long title) of checked documents, one with errors and a long file name."""
    admin = add_user(live.services, "quantri", Role.ADMIN, "VPTU", clearance=3)
    headers = {"Authorization": f"Bearer {admin.token}"}
    docs: dict[str, int] = {}
    with httpx.Client(base_url=live.url, headers=headers) as api:
        first = api.post(
            "/api/v1/dossiers", json={"title": LONG_TITLE, "meeting_body": "BCH", "meeting_date": "2024-03-05"}
        )
        second = api.post(
            "/api/v1/dossiers",
            json={"title": "Thường trực họp giao ban", "meeting_body": "TT", "meeting_date": "2023-05-02"},
        )
        big, small = int(first.json()["id"]), int(second.json()["id"])
        for dossier, name in ((big, LONG_FILE), (big, "bien-ban.pdf"), (big, "ket-luan.pdf"), (small, "giao-ban.pdf")):
            files = {"files": (name, tiny_pdf(f"Van ban {name[:30]}"), "application/pdf")}
            response = api.post(f"/api/v1/dossiers/{dossier}/documents", files=files)
            assert response.status_code == 201, response.text
            docs[name] = int(response.json()["items"][0]["document"]["id"])
    with transaction(live.services.factory) as session:
        session.execute(update(Job).values(state="done"))  # read and checked, as the workers would leave them
        session.execute(
            update(Document)
            .where(Document.id.in_(docs.values()))
            .values(
                status=DocumentStatus.CHECKED.value,
                validation_status="ok",
                fields={"number_line": "Số 125-TTr/VPTU-KHCTNAM2024-DEXUATPHEDUYETKEHOACH", "issued_on": "2024-03-01"},
            )
        )
        session.add(
            FindingRow(
                document_id=docs[LONG_FILE],
                dossier_id=big,
                code="FMT-NUMBER-SYMBOL-MALFORMED-VERY-LONG-CODE",
                severity="error",
                clause="36-HD/VPTW",
                message="Số và ký hiệu không đúng thể thức.",
                hint="Sửa số và ký hiệu.",
            )
        )
    return big, small, docs


def _no_sideways_scroll(page: Any, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("load")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{path} scrolls sideways at {widths[1]} px: content {widths[0]} px wide"


def test_no_page_scrolls_sideways_on_a_390_px_phone(embedded_app: LiveApp, browser: Any) -> None:
    from playwright.sync_api import expect

    big, _small, docs = _seed(embedded_app)
    page = _page(browser, embedded_app, 390)
    for path in (
        "/ho-so",
        "/ho-so?loi=co&sap_xep=nhieu-loi",
        f"/ho-so/{big}",
        f"/ho-so/{big}/sua",
        f"/ho-so/{big}/tai-len",
        f"/van-ban/{docs[LONG_FILE]}",
        "/tim-kiem?q=van+ban",
        "/bao-cao",
        "/bao-cao?tu_ngay=abc",
        f"/bao-cao/ho-so/{big}",
        f"/bao-cao/van-ban/{docs[LONG_FILE]}",
        "/doi-mat-khau",
        "/ho-so/abc",
    ):
        _no_sideways_scroll(page, path)
    # Upload results on the phone: a refused file and a stored one, each with its long name.
    page.goto(f"/ho-so/{big}/tai-len")
    page.locator("#file-input").set_input_files(
        [
            {
                "name": "ghi-chu-rat-dai-khong-phai-van-ban-cua-dang-bo-tinh.txt",
                "mimeType": "text/plain",
                "buffer": b"x",
            },
            {
                "name": "Bao-cao-tong-ket-cong-tac-van-thu-luu-tru-nam-2024.pdf",
                "mimeType": "application/pdf",
                "buffer": tiny_pdf("Bao cao"),
            },
        ]
    )
    expect(page.locator("#upload-rows tr")).to_have_count(2)
    expect(page.locator("#upload-rows tr", has_text="ghi-chu")).to_contain_text("PDF hoặc DOCX")
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    shot(page, "phone-tai-len")
    page.goto("/ho-so")
    shot(page, "phone-ho-so")
    # The dossier list on the phone is a stack of cards whose lines say what they are.
    expect(page.locator("#bang-ho-so tbody tr").first.locator("td").first).to_be_visible()


def test_an_archivist_finds_a_dossier_and_acts_on_its_ticked_documents(embedded_app: LiveApp, browser: Any) -> None:
    from playwright.sync_api import expect

    big, _small, docs = _seed(embedded_app)
    page = _page(browser, embedded_app, 1280, 900)

    # Search without diacritics, filter by errors, and see the error count.
    page.get_by_label("Tiêu đề hồ sơ").fill("ban chap hanh")
    page.get_by_label("Chỉ hồ sơ có lỗi").check()
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#so-ho-so")).to_contain_text("Tìm thấy 1 hồ sơ")
    row = page.locator("#bang-ho-so tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator('td[data-label="Lỗi"]')).to_have_text("1")
    page.get_by_label("Sắp xếp").select_option("ngay-hop-cu")
    page.get_by_label("Chỉ hồ sơ có lỗi").uncheck()
    page.get_by_label("Tiêu đề hồ sơ").fill("")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#bang-ho-so tbody tr").first).to_contain_text("Thường trực họp giao ban")
    page.get_by_role("link", name=LONG_TITLE).click()
    expect(page.get_by_role("navigation", name="Vị trí")).to_contain_text(LONG_TITLE)

    # Sort, select all, download the selection as a ZIP.
    page.get_by_role("navigation", name="Sắp xếp văn bản").get_by_role("link", name="Tên tệp").click()
    names = page.locator("#bang-van-ban tbody th a").all_inner_texts()
    assert [n.strip() for n in names] == sorted([LONG_FILE, "bien-ban.pdf", "ket-luan.pdf"], key=str.casefold)
    page.get_by_label("Chọn tất cả văn bản").check()
    expect(page.locator("#so-da-chon")).to_have_text("Đã chọn 3 văn bản.")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải về (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert sorted(archive.namelist()) == sorted([LONG_FILE, "bien-ban.pdf", "ket-luan.pdf"])

    # Check one again, then remove one from the dossier (after confirming).
    page.get_by_label("Chọn tất cả văn bản").uncheck()
    page.get_by_label("Chọn bien-ban.pdf").check()
    page.get_by_role("button", name="Kiểm tra lại").click()
    expect(page.locator("#thong-bao-thao-tac")).to_contain_text("Đã xếp 1 văn bản vào hàng chờ")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Chọn ket-luan.pdf").check()
    page.get_by_role("button", name="Gỡ khỏi hồ sơ").click()
    expect(page.locator("#thong-bao-thao-tac")).to_contain_text("Đã gỡ 1 văn bản khỏi hồ sơ")
    expect(page.locator("#bang-van-ban tbody tr")).to_have_count(2)
    expect(page.get_by_role("heading", name="Văn bản trong hồ sơ (2)")).to_be_visible()
    shot(page, "ho-so-thao-tac-hang-loat")
    # Its page is still there, its original still stored.
    page.goto(f"/van-ban/{docs['ket-luan.pdf']}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
