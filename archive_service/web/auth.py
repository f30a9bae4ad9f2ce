"""Browser sessions: log in with username and password, a session cookie, the caller of a web request.

The cookie carries 256 random bits; the catalog stores only their SHA-256 (``WebSession.token_hash``),
so a copy of the catalog cannot be used to take over a session. Each session has its own CSRF token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Final

from argon2 import PasswordHasher
from fastapi import Depends, Request, Response
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from archive_service.api.deps import ServicesDep
from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Office, User, WebSession
from archive_service.config import Settings
from archive_service.errors import Unauthorized

SESSION_COOKIE: Final = "archive_session"
SESSION_COOKIE_SECURE: Final = "__Host-archive_session"  # production: Secure, Path=/, no Domain
SESSION_LIFETIME: Final = timedelta(hours=10)  # one working day
# Failed logins are counted from the audit trail, so the limit holds across API replicas.
MAX_FAILED_LOGINS: Final = 10
FAILED_LOGIN_WINDOW: Final = timedelta(minutes=15)
# A hash to verify against when the username is unknown, so that both answers take as long.
_DUMMY_HASH: Final = PasswordHasher().hash(secrets.token_urlsafe(16))


class LoginRequired(Exception):
    """A web page was asked for without a valid session: answered by a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass(frozen=True)
class WebUser:
    """The caller of a web request: who, in which office, and their session's CSRF token."""

    principal: Principal
    display_name: str
    office_code: str
    office_name: str
    csrf_token: str
    session_id: int


def hash_session_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def cookie_name(settings: Settings) -> str:
    return SESSION_COOKIE_SECURE if settings.environment == "production" else SESSION_COOKIE


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def check_password(session: Session, *, username: str, password: str) -> User | None:
    """The active user with this username and password, else None (in the same time either way)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.password_hash:
        accounts.verify_password(User(password_hash=_DUMMY_HASH), password)
        return None
    if not accounts.verify_password(user, password) or not user.active:
        return None
    return user


def too_many_failures(session: Session, *, username: str, now: datetime | None = None) -> bool:
    """Whether ``username`` has failed to log in too often lately (a brake on password guessing)."""
    since = (now or datetime.now(UTC)) - FAILED_LOGIN_WINDOW
    failures = session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.action == "auth.login-failed",
            AuditEvent.object_id == username.strip()[:64],
            AuditEvent.at >= since,
        )
    )
    return int(failures or 0) >= MAX_FAILED_LOGINS


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
    )


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        cookie_name(settings),
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.environment == "production",
        path="/",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(settings),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.environment == "production",
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
    """The logged-in user of a page; without one the browser is sent to the login page."""
    user = _from_cookie(request, services)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user


def web_api_user(request: Request, services: ServicesDep) -> WebUser:
    """The logged-in user of a web JSON call; 401 without one."""
    user = _from_cookie(request, services)
    if user is None:
        raise Unauthorized("AUTH-SESSION-REQUIRED", "Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.")
    return user


OptionalWebUserDep = Annotated[WebUser | None, Depends(optional_web_user)]
WebUserDep = Annotated[WebUser, Depends(web_user)]
WebApiUserDep = Annotated[WebUser, Depends(web_api_user)]


def safe_next(value: str | None) -> str:
    """A same-site path to go to after login (never another site: no scheme, no "//")."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ho-so"
