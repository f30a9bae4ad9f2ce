"""Browser sessions: log in with username and password, a session cookie, the caller of a web request.

The cookie carries 256 random bits; the catalog stores only their SHA-256 (``WebSession.token_hash``),
so a copy of the catalog cannot be used to take over a session. Each session has its own CSRF token.

Password guessing is braked by three limits over the last 15 minutes, counted from the audit trail (so they
hold across API replicas), each on failed logins ("auth.login-failed") only:

- one user name from one client address: 10 failures lock that pair — the guesser, not the user;
- one client address, whatever the user names: 30 failures lock that address (a guesser trying many names);
- one user name from anywhere: 100 failures lock the name for every address (guessing spread over many
  machines). Locking a known user out now takes failures from at least ten addresses, since each address
  stops counting for that name at its own limit of 10.

An attempt refused because of a lock is recorded as "auth.login-locked" and counts toward nothing, so
knocking on a locked door does not keep it locked: each lock ends 15 minutes after the failures that
caused it. Behind a reverse proxy the client address must be the browser's (uvicorn ``--proxy-headers``
with ``--forwarded-allow-ips``), or every user shares the proxy's address and its limit.

A user whose password was set by someone else (the first admin, a reset) must choose their own before
any other page opens: ``web_user`` sends them to /doi-mat-khau.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Final, Literal

from argon2 import PasswordHasher
from fastapi import Depends, Request, Response
from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from archive_service.accounts.validation import fold_username
from archive_service.api.deps import ServicesDep
from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Office, User, WebSession
from archive_service.config import Settings
from archive_service.errors import Forbidden, Unauthorized

SESSION_COOKIE: Final = "archive_session"
SESSION_COOKIE_SECURE: Final = "__Host-archive_session"  # production: Secure, Path=/, no Domain
SESSION_LIFETIME: Final = timedelta(hours=10)  # one working day
# Failed logins are counted from the audit trail, so the limits hold across API replicas (see the module doc).
FAILED_LOGIN_WINDOW: Final = timedelta(minutes=15)
MAX_FAILED_LOGINS: Final = 10  # one user name from one client address
MAX_FAILED_LOGINS_PER_CLIENT: Final = 30  # one client address, any user names
MAX_FAILED_LOGINS_PER_USER: Final = 100  # one user name, any client addresses
LOGIN_FAILED: Final = "auth.login-failed"
LOGIN_LOCKED: Final = "auth.login-locked"  # refused during a lock: never counted
PASSWORD_PAGE: Final = "/doi-mat-khau"
# What a user who must change their password may still reach.
_PASSWORD_CHANGE_PATHS: Final = frozenset({PASSWORD_PAGE, "/dang-xuat"})
# A hash to verify against when the username is unknown, so that both answers take as long.
_DUMMY_HASH: Final = PasswordHasher().hash(secrets.token_urlsafe(16))


class LoginRequired(Exception):
    """A web page was asked for without a valid session: answered by a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PasswordChangeRequired(LoginRequired):
    """A page was asked for by a user who must first change their password.

    Answered like ``LoginRequired`` (a redirect to the login page with ``next``); the login page sees the
    session and sends the user on to /doi-mat-khau, which returns them to ``next`` once the password is set.
    """


@dataclass(frozen=True)
class WebUser:
    """The caller of a web request: who, in which office, and their session's CSRF token."""

    principal: Principal
    display_name: str
    office_code: str
    office_name: str
    csrf_token: str
    session_id: int
    must_change_password: bool = False


def hash_session_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def cookie_name(settings: Settings) -> str:
    return SESSION_COOKIE_SECURE if settings.production else SESSION_COOKIE


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def check_password(session: Session, *, username: str, password: str) -> User | None:
    """The active user with this username (any case) and password, else None (in the same time either way)."""
    user = accounts.find_user(session, fold_username(username))
    if user is None or not user.password_hash:
        accounts.verify_password(User(password_hash=_DUMMY_HASH), password)
        return None
    if not accounts.verify_password(user, password) or not user.active:
        return None
    return user


@dataclass(frozen=True)
class LoginLock:
    """Why logins are refused for now, and until when."""

    scope: Literal["user-client", "client", "user"]
    until: datetime

    def minutes_left(self, now: datetime | None = None) -> int:
        seconds = (self.until - (now or datetime.now(UTC))).total_seconds()
        return max(1, math.ceil(seconds / 60))


