"""Browser sessions and the brakes on password guessing, as catalog reads and writes (no HTTP here).

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
caused it. The use cases that sign in and out are in ``accounts.service``.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Final, Literal

from argon2 import PasswordHasher
from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from archive_service.accounts.validation import fold_username
from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.models import AuditEvent, Office, User, WebSession

SESSION_LIFETIME: Final = timedelta(hours=10)  # one working day
FAILED_LOGIN_WINDOW: Final = timedelta(minutes=15)
MAX_FAILED_LOGINS: Final = 10  # one user name from one client address
MAX_FAILED_LOGINS_PER_CLIENT: Final = 30  # one client address, any user names
MAX_FAILED_LOGINS_PER_USER: Final = 100  # one user name, any client addresses
LOGIN_FAILED: Final = "auth.login-failed"
LOGIN_LOCKED: Final = "auth.login-locked"  # refused during a lock: never counted


@cache
def dummy_hash() -> str:
    """A hash of nobody's password, verified when the user is unknown so that the answer takes as long.

    Made once per process (an Argon2 hash: ~0.1 s), not at import: the CLI and the workers never need it.
    ``serve`` makes it at start (``app.create_app``), so that no sign-in pays for it and none is slower than another.
    """
    return PasswordHasher().hash(secrets.token_urlsafe(16))


LockScope = Literal["user-client", "client", "user"]


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


@dataclass(frozen=True)
class LoginLock:
    """Why logins are refused for now, and until when."""

    scope: LockScope
    until: datetime

    def minutes_left(self, now: datetime | None = None) -> int:
        seconds = (self.until - (now or datetime.now(UTC))).total_seconds()
        return max(1, math.ceil(seconds / 60))


def hash_session_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def check_password(session: Session, *, username: str, password: str) -> User | None:
    """The active user with this username (any case) and password, else None (in the same time either way)."""
    user = accounts.find_user(session, fold_username(username))
    if user is None or not user.password_hash:
        accounts.verify_password(User(password_hash=dummy_hash()), password)
        return None
    if not accounts.verify_password(user, password) or not user.active:
        return None
    return user


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
    checks: list[tuple[LockScope, list[ColumnElement[bool]], int]] = [
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
