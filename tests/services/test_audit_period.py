"""The audit trail's period is checked once: the web page and the API refuse a backwards one alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Harness, build_harness, make_settings
from tests.web.conftest import PASSWORD, csrf_of, set_password


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Harness]:
    for harness in build_harness(make_settings("embedded", tmp_path)):
        set_password(harness.services, "admin")
        yield harness


def _admin_page(h: Harness) -> TestClient:
    client = TestClient(h.client.app)
    form = client.get("/dang-nhap")
    data = {"username": "admin", "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    assert client.post("/dang-nhap", data=data, follow_redirects=False).status_code == 303
    return client


def test_a_backwards_audit_period_is_the_same_refusal_on_the_page_and_in_the_api(site: Harness) -> None:
    api = site.client.get(
        "/api/v1/audit", params={"from": "2024-02-01", "to": "2024-01-01"}, headers=site.admin.headers
    )
    browser = _admin_page(site)
    pages = [
        browser.get(url, params={"tu_ngay": "01/02/2024", "den_ngay": "01/01/2024"})
        for url in ("/nhat-ky", "/nhat-ky.csv")
    ]
    assert api.status_code == 422 and api.json()["error"]["code"] == "AUDIT-BAD-PERIOD"
    for page in pages:
        assert page.status_code == 422 and "AUDIT-BAD-PERIOD" in page.text


def test_an_unreadable_audit_date_is_refused_with_the_status_the_api_uses(site: Harness) -> None:
    api = site.client.get("/api/v1/audit", params={"from": "2024-02-31"}, headers=site.admin.headers)
    page = _admin_page(site).get("/nhat-ky", params={"tu_ngay": "31/02/2024"})
    assert api.status_code == page.status_code == 422
    assert "AUDIT-BAD-DATE" in page.text and "ngày/tháng/năm" in page.text


def test_the_trail_as_csv_is_the_same_file_from_the_page_and_the_api(site: Harness) -> None:
    api = site.client.get("/api/v1/audit", params={"format": "csv"}, headers=site.admin.headers)
    page = _admin_page(site).get("/nhat-ky.csv")
    for response in (api, page):
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert "nhat-ky-truy-cap.csv" in response.headers["content-disposition"]
        assert response.content.startswith("\ufeffMã sự kiện".encode())
