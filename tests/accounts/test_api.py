"""/api/v1/offices and /api/v1/users: what an admin can do, what every other role is refused, and the codes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Office, Role, User
from tests.conftest import Actor, Harness, add_user
from tests.web.conftest import csrf_of

PASSWORD = "một cụm từ đủ dài"


def user_id(h: Harness, name: str) -> int:
    with transaction(h.services.factory) as s:
        return s.scalars(select(User.id).where(User.username == name)).one()


def call(h: Harness, actor: Actor | None, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    headers = actor.headers if actor else {}
    return h.client.request(method, url, json=body, headers=headers)


def expect(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    if code is not None:
        assert response.json()["error"]["code"] == code
    body: dict[str, Any] = response.json()
    return body


def web_login(h: Harness, username: str, password: str) -> TestClient:
    client = TestClient(h.client.app)
    token = csrf_of(client.get("/dang-nhap").text)
    response = client.post(
        "/dang-nhap",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def test_every_accounts_route_is_refused_to_archivists_readers_and_auditors(harness: Harness) -> None:
    auditor = add_user(harness.services, "kiemtra", Role.AUDITOR, "VPTU")
    target = user_id(harness, "vanthu")
    routes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", "/api/v1/offices", None),
        ("POST", "/api/v1/offices", {"code": "VPDU", "name": "Văn phòng Đảng ủy"}),
        ("GET", "/api/v1/users", None),
        ("POST", "/api/v1/users", {"username": "moi", "office_code": "VPTU"}),
        ("GET", f"/api/v1/users/{target}", None),
        ("PATCH", f"/api/v1/users/{target}", {"clearance": 3}),
        ("PUT", f"/api/v1/users/{target}/password", {"password": PASSWORD}),
        ("GET", f"/api/v1/users/{target}/tokens", None),
        ("POST", f"/api/v1/users/{target}/tokens", {"label": "x"}),
        ("DELETE", f"/api/v1/users/{target}/tokens/1", None),
        ("POST", f"/api/v1/users/{target}/tokens/1/rotate", None),
    ]
    for method, url, body in routes:
        for actor in (harness.archivist, harness.reader, auditor, harness.other_archivist):
            expect(call(harness, actor, method, url, body), 403, "AUTH-FORBIDDEN-ROLE")
        expect(call(harness, None, method, url, body), 401)
    with transaction(harness.services.factory) as s:
        vanthu = s.scalars(select(User).where(User.username == "vanthu")).one()
        assert vanthu.clearance == 0 and vanthu.password_hash is None
        assert s.scalars(select(Office).where(Office.code == "VPDU")).first() is None


def test_an_admin_creates_an_office_and_a_user_in_it_whose_token_opens_the_api(harness: Harness) -> None:
    admin = harness.admin
    office = expect(
        call(harness, admin, "POST", "/api/v1/offices", {"code": "đuk", "name": "Văn phòng Đảng ủy khối"}), 201
    )
    assert office["code"] == "ĐUK"
    offices = expect(call(harness, admin, "GET", "/api/v1/offices"), 200)["items"]
    assert {o["code"]: o["user_count"] for o in offices} == {"VPTU": 3, "VPHU": 1, "ĐUK": 0}
    body = {
        "username": "Le.Thi.B",
        "role": "reader",
        "office_code": "đuk",
        "display_name": "Lê Thị B",
        "clearance": 1,
        "password": PASSWORD,
        "issue_token": True,
    }
    created = expect(call(harness, admin, "POST", "/api/v1/users", body), 201)
    user = created["user"]
    assert (user["username"], user["office_code"], user["role"], user["clearance"]) == ("le.thi.b", "ĐUK", "reader", 1)
    assert user["has_password"] and user["must_change_password"]
    token = created["token"]["token"]
    assert token.startswith("arch_") and created["token"]["info"]["prefix"] == token[:12]
    assert expect(harness.client.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {token}"}), 200)
    listed = expect(call(harness, admin, "GET", "/api/v1/users?office=ĐUK"), 200)["items"]
    assert [u["username"] for u in listed] == ["le.thi.b"]
    one = expect(call(harness, admin, "GET", f"/api/v1/users/{user['id']}"), 200)
    assert one == user
    everything = json.dumps([created, listed, offices, one])
    assert "argon2" not in everything and "hash" not in everything and PASSWORD not in everything


def test_bad_names_codes_and_passwords_are_refused_with_their_codes(harness: Harness) -> None:
    admin = harness.admin
    post_user = "/api/v1/users"
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        (post_user, {"username": "../etc", "office_code": "VPTU"}, 422, "USER-INVALID-NAME"),
        (post_user, {"username": "", "office_code": "VPTU"}, 422, "USER-INVALID-NAME"),
        (post_user, {"username": "van thu", "office_code": "VPTU"}, 422, "USER-INVALID-NAME"),
        (post_user, {"username": "moi", "office_code": "VPTU", "password": "ngắn"}, 422, "PASSWORD-TOO-SHORT"),
        (post_user, {"username": "moi", "office_code": "VPXX"}, 404, "OFFICE-NOT-FOUND"),
        (post_user, {"username": "VANTHU", "office_code": "VPTU"}, 409, "USER-EXISTS"),
        (post_user, {"username": "moi", "office_code": "VPTU", "role": "boss"}, 422, "REQUEST-INVALID"),
        (post_user, {"username": "moi", "office_code": "VPTU", "clearance": 7}, 422, "REQUEST-INVALID"),
        ("/api/v1/offices", {"code": "a/b", "name": "X"}, 422, "OFFICE-INVALID-CODE"),
        ("/api/v1/offices", {"code": "..", "name": "X"}, 422, "OFFICE-INVALID-CODE"),
        ("/api/v1/offices", {"code": "vptu", "name": "Trùng"}, 409, "OFFICE-EXISTS"),
        ("/api/v1/offices", {"code": "VPDU", "name": " "}, 422, "OFFICE-INVALID-NAME"),
    ]
    for url, body, status, code in cases:
        expect(call(harness, admin, "POST", url, body), status, code)
    target = user_id(harness, "vanthu")
    expect(
        call(harness, admin, "PUT", f"/api/v1/users/{target}/password", {"password": "123"}), 422, "PASSWORD-TOO-SHORT"
    )
    expect(call(harness, admin, "PATCH", f"/api/v1/users/{target}", {"office_code": "../x"}), 404, "OFFICE-NOT-FOUND")
    with transaction(harness.services.factory) as s:
        assert sorted(s.scalars(select(User.username))) == ["admin", "doc", "vanthu", "vanthu-huyen"]
        assert sorted(s.scalars(select(Office.code))) == ["VPHU", "VPTU"]


@pytest.mark.parametrize("url", ["/api/v1/users/{big}", "/api/v1/users/{big}/tokens", "/api/v1/users/1/tokens/{big}"])
def test_an_id_beyond_64_bits_is_404_not_a_server_error(harness: Harness, url: str) -> None:
    method = "DELETE" if url.endswith("tokens/{big}") else "GET"
    response = call(harness, harness.admin, method, url.format(big=2**64))
    assert response.status_code == 404 and response.json()["error"]["code"]
    expect(call(harness, harness.admin, "GET", "/api/v1/users/0"), 404)
    expect(call(harness, harness.admin, "GET", "/api/v1/users/999"), 404, "USER-NOT-FOUND")


def test_patch_changes_a_user_and_disabling_stops_their_token_and_web_session(harness: Harness) -> None:
    admin, target = harness.admin, user_id(harness, "vanthu")
    expect(
        call(
            harness, admin, "PUT", f"/api/v1/users/{target}/password", {"password": PASSWORD, "change_required": False}
        ),
        200,
    )
    browser = web_login(harness, "vanthu", PASSWORD)
    assert browser.get("/ho-so").status_code == 200
    changed = expect(
        call(
            harness,
            admin,
            "PATCH",
            f"/api/v1/users/{target}",
            {"clearance": 2, "display_name": "Trần Văn C", "office_code": "vphu"},
        ),
        200,
    )
    assert (changed["clearance"], changed["display_name"], changed["office_code"]) == (2, "Trần Văn C", "VPHU")
    disabled = expect(call(harness, admin, "PATCH", f"/api/v1/users/{target}", {"active": False}), 200)
    assert disabled["active"] is False
    expect(harness.client.get("/api/v1/dossiers", headers=harness.archivist.headers), 401, "AUTH-INVALID-TOKEN")
    assert browser.get("/ho-so", follow_redirects=False).status_code == 303  # the session is gone
    refused = TestClient(harness.client.app)
    page = refused.post(
        "/dang-nhap",
        data={"username": "vanthu", "password": PASSWORD, "csrf_token": csrf_of(refused.get("/dang-nhap").text)},
        follow_redirects=False,
    )
    assert page.status_code == 400
    expect(call(harness, admin, "POST", f"/api/v1/users/{target}/tokens", {"label": "x"}), 409, "USER-DISABLED")
    expect(call(harness, admin, "PATCH", f"/api/v1/users/{target}", {"active": True}), 200)
    expect(harness.client.get("/api/v1/dossiers", headers=harness.archivist.headers), 200)


def test_an_admin_cannot_disable_themselves_nor_leave_no_active_admin(harness: Harness) -> None:
    admin = harness.admin
    me = user_id(harness, "admin")
    expect(call(harness, admin, "PATCH", f"/api/v1/users/{me}", {"active": False}), 409, "USER-CANNOT-DISABLE-SELF")
    expect(call(harness, admin, "PATCH", f"/api/v1/users/{me}", {"role": "reader"}), 409, "USER-LAST-ADMIN")
    second = expect(
        call(harness, admin, "POST", "/api/v1/users", {"username": "admin2", "role": "admin", "office_code": "VPTU"}),
        201,
    )
    expect(call(harness, admin, "PATCH", f"/api/v1/users/{me}", {"role": "archivist"}), 200)
    expect(call(harness, admin, "GET", "/api/v1/users"), 403, "AUTH-FORBIDDEN-ROLE")
    assert second["user"]["role"] == "admin"


def test_a_password_set_by_an_admin_must_be_changed_at_the_next_web_login(harness: Harness) -> None:
    target = user_id(harness, "doc")
    user = expect(call(harness, harness.admin, "PUT", f"/api/v1/users/{target}/password", {"password": PASSWORD}), 200)
    assert user["has_password"] and user["must_change_password"]
    browser = TestClient(harness.client.app)
    response = browser.post(
        "/dang-nhap",
        data={"username": "doc", "password": PASSWORD, "csrf_token": csrf_of(browser.get("/dang-nhap").text)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/doi-mat-khau")


def test_tokens_are_listed_without_secrets_revoked_and_rotated(harness: Harness) -> None:
    admin, target = harness.admin, user_id(harness, "vanthu")
    issued = expect(call(harness, admin, "POST", f"/api/v1/users/{target}/tokens", {"label": "máy quét"}), 201)
    token, info = issued["token"], issued["info"]
    auth = {"Authorization": f"Bearer {token}"}
    expect(harness.client.get("/api/v1/dossiers", headers=auth), 200)
    listed = expect(call(harness, admin, "GET", f"/api/v1/users/{target}/tokens"), 200)["items"]
    assert [(t["label"], t["prefix"]) for t in listed][0] == ("máy quét", token[:12]) and len(listed) == 2
    text = json.dumps(listed)
    assert token not in text and harness.archivist.token not in text and "hash" not in text
    other = user_id(harness, "doc")
    expect(call(harness, admin, "DELETE", f"/api/v1/users/{other}/tokens/{info['id']}"), 404, "TOKEN-NOT-FOUND")
    rotated = expect(call(harness, admin, "POST", f"/api/v1/users/{target}/tokens/{info['id']}/rotate"), 201)
    expect(harness.client.get("/api/v1/dossiers", headers=auth), 401, "AUTH-INVALID-TOKEN")
    new_auth = {"Authorization": f"Bearer {rotated['token']}"}
    expect(harness.client.get("/api/v1/dossiers", headers=new_auth), 200)
    assert rotated["info"]["label"] == "máy quét"
    revoked = expect(call(harness, admin, "DELETE", f"/api/v1/users/{target}/tokens/{rotated['info']['id']}"), 200)
    assert revoked["revoked_at"] is not None
    expect(harness.client.get("/api/v1/dossiers", headers=new_auth), 401, "AUTH-INVALID-TOKEN")
    expect(
        call(harness, admin, "DELETE", f"/api/v1/users/{target}/tokens/{rotated['info']['id']}"),
        409,
        "TOKEN-ALREADY-REVOKED",
    )
    expect(harness.client.get("/api/v1/dossiers", headers=harness.archivist.headers), 200)


def test_each_change_through_the_api_is_audited_with_its_admin_office_and_no_secret(harness: Harness) -> None:
    admin = harness.admin
    office = expect(call(harness, admin, "POST", "/api/v1/offices", {"code": "VPDU", "name": "Văn phòng Đảng ủy"}), 201)
    body = {"username": "moi", "office_code": "VPDU", "password": PASSWORD, "issue_token": True}
    created = expect(call(harness, admin, "POST", "/api/v1/users", body), 201)
    new_id = created["user"]["id"]
    expect(call(harness, admin, "PATCH", f"/api/v1/users/{new_id}", {"clearance": 1}), 200)
    expect(call(harness, admin, "PUT", f"/api/v1/users/{new_id}/password", {"password": "mật khẩu thứ hai"}), 200)
    with transaction(harness.services.factory) as s:
        admin_id = s.scalars(select(User.id).where(User.username == "admin")).one()
        events = list(
            s.scalars(
                select(AuditEvent)
                .where(AuditEvent.object_type.in_(["office", "user", "api_token"]))
                .order_by(AuditEvent.id)
            )
        )
    assert [e.action for e in events] == [
        "office.create",
        "user.create",
        "token.create",
        "user.update",
        "user.password-set",
    ]
    assert all(
        e.user_id == admin_id and e.office_id == office["id"] and e.details and e.details["via"] == "api"
        for e in events
    )
    assert events[3].details and events[3].details["changes"] == {"clearance": [0, 1]}
    trail = json.dumps([e.details for e in events], ensure_ascii=False)
    assert PASSWORD not in trail and "mật khẩu thứ hai" not in trail and created["token"]["token"] not in trail
