"""/docs in a real browser (Debian's Chromium through Playwright): the operations render, the CSP is kept.

The app runs over the embedded backends, so this runs without the real services; the browser may
reach only the app, so a CDN reference would fail the page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from archive_service.app import create_app
from archive_service.services import open_services
from tests.backends import free_port
from tests.chromium import chromium, new_tab
from tests.conftest import make_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """The app (development: the docs are open) served by uvicorn on a free loopback port."""
    settings = make_settings("embedded", tmp_path)
    services = open_services(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, services=services), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="uvicorn-docs-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        services.close()


@pytest.fixture
def browser_page(app_url: str) -> Iterator[Any]:
    with chromium() as browser:
        yield new_tab(browser, app_url)


def test_the_docs_render_the_operations_with_no_csp_violation_and_no_outside_request(
    browser_page: Any, app_url: str
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    console: list[str] = []
    page_errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))

    def only_the_app(route: Any) -> None:
        if route.request.url.startswith(app_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_app)

    page.goto("/docs")
    expect(page.get_by_text("/api/v1/dossiers", exact=True).first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary").first.click()  # an operation opens (the bundle's scripts run)
    expect(page.locator(".opblock-body").first).to_be_visible()

    assert outside == []
    assert page_errors == []
    violations = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
    assert violations == [], violations
    assert [m for m in console if m.startswith("error")] == []
