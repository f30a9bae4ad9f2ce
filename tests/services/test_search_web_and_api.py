"""Search written once: the web page and the API filter by office alike and refuse alike when the engine fails."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from archive_service.app import create_app
from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Role
from archive_service.config import SearchBackend
from archive_service.search.service import drain_outbox
from archive_service.services import open_services
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Actor, Harness, add_user, build_harness, make_settings
from tests.samples import tiny_pdf
from tests.web.conftest import log_in, set_password

_FOUND = re.compile(r"Tìm thấy (\d+) văn bản")


def _with_passwords(harness: Harness) -> Harness:
    for name in ("admin", "vanthu", "doc", "vanthu-huyen"):
        set_password(harness.services, name)
    return harness


@pytest.fixture
def site(backend_kind: str, tmp_path: Path) -> Iterator[Harness]:
    for harness in build_harness(make_settings(backend_kind, tmp_path)):
        yield _with_passwords(harness)


@pytest.fixture
def embedded_site(tmp_path: Path) -> Iterator[Harness]:
    for harness in build_harness(make_settings("embedded", tmp_path)):
        yield _with_passwords(harness)


@pytest.fixture
def site_without_search_engine(tmp_path: Path) -> Iterator[Harness]:
    """The app configured for an Elasticsearch that nobody listens for (so nothing to clean up there)."""
    settings = make_settings(
        "embedded", tmp_path, search_backend=SearchBackend.ELASTICSEARCH, es_url="http://127.0.0.1:9"
    )
    services = open_services(settings)
    with TestClient(create_app(settings, services=services)) as client:
        yield _with_passwords(
            Harness(
                client=client,
                services=services,
                admin=add_user(services, "admin", Role.ADMIN, "VPTU", clearance=3),
                archivist=add_user(services, "vanthu", Role.ARCHIVIST, "VPTU"),
                reader=add_user(services, "doc", Role.READER, "VPTU"),
                other_archivist=add_user(services, "vanthu-huyen", Role.ARCHIVIST, "VPHU"),
            )
        )
    services.close()


def _login(h: Harness, username: str) -> TestClient:
    return log_in(h.client, username)


def _upload(h: Harness, actor: Actor, name: str, text: str) -> None:
    dossier = h.new_dossier(actor)
    files = {"files": (name, tiny_pdf(text), "application/pdf")}
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=actor.headers)
    assert response.status_code == 201, response.text


def _office_id(h: Harness, code: str) -> int:
    with transaction(h.services.factory) as session:
        office = accounts.find_office(session, code)
        assert office is not None
        return office.id


def _one_document_in_each_office(h: Harness) -> None:
    _upload(h, h.archivist, "tinh-uy.pdf", "Bien ban hoi nghi Tinh uy")
    _upload(h, h.other_archivist, "huyen-uy.pdf", "Bien ban hoi nghi Huyen uy")
    run_pending_jobs(h.services)
    drain_outbox(h.services)


def _found(page: str) -> int:
    match = _FOUND.search(page)
    assert match, page
    return int(match.group(1))


def test_the_office_facet_narrows_the_web_search_to_that_office(site: Harness) -> None:
    h = site
    _one_document_in_each_office(h)
    admin = _login(h, "admin")
    every = admin.get("/tim-kiem", params={"q": "bien ban"})
    assert _found(every.text) == 2
    assert 'id="facet-don_vi"' in every.text  # the office facet is offered
    district = _office_id(h, "VPHU")
    narrowed = admin.get("/tim-kiem", params={"q": "bien ban", "don_vi": district})
    assert narrowed.status_code == 200
    assert _found(narrowed.text) == 1 and "huyen-uy.pdf" in narrowed.text and "tinh-uy.pdf" not in narrowed.text
    assert f'name="don_vi" value="{district}"' in narrowed.text  # kept when the sort order changes
    api = h.client.get("/api/v1/search", params={"q": "bien ban", "office_id": district}, headers=h.admin.headers)
    assert [hit["filename"] for hit in api.json()["hits"]] == ["huyen-uy.pdf"]


def test_asking_for_another_offices_documents_finds_none_of_them(site: Harness) -> None:
    h = site
    _one_document_in_each_office(h)
    district = _office_id(h, "VPHU")
    page = _login(h, "doc").get("/tim-kiem", params={"q": "bien ban", "don_vi": district})
    assert page.status_code == 200 and _found(page.text) == 0 and "huyen-uy.pdf" not in page.text
    api = h.client.get("/api/v1/search", params={"q": "bien ban", "office_id": district}, headers=h.reader.headers)
    assert api.status_code == 200 and api.json()["total"] == 0


def test_a_search_engine_that_refuses_the_query_shows_an_error_page_not_zero_results(embedded_site: Harness) -> None:
    h = embedded_site
    _one_document_in_each_office(h)
    with sqlite3.connect(h.services.settings.data_dir / "search.sqlite3") as broken:
        broken.execute("ALTER TABLE search_documents RENAME TO search_documents_lost")
    page = _login(h, "admin").get("/tim-kiem", params={"q": "bien ban"})
    assert page.status_code == 503
    assert "Máy tìm kiếm gặp lỗi khi tìm" in page.text and "SEARCH-FAILED" in page.text
    assert not _FOUND.search(page.text)  # never "Tìm thấy 0 văn bản"
    api = h.client.get("/api/v1/search", params={"q": "bien ban"}, headers=h.admin.headers)
    assert api.status_code == 503 and api.json()["error"]["code"] == "SEARCH-FAILED"


def test_an_unreachable_search_engine_is_503_on_the_page_as_in_the_api(site_without_search_engine: Harness) -> None:
    h = site_without_search_engine
    page = _login(h, "doc").get("/tim-kiem", params={"q": "nghị quyết"})
    assert page.status_code == 503
    assert "Máy tìm kiếm tạm thời không truy cập được" in page.text and not _FOUND.search(page.text)
    api = h.client.get("/api/v1/search", params={"q": "nghị quyết"}, headers=h.reader.headers)
    assert api.status_code == 503 and api.json()["error"]["code"] == "SEARCH-UNAVAILABLE"
