"""The archivist's day in a real browser (Debian's Chromium through Playwright) over the real backends.

Log in, create a dossier, upload documents (one with a planted error), see the error marked on its
document page, search with and without diacritics, open the office report and download its PDF, whose
counts must equal the page's. Each page is saved as a screenshot in tests/web/screenshots/.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from pypdf import PdfReader

from archive_service.app import create_app
from archive_service.catalog.models import Role
from archive_service.config import Settings
from archive_service.services import Services, open_services
from archive_service.workers.jobs import run_pending_jobs
from tests.backends import free_port
from tests.chromium import chromium, new_tab
from tests.conftest import add_user, make_settings, release_real_backends
from tests.corpus.generator import DocSpec, default_corpus, write_docx
from tests.web.conftest import PASSWORD, set_password
from tests.web.helpers import PLANTED_NUMBER_LINE

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHECK_TIMEOUT_MS = 180_000


@dataclasses.dataclass
class LiveApp:
    url: str
    services: Services


@contextmanager
def _serve(settings: Settings) -> Iterator[LiveApp]:
    """The app on ``settings`` served by uvicorn on 127.0.0.1, with the archivist 'vanthu'."""
    services = open_services(settings)
    app = create_app(settings, services=services)
    add_user(services, "vanthu", Role.ARCHIVIST, "VPTU")
    set_password(services, "vanthu")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn-web-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield LiveApp(f"http://127.0.0.1:{port}", services)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        release_real_backends(services)


@pytest.fixture
def live_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveApp]:
    """The real app (PostgreSQL, S3, Elasticsearch); one worker unless the test says ``workers``."""
    marker = request.node.get_closest_marker("workers")
    workers = int(marker.args[0]) if marker else 1
    with _serve(make_settings("real", tmp_path, workers=workers)) as live:
        yield live


@pytest.fixture
def page(live_app: LiveApp) -> Iterator[Any]:
    """A Chromium page (headless, no network but the loopback app)."""
    with chromium() as browser:
        yield new_tab(browser, live_app.url, downloads=True)


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _documents(folder: Path) -> tuple[Path, list[Path]]:
    """The planted-error resolution, and two correct documents of the same meeting (minutes, conclusion)."""
    corpus = {spec.key: spec for spec in default_corpus()}
    planted = folder / "nghi-quyet-so-12-sai-the-thuc.docx"
    write_docx(dataclasses.replace(DocSpec(), number="12", number_line=PLANTED_NUMBER_LINE), planted)
    others = []
    for key in ("11-bb-bch", "05-kl-btv"):
        path = folder / f"{key}.docx"
        write_docx(corpus[key], path)
        others.append(path)
    return planted, others


def _drop_file(page: Any, path: Path) -> None:
    """Drop a file on the drop zone the way a browser does (a DataTransfer with a File)."""
    data = base64.b64encode(path.read_bytes()).decode()
    transfer = page.evaluate_handle(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name));
            return dt;
        }""",
        [path.name, data],
    )
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})


def _search_count(page: Any, q: str) -> int:
    """Search for ``q`` until the index has caught up with the uploads; returns the count shown."""
    deadline = time.monotonic() + 60
    while True:
        page.goto("/tim-kiem")
        page.get_by_label("Từ khóa, trích yếu hoặc số ký hiệu").fill(q)
        page.get_by_role("button", name="Tìm", exact=True).click()
        text = page.locator("#so-ket-qua").inner_text()
        count = int(re.search(r"Tìm thấy (\d+) văn bản", text).group(1))  # type: ignore[union-attr]
        if count >= 3 or time.monotonic() > deadline:
            return count
        time.sleep(1)


