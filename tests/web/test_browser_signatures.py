"""The signature panel in a real browser (Debian's Chromium through Playwright), embedded backends: a real
signed PDF uploaded on the upload page shows, on its document page, each signature's signer, time and integrity
(the "done when" of issue 16), and the dossier's table says its signatures hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import make_settings
from tests.corpus.session import skip_unless
from tests.realdocs.labels import REAL_DOCS

SIGNED = REAL_DOCS / "05.signed.pdf"


@pytest.mark.slow
def test_a_real_signed_pdf_shows_its_signer_time_and_integrity_on_its_page(tmp_path: Path) -> None:
    skip_unless(SIGNED.is_file(), f"no real signed PDF at {SIGNED}")
    from playwright.sync_api import expect

    from tests.chromium import chromium, new_tab
    from tests.web.test_browser import _serve, shot
    from tests.web.test_browser_upload import CHECK_TIMEOUT_MS, _log_in, _new_dossier, _row

    with _serve(make_settings("embedded", tmp_path, workers=1)) as live, chromium() as browser:
        page = new_tab(browser, live.url).context.new_page()
        _log_in(page)
        dossier = _new_dossier(page, "Hồ sơ văn bản Ủy ban nhân dân tỉnh gửi Ban Thường vụ")
        page.goto(f"/ho-so/{dossier}/tai-len")
        page.locator("#file-input").set_input_files([str(SIGNED)])
        expect(_row(page, SIGNED.name)).to_have_class("upload-checked", timeout=CHECK_TIMEOUT_MS)
        page.goto(f"/ho-so/{dossier}")
        row = page.locator("#bang-van-ban tbody tr", has_text=SIGNED.name)
        expect(row).to_contain_text("Hợp lệ")
        row.get_by_role("link", name=re.compile(re.escape(SIGNED.name))).click()
        panel = page.get_by_role("region", name=re.compile("Chữ ký số"))
        expect(panel).to_be_visible()
        expect(panel).to_contain_text("Chữ ký số hợp lệ")
        expect(panel).to_contain_text("Nguyễn Phước Bình")
        expect(panel).to_contain_text("08/01/2025 17:31")
        expect(panel).to_contain_text("Nguyên vẹn, chữ ký đúng")
        expect(panel).to_contain_text("Ủy ban nhân dân tỉnh Quảng Ngãi")
        panel.scroll_into_view_if_needed()
        shot(page, "chu-ky-so")
