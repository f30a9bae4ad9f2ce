"""Account use cases: each checks the caller, validates, writes and leaves its audit event in one transaction.

The caller is an admin ``Principal`` (API, web) or ``OPERATOR``, the person at the server's shell running
``archive-service`` (CLI): whoever can run the CLI can read the catalog's configuration anyway, so the
operator may do what an admin may; their events carry no user and ``{"via": "cli"}`` with the OS account.

Rules every edge gets from here:
- offices are created only by ``create_office`` (never as a side effect of creating a user);
- user names are lower case, office codes upper case, and both are looked up whatever the case typed;
- a password set by someone else (an admin, the operator, the first start) must be changed at the next web
  login; a user changing their own clears that;
- disabling a user ends their web sessions and stops their tokens; nobody disables themselves, and the last
  active admin can be neither disabled nor demoted;
- a token is shown once, in the answer of the call that made it; lists show its prefix only.
"""

from __future__ import annotations

import getpass
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive_service.accounts import sessions, token_cache, validation
from archive_service.accounts.sessions import LoginLock, WebUser
from archive_service.catalog import accounts, audit
from archive_service.catalog.access import Principal
from archive_service.catalog.db import reading, transaction
from archive_service.catalog.models import ApiToken, Office, Role, User
from archive_service.errors import AppError, Conflict, NotFound
from archive_service.services import Services
from schemas.accounts import (
    FirstAdmin,
    IssuedToken,
    OfficeCreate,
    OfficeOut,
    TokenOut,
    UserCreate,
    UserCreated,
    UserOut,
    UserUpdate,
)

FIRST_OFFICE_CODE: Final = "VP"
FIRST_OFFICE_NAME: Final = "Văn phòng"
FIRST_ADMIN: Final = "admin"
# One-time passwords: no 0/o, 1/l/i to misread when typed from a terminal; 16 characters ≈ 79 bits.
_OTP_ALPHABET: Final = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class LocalOperator:
    """The person running ``archive-service`` on the server (the CLI): trusted as an admin, audited as such."""


OPERATOR: Final = LocalOperator()
Caller = Principal | LocalOperator
UserRef = int | str  # a user's id (API) or name (CLI)


class PasswordWrong(AppError):
    """The current password given to change one's own password does not match."""

    status_code = 400


class LoginFailed(AppError):
    """A sign-in with an unknown name, a wrong password or a disabled account: one answer for all three."""

    status_code = 400


class LoginLocked(AppError):
    """Too many failed sign-ins lately (see ``accounts.sessions``): refused until the lock ends."""

    status_code = 429


# ---------------------------------------------------------------- helpers


def _require_admin(caller: Caller) -> None:
    if isinstance(caller, Principal):
        caller.require_role(Role.ADMIN)


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry (a container's arbitrary uid)
        return None


def _record(
    session: Session,
    caller: Caller,
    action: str,
    *,
    object_type: str,
    object_id: int,
    office_id: int,
    addr: str | None,
    via: str | None,
    **details: Any,
) -> None:
    """The audit event of a change (never with a password or a token in ``details``).

    ``via`` says which edge asked (api, web, cli, bootstrap); the operator's events also name the OS account.
    """
    if isinstance(caller, LocalOperator):
        details = {"via": via or "cli", "os_user": _os_user(), **details}
    else:
        details = {"via": via or "api", **details}
    audit.record(
        session,
        principal=caller if isinstance(caller, Principal) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        client_addr=addr,
        details=details,
        office_id=office_id,
    )


def _office(session: Session, code: str) -> Office:
    office = accounts.find_office(session, code)
    if office is None:
        shown = validation.fold_office_code(code) or code
        raise NotFound(
            "OFFICE-NOT-FOUND",
            f"Không có đơn vị mã {shown!r}. Tạo đơn vị trước: archive-service offices create {shown} "
            '--name "Tên đơn vị" (hoặc POST /api/v1/offices).',
        )
    return office


def _user(session: Session, ref: UserRef) -> User:
    user = session.get(User, ref) if isinstance(ref, int) else accounts.find_user(session, ref)
    if user is None:
        raise NotFound("USER-NOT-FOUND", f"Không có người dùng {ref}.")
    return user


def _utc(value: datetime) -> datetime:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return _utc(value) if value is not None else None


def _user_out(user: User, office_code: str) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role).value,
        office_id=user.office_id,
        office_code=office_code,
        clearance=user.clearance,
        all_offices=user.all_offices,
        active=user.active,
        has_password=bool(user.password_hash),
        must_change_password=user.must_change_password,
        created_at=_utc(user.created_at),
    )


