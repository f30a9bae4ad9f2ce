"""Offices, users, API tokens and passwords: the catalog queries under the accounts use cases.

These functions neither check the caller nor validate names (``archive_service.accounts.service`` does
both, for the CLI, the API and the web app); tests and fixtures use them directly to set up accounts.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal
from archive_service.catalog.models import ApiToken, Office, Role, User, WebSession
from archive_service.errors import Conflict, NotFound, Unauthorized

_hasher = PasswordHasher()
TOKEN_PREFIX = "arch_"
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is a safe stored form."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """The argon2 hash of the password in Unicode NFC (a Vietnamese keyboard may send either form)."""
    return _hasher.hash(unicodedata.normalize("NFC", password))


def find_office(session: Session, code: str) -> Office | None:
    """The office with this code, whatever its case (``vp`` finds ``VP``); None when there is none."""
    wanted = unicodedata.normalize("NFC", code.strip()).upper()
    office = session.scalar(select(Office).where(Office.code == wanted))
    if office is None:  # a code stored before codes were upper-cased
        office = session.scalar(select(Office).where(func.upper(Office.code) == wanted).order_by(Office.id).limit(1))
    return office


def get_or_create_office(session: Session, *, code: str, name: str | None = None) -> Office:
    """The office with this code, created when missing — for tests and fixtures only.

    The CLI and the API never create an office as a side effect (``accounts.service.create_office``).
    """
    office = find_office(session, code)
    if office is None:
        office = Office(code=code, name=name or code)
        session.add(office)
        session.flush()
    return office


def create_user(
    session: Session,
    *,
    username: str,
    role: Role,
    office: Office,
    display_name: str = "",
    password: str | None = None,
    clearance: int = 0,
    all_offices: bool = False,
    must_change_password: bool = False,
) -> User:
    """A new user; refuses a taken username (whatever its case)."""
    if find_user(session, username) is not None:
        raise Conflict("USER-EXISTS", f"Tên đăng nhập {username} đã tồn tại.")
    user = User(
        username=username,
        role=role.value,
        office_id=office.id,
        display_name=display_name or username,
        password_hash=hash_password(password) if password else None,
        clearance=clearance,
        all_offices=all_offices,
        must_change_password=must_change_password and bool(password),
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, username: str) -> User | None:
    """The user with this username, whatever its case (names are stored lower case); None when there is none."""
    wanted = username.strip()
    user = session.scalar(select(User).where(User.username == wanted.lower()))
    if user is None:  # a name stored before names were lower-cased
        user = session.scalar(
            select(User).where(func.lower(User.username) == wanted.lower()).order_by(User.id).limit(1)
        )
    return user


def get_user(session: Session, username: str) -> User:
    """The user with this username; NotFound when there is none."""
    user = find_user(session, username)
    if user is None:
        raise NotFound("USER-NOT-FOUND", f"Không có người dùng {username}.")
    return user


def issue_token(session: Session, *, user: User, label: str = "") -> str:
    """A new API token for ``user``; the clear token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), prefix=token[:12], label=label))
    session.flush()
    return token


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        office_id=user.office_id,
        all_offices=user.all_offices,
        clearance=user.clearance,
    )


def authenticate_token(session: Session, token: str) -> Principal:
    """The principal a bearer token belongs to; Unauthorized when unknown, revoked or inactive."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        raise Unauthorized("AUTH-INVALID-TOKEN", "Mã truy cập (token) không hợp lệ hoặc đã bị thu hồi.")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthorized("AUTH-INVALID-TOKEN", "Tài khoản của mã truy cập này không còn hoạt động.")
    now = datetime.now(UTC)
    last = row.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite returns naive datetimes
        last = last.replace(tzinfo=UTC)
    if last is None or now - last > LAST_USED_RESOLUTION:
        row.last_used_at = now  # a write per request would serialise every call on this row
    return principal_of(user)


def verify_password(user: User, password: str) -> bool:
    """Whether ``password`` matches the user's argon2 hash (in NFC, or as typed for a hash made before NFC)."""
    if not user.password_hash:
        return False
    candidates = dict.fromkeys((unicodedata.normalize("NFC", password), password))
    for candidate in candidates:
        try:
            if _hasher.verify(user.password_hash, candidate):
                return True
        except (VerificationError, InvalidHashError):
            continue
    return False


def set_password(user: User, password: str, *, must_change: bool) -> None:
    """Store the hash of a new password; ``must_change`` makes the web app ask for another at the next login."""
    user.password_hash = hash_password(password)
    user.must_change_password = must_change


def end_sessions(session: Session, *, user_id: int, keep_session_id: int | None = None) -> int:
    """End the user's web sessions (all, or all but ``keep_session_id``); returns how many."""
    query = delete(WebSession).where(WebSession.user_id == user_id)
    if keep_session_id is not None:
        query = query.where(WebSession.id != keep_session_id)
    result = session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)
