"""The upload page in a real browser (Debian's Chromium through Playwright) over the embedded backends.

A refused file turns red instead of showing a full bar, and can be removed; a duplicate says where it is and
is linked into the dossier with one click; a new version that reads as another document is stored only after
the archivist confirms the warning; when the session expires the files not sent stay listed and go up once
the archivist has logged in again in another tab; the page ends with a summary and a link back to the dossier.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import chromium, new_tab
from tests.conftest import make_settings
from tests.samples import tiny_pdf
from tests.web.conftest import PASSWORD
from tests.web.helpers import correct_docx
from tests.web.test_browser import LiveApp, _serve, shot

pytestmark = pytest.mark.slow

CHECK_TIMEOUT_MS = 120_000


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveApp]:
    """The app on SQLite, a folder and FTS5 (no external service), with one background worker."""
    with _serve(make_settings("embedded", tmp_path, workers=1)) as app:
        yield app


@pytest.fixture
def browser_context(live: LiveApp) -> Iterator[Any]:
    with chromium() as browser:
        yield new_tab(browser, live.url).context


def _log_in(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Đăng nhập")


def _new_dossier(page: Any, title: str) -> int:
    page.goto("/ho-so/moi")
    page.get_by_label("Tiêu đề hồ sơ").fill(title)
    page.get_by_label("Ban Thường vụ").check()
    page.get_by_role("button", name="Tạo hồ sơ").click()
    page.wait_for_url(re.compile(r"/ho-so/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _row(page: Any, name: str) -> Any:
    return page.locator("#upload-rows tr", has_text=name)


def test_a_refused_file_turns_red_can_be_removed_and_the_page_ends_with_a_summary_and_a_way_back(
    browser_context: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_context.new_page()
    _log_in(page)
    dossier = _new_dossier(page, "Hội nghị Ban Thường vụ lần thứ 20")
    page.goto(f"/ho-so/{dossier}/tai-len")
    good = correct_docx(tmp_path, "nghi-quyet.docx")
    fake = tmp_path / "gia-mao.pdf"
    fake.write_bytes(b"day khong phai PDF")
    note = tmp_path / "ghi-chu.txt"
    note.write_text("không phải văn bản", encoding="utf-8")
    page.locator("#file-input").set_input_files([str(good), str(fake), str(note)])

    refused = _row(page, "gia-mao.pdf")
    expect(refused).to_have_class("upload-refused")
    expect(refused.locator("progress")).to_be_hidden()  # no full blue bar for a file the server refused
    expect(refused).to_contain_text("Bị từ chối")
    expect(refused).to_contain_text("không phải PDF hoặc DOCX")
    expect(refused.get_by_role("button", name="Thử lại gia-mao.pdf")).to_have_count(0)  # retrying cannot help
    expect(_row(page, "ghi-chu.txt")).to_have_class("upload-refused")
    assert page.evaluate("getComputedStyle(document.querySelector('tr.upload-refused')).backgroundColor") == (
        "rgb(253, 236, 234)"
    )

    done = page.locator("#upload-done")
    expect(done).to_be_visible(timeout=CHECK_TIMEOUT_MS)
    expect(done).to_contain_text("1 tệp mới được lưu và kiểm tra")
    expect(done).to_contain_text("2 tệp không tải lên được")
    shot(page, "15-tai-len-tom-tat")
    _row(page, "ghi-chu.txt").get_by_role("button", name="Bỏ ghi-chu.txt").click()
    expect(_row(page, "ghi-chu.txt")).to_have_count(0)
    expect(page.locator("#upload-summary")).to_contain_text("Đã tải lên 1/2 tệp; đã kiểm tra 1 tệp; 1 tệp không")
    expect(done).to_contain_text("1 tệp không tải lên được")
    done.get_by_role("link", name="Về hồ sơ «Hội nghị Ban Thường vụ lần thứ 20»").click()
    expect(page).to_have_url(re.compile(rf"/ho-so/{dossier}$"))
    expect(page.locator("table.data").first).to_contain_text("nghi-quyet.docx")


def test_a_file_already_in_another_dossier_says_where_and_is_linked_here_with_one_click(
    browser_context: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_context.new_page()
    _log_in(page)
    first = _new_dossier(page, "Hội nghị Ban Thường vụ lần thứ 21")
    second = _new_dossier(page, "Hội nghị Ban Thường vụ lần thứ 22")
    pdf = tmp_path / "ket-luan.pdf"
    pdf.write_bytes(tiny_pdf("Ket luan hoi nghi"))
    page.goto(f"/ho-so/{first}/tai-len")
    page.locator("#file-input").set_input_files([str(pdf)])
    expect(page.locator("#upload-done")).to_be_visible(timeout=CHECK_TIMEOUT_MS)

    page.goto(f"/ho-so/{second}/tai-len")
    page.locator("#file-input").set_input_files([str(pdf)])
    row = _row(page, "ket-luan.pdf")
    expect(row).to_contain_text("Đã có trong kho, thuộc hồ sơ «Hội nghị Ban Thường vụ lần thứ 21»")
    expect(row.get_by_role("link", name="xem văn bản")).to_have_attribute("href", re.compile(r"^/van-ban/\d+$"))
    row.get_by_role("button", name="Đưa vào hồ sơ này ket-luan.pdf").click()
    expect(row).to_contain_text("Đã đưa vào hồ sơ này (cùng bản gốc, không sao chép); hồ sơ nay có 1 văn bản.")
    shot(page, "16-tai-len-trung")
    page.goto(f"/ho-so/{second}")
    expect(page.locator("table.data").first).to_contain_text("ket-luan.pdf")


def test_a_new_version_that_reads_as_another_document_is_stored_only_after_the_warning_is_confirmed(
    browser_context: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_context.new_page()
    _log_in(page)
    dossier = _new_dossier(page, "Hội nghị Ban Thường vụ lần thứ 23")
    page.goto(f"/ho-so/{dossier}/tai-len")
    page.locator("#file-input").set_input_files([str(correct_docx(tmp_path, "nghi-quyet-125.docx"))])
    row = _row(page, "nghi-quyet-125.docx")
    expect(row).to_have_class("upload-checked", timeout=CHECK_TIMEOUT_MS)
    row.get_by_role("link", name="Xem chi tiết nghi-quyet-125.docx").click()
    old_url = page.url
    page.get_by_role("link", name="Tải lên bản đã sửa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tải lên bản đã sửa")

    other = correct_docx(tmp_path, "quyet-dinh-130.docx", number="130", type_code="QĐ", document_type="QUYẾT ĐỊNH")
    page.locator("#file-input").set_input_files([str(other)])
    row = _row(page, "quyet-dinh-130.docx")
    expect(row).to_have_class("upload-confirm", timeout=CHECK_TIMEOUT_MS)
    warning = row.get_by_role("alert")
    expect(warning).to_contain_text("có vẻ là một văn bản khác")
    expect(warning).to_contain_text("số: 125 → 130")
    expect(page.locator("#upload-done")).to_be_hidden()
    shot(page, "17-ban-sua-canh-bao")
    row.get_by_role("button", name="Vẫn tải lên quyet-dinh-130.docx").click()
    expect(row).to_have_class("upload-checked", timeout=CHECK_TIMEOUT_MS)

    page.goto(old_url)
    banner = page.locator(".notice.superseded")
    expect(banner).to_contain_text("Đã thay thế")
    banner.get_by_role("link", name="quyet-dinh-130.docx").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("quyet-dinh-130.docx")
    page.goto(f"/ho-so/{dossier}")
    expect(page.locator("tr", has_text="nghi-quyet-125.docx")).to_contain_text("Đã thay thế")


def test_files_chosen_when_the_session_has_expired_stay_listed_and_go_up_after_logging_in_again(
    browser_context: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser_context.new_page()
    _log_in(page)
    dossier = _new_dossier(page, "Hội nghị Ban Thường vụ lần thứ 24")
    page.goto(f"/ho-so/{dossier}/tai-len")
    browser_context.clear_cookies()  # the session ends (expired, or logged out elsewhere)
    files = [correct_docx(tmp_path, "bien-ban.docx", number="7"), correct_docx(tmp_path, "ket-luan.docx", number="8")]
    page.locator("#file-input").set_input_files([str(p) for p in files])

    banner = page.locator("#session-expired")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("bien-ban.docx")
    expect(banner).to_contain_text("ket-luan.docx")
    for path in files:
        expect(_row(page, path.name)).to_contain_text("Chưa gửi (phiên đăng nhập đã hết hạn)")
    expect(page.locator("#upload-summary")).to_contain_text("2 tệp chưa gửi")
    shot(page, "18-tai-len-het-phien")

    page.get_by_role("button", name="Gửi các tệp chưa gửi").click()  # not logged in yet: the files stay
    expect(page.locator("#resend-help")).to_be_visible()
    with browser_context.expect_page() as opened:
        banner.get_by_role("link", name="Đăng nhập lại (mở thẻ mới)").click()
    login = opened.value
    login.get_by_label("Tên đăng nhập").fill("vanthu")
    login.get_by_label("Mật khẩu").fill(PASSWORD)
    login.get_by_role("button", name="Đăng nhập").click()
    expect(login).to_have_url(re.compile(rf"/ho-so/{dossier}$"))
    login.close()

    page.get_by_role("button", name="Gửi các tệp chưa gửi").click()
    expect(banner).to_be_hidden()
    expect(page.locator("#upload-done")).to_be_visible(timeout=CHECK_TIMEOUT_MS)
    expect(page.locator("#upload-summary")).to_contain_text("Đã tải lên 2/2 tệp; đã kiểm tra 2 tệp.")


def test_files_chosen_before_the_page_script_has_run_are_sent_all_the_same(
    browser_context: Any, tmp_path: Path
) -> None:
    """A slow page: the file box is on screen before upload.js has run (a loaded server, a slow line).

    The script is held back until a file has been chosen; once it runs it sends that file. Before this was
    handled the page said "Chưa có tệp nào." for ever (the change event had fired with nobody listening).
    """
    from playwright.sync_api import expect

    page = browser_context.new_page()
    _log_in(page)
    dossier = _new_dossier(page, "Hội nghị Ban Thường vụ lần thứ 25")
    held: list[Any] = []
    page.route("**/static/upload.js", lambda route: held.append(route))
    page.goto(f"/ho-so/{dossier}/tai-len", wait_until="commit")
    page.locator("#file-input").set_input_files([str(correct_docx(tmp_path, "thong-bao.docx", number="9"))])
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page never asked for upload.js"
    assert page.evaluate("document.getElementById('file-input').files.length") == 1
    held[0].continue_()
    expect(page.locator("#upload-done")).to_be_visible(timeout=CHECK_TIMEOUT_MS)
    expect(page.locator("#upload-summary")).to_contain_text("Đã tải lên 1/1 tệp; đã kiểm tra 1 tệp.")