def _lock_until(session: Session, where: list[ColumnElement[bool]], *, limit: int, now: datetime) -> datetime | None:
    """When the failures matching ``where`` fall below ``limit`` in the window (None: they already are).

    The lock holds while ``limit`` failures are inside the window, i.e. until the ``limit``-th newest one
    leaves it.
    """
    times = list(
        session.scalars(
            select(AuditEvent.at)
            .where(
                AuditEvent.action == LOGIN_FAILED,
                AuditEvent.at > now - FAILED_LOGIN_WINDOW,
                AuditEvent.at <= now,
                *where,
            )
            .order_by(AuditEvent.at.desc())
            .limit(limit)
        )
    )
    if len(times) < limit:
        return None
    until = _aware(times[-1]) + FAILED_LOGIN_WINDOW
    return until if until > now else None


def login_lock(
    session: Session, *, username: str, client_addr: str | None, now: datetime | None = None
) -> LoginLock | None:
    """The lock that refuses a login of ``username`` from ``client_addr`` now, if any (see the module doc)."""
    now = now or datetime.now(UTC)
    name = fold_username(username) or None
    by_addr = AuditEvent.client_addr == client_addr if client_addr is not None else AuditEvent.client_addr.is_(None)
    by_name = AuditEvent.object_id == name if name is not None else AuditEvent.object_id.is_(None)
    checks: list[tuple[Literal["user-client", "client", "user"], list[ColumnElement[bool]], int]] = [
        ("user-client", [by_name, by_addr], MAX_FAILED_LOGINS),
        ("client", [by_addr], MAX_FAILED_LOGINS_PER_CLIENT),
        ("user", [by_name], MAX_FAILED_LOGINS_PER_USER),
    ]
    for scope, where, limit in checks:
        until = _lock_until(session, where, limit=limit, now=now)
        if until is not None:
            return LoginLock(scope=scope, until=until)
    return None


def start_session(session: Session, *, user: User, now: datetime | None = None) -> str:
    """A new session for ``user``; returns the cookie value (stored only as its hash)."""
    now = now or datetime.now(UTC)
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            user_id=user.id,
            token_hash=hash_session_token(token),
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.flush()
    return token


def end_session(session: Session, *, session_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.id == session_id))


def lookup(session: Session, token: str, *, now: datetime | None = None) -> WebUser | None:
    """The web user of a cookie value, or None when unknown, expired or the account is inactive."""
    now = now or datetime.now(UTC)
    row = session.execute(
        select(WebSession, User, Office)
        .join(User, User.id == WebSession.user_id)
        .join(Office, Office.id == User.office_id)
        .where(WebSession.token_hash == hash_session_token(token))
    ).first()
    if row is None:
        return None
    web_session, user, office = row
    if _aware(web_session.expires_at) <= now or not user.active:
        return None
    return WebUser(
        principal=accounts.principal_of(user),
        display_name=user.display_name or user.username,
        office_code=office.code,
        office_name=office.name,
        csrf_token=web_session.csrf_token,
        session_id=web_session.id,
        must_change_password=user.must_change_password,
    )


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        cookie_name(settings),
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.production,
        path="/",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(settings),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.production,
    )


def _from_cookie(request: Request, services: ServicesDep) -> WebUser | None:
    token = request.cookies.get(cookie_name(services.settings))
    if not token:
        return None
    with transaction(services.factory) as session:
        return lookup(session, token)


def optional_web_user(request: Request, services: ServicesDep) -> WebUser | None:
    """The logged-in user, or None."""
    return _from_cookie(request, services)


def web_user(request: Request, services: ServicesDep) -> WebUser:
    """The logged-in user of a page; without one the browser is sent to the login page.

    A user who must change their password is sent to /doi-mat-khau first (logging out stays open).
    """
    user = _from_cookie(request, services)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if user is None:
        raise LoginRequired(target)
    if user.must_change_password and request.url.path not in _PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired(target)
    return user


def web_api_user(request: Request, services: ServicesDep) -> WebUser:
    """The logged-in user of a web JSON call; 401 without one, 403 until a required password change."""
    user = _from_cookie(request, services)
    if user is None:
        raise Unauthorized("AUTH-SESSION-REQUIRED", "Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.")
    if user.must_change_password:
        raise Forbidden("AUTH-PASSWORD-CHANGE-REQUIRED", "Hãy đổi mật khẩu (trang Đổi mật khẩu) trước khi tiếp tục.")
    return user


OptionalWebUserDep = Annotated[WebUser | None, Depends(optional_web_user)]
WebUserDep = Annotated[WebUser, Depends(web_user)]
WebApiUserDep = Annotated[WebUser, Depends(web_api_user)]


def safe_next(value: str | None) -> str:
    """A same-site path to go to after login (never another site: no scheme, no "//")."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ho-so"


def password_page(next_path: str) -> str:
    """The change-password page, returning to ``next_path`` (a same-site path) afterwards."""
    from urllib.parse import quote

    target = safe_next(next_path)
    if target.startswith(PASSWORD_PAGE):
        return PASSWORD_PAGE
    return f"{PASSWORD_PAGE}?next={quote(target, safe='/')}"
