"""No answer but /static is ever cached (originals, reports, errors); production adds HSTS and Secure cookies."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from archive_service.config import get_settings
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness, build_harness
from tests.samples import tiny_docx
from tests.web.conftest import PASSWORD, csrf_of, set_password

HSTS = "max-age=31536000; includeSubDomains"


def _document(h: Harness) -> tuple[int, int]:
    dossier = h.new_dossier()
    files = [("files", ("bien-ban.docx", tiny_docx(), "application/octet-stream"))]
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    run_pending_jobs(h.services)
    return dossier, int(response.json()["items"][0]["document"]["id"])


_EXPECTED_STATUS = {
    "api json": 200,
    "original": 200,
    "report json": 200,
    "report csv": 200,
    "search": 200,
    "api 404": 404,
    "api 401": 401,
    "api 422": 422,
    "login page": 200,
    "page redirect": 303,
    "page 404": 404,
    "health": 200,
}


def _answers(h: Harness) -> dict[str, httpx.Response]:
    """One answer of each kind a secret can leave by (JSON, an original, reports, errors, pages), as expected."""
    dossier, document = _document(h)
    get = h.client.get
    auth = h.archivist.headers
    answers = {
        "api json": get(f"/api/v1/dossiers/{dossier}", headers=auth),
        "original": get(f"/api/v1/documents/{document}/content", headers=auth),
        "report json": get(f"/api/v1/reports/documents/{document}", headers=auth),
        "report csv": get(f"/api/v1/reports/dossiers/{dossier}", params={"format": "csv"}, headers=auth),
        "search": get("/api/v1/search", params={"q": "biên bản"}, headers=auth),
        "api 404": get("/api/v1/documents/999999", headers=auth),
        "api 401": get("/api/v1/dossiers"),
        "api 422": get("/api/v1/reports/offices", params={"format": "docx"}, headers=auth),
        "login page": get("/dang-nhap"),
        "page redirect": get("/ho-so", follow_redirects=False),
        "page 404": get("/khong-co-trang-nay"),
        "health": get("/healthz"),
    }
    assert {kind: r.status_code for kind, r in answers.items()} == _EXPECTED_STATUS
    return answers


def test_every_answer_outside_static_is_marked_no_store(dev: Harness) -> None:
    for kind, response in _answers(dev).items():
        assert response.headers.get("cache-control") == "no-store", kind


def test_static_assets_may_be_cached(dev: Harness) -> None:
    response = dev.client.get("/static/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")


def test_development_sends_no_hsts_and_plain_cookies(dev: Harness) -> None:
    assert "strict-transport-security" not in dev.client.get("/healthz").headers
    assert "strict-transport-security" not in dev.client.get("/dang-nhap").headers
    cookie = _login_cookie(dev, base_url="http://testserver")
    assert cookie.startswith("archive_session=") and "secure" not in cookie.lower()


def test_production_sends_hsts_on_every_answer(prod: Harness) -> None:
    for kind, response in _answers(prod).items():
        assert response.headers.get("strict-transport-security") == HSTS, kind
    assert prod.client.get("/static/app.css").headers.get("strict-transport-security") == HSTS


@pytest.mark.parametrize("environment", ["Production", " PRODUCTION "])
def test_production_written_any_way_gives_secure_host_cookies_and_hsts(
    environment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_ENVIRONMENT", environment)
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ARCHIVE_WORKERS", "0")
    get_settings.cache_clear()
    try:
        for h in build_harness(get_settings()):
            cookie = _login_cookie(h, base_url="https://testserver")
            assert cookie.startswith("__Host-archive_session=")
            assert "; secure" in cookie.lower() and "path=/" in cookie.lower()
            assert h.client.get("/healthz").headers.get("strict-transport-security") == HSTS
    finally:
        get_settings.cache_clear()


def _login_cookie(h: Harness, *, base_url: str) -> str:
    """The Set-Cookie header of the session a successful login opens."""
    set_password(h.services, "vanthu")
    client = TestClient(h.client.app, base_url=base_url)
    page = client.get("/dang-nhap")
    response = client.post(
        "/dang-nhap",
        data={"username": "vanthu", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    (cookie,) = [c for c in response.headers.get_list("set-cookie") if "archive_session=" in c]
    return cookie
