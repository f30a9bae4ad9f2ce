"""Who may read /metrics: with ARCHIVE_METRICS_TOKEN set, whoever sends it (401 otherwise); without it, only this
machine's own sockets, never a request a proxy relayed (403). Refusals are the API's JSON error; no scrape is
audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive_service.app import create_app
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent
from archive_service.services import Services, open_services
from tests.conftest import make_settings

TOKEN = "tok-metrics-9f2c41d7e0"  # noqa: S105 - a test value


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[FastAPI]:
    settings = make_settings("embedded", tmp_path, metrics_token=TOKEN)
    services = open_services(settings)
    yield create_app(settings, services=services)
    services.close()


def _error(response: object) -> tuple[int, str]:
    status = int(response.status_code)  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body["error"]) == {"code", "label", "message"}, body
    return status, str(body["error"]["code"])


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "AUTH-REQUIRED"),
        ("Bearer", "AUTH-REQUIRED"),
        (f"Basic {TOKEN}", "AUTH-REQUIRED"),
        ("Bearer tok-metrics-wrong", "AUTH-INVALID-TOKEN"),
        (f"Bearer {TOKEN}x", "AUTH-INVALID-TOKEN"),
    ],
)
def test_with_a_token_set_a_scrape_without_it_is_401(guarded: FastAPI, authorization: str | None, code: str) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for peer in (("127.0.0.1", 50000), ("10.20.30.40", 50000)):  # the machine itself needs it too
        response = TestClient(guarded, client=peer).get("/metrics", headers=headers)
        assert _error(response) == (401, code)
        assert response.headers["www-authenticate"] == "Bearer"
        assert TOKEN not in response.text and "archive_http" not in response.text


def test_with_a_token_set_the_right_token_reads_from_anywhere(guarded: FastAPI) -> None:
    response = TestClient(guarded, client=("10.20.30.40", 50000)).get(
        "/metrics", headers={"Authorization": f"bearer {TOKEN}", "X-Forwarded-For": "203.0.113.9"}
    )
    assert response.status_code == 200, response.text
    assert "archive_jobs_backlog" in response.text and TOKEN not in response.text


@pytest.mark.parametrize("peer", ["127.0.0.1", "127.0.0.53", "::1", "::ffff:127.0.0.1"])
def test_without_a_token_this_machine_reads(app: FastAPI, peer: str) -> None:
    response = TestClient(app, client=(peer, 50000)).get("/metrics")
    assert response.status_code == 200, response.text
    assert "archive_http_requests_total" in response.text


@pytest.mark.parametrize("peer", ["testclient", "10.0.0.7", "192.168.1.20", "2001:db8::1", "::ffff:10.0.0.7", ""])
def test_without_a_token_any_other_peer_is_403(app: FastAPI, peer: str) -> None:
    response = TestClient(app, client=(peer, 50000)).get("/metrics")
    assert _error(response) == (403, "AUTH-FORBIDDEN")
    assert "archive_http" not in response.text


@pytest.mark.parametrize("header", ["X-Forwarded-For", "X-Real-IP", "Forwarded"])
def test_without_a_token_a_request_relayed_by_a_local_proxy_is_403(app: FastAPI, header: str) -> None:
    value = "for=198.51.100.4" if header == "Forwarded" else "198.51.100.4"
    response = TestClient(app, client=("127.0.0.1", 50000)).get("/metrics", headers={header: value})
    assert _error(response) == (403, "AUTH-FORBIDDEN")


def test_a_scrape_writes_no_audit_event(tmp_path: Path) -> None:
    settings = make_settings("embedded", tmp_path)
    services = open_services(settings)
    try:
        app = create_app(settings, services=services)
        before = _events(services)
        client = TestClient(app, client=("127.0.0.1", 50000))
        assert all(client.get("/metrics").status_code == 200 for _ in range(3))
        assert TestClient(app).get("/metrics").status_code == 403
        assert _events(services) == before
    finally:
        services.close()


def _events(services: Services) -> int:
    with transaction(services.factory) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