def test_an_archivist_files_a_meeting_and_reports_on_it(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    planted, others = _documents(tmp_path)

    # Log in.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dang-nhap"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_label("Tên đăng nhập")).to_be_focused()
    shot(page, "01-dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ hội nghị")
    page.keyboard.press("Tab")  # keyboard users first meet the skip link, which jumps to the content
    expect(page.locator(":focus")).to_have_text("Bỏ qua, đến nội dung chính")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Create a dossier.
    page.get_by_role("link", name="Tạo hồ sơ mới").click()
    page.get_by_label("Tiêu đề hồ sơ").fill("Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 12")
    page.get_by_label("Ban Thường vụ").check()
    page.get_by_label("Phiên họp (lần thứ)").fill("12")
    page.get_by_label("Ngày họp").fill("01/03/2024")  # ngày/tháng/năm, whatever the browser locale
    shot(page, "02-tao-ho-so")
    page.get_by_role("button", name="Tạo hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 12")
    dossier_id = int(page.url.rstrip("/").rsplit("/", 1)[1])

    # Upload: two files chosen, one dropped; wait for every check result.
    page.get_by_role("link", name="Tải văn bản lên").first.click()
    not_a_document = tmp_path / "ghi-chu.txt"
    not_a_document.write_text("Không phải văn bản", encoding="utf-8")
    fake_pdf = tmp_path / "gia-mao.pdf"
    fake_pdf.write_bytes(b"day khong phai PDF")
    page.locator("#file-input").set_input_files([str(p) for p in [*others, not_a_document, fake_pdf]])
    _drop_file(page, planted)
    expect(page.locator("#upload-summary")).to_contain_text("đã kiểm tra 3 tệp", timeout=CHECK_TIMEOUT_MS)
    expect(page.locator("#upload-summary")).to_contain_text("2 tệp không tải lên được")
    expect(page.locator("#upload-rows tr", has_text="ghi-chu.txt")).to_contain_text("Chỉ nhận tệp PDF hoặc DOCX")
    expect(page.locator("#upload-rows tr", has_text="gia-mao.pdf")).to_contain_text("không phải PDF hoặc DOCX")
    row = page.locator("#upload-rows tr", has_text=planted.name)
    expect(row).to_contain_text("Có lỗi")
    shot(page, "03-tai-len")

    # The planted error on its document page, marked on its line.
    row.get_by_role("link", name=f"Xem chi tiết {planted.name}").click()
    expect(page.locator(".findings")).to_contain_text("FMT-NUMBER-COLON")
    marked = page.locator("ol.preview li.marked.sev-error", has_text=PLANTED_NUMBER_LINE)
    expect(marked).to_have_count(1)
    expect(page.locator("table.fields")).to_contain_text("Số và ký hiệu")
    page.locator(".finding", has_text="FMT-NUMBER-COLON").get_by_role("link", name=re.compile("Xem dòng")).click()
    expect(page).to_have_url(re.compile(r"#dong-\d+$"))
    shot(page, "04-van-ban-loi")
    document_id = int(re.search(r"/van-ban/(\d+)", page.url).group(1))  # type: ignore[union-attr]

    # The dossier with its documents.
    page.get_by_role("navigation", name="Vị trí").get_by_role("link").nth(1).click()
    expect(page.locator("table.data").first).to_contain_text(planted.name)
    shot(page, "05-ho-so")

    # Search with and without diacritics.
    with_marks = _search_count(page, "tổ chức cơ sở đảng")
    shot(page, "06-tim-kiem-co-dau")
    without_marks = _search_count(page, "to chuc co so dang")
    shot(page, "07-tim-kiem-khong-dau")
    assert with_marks >= 1 and with_marks == without_marks
    expect(page.locator(".hit mark").first).to_be_visible()

    # The office report, and its PDF with the same counts.
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_label("Từ ngày").fill("01/01/2024")
    page.get_by_label("Đến ngày").fill("31/12/2024")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.locator("#bang-tong-hop")).to_be_visible()
    shot(page, "08-bao-cao")
    web_counts = {
        row.locator("th").inner_text(): row.locator("td").inner_text()
        for row in page.locator("#bang-tong-hop tbody tr").all()
    }
    rules = {
        row.locator("th code").inner_text(): row.locator("td").nth(1).inner_text()
        for row in page.locator("#bang-ma-loi tbody tr").all()
    }
    assert web_counts["Tổng số văn bản"] == "3" and int(web_counts["Tổng số lỗi"]) >= 1
    assert "FMT-NUMBER-COLON" in rules
    with page.expect_download() as download_info:
        page.locator("#tai-pdf").click()
    pdf_path = tmp_path / "bao-cao.pdf"
    download_info.value.save_as(pdf_path)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for label, value in web_counts.items():
        assert re.search(rf"{re.escape(label)}\s+{value}\b", text), label
    for code, count in rules.items():
        assert re.search(rf"\({re.escape(code)}\)\s+\S+(?: \S+)?\s+{count}\b", text), code
    _pdf_page_png(pdf_path, SCREENSHOTS / "09-bao-cao-pdf")

    # The dossier's and the document's own reports.
    page.goto(f"/bao-cao/ho-so/{dossier_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo kiểm tra hồ sơ hội nghị")
    shot(page, "10-bao-cao-ho-so")
    page.goto(f"/bao-cao/van-ban/{document_id}")
    expect(page.locator("#bang-ma-loi")).to_contain_text("FMT-NUMBER-COLON")
    shot(page, "11-bao-cao-van-ban")
    page.get_by_role("link", name="Hồ sơ", exact=True).click()
    expect(page.locator("table.data")).to_contain_text("Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 12")
    shot(page, "12-danh-sach-ho-so")


def _pdf_page_png(pdf: Path, out_stem: Path) -> None:
    """The PDF's first page as PNG for a person to look at (pdftoppm, when installed)."""
    import subprocess

    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(pdf), str(out_stem)],
            check=True,
            timeout=60,
        )


