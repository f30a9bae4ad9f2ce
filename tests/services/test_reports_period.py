"""A report period is checked once: the web page and the API refuse a bad one with the same code and status."""

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
        set_password(harness.services, "doc")
        yield harness


def _reader_page(h: Harness) -> TestClient:
    client = TestClient(h.client.app)
    form = client.get("/dang-nhap")
    data = {"username": "doc", "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    assert client.post("/dang-nhap", data=data, follow_redirects=False).status_code == 303
    return client


def test_a_period_that_ends_before_it_starts_is_the_same_refusal_on_the_page_and_in_the_api(site: Harness) -> None:
    api = site.client.get(
        "/api/v1/reports/offices", params={"from": "2024-12-31", "to": "2024-01-01"}, headers=site.reader.headers
    )
    browser = _reader_page(site)
    pages = [
        browser.get(url, params={"tu_ngay": "31/12/2024", "den_ngay": "01/01/2024"})
        for url in ("/bao-cao", "/bao-cao/don-vi.csv", "/bao-cao/don-vi/bieu-do-ma-loi.svg")
    ]
    assert api.status_code == 422 and api.json()["error"]["code"] == "REPORT-BAD-PERIOD"
    for page in pages:
        assert page.status_code == api.status_code
        assert "REPORT-BAD-PERIOD" in page.text and "Ngày bắt đầu phải trước ngày kết thúc." in page.text


def test_a_date_that_is_no_date_is_refused_with_the_status_the_api_uses(site: Harness) -> None:
    api = site.client.get("/api/v1/reports/offices", params={"from": "2024-02-31"}, headers=site.reader.headers)
    page = _reader_page(site).get("/bao-cao", params={"tu_ngay": "31/02/2024"})
    assert api.status_code == page.status_code == 422
    assert "REPORT-BAD-DATE" in page.text and "ngày/tháng/năm" in page.text


def test_a_report_for_a_good_period_is_still_a_file_with_its_name(site: Harness) -> None:
    api = site.client.get(
        "/api/v1/reports/offices",
        params={"from": "2024-01-01", "to": "2024-12-31", "format": "csv"},
        headers=site.reader.headers,
    )
    page = _reader_page(site).get("/bao-cao/don-vi.csv", params={"tu_ngay": "01/01/2024", "den_ngay": "31/12/2024"})
    for response in (api, page):
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert response.headers["content-disposition"].startswith('attachment; filename="bao-cao-')