def _out(session: Session, user: User) -> UserOut:
    office = session.get(Office, user.office_id)
    return _user_out(user, office.code if office else "")


def _token_out(row: ApiToken, username: str) -> TokenOut:
    return TokenOut(
        id=row.id,
        user_id=row.user_id,
        username=username,
        prefix=row.prefix,
        label=row.label,
        created_at=_utc(row.created_at),
        last_used_at=_utc_or_none(row.last_used_at),
        revoked_at=_utc_or_none(row.revoked_at),
    )


def _office_out(office: Office, user_count: int = 0) -> OfficeOut:
    return OfficeOut(
        id=office.id, code=office.code, name=office.name, created_at=_utc(office.created_at), user_count=user_count
    )


def _other_active_admins(session: Session, user: User) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id)
        )
        or 0
    )


def _issue(session: Session, user: User, label: str) -> IssuedToken:
    token = accounts.issue_token(session, user=user, label=label)
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == accounts.hash_token(token))).one()
    return IssuedToken(token=token, info=_token_out(row, user.username))


def one_time_password() -> str:
    """A random password to be typed once and changed: four groups of four, e.g. ``k7dm-x2qa-…``."""
    chars = "".join(secrets.choice(_OTP_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


# ---------------------------------------------------------------- offices


def create_office(
    services: Services, caller: Caller, data: OfficeCreate, *, addr: str | None = None, via: str | None = None
) -> OfficeOut:
    """A new office (đơn vị) with its code and Vietnamese name; OFFICE-EXISTS when the code is taken."""
    _require_admin(caller)
    code = validation.normalize_office_code(data.code)
    name = validation.clean_text(data.name, code="OFFICE-INVALID-NAME", what="Tên đơn vị", required=True)
    try:
        return _insert_office(services, caller, code, name, addr=addr, via=via)
    except IntegrityError as exc:  # created by someone else at the same moment
        raise Conflict("OFFICE-EXISTS", f"Đơn vị mã {code} đã có.") from exc


def _insert_office(
    services: Services, caller: Caller, code: str, name: str, *, addr: str | None, via: str | None
) -> OfficeOut:
    with transaction(services.factory) as session:
        existing = accounts.find_office(session, code)
        if existing is not None:
            raise Conflict("OFFICE-EXISTS", f"Đơn vị mã {existing.code} đã có: {existing.name}.")
        office = Office(code=code, name=name)
        session.add(office)
        session.flush()
        _record(
            session,
            caller,
            "office.create",
            object_type="office",
            object_id=office.id,
            office_id=office.id,
            addr=addr,
            via=via,
            code=code,
            name=name,
        )
        return _office_out(office)


def list_offices(services: Services, caller: Caller) -> list[OfficeOut]:
    """Every office with how many users it has, by code."""
    _require_admin(caller)
    with transaction(services.factory) as session:
        counts = dict(session.execute(select(User.office_id, func.count()).group_by(User.office_id)).all())
        return [_office_out(o, int(counts.get(o.id, 0))) for o in session.scalars(select(Office).order_by(Office.code))]


@dataclass(frozen=True)
class OfficeChoice:
    """An office as a filter offers it: its id, code and Vietnamese name."""

    id: int
    code: str
    name: str


def offices_to_pick(services: Services, principal: Principal) -> list[OfficeChoice]:
    """The offices a caller may pick in a filter (reports, search): every office, or only their own."""
    with transaction(services.factory) as session:
        query = select(Office).order_by(Office.code)
        if not principal.sees_every_office:
            query = query.where(Office.id == principal.office_id)
        return [OfficeChoice(o.id, o.code, o.name) for o in session.scalars(query)]


# ---------------------------------------------------------------- users


def create_user(
    services: Services,
    caller: Caller,
    data: UserCreate,
    *,
    addr: str | None = None,
    via: str | None = None,
    token_label: str = "",
) -> UserCreated:
    """A new user in an existing office, with a password and an API token when asked."""
    _require_admin(caller)
    username = validation.normalize_username(data.username)
    display_name = validation.clean_text(data.display_name, code="USER-INVALID-NAME", what="Họ tên", required=False)
    clearance = validation.check_clearance(data.clearance)
    if data.password is not None:
        validation.check_password(data.password, username=username)
    label = validation.clean_text(token_label, code="TOKEN-INVALID-LABEL", what="Nhãn", required=False)
    clean = data.model_copy(update={"username": username, "display_name": display_name, "clearance": clearance})
    try:
        return _insert_user(services, caller, clean, label, addr=addr, via=via)
    except IntegrityError as exc:  # created by someone else at the same moment
        raise Conflict("USER-EXISTS", f"Tên đăng nhập {username} đã tồn tại.") from exc


def _insert_user(
    services: Services, caller: Caller, data: UserCreate, label: str, *, addr: str | None, via: str | None
) -> UserCreated:
    username = data.username
    with transaction(services.factory) as session:
        if accounts.find_user(session, username) is not None:
            raise Conflict("USER-EXISTS", f"Tên đăng nhập {username} đã tồn tại.")
        office = _office(session, data.office_code)
        user = accounts.create_user(
            session,
            username=username,
            role=Role(data.role),
            office=office,
            display_name=data.display_name,
            password=data.password,
            clearance=data.clearance,
            all_offices=data.all_offices,
            must_change_password=data.password_change_required,
        )
        _record(
            session,
            caller,
            "user.create",
            object_type="user",
            object_id=user.id,
            office_id=office.id,
            addr=addr,
            via=via,
            username=username,
            role=user.role,
            office=office.code,
            clearance=user.clearance,
            all_offices=user.all_offices,
            password=data.password is not None,
        )
        issued = None
        if data.issue_token:
            issued = _issue(session, user, label)
            _record(
                session,
                caller,
                "token.create",
                object_type="api_token",
                object_id=issued.info.id,
                office_id=office.id,
                addr=addr,
                via=via,
                user=username,
                prefix=issued.info.prefix,
            )
        return UserCreated(user=_user_out(user, office.code), token=issued)


def list_users(services: Services, caller: Caller, *, office_code: str | None = None) -> list[UserOut]:
    """Every user (or an office's), by office and name."""
    _require_admin(caller)
    with transaction(services.factory) as session:
        query = select(User, Office.code).join(Office, Office.id == User.office_id)
        if office_code:
            query = query.where(User.office_id == _office(session, office_code).id)
        rows = session.execute(query.order_by(Office.code, User.username)).all()
        return [_user_out(user, code) for user, code in rows]


def get_user(services: Services, caller: Caller, ref: UserRef) -> UserOut:
    _require_admin(caller)
    with transaction(services.factory) as session:
        return _out(session, _user(session, ref))


def update_user(
    services: Services,
    caller: Caller,
    ref: UserRef,
    data: UserUpdate,
    *,
    addr: str | None = None,
    via: str | None = None,
) -> UserOut:
    """Change a user's role, office, name, clearance, office grant or activity; audited with old → new."""
    _require_admin(caller)
    fields = data.model_dump(exclude_unset=True, exclude_none=True)
    with token_cache.invalidating(services.factory), transaction(services.factory) as session:
        user = _user(session, ref)
        new: dict[str, Any] = {}
        if "role" in fields:
            new["role"] = Role(fields["role"]).value
        if "office_code" in fields:
            new["office_id"] = _office(session, fields["office_code"]).id
        if "display_name" in fields:
            new["display_name"] = validation.clean_text(
                fields["display_name"], code="USER-INVALID-NAME", what="Họ tên", required=False
            )
        if "clearance" in fields:
            new["clearance"] = validation.check_clearance(fields["clearance"])
        if "all_offices" in fields:
            new["all_offices"] = bool(fields["all_offices"])
        if "active" in fields:
            new["active"] = bool(fields["active"])
        changes = {k: [getattr(user, k), v] for k, v in new.items() if getattr(user, k) != v}
        if not changes:
            return _out(session, user)
        _refuse_locking_out(
            session, caller, user, role=new.get("role", user.role), active=new.get("active", user.active)
        )
        for key, (_old, value) in changes.items():
            setattr(user, key, value)
        session.flush()
        if changes.get("active", [True, True])[1] is False:
            accounts.end_sessions(session, user_id=user.id)
        action = "user.update"
        if set(changes) == {"active"}:
            action = "user.enable" if user.active else "user.disable"
        _record(
            session,
            caller,
            action,
            object_type="user",
            object_id=user.id,
            office_id=user.office_id,
            addr=addr,
            via=via,
            username=user.username,
            changes=changes,
        )
        return _out(session, user)


def _refuse_locking_out(session: Session, caller: Caller, user: User, *, role: str, active: bool) -> None:
    """Nobody disables themselves; the last active admin stays an active admin."""
    if not active and isinstance(caller, Principal) and caller.user_id == user.id:
        raise Conflict("USER-CANNOT-DISABLE-SELF", "Bạn không thể tự khóa tài khoản của chính mình.")
    was_admin = user.role == Role.ADMIN.value and user.active
    stays_admin = role == Role.ADMIN.value and active
    if was_admin and not stays_admin and _other_active_admins(session, user) == 0:
        raise Conflict(
            "USER-LAST-ADMIN",
            f"{user.username} là quản trị viên duy nhất còn hoạt động; hãy tạo hoặc mở lại một quản trị viên khác "
            "trước khi khóa hoặc đổi vai trò tài khoản này.",
        )


def disable_user(
    services: Services, caller: Caller, ref: UserRef, *, addr: str | None = None, via: str | None = None
) -> UserOut:
    """Disable a user: their tokens and web sessions stop working at once (enable_user undoes it)."""
    return update_user(services, caller, ref, UserUpdate(active=False), addr=addr, via=via)


def enable_user(
    services: Services, caller: Caller, ref: UserRef, *, addr: str | None = None, via: str | None = None
) -> UserOut:
    return update_user(services, caller, ref, UserUpdate(active=True), addr=addr, via=via)


# ---------------------------------------------------------------- passwords


def set_password(
    services: Services,
    caller: Caller,
    ref: UserRef,
    password: str,
    *,
    change_required: bool = True,
    addr: str | None = None,
    via: str | None = None,
) -> UserOut:
    """An admin (or the operator) sets a user's password, e.g. a reset; the user's web sessions end.

    Unless ``change_required`` is False, the web app asks the user for a new one at the next login (an admin
    setting their own password through this call is the user changing their own: nothing is asked).
    """
    _require_admin(caller)
    with transaction(services.factory) as session:
        user = _user(session, ref)
        validation.check_password(password, username=user.username)
        own = isinstance(caller, Principal) and caller.user_id == user.id
        accounts.set_password(user, password, must_change=change_required and not own)
        ended = accounts.end_sessions(session, user_id=user.id)
        _record(
            session,
            caller,
            "user.password-set",
            object_type="user",
            object_id=user.id,
            office_id=user.office_id,
            addr=addr,
            via=via,
            username=user.username,
            change_required=user.must_change_password,
            sessions_ended=ended,
        )
        return _out(session, user)


def change_own_password(
    services: Services,
    principal: Principal,
    *,
    current: str,
    new: str,
    repeat: str | None = None,
    keep_session_id: int | None = None,
    addr: str | None = None,
    via: str = "web",
) -> None:
    """A user changes their own password (any role): the current one is checked, the demand to change cleared.

    A wrong current password counts as a failed login of that user from ``addr`` (the sign-in limits hold
    here too, so an unattended session cannot be used to guess the password); ``repeat`` is the new one
    typed again. Their other web sessions end (a password is changed when it may be known to someone else).
    """
    with transaction(services.factory) as session:
        lock = sessions.login_lock(session, username=principal.username, client_addr=addr)
        wrong = False
        if lock is None:
            if repeat is not None and repeat != new:
                raise AppError("PASSWORD-MISMATCH", "Hai lần nhập mật khẩu mới không khớp nhau.")
            user = _user(session, principal.user_id)
            wrong = not user.active or not accounts.verify_password(user, current)
            if wrong:  # recorded, and the transaction kept: the failure must count even though we refuse
                audit.record(
                    session,
                    principal=principal,
                    action=sessions.LOGIN_FAILED,
                    object_type="user",
                    object_id=principal.username,
                    client_addr=addr,
                    details={"via": "password-change"},
                    office_id=principal.office_id,
                )
            else:
                _replace_own_password(session, principal, user, new, keep_session_id, addr=addr, via=via)
    if lock is not None:
        raise LoginLocked(
            "PASSWORD-LOCKED", f"Nhập sai mật khẩu quá nhiều lần; hãy thử lại sau {lock.minutes_left()} phút."
        )
    if wrong:
        raise PasswordWrong("PASSWORD-WRONG", "Mật khẩu hiện tại không đúng.")


def _replace_own_password(
    session: Session,
    principal: Principal,
    user: User,
    new: str,
    keep_session_id: int | None,
    *,
    addr: str | None,
    via: str,
) -> None:
    validation.check_password(new, username=user.username)
    if accounts.verify_password(user, new):
        raise validation.InvalidAccountInput("PASSWORD-UNCHANGED", "Mật khẩu mới phải khác mật khẩu hiện tại.")
    accounts.set_password(user, new, must_change=False)
    ended = accounts.end_sessions(session, user_id=user.id, keep_session_id=keep_session_id)
    _record(
        session,
        principal,
        "user.password-change",
        object_type="user",
        object_id=user.id,
        office_id=user.office_id,
        addr=addr,
        via=via,
        sessions_ended=ended,
    )


# ---------------------------------------------------------------- signing in and out


@dataclass(frozen=True)
class SignIn:
    """A session opened: the cookie's value (shown to nobody else) and whether a new password comes first."""

    cookie: str
    must_change_password: bool


def _lock_message(lock: LoginLock) -> str:
    minutes = lock.minutes_left()
    if lock.scope == "client":
        return f"Có quá nhiều lần đăng nhập sai từ máy này; hãy thử lại sau {minutes} phút."
    return f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {minutes} phút."


def prepare_sign_in() -> None:
    """Make, before the first sign-in arrives, what every sign-in of an unknown user verifies (once per process)."""
    sessions.dummy_hash()


def sign_in(services: Services, *, username: str, password: str, addr: str | None) -> SignIn:
    """Open a web session for a user name and password; every attempt, opened or refused, is audited.

    Refused with LoginLocked (429) while a lock holds — such an attempt is recorded as "auth.login-locked"
    and counts toward no lock — and with LoginFailed (400) for a wrong name or password, which counts.
    """
    name = validation.fold_username(username)
    with transaction(services.factory) as session:
        lock = sessions.login_lock(session, username=name, client_addr=addr)
        user = None if lock else sessions.check_password(session, username=name, password=password)
        if user is None:
            audit.record(
                session,
                principal=None,
                action=sessions.LOGIN_LOCKED if lock else sessions.LOGIN_FAILED,
                object_type="user",
                object_id=name or None,
                client_addr=addr,
                details={"lock": lock.scope} if lock else None,
            )
            opened = None
        else:
            cookie = sessions.start_session(session, user=user)
            audit.record(
                session,
                principal=accounts.principal_of(user),
                action="auth.login",
                object_type="user",
                object_id=user.id,
                client_addr=addr,
                office_id=user.office_id,
            )
            opened = SignIn(cookie=cookie, must_change_password=user.must_change_password)
    if lock is not None:
        raise LoginLocked("AUTH-LOGIN-LOCKED", _lock_message(lock))
    if opened is None:
        raise LoginFailed("AUTH-LOGIN-FAILED", "Tên đăng nhập hoặc mật khẩu không đúng.")
    return opened


def sign_out(services: Services, user: WebUser, *, addr: str | None) -> None:
    """End the caller's web session (their others stay open); audited."""
    with transaction(services.factory) as session:
        sessions.end_session(session, session_id=user.session_id)
        audit.record(
            session,
            principal=user.principal,
            action="auth.logout",
            object_type="user",
            object_id=user.principal.user_id,
            client_addr=addr,
            office_id=user.principal.office_id,
        )


def web_user(services: Services, cookie: str) -> WebUser | None:
    """The user of a session cookie's value, or None when unknown, expired or the account is disabled.

    One SELECT on its own (``reading``: no BEGIN and COMMIT around it), read afresh at every request: a logout, a
    disabled account or a password change ends the session everywhere at once (no cache, unlike API tokens).
    """
    with reading(services.factory) as session:
        return sessions.lookup(session, cookie)


def token_principal(services: Services, token: str) -> Principal:
    """The caller an API token names (Unauthorized when unknown, revoked or its user disabled)."""
    cache = token_cache.cache_for(services.factory)
    key = accounts.hash_token(token)
    cached = cache.get(key)
    if cached is not None:  # seen a moment ago (at most token_cache_s; revocations and user changes empty it)
        return cached
    generation = cache.generation
    with transaction(services.factory) as session:  # a transaction: the token's last use is written
        principal = accounts.authenticate_token(session, token)
    cache.put(key, principal, ttl_s=services.settings.token_cache_s, generation=generation)
    return principal


# ---------------------------------------------------------------- tokens


def issue_token(
    services: Services,
    caller: Caller,
    ref: UserRef,
    *,
    label: str = "",
    addr: str | None = None,
    via: str | None = None,
) -> IssuedToken:
    """A new API token for an active user; the token is in the answer, once."""
    _require_admin(caller)
    clean_label = validation.clean_text(label, code="TOKEN-INVALID-LABEL", what="Nhãn", required=False)
    with transaction(services.factory) as session:
        user = _user(session, ref)
        if not user.active:
            raise Conflict("USER-DISABLED", f"Tài khoản {user.username} đang bị khóa; hãy mở lại trước khi cấp mã.")
        issued = _issue(session, user, clean_label)
        _record(
            session,
            caller,
            "token.create",
            object_type="api_token",
            object_id=issued.info.id,
            office_id=user.office_id,
            addr=addr,
            via=via,
            user=user.username,
            prefix=issued.info.prefix,
            label=clean_label,
        )
        return issued


def list_tokens(services: Services, caller: Caller, ref: UserRef | None = None) -> list[TokenOut]:
    """The tokens of a user (or everyone's), newest first, revoked ones included: prefix, label, dates."""
    _require_admin(caller)
    with transaction(services.factory) as session:
        query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
        if ref is not None:
            query = query.where(ApiToken.user_id == _user(session, ref).id)
        rows = session.execute(query.order_by(ApiToken.id.desc())).all()
        return [_token_out(row, username) for row, username in rows]


def _live_token(session: Session, token_id: int, owner: UserRef | None) -> tuple[ApiToken, User]:
    """The token (of ``owner`` when given) and its user; refused when unknown or already revoked."""
    row = session.get(ApiToken, token_id)
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or (owner is not None and user.id != _user(session, owner).id):
        raise NotFound("TOKEN-NOT-FOUND", f"Không có mã truy cập số {token_id}.")
    if row.revoked_at is not None:
        raise Conflict("TOKEN-ALREADY-REVOKED", f"Mã truy cập số {token_id} đã bị thu hồi trước đó.")
    return row, user


def revoke_token(
    services: Services,
    caller: Caller,
    token_id: int,
    *,
    owner: UserRef | None = None,
    addr: str | None = None,
    via: str | None = None,
) -> TokenOut:
    """Revoke a token for good (TOKEN-ALREADY-REVOKED when it was); ``owner`` checks whose it is."""
    _require_admin(caller)
    with token_cache.invalidating(services.factory), transaction(services.factory) as session:
        row, user = _live_token(session, token_id, owner)
        row.revoked_at = datetime.now(UTC)
        _record(
            session,
            caller,
            "token.revoke",
            object_type="api_token",
            object_id=row.id,
            office_id=user.office_id,
            addr=addr,
            via=via,
            user=user.username,
            prefix=row.prefix,
        )
        session.flush()
        return _token_out(row, user.username)


def rotate_token(
    services: Services,
    caller: Caller,
    token_id: int,
    *,
    owner: UserRef | None = None,
    addr: str | None = None,
    via: str | None = None,
) -> IssuedToken:
    """Replace a token: a new one with the same label, and the old one revoked, in one transaction."""
    _require_admin(caller)
    with token_cache.invalidating(services.factory), transaction(services.factory) as session:
        row, user = _live_token(session, token_id, owner)
        if not user.active:
            raise Conflict("USER-DISABLED", f"Tài khoản {user.username} đang bị khóa; hãy mở lại trước khi cấp mã.")
        row.revoked_at = datetime.now(UTC)
        issued = _issue(session, user, row.label)
        for action, object_id, link in (
            ("token.revoke", row.id, {"replaced_by": issued.info.id}),
            ("token.create", issued.info.id, {"rotated_from": row.id, "label": row.label}),
        ):
            _record(
                session,
                caller,
                action,
                object_type="api_token",
                object_id=object_id,
                office_id=user.office_id,
                addr=addr,
                via=via,
                user=user.username,
                **link,
            )
        return issued


# ---------------------------------------------------------------- the first start


def bootstrap_first_admin(services: Services, keep: Callable[[FirstAdmin], None]) -> FirstAdmin | None:
    """On an empty catalog: office VP and user ``admin`` with a one-time password and an API token.

    ``keep`` stores the secrets (the 0600 file) before the transaction commits: when it fails, the catalog
    stays empty and the next start tries again, rather than leaving an admin nobody knows the password of.
    Returns None when there is any user already (or another process made them at the same moment).
    """
    with transaction(services.factory) as session:
        if (session.scalar(select(func.count()).select_from(User)) or 0) > 0:
            return None
    password = one_time_password()
    try:
        with transaction(services.factory) as session:
            if (session.scalar(select(func.count()).select_from(User)) or 0) > 0:
                return None
            office = accounts.find_office(session, FIRST_OFFICE_CODE)
            if office is None:
                office = Office(code=FIRST_OFFICE_CODE, name=FIRST_OFFICE_NAME)
                session.add(office)
                session.flush()
                _record(
                    session,
                    OPERATOR,
                    "office.create",
                    object_type="office",
                    object_id=office.id,
                    office_id=office.id,
                    addr=None,
                    via="bootstrap",
                    code=office.code,
                    name=office.name,
                    bootstrap=True,
                )
            user = accounts.create_user(
                session,
                username=FIRST_ADMIN,
                role=Role.ADMIN,
                office=office,
                display_name="Quản trị",
                password=password,
                clearance=3,
                must_change_password=True,
            )
            issued = _issue(session, user, "bootstrap")
            _record(
                session,
                OPERATOR,
                "user.create",
                object_type="user",
                object_id=user.id,
                office_id=office.id,
                addr=None,
                via="bootstrap",
                username=user.username,
                role=user.role,
                bootstrap=True,
                password=True,
            )
            _record(
                session,
                OPERATOR,
                "token.create",
                object_type="api_token",
                object_id=issued.info.id,
                office_id=office.id,
                addr=None,
                via="bootstrap",
                user=user.username,
                prefix=issued.info.prefix,
            )
            session.flush()  # a unique-key clash with another replica surfaces here, before the secrets are kept
            first = FirstAdmin(username=FIRST_ADMIN, password=password, token=issued.token)
            keep(first)
    except (IntegrityError, Conflict):
        return None  # another replica started on the same empty catalog and won
    return first
