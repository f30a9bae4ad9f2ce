"""The accounts commands as an operator uses them: offices, users, passwords and tokens from the shell."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Office, User
from archive_service.cli import app
from archive_service.config import get_settings
from archive_service.errors import Unauthorized
from archive_service.services import Services, open_services

runner = CliRunner()
PASSWORD = "một cụm từ đủ dài"


@pytest.fixture
def services(env: Path) -> Iterator[Services]:
    opened = open_services(get_settings())
    yield opened
    opened.close()


def cli(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


def ok(*args: str, stdin: str | None = None) -> Result:
    result = cli(*args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return result


def refused(code: str, *args: str, stdin: str | None = None) -> Result:
    result = cli(*args, stdin=stdin)
    assert result.exit_code == 2, result.output
    assert f"{code}:" in result.stderr and result.stdout == ""
    return result


def user_row(services: Services, name: str) -> User:
    with transaction(services.factory) as s:
        return accounts.get_user(s, name)


def principal_of_token(services: Services, token: str) -> str:
    with transaction(services.factory) as s:
        return accounts.authenticate_token(s, token).username


def test_offices_create_and_list_with_their_vietnamese_names(env: Path) -> None:
    ok("offices", "create", "VPTU", "--name", "Văn phòng Tỉnh ủy Thanh Hóa")
    ok("offices", "create", "đuk", "--name", "Văn phòng Đảng ủy khối")
    table = ok("offices", "list").stdout
    assert "Văn phòng Tỉnh ủy Thanh Hóa" in table and "ĐUK" in table
    listed = json.loads(ok("offices", "list", "--json").stdout)
    assert [(o["code"], o["name"]) for o in listed] == [
        ("VPTU", "Văn phòng Tỉnh ủy Thanh Hóa"),
        ("ĐUK", "Văn phòng Đảng ủy khối"),
    ]


def test_an_office_code_is_refused_when_taken_in_any_case_or_path_like(env: Path) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    refused("OFFICE-EXISTS", "offices", "create", "vp", "--name", "Văn phòng khác")
    for bad in ("", "../VP", "V P", "VP/1", "_VP", "VP.1"):
        refused("OFFICE-INVALID-CODE", "offices", "create", bad, "--name", "X")
    refused("OFFICE-INVALID-NAME", "offices", "create", "VPHU", "--name", "  ")


def test_users_create_prints_only_a_token_on_stdout_and_it_opens_the_api(services: Services) -> None:
    ok("offices", "create", "VPTU", "--name", "Văn phòng Tỉnh ủy")
    result = ok("users", "create", "vanthu", "--role", "archivist", "--office", "VPTU")
    token = result.stdout.strip()
    assert token.startswith("arch_") and "\n" not in token
    assert "vanthu" in result.stderr and token not in result.stderr
    assert principal_of_token(services, token) == "vanthu"
    refused("USER-EXISTS", "users", "create", "VanThu", "--office", "VPTU")


def test_users_create_refuses_an_unknown_office_with_a_hint_instead_of_creating_it(services: Services) -> None:
    result = refused("OFFICE-NOT-FOUND", "users", "create", "vanthu", "--office", "VPTU")
    assert "archive-service offices create VPTU" in result.stderr
    with transaction(services.factory) as s:
        assert list(s.scalars(select(Office))) == [] and list(s.scalars(select(User))) == []


def test_office_option_in_lower_case_finds_the_office_and_makes_no_second_one(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    ok("users", "create", "vanthu", "--office", "vp")
    with transaction(services.factory) as s:
        assert [o.code for o in s.scalars(select(Office))] == ["VP"]
    listed = json.loads(ok("users", "list", "--office", "vp", "--json").stdout)
    assert [(u["username"], u["office_code"]) for u in listed] == [("vanthu", "VP")]


def test_user_names_are_folded_to_lower_case_and_empty_or_path_like_ones_refused(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    ok("users", "create", "Nguyen.Van-A", "--office", "VP")
    assert user_row(services, "nguyen.van-a").username == "nguyen.van-a"
    for bad in ("", " ", "/", "..", "../admin", "a", "van thu", "vănthư", ".hidden", "a/b"):
        refused("USER-INVALID-NAME", "users", "create", bad, "--office", "VP")


def test_a_short_password_is_refused_and_a_long_enough_one_from_stdin_is_kept(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    refused("PASSWORD-TOO-SHORT", "users", "create", "vanthu", "--office", "VP", "--password-stdin", stdin="x\n")
    refused(
        "PASSWORD-TOO-SHORT", "users", "create", "vanthu", "--office", "VP", "--password-stdin", stdin="123456789\n"
    )
    ok("users", "create", "vanthu", "--office", "VP", "--password-stdin", stdin=PASSWORD + "\n")
    user = user_row(services, "vanthu")
    assert accounts.verify_password(user, PASSWORD) and user.must_change_password
    assert user.password_hash and PASSWORD not in user.password_hash


def test_a_password_typed_on_the_command_line_is_warned_against(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    result = ok("users", "create", "vanthu", "--office", "VP", "--password", PASSWORD, "--no-change-required")
    assert "--password-stdin" in result.stderr
    user = user_row(services, "vanthu")
    assert accounts.verify_password(user, PASSWORD) and not user.must_change_password


def test_users_list_shows_who_has_which_role_and_never_a_secret(services: Services) -> None:
    ok("offices", "create", "VPTU", "--name", "Văn phòng Tỉnh ủy")
    token = ok("users", "create", "doc", "--role", "reader", "--office", "VPTU", "--clearance", "1").stdout.strip()
    ok("users", "create", "kt", "--role", "auditor", "--office", "VPTU", "--password-stdin", stdin=PASSWORD + "\n")
    table = ok("users", "list").stdout
    assert "doc" in table and "Người đọc" in table and "Kiểm tra, giám sát" in table and "phải đổi" in table
    listed = json.loads(ok("users", "list", "--json").stdout)
    assert {u["username"]: (u["role"], u["clearance"], u["has_password"]) for u in listed} == {
        "doc": ("reader", 1, False),
        "kt": ("auditor", 0, True),
    }
    text = json.dumps(listed)
    assert "argon2" not in text and token not in text and "hash" not in text


def test_disable_stops_the_users_token_and_enable_restores_it(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    token = ok("users", "create", "vanthu", "--office", "VP").stdout.strip()
    ok("users", "disable", "VANTHU")
    with pytest.raises(Unauthorized):
        principal_of_token(services, token)
    assert "đã khóa" in ok("users", "list").stdout
    ok("users", "enable", "vanthu")
    assert principal_of_token(services, token) == "vanthu"
    refused("USER-NOT-FOUND", "users", "disable", "khong-co")


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    ok("users", "create", "admin", "--role", "admin", "--office", "VP")
    refused("USER-LAST-ADMIN", "users", "disable", "admin")
    refused("USER-LAST-ADMIN", "users", "update", "admin", "--role", "reader")
    ok("users", "create", "admin2", "--role", "admin", "--office", "VP")
    ok("users", "disable", "admin")
    assert not user_row(services, "admin").active


def test_users_update_changes_role_office_clearance_and_name(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    ok("offices", "create", "VPTU", "--name", "Văn phòng Tỉnh ủy")
    ok("users", "create", "doc", "--role", "reader", "--office", "VP")
    ok(
        "users",
        "update",
        "doc",
        "--role",
        "archivist",
        "--office",
        "vptu",
        "--clearance",
        "2",
        "--display-name",
        "Lê Thị B",
    )
    user = user_row(services, "doc")
    assert (user.role, user.clearance, user.display_name) == ("archivist", 2, "Lê Thị B")
    refused("OFFICE-NOT-FOUND", "users", "update", "doc", "--office", "VPHU")
    assert cli("users", "update", "doc", "--clearance", "4").exit_code == 2


def test_set_password_from_stdin_asks_for_a_change_unless_told_not_to(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    ok("users", "create", "admin", "--role", "admin", "--office", "VP")
    ok("users", "set-password", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    user = user_row(services, "admin")
    assert accounts.verify_password(user, PASSWORD) and user.must_change_password
    ok("users", "set-password", "admin", "--password-stdin", "--no-change-required", stdin="mật khẩu thứ hai\n")
    user = user_row(services, "admin")
    assert accounts.verify_password(user, "mật khẩu thứ hai") and not user.must_change_password
    refused("PASSWORD-REQUIRED", "users", "set-password", "admin")  # no terminal to ask on, no --password-stdin
    refused("PASSWORD-TOO-SHORT", "users", "set-password", "admin", "--password-stdin", stdin="ngan\n")
    ok("users", "create", "nguyen.van.an", "--office", "VP")
    refused(
        "PASSWORD-IS-USERNAME", "users", "set-password", "nguyen.van.an", "--password-stdin", stdin="Nguyen.Van.An\n"
    )


def test_tokens_create_list_revoke_and_rotate(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    first = ok("users", "create", "vanthu", "--office", "VP").stdout.strip()
    scanner = ok("tokens", "create", "vanthu", "--label", "máy quét").stdout.strip()
    assert principal_of_token(services, scanner) == "vanthu"
    listed = json.loads(ok("tokens", "list", "vanthu", "--json").stdout)
    assert [(t["label"], t["revoked_at"]) for t in listed] == [("máy quét", None), ("cli", None)]
    assert all(first not in json.dumps(t) and scanner not in json.dumps(t) for t in listed)
    assert scanner[:12] in ok("tokens", "list").stdout
    scanner_id = str(listed[0]["id"])
    rotated = ok("tokens", "rotate", scanner_id).stdout.strip()
    assert principal_of_token(services, rotated) == "vanthu"
    with pytest.raises(Unauthorized):
        principal_of_token(services, scanner)
    newest = json.loads(ok("tokens", "list", "vanthu", "--json").stdout)[0]
    assert newest["label"] == "máy quét" and newest["revoked_at"] is None
    ok("tokens", "revoke", str(newest["id"]))
    with pytest.raises(Unauthorized):
        principal_of_token(services, rotated)
    refused("TOKEN-ALREADY-REVOKED", "tokens", "revoke", str(newest["id"]))
    refused("TOKEN-NOT-FOUND", "tokens", "revoke", "999")
    assert cli("tokens", "revoke", str(2**64)).exit_code == 2
    assert principal_of_token(services, first) == "vanthu"


def test_every_change_from_the_command_line_is_audited_as_the_operator_without_secrets(services: Services) -> None:
    ok("offices", "create", "VP", "--name", "Văn phòng")
    token = ok("users", "create", "vanthu", "--office", "VP", "--password-stdin", stdin=PASSWORD + "\n").stdout
    ok("users", "set-password", "vanthu", "--password-stdin", stdin="mật khẩu thứ hai\n")
    ok("users", "disable", "vanthu")
    ok("users", "enable", "vanthu")
    extra = ok("tokens", "create", "vanthu").stdout
    ok("tokens", "revoke", "2")
    with transaction(services.factory) as s:
        events = list(s.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        office_id = s.scalars(select(Office.id)).one()
    assert [e.action for e in events] == [
        "office.create",
        "user.create",
        "token.create",
        "user.password-set",
        "user.disable",
        "user.enable",
        "token.create",
        "token.revoke",
    ]
    assert all(e.user_id is None and e.details and e.details["via"] == "cli" for e in events)
    assert all(e.office_id == office_id for e in events)
    trail = json.dumps([e.details for e in events], ensure_ascii=False)
    for secret in (PASSWORD, "mật khẩu thứ hai", token.strip(), extra.strip()):
        assert secret not in trail
