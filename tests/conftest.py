"""Fixtures shared by the suites: settings on the embedded or the real backends, an app, users."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from archive_service.app import create_app
from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Role
from archive_service.config import BlobBackend, SearchBackend, Settings, get_settings
from archive_service.services import Services, open_services
from archive_service.storage.s3 import S3BlobStore
from tests.backends import (
    drop_bucket,
    drop_es_indices,
    drop_postgres_schema,
    elasticsearch_url,
    fresh_postgres,
    postgres_url,
    s3_config,
)

_PAGE_IMAGES: dict[str, bool] = {"on": False}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.page_images`` turns page rendering on in the settings ``make_settings`` builds for the
    test, module-scoped fixtures included (this hook runs before any fixture of the test is set up)."""
    _PAGE_IMAGES["on"] = item.get_closest_marker("page_images") is not None


def make_settings(kind: str, tmp_path: Path, **overrides: object) -> Settings:
    """Settings for ``embedded`` (SQLite + folder) or ``real`` (PostgreSQL + S3) backends."""
    # Page images cost a LibreOffice run per DOCX: on only for tests marked page_images (see the fixture below).
    values: dict[str, object] = {"data_dir": tmp_path / "data", "workers": 0, "page_images": _PAGE_IMAGES["on"]}
    if kind == "real":
        s3 = s3_config()
        values.update(
            database_url=fresh_postgres(postgres_url()),
            blob_backend=BlobBackend.S3,
            s3_endpoint=s3.endpoint,
            s3_access_key=s3.access_key,
            s3_secret_key=s3.secret_key,
            s3_bucket=s3.new_bucket_name(),
            search_backend=SearchBackend.ELASTICSEARCH,
            es_url=elasticsearch_url(),
            es_index_prefix=f"test-archive-{uuid.uuid4().hex[:10]}",
            search_refresh=True,
        )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(params=["embedded", "real"])
def backend_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@dataclass
class Actor:
    username: str
    token: str
    office: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Harness:
    client: TestClient
    services: Services
    admin: Actor
    archivist: Actor  # office VPTU
    reader: Actor  # office VPTU
    other_archivist: Actor  # office VPHU

    def new_dossier(self, actor: Actor | None = None, **fields: object) -> int:
        body = {"title": "Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 12", "meeting_body": "BTV"} | fields
        response = self.client.post("/api/v1/dossiers", json=body, headers=(actor or self.archivist).headers)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])


def add_user(services: Services, username: str, role: Role, office: str, clearance: int = 0) -> Actor:
    with transaction(services.factory) as session:
        office_row = accounts.get_or_create_office(session, code=office)
        user = accounts.create_user(session, username=username, role=role, office=office_row, clearance=clearance)
        token = accounts.issue_token(session, user=user)
    return Actor(username=username, token=token, office=office)


def build_harness(settings: Settings) -> Iterator[Harness]:
    services = open_services(settings)
    app = create_app(settings, services=services)
    with TestClient(app) as client:
        yield Harness(
            client=client,
            services=services,
            admin=add_user(services, "admin", Role.ADMIN, "VPTU", clearance=3),
            archivist=add_user(services, "vanthu", Role.ARCHIVIST, "VPTU"),
            reader=add_user(services, "doc", Role.READER, "VPTU"),
            other_archivist=add_user(services, "vanthu-huyen", Role.ARCHIVIST, "VPHU"),
        )
    release_real_backends(services)


def release_real_backends(services: Services) -> None:
    """Close the services and remove what a test made on the real backends (schema, bucket, indices)."""
    settings = services.settings
    services.close()
    if settings.database_url:
        drop_postgres_schema(settings.database_url)
    if isinstance(services.blobs, S3BlobStore):
        drop_bucket(services.blobs)
    if settings.search_backend is SearchBackend.ELASTICSEARCH:
        drop_es_indices(settings.es_url, settings.es_index_prefix)


@pytest.fixture
def harness(backend_kind: str, tmp_path: Path) -> Iterator[Harness]:
    """The app over the embedded backends and over the real ones, with four users."""
    yield from build_harness(make_settings(backend_kind, tmp_path))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The command line's settings on a fresh data folder (``ARCHIVE_DATA_DIR``, embedded backends), read anew
    before and after the test: what a CLI test (``CliRunner`` over ``archive_service.cli.app``) runs in."""
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
