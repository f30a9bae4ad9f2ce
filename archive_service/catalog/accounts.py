"""Offices, users, API tokens and passwords."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.access import Principal
from archive_service.catalog.models import ApiToken, Office, Role, User
from archive_service.errors import Conflict, NotFound, Unauthorized

_hasher = PasswordHasher()
TOKEN_PREFIX = "arch_"
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is a safe stored form."""
    return hashlib.sha256(token.encode()).hexdigest()


def get_or_create_office(session: Session, *, code: str, name: str | None = None) -> Office:
    """The office with this code, created when missing."""
    office = session.scalar(select(Office).where(Office.code == code))
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
) -> User:
    """A new user; refuses a taken username."""
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise Conflict("USER-EXISTS", f"Tên đăng nhập {username} đã tồn tại.")
    user = User(
        username=username,
        role=role.value,
        office_id=office.id,
        display_name=display_name or username,
        password_hash=_hasher.hash(password) if password else None,
        clearance=clearance,
        all_offices=all_offices,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, username: str) -> User:
    """The user with this username; NotFound when there is none."""
    user = session.scalar(select(User).where(User.username == username))
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
    """Whether ``password`` matches the user's argon2 hash."""
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
