"""The app with the web UI, users with passwords, and a logged-in browser-like client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import User
from archive_service.services import Services
from tests.conftest import Harness, build_harness, make_settings

PASSWORD = "Mật-khẩu-đủ-dài-2024"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def set_password(services: Services, username: str, password: str = PASSWORD) -> None:
    with transaction(services.factory) as session:
        session.execute(
            update(User).where(User.username == username).values(password_hash=PasswordHasher().hash(password))
        )


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def log_in(app_client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    """A fresh client of ``app_client``'s app with its own cookies, logged in through the sign-in page."""
    client = TestClient(app_client.app)
    page = client.get("/dang-nhap")
    response = client.post(
        "/dang-nhap",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@dataclass
class Web:
    harness: Harness
    client: TestClient

    @property
    def services(self) -> Services:
        return self.harness.services

    def login(self, username: str, password: str = PASSWORD) -> TestClient:
        """A fresh client with its own cookies, logged in as ``username``."""
        return log_in(self.client, username, password)

    def csrf(self, client: TestClient, path: str = "/ho-so") -> str:
        return csrf_of(client.get(path).text)


@pytest.fixture
def web(backend_kind: str, tmp_path: Path) -> Iterator[Web]:
    """The app over the embedded and the real backends; every harness user has PASSWORD."""
    for harness in build_harness(make_settings(backend_kind, tmp_path)):
        for name in ("admin", "vanthu", "doc", "vanthu-huyen"):
            set_password(harness.services, name)
        yield Web(harness=harness, client=harness.client)


@pytest.fixture
def embedded_web(tmp_path: Path) -> Iterator[Web]:
    """The app over the embedded backends only (SQLite, folder, FTS5)."""
    for harness in build_harness(make_settings("embedded", tmp_path)):
        for name in ("admin", "vanthu", "doc", "vanthu-huyen"):
            set_password(harness.services, name)
        yield Web(harness=harness, client=harness.client)