def _log_in(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ hội nghị")


@pytest.mark.workers(0)
def test_a_document_page_shows_the_check_result_by_itself_when_it_arrives(
    page: Any, live_app: LiveApp, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    _log_in(page)
    page.get_by_role("link", name="Tạo hồ sơ mới").click()
    page.get_by_label("Tiêu đề hồ sơ").fill("Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 13")
    page.get_by_label("Ban Thường vụ").check()
    page.get_by_role("button", name="Tạo hồ sơ").click()
    page.get_by_role("link", name="Tải văn bản lên").first.click()
    planted, _ = _documents(tmp_path)
    page.locator("#file-input").set_input_files([str(planted)])
    expect(page.locator("#upload-summary")).to_contain_text("Đã tải lên 1/1 tệp; đã kiểm tra 0 tệp")

    # No worker runs: the page opens on a document still waiting, and says it will update itself.
    page.get_by_role("navigation", name="Vị trí").get_by_role("link").nth(1).click()
    page.get_by_role("link", name=planted.name).click()
    notice = page.get_by_role("status").filter(has_text="trang sẽ tự cập nhật")
    expect(notice).to_be_visible()
    expect(page.locator(".findings")).to_have_count(0)
    shot(page, "13-van-ban-dang-cho")

    assert run_pending_jobs(live_app.services) >= 1  # the worker's part, done here while the page waits
    expect(page.locator(".findings")).to_contain_text("FMT-NUMBER-COLON", timeout=CHECK_TIMEOUT_MS)
    expect(notice).to_have_count(0)
    shot(page, "14-van-ban-tu-cap-nhat")


def test_a_duplicate_number_shows_on_both_rows_and_on_the_document_page_linked(tmp_path: Path) -> None:
    """Issue 14 item 3: the dossier agrees with its documents (embedded backends: no external service)."""
    from datetime import date

    import httpx
    from playwright.sync_api import expect

    from tests.web.helpers import correct_docx

    first = correct_docx(tmp_path, "nq-125-ngay-05.docx")
    second = correct_docx(tmp_path, "nq-125-ngay-06.docx", issued_on=date(2024, 3, 6))
    with _serve(make_settings("embedded", tmp_path, workers=0)) as live:
        filer = add_user(live.services, "vanthu-api", Role.ARCHIVIST, "VPTU")
        with httpx.Client(base_url=live.url, headers=filer.headers, timeout=60) as api:
            created = api.post(
                "/api/v1/dossiers",
                json={
                    "title": "Hội nghị Ban Thường vụ lần thứ 14",
                    "meeting_body": "BTV",
                    "meeting_date": "2024-03-01",
                },
            )
            assert created.status_code == 201, created.text
            dossier_id = created.json()["id"]
            files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in (first, second)]
            uploaded = api.post(f"/api/v1/dossiers/{dossier_id}/documents", files=files)
            assert uploaded.status_code == 201, uploaded.text
        while run_pending_jobs(live.services):  # the workers' part: read, check, then check the dossier
            pass
        with chromium() as browser:
            tab = new_tab(browser, live.url)
            _log_in(tab)
            tab.goto(f"/ho-so/{dossier_id}")
            rows = {p.name: tab.locator("tbody tr", has_text=p.name) for p in (first, second)}
            for row in rows.values():
                expect(row).to_contain_text("1 lỗi hồ sơ")
                expect(row).not_to_contain_text("Đạt,")
            shot(tab, "30-ho-so-trung-so")

            # The row's count leads to its group, whose heading leads to the document page.
            rows[first.name].get_by_role("link", name="1 lỗi hồ sơ").click()
            group = tab.locator(".finding-group:target")  # the group the row's link points to
            expect(group.get_by_role("heading")).to_contain_text(first.name)
            expect(group).to_contain_text("DOS-DUPLICATE-NUMBER")
            expect(group.get_by_role("link", name=second.name)).to_be_visible()
            group.get_by_role("heading").get_by_role("link", name=first.name).click()

            section = tab.locator("section", has=tab.get_by_role("heading", name=re.compile("Phát hiện về hồ sơ")))
            expect(section).to_contain_text("DOS-DUPLICATE-NUMBER")
            shot(tab, "31-van-ban-loi-ho-so")
            section.get_by_role("link", name=second.name).click()
            expect(tab.get_by_role("heading", level=1)).to_contain_text(second.name)
            section = tab.locator("section", has=tab.get_by_role("heading", name=re.compile("Phát hiện về hồ sơ")))
            expect(section.get_by_role("link", name=first.name)).to_be_visible()
            section.get_by_role("link", name=re.compile("Hội nghị Ban Thường vụ lần thứ 14")).click()
            expect(tab).to_have_url(re.compile(rf"/ho-so/{dossier_id}#ho-so-van-ban-\d+$"))
