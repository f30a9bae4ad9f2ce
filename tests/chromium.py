"""Debian's Chromium under Playwright, the one way every browser test starts it.

Headless, no sandbox (the tests run as root in CI), no network of its own (no updates, sync or QUIC): the
pages reach only the loopback app. A test is skipped, saying what to install, where Playwright or Chromium
is missing — CI installs both (scripts/install-deps), so there they always run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from tests.corpus.session import skip_unless

CHROMIUM: Final = "/usr/bin/chromium"
CHROMIUM_ARGS: Final = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS: Final = 30_000


@contextmanager
def chromium() -> Iterator[Any]:
    """A running headless Chromium (a Playwright ``Browser``), closed with everything it opened."""
    missing = None
    try:
        from playwright import sync_api
    except ImportError:
        missing = "pip install playwright (Python package)"
    if shutil.which(CHROMIUM) is None:
        missing = "apt-get install -y chromium (Debian's Chromium)"
    skip_unless(missing is None, f"browser tests need: {missing}")
    # ``expect`` waits 5 s unless told: a loaded CI machine took longer to draw the API docs. Every wait of a
    # browser test has the same bound as its page's actions (a passing test waits no longer for it).
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_tab(browser: Any, base_url: str, *, width: int = 1280, height: int = 900, downloads: bool = False) -> Any:
    """A fresh tab (its own cookies) on ``base_url``, Vietnamese locale, ``width`` × ``height`` px."""
    context = browser.new_context(
        base_url=base_url,
        locale="vi-VN",
        viewport={"width": width, "height": height},
        accept_downloads=downloads,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()
