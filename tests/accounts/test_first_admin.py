"""The first start: an admin with a one-time password and a token, in a 0600 file, never on stdout."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from archive_service.accounts.service import bootstrap_first_admin
from archive_service.app import create_app
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Office, User
from archive_service.cli import app, bootstrap_admin
from archive_service.config import get_settings
from archive_service.services import Services, open_services
from schemas.accounts import FirstAdmin
from tests.conftest import make_settings
from tests.web.conftest import csrf_of

NEW_PASSWORD = "mật khẩu riêng của quản trị"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """``archive-service serve`` up to the point where uvicorn would take over (the apps it was given)."""
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    apps: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda application, **_kw: apps.append(application))
    yield apps
    get_settings.cache_clear()


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    opened = open_services(make_settings("embedded", tmp_path))
    yield opened
    opened.close()


def secrets_in(path: Path) -> tuple[str, str]:
    lines = path.read_text().splitlines()
    assert lines[1].startswith("password: ")
    return lines[0], lines[1].removeprefix("password: ")


def test_the_first_serve_leaves_the_secrets_in_a_0600_file_and_prints_none_of_them(
    served: list[Any], tmp_path: Path
) -> None:
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert len(served) == 1  # the app was handed to uvicorn
    path = tmp_path / "data" / "admin-token.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token, password = secrets_in(path)
    assert token.startswith("arch_") and len(password) >= 10
    assert result.stdout == ""
    assert token not in result.stderr and password not in result.stderr  # stderr is no terminal here
    assert str(path) in result.stderr and "head -1" in result.stderr

    again = CliRunner().invoke(app, ["serve"])
    assert again.exit_code == 0 and again.stdout == "" and str(path) not in again.stderr
    assert secrets_in(path) == (token, password)


def test_the_first_admin_logs_in_with_the_one_time_password_and_must_change_it_first(services: Services) -> None:
    first = bootstrap_admin(services)
    assert first is not None
    token, password = secrets_in(services.settings.data_dir / "admin-token.txt")
    assert (token, password) == (first.token, first.password)
    client = TestClient(create_app(services.settings, services=services))
    assert client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    login = client.post(
        "/dang-nhap",
        data={"username": "admin", "password": password, "csrf_token": csrf_of(client.get("/dang-nhap").text)},
        follow_redirects=False,
    )
    assert login.status_code == 303 and login.headers["location"] == "/doi-mat-khau?next=/ho-so"
    page = client.get("/ho-so")  # every page leads to the form until the password is changed
    assert page.url.path == "/doi-mat-khau" and "Đổi mật khẩu" in page.text and "mật khẩu dùng một lần" in page.text
    form = {"current_password": password, "new_password": NEW_PASSWORD, "new_password_repeat": NEW_PASSWORD}
    changed = client.post(
        "/doi-mat-khau", data={**form, "csrf_token": csrf_of(page.text), "next": "/ho-so"}, follow_redirects=False
    )
    assert changed.status_code == 303 and changed.headers["location"] == "/ho-so"
    assert client.get("/ho-so", follow_redirects=False).status_code == 200
    with transaction(services.factory) as s:
        admin = s.scalars(select(User).where(User.username == "admin")).one()
        assert not admin.must_change_password and admin.clearance == 3
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[:3] == ["office.create", "user.create", "token.create"]
    assert "user.password-change" in actions


def test_a_catalog_with_users_gets_no_new_admin_and_no_file(services: Services) -> None:
    assert bootstrap_admin(services) is not None
    path = services.settings.data_dir / "admin-token.txt"
    path.unlink()
    assert bootstrap_admin(services) is None
    assert not path.exists()
    with transaction(services.factory) as s:
        assert [o.code for o in s.scalars(select(Office))] == ["VP"]
        assert [u.username for u in s.scalars(select(User))] == ["admin"]


def test_a_token_file_left_open_to_others_is_made_private_when_rewritten(services: Services) -> None:
    path = services.settings.data_dir / "admin-token.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("old\n")
    path.chmod(0o644)
    assert bootstrap_admin(services) is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "old" not in path.read_text()


def test_when_the_secrets_cannot_be_kept_no_admin_is_made_and_the_next_start_tries_again(services: Services) -> None:
    def cannot_write(_first: FirstAdmin) -> None:
        raise PermissionError("read-only data folder")

    with pytest.raises(PermissionError):
        bootstrap_first_admin(services, keep=cannot_write)
    with transaction(services.factory) as s:
        assert list(s.scalars(select(User))) == [] and list(s.scalars(select(AuditEvent))) == []
    assert bootstrap_admin(services) is not None
