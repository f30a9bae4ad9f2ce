"""The search page's filters in a real browser (Debian's Chromium through Playwright) over the real backends.

An archivist files two documents of different years, narrows the search to a period typed ngày/tháng/năm,
orders it by upload date, saves it under a name, opens it again from the saved list, and downloads the
results as CSV. A mistyped date is explained beside the form, not answered with an error page.
"""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.web.helpers import correct_docx
from tests.web.test_browser import CHECK_TIMEOUT_MS, _log_in, live_app, page, shot  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow

OLD = "bao-cao-2023.docx"
NEW = "nghi-quyet-2024.docx"


def _count(tab: Any) -> int:
    text = tab.locator("#so-ket-qua").inner_text()
    return int(re.search(r"Tìm thấy (\d+) văn bản", text).group(1))  # type: ignore[union-attr]


def _until_indexed(tab: Any, want: int) -> None:
    """Search for "đảng" until the index has caught up with both uploads."""
    deadline = time.monotonic() + 60
    while True:
        tab.goto("/tim-kiem?q=%C4%91%E1%BA%A3ng")
        if _count(tab) >= want or time.monotonic() > deadline:
            return
        time.sleep(1)


def test_an_archivist_narrows_orders_saves_and_exports_a_search(page: Any, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    old = correct_docx(
        tmp_path,
        OLD,
        number="30",
        type_code="BC",
        document_type="BÁO CÁO",
        issued_on=date(2023, 6, 1),
        summary="về kết quả công tác xây dựng tổ chức cơ sở đảng năm 2023",
    )
    new = correct_docx(tmp_path, NEW)
    _log_in(page)
    page.get_by_role("link", name="Tạo hồ sơ mới").click()
    page.get_by_label("Tiêu đề hồ sơ").fill("Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 14")
    page.get_by_label("Ban Thường vụ").check()
    page.get_by_role("button", name="Tạo hồ sơ").click()
    page.get_by_role("link", name="Tải văn bản lên").first.click()
    page.locator("#file-input").set_input_files([str(old)])
    expect(page.locator("#upload-summary")).to_contain_text("đã kiểm tra 1 tệp", timeout=CHECK_TIMEOUT_MS)
    page.locator("#file-input").set_input_files([str(new)])
    expect(page.locator("#upload-summary")).to_contain_text("đã kiểm tra 1 tệp", timeout=CHECK_TIMEOUT_MS)
    _until_indexed(page, 2)
    assert _count(page) == 2

    # A period typed ngày/tháng/năm.
    page.get_by_label("Ban hành từ ngày").fill("01/01/2024")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator("#so-ket-qua")).to_contain_text("Tìm thấy 1 văn bản")
    expect(page.locator(".hit")).to_contain_text(NEW)
    expect(page.get_by_label("Ban hành từ ngày")).to_have_value("01/01/2024")
    shot(page, "20-tim-kiem-khoang-ngay")

    # A mistyped date: said beside the form; the search still answers without it.
    page.get_by_label("Ban hành từ ngày").fill("31/02/2024")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator("#loi-ngay")).to_contain_text("Ngày không hợp lệ")
    expect(page.locator("#so-ket-qua")).to_contain_text("Tìm thấy 2 văn bản")

    # Newest upload first, then oldest upload first.
    page.get_by_label("Ban hành từ ngày").fill("")
    page.get_by_label("Sắp xếp").select_option(label="Ngày tải lên: mới trước")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator(".hit").first).to_contain_text(NEW)
    page.get_by_label("Sắp xếp").select_option(label="Ngày tải lên: cũ trước")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator(".hit").first).to_contain_text(OLD)

    # Save the 2024 search, open it again from the saved list.
    page.get_by_label("Ban hành từ ngày").fill("01/01/2024")
    page.get_by_role("button", name="Áp dụng").click()
    page.get_by_label("Tên tìm kiếm").fill("Văn bản từ đầu năm 2024")
    page.get_by_role("button", name="Lưu tìm kiếm").click()
    saved = page.get_by_role("region", name="Tìm kiếm đã lưu")
    expect(saved.get_by_role("link", name="Văn bản từ đầu năm 2024")).to_be_visible()
    page.goto("/tim-kiem")
    page.get_by_role("link", name="Văn bản từ đầu năm 2024").click()
    expect(page.locator("#so-ket-qua")).to_contain_text("Tìm thấy 1 văn bản")
    shot(page, "21-tim-kiem-da-luu")

    # The results as CSV: the rows the page shows.
    with page.expect_download() as download_info:
        page.locator("#tai-csv-ket-qua").click()
    download = download_info.value
    assert download.suggested_filename == "ket-qua-tim-kiem.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 and NEW in rows[1]

    # Forget the saved search.
    page.get_by_role("button", name="Xóa tìm kiếm đã lưu Văn bản từ đầu năm 2024").click()
    expect(page.get_by_role("region", name="Tìm kiếm đã lưu")).to_have_count(0)
