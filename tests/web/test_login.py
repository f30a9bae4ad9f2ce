"""Logging in and out: argon2 passwords, a session cookie whose hash alone is stored, CSRF on forms."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, WebSession
from tests.web.conftest import PASSWORD, Web, csrf_of


def test_the_login_page_is_in_vietnamese(embedded_web: Web) -> None:
    page = TestClient(embedded_web.client.app).get("/dang-nhap")
    assert page.status_code == 200
    assert '<html lang="vi">' in page.text
    assert "Đăng nhập" in page.text and "Tên đăng nhập" in page.text and "Mật khẩu" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_a_page_without_a_session_sends_the_browser_to_the_login_page(embedded_web: Web) -> None:
    response = TestClient(embedded_web.client.app).get("/ho-so?trang=2", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/dang-nhap?next=/ho-so%3Ftrang%3D2"


def test_a_wrong_password_is_refused_with_a_vietnamese_message(embedded_web: Web) -> None:
    client = TestClient(embedded_web.client.app)
    token = csrf_of(client.get("/dang-nhap").text)
    response = client.post(
        "/dang-nhap",
        data={"username": "vanthu", "password": "sai", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
    assert "archive_session" not in response.cookies
    unknown = client.post(
        "/dang-nhap",
        data={"username": "khong-co", "password": "x", "csrf_token": csrf_of(response.text)},
        follow_redirects=False,
    )
    assert unknown.status_code == 400 and "không đúng" in unknown.text


def test_a_login_form_without_its_csrf_token_is_refused(embedded_web: Web) -> None:
    client = TestClient(embedded_web.client.app)
    client.get("/dang-nhap")
    response = client.post("/dang-nhap", data={"username": "vanthu", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403
    assert "hãy tải lại trang" in response.text


def test_login_sets_an_httponly_lax_cookie_and_stores_only_its_hash(embedded_web: Web) -> None:
    client = TestClient(embedded_web.client.app)
    token = csrf_of(client.get("/dang-nhap").text)
    response = client.post(
        "/dang-nhap",
        data={"username": "vanthu", "password": PASSWORD, "csrf_token": token, "next": "/tim-kiem"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/tim-kiem"
    header = response.headers["set-cookie"]
    assert "archive_session=" in header and "HttpOnly" in header and "SameSite=lax" in header
    value = response.cookies["archive_session"]
    with transaction(embedded_web.services.factory) as session:
        stored = list(session.scalars(select(WebSession.token_hash)))
        actions = list(session.scalars(select(AuditEvent.action)))
    assert stored == [hashlib.sha256(value.encode()).hexdigest()]
    assert value not in stored
    assert "auth.login" in actions


def test_login_never_redirects_to_another_site(embedded_web: Web) -> None:
    client = TestClient(embedded_web.client.app)
    token = csrf_of(client.get("/dang-nhap").text)
    response = client.post(
        "/dang-nhap",
        data={"username": "vanthu", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/ho-so"


def test_logout_ends_the_session(embedded_web: Web) -> None:
    client = embedded_web.login("vanthu")
    assert client.get("/ho-so").status_code == 200
    refused = client.post("/dang-xuat", data={}, follow_redirects=False)
    assert refused.status_code == 403
    response = client.post("/dang-xuat", data={"csrf_token": embedded_web.csrf(client)}, follow_redirects=False)
    assert response.status_code == 303
    with transaction(embedded_web.services.factory) as session:
        assert list(session.scalars(select(WebSession))) == []
    assert client.get("/ho-so", follow_redirects=False).status_code == 303


def test_the_json_api_keeps_its_json_errors(embedded_web: Web) -> None:
    response = embedded_web.client.get("/api/v1/documents/999", headers=embedded_web.harness.admin.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "DOCUMENT-NOT-FOUND"


def test_an_unknown_page_is_a_vietnamese_page_and_the_web_json_needs_a_session(embedded_web: Web) -> None:
    client = embedded_web.login("vanthu")
    missing = client.get("/khong-co-trang-nay")
    assert missing.status_code == 404 and "Không có trang này." in missing.text
    assert missing.headers["x-frame-options"] == "DENY"
    anonymous = TestClient(embedded_web.client.app).get("/web-api/van-ban/1/tien-do")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "AUTH-SESSION-REQUIRED"


def test_an_expired_session_is_no_session(embedded_web: Web) -> None:
    from datetime import UTC, datetime, timedelta

    from archive_service.catalog.models import User
    from archive_service.web import auth

    with transaction(embedded_web.services.factory) as session:
        user = session.scalars(select(User).where(User.username == "vanthu")).one()
        token = auth.start_session(session, user=user)
        assert auth.lookup(session, token) is not None
        later = datetime.now(UTC) + auth.SESSION_LIFETIME + timedelta(minutes=1)
        assert auth.lookup(session, token, now=later) is None
        assert auth.lookup(session, token + "x") is None


def test_after_ten_wrong_passwords_even_the_right_one_waits(web: Web) -> None:
    client = TestClient(web.client.app)
    token = csrf_of(client.get("/dang-nhap").text)
    for _ in range(10):
        wrong = client.post("/dang-nhap", data={"username": "doc", "password": "doan-mo", "csrf_token": token})
        assert wrong.status_code == 400
        token = csrf_of(wrong.text)
    right = client.post(
        "/dang-nhap", data={"username": "doc", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert right.status_code == 429
    assert "thử lại sau 15 phút" in right.text
    assert web.login("vanthu").get("/ho-so").status_code == 200  # other users are not affected
