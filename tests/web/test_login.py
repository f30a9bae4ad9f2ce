"""Logging in and out: argon2 passwords, a session cookie whose hash alone is stored, CSRF on forms,
the limits on password guessing, and changing one's own password."""

from __future__ import annotations

import hashlib
from datetime import UTC, timedelta

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select, update

from archive_service.accounts import sessions
from archive_service.catalog import audit
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, User, WebSession
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

    from archive_service.accounts import sessions
    from archive_service.catalog.models import User

    with transaction(embedded_web.services.factory) as session:
        user = session.scalars(select(User).where(User.username == "vanthu")).one()
        token = sessions.start_session(session, user=user)
        assert sessions.lookup(session, token) is not None
        later = datetime.now(UTC) + sessions.SESSION_LIFETIME + timedelta(minutes=1)
        assert sessions.lookup(session, token, now=later) is None
        assert sessions.lookup(session, token + "x") is None


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


# ---------------------------------------------------------------- throttling


def _attempt(client: TestClient, username: str, password: str) -> Response:
    token = csrf_of(client.get("/dang-nhap").text)
    return client.post(
        "/dang-nhap",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def _from(web: Web, addr: str) -> TestClient:
    return TestClient(web.client.app, client=(addr, 50000))


def _seed_failures(web: Web, *, count: int, username: str, addrs: list[str]) -> None:
    """Failed logins as the audit trail records them (each argon2 check would take a second)."""
    with transaction(web.services.factory) as session:
        for i in range(count):
            audit.record(
                session,
                principal=None,
                action=sessions.LOGIN_FAILED,
                object_type="user",
                object_id=username,
                client_addr=addrs[i % len(addrs)],
            )


def _actions(web: Web, action: str) -> int:
    with transaction(web.services.factory) as session:
        return len(list(session.scalars(select(AuditEvent.id).where(AuditEvent.action == action))))


def test_a_lock_holds_the_guessing_address_only_so_the_user_still_logs_in_from_another(embedded_web: Web) -> None:
    _seed_failures(embedded_web, count=10, username="doc", addrs=["10.0.0.66"])
    guesser = _from(embedded_web, "10.0.0.66")
    assert _attempt(guesser, "doc", PASSWORD).status_code == 429
    assert _attempt(_from(embedded_web, "10.0.0.5"), "doc", PASSWORD).status_code == 303
    assert _attempt(guesser, "vanthu", PASSWORD).status_code == 303  # other names from that address: not locked


def test_attempts_refused_during_a_lock_are_recorded_apart_and_do_not_extend_it(embedded_web: Web) -> None:
    _seed_failures(embedded_web, count=10, username="doc", addrs=["10.0.0.66"])
    with transaction(embedded_web.services.factory) as session:
        first_failure = min(session.scalars(select(AuditEvent.at).where(AuditEvent.action == sessions.LOGIN_FAILED)))
    first_failure = first_failure.replace(tzinfo=UTC) if first_failure.tzinfo is None else first_failure
    guesser = _from(embedded_web, "10.0.0.66")
    for _ in range(5):
        locked = _attempt(guesser, "doc", "doan-tiep")
        assert locked.status_code == 429 and "thử lại sau 15 phút" in locked.text
    assert _actions(embedded_web, sessions.LOGIN_FAILED) == 10 and _actions(embedded_web, sessions.LOGIN_LOCKED) == 5
    with transaction(embedded_web.services.factory) as session:
        during = sessions.login_lock(session, username="doc", client_addr="10.0.0.66")
        after = sessions.login_lock(
            session,
            username="doc",
            client_addr="10.0.0.66",
            now=first_failure + sessions.FAILED_LOGIN_WINDOW + timedelta(seconds=1),
        )
    assert during is not None and during.scope == "user-client"
    assert during.until <= first_failure + sessions.FAILED_LOGIN_WINDOW + timedelta(seconds=5)
    assert after is None  # the five knocks during the lock did not move its end


def test_one_address_failing_for_many_names_is_locked_for_every_name(embedded_web: Web) -> None:
    with transaction(embedded_web.services.factory) as session:
        for i in range(sessions.MAX_FAILED_LOGINS_PER_CLIENT - 1):
            audit.record(
                session,
                principal=None,
                action=sessions.LOGIN_FAILED,
                object_type="user",
                object_id=f"ten-{i}",
                client_addr="10.0.0.77",
            )
    sprayer = _from(embedded_web, "10.0.0.77")
    assert _attempt(sprayer, "ten-cuoi", "doan-mo").status_code == 400  # the 30th failure
    refused = _attempt(sprayer, "vanthu", PASSWORD)
    assert refused.status_code == 429 and "từ máy này" in refused.text
    assert _attempt(_from(embedded_web, "10.0.0.5"), "vanthu", PASSWORD).status_code == 303


def test_a_name_failing_from_many_addresses_is_locked_everywhere(embedded_web: Web) -> None:
    addrs = [f"10.0.1.{i}" for i in range(10)]  # each stays under its own per-address limit of 10
    _seed_failures(embedded_web, count=sessions.MAX_FAILED_LOGINS_PER_USER, username="doc", addrs=addrs)
    assert _attempt(_from(embedded_web, "10.0.0.5"), "doc", PASSWORD).status_code == 429
    assert _attempt(_from(embedded_web, "10.0.0.5"), "vanthu", PASSWORD).status_code == 303


def test_a_user_name_is_throttled_whatever_its_case(embedded_web: Web) -> None:
    _seed_failures(embedded_web, count=10, username="doc", addrs=["testclient"])
    assert _attempt(TestClient(embedded_web.client.app), "DOC", PASSWORD).status_code == 429


def test_a_user_logs_in_whatever_the_case_of_their_name(embedded_web: Web) -> None:
    assert _attempt(TestClient(embedded_web.client.app), " VanThu ", PASSWORD).status_code == 303


# ---------------------------------------------------------------- changing one's password


NEW_PASSWORD = "một cụm từ mới đủ dài"


def _require_change(web: Web, username: str) -> None:
    with transaction(web.services.factory) as session:
        session.execute(update(User).where(User.username == username).values(must_change_password=True))


def _change(client: TestClient, current: str, new: str, repeat: str | None = None, **extra: str) -> Response:
    page = client.get("/doi-mat-khau")
    data = {"current_password": current, "new_password": new, "new_password_repeat": new if repeat is None else repeat}
    return client.post(
        "/doi-mat-khau", data={**data, "csrf_token": csrf_of(page.text), **extra}, follow_redirects=False
    )


def test_a_user_who_must_change_their_password_reaches_no_other_page_until_they_do(embedded_web: Web) -> None:
    _require_change(embedded_web, "vanthu")
    client = TestClient(embedded_web.client.app)
    login = _attempt(client, "vanthu", PASSWORD)
    assert login.status_code == 303 and login.headers["location"] == "/doi-mat-khau?next=/ho-so"
    for path in ("/ho-so", "/tim-kiem?q=nghi+quyet", "/bao-cao"):
        page = client.get(path)
        assert page.url.path == "/doi-mat-khau", path
    assert client.get("/tim-kiem?q=x").url.query == b"next=/tim-kiem%3Fq%3Dx"
    progress = client.get("/web-api/van-ban/1/tien-do")
    assert progress.status_code == 403 and progress.json()["error"]["code"] == "AUTH-PASSWORD-CHANGE-REQUIRED"
    done = _change(client, PASSWORD, NEW_PASSWORD, next="/tim-kiem")
    assert done.status_code == 303 and done.headers["location"] == "/tim-kiem"
    assert client.get("/ho-so", follow_redirects=False).status_code == 200
    assert _attempt(TestClient(embedded_web.client.app), "vanthu", NEW_PASSWORD).headers["location"] == "/ho-so"


def test_a_user_who_must_change_their_password_can_still_log_out(embedded_web: Web) -> None:
    _require_change(embedded_web, "vanthu")
    client = TestClient(embedded_web.client.app)
    _attempt(client, "vanthu", PASSWORD)
    token = csrf_of(client.get("/doi-mat-khau").text)
    assert client.post("/dang-xuat", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    with transaction(embedded_web.services.factory) as session:
        assert list(session.scalars(select(WebSession))) == []


def test_changing_ones_password_checks_the_current_one_the_repeat_and_the_length(embedded_web: Web) -> None:
    client = embedded_web.login("doc")
    wrong = _change(client, "sai-mat-khau", NEW_PASSWORD)
    assert wrong.status_code == 400 and "Mật khẩu hiện tại không đúng." in wrong.text
    mismatch = _change(client, PASSWORD, NEW_PASSWORD, repeat=NEW_PASSWORD + "x")
    assert mismatch.status_code == 400 and "không khớp" in mismatch.text
    short = _change(client, PASSWORD, "ngắn")
    assert short.status_code == 422 and "ít nhất 10 ký tự" in short.text
    same = _change(client, PASSWORD, PASSWORD)
    assert same.status_code == 422 and "khác mật khẩu hiện tại" in same.text
    assert _actions(embedded_web, sessions.LOGIN_FAILED) == 1  # the wrong current password counts as a failed login
    assert _actions(embedded_web, "user.password-change") == 0


def test_changing_ones_password_ends_the_other_sessions_and_is_audited(embedded_web: Web) -> None:
    here = embedded_web.login("doc")
    elsewhere = embedded_web.login("doc")
    response = _change(here, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 303
    assert here.get("/ho-so", follow_redirects=False).status_code == 200
    assert elsewhere.get("/ho-so", follow_redirects=False).status_code == 303
    with transaction(embedded_web.services.factory) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.password-change")).one()
        user = session.scalars(select(User).where(User.username == "doc")).one()
    assert event.user_id == user.id and event.office_id == user.office_id
    assert event.details == {"via": "web", "sessions_ended": 1}


def test_the_password_form_needs_its_csrf_token(embedded_web: Web) -> None:
    client = embedded_web.login("doc")
    data = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_repeat": NEW_PASSWORD}
    response = client.post("/doi-mat-khau", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert embedded_web.login("doc").get("/ho-so").status_code == 200  # the old password still works
