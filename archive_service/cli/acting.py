"""Who a command acts as, and how its refusals reach the shell — one place for every ``archive-service`` command.

A command that changes or reads records on someone's behalf names them with ``--user``: it gets that user's
principal (role, office, clearance), so the CLI is held to the same rules as the API and the web and its audit
events name a real person; a disabled account is refused like a revoked token. A command of the local operator
(accounts, the retention schedule) needs no user. Either way an AppError becomes ``CODE: message`` on stderr and
exit 2 — never a traceback — so that scripts can tell a refusal (2) from a finding (1).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.config import get_settings
from archive_service.errors import AppError, Forbidden
from archive_service.services import Services, open_services

ADDR = "cli"
"""The client address every CLI audit event carries."""

UserOption = Annotated[str, typer.Option("--user", help="Thực hiện với tư cách người dùng này (tên đăng nhập)")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON (cho script) thay cho văn bản")]

_err = Console(stderr=True, soft_wrap=True, highlight=False)


def refuse(exc: AppError) -> typer.Exit:
    """Print the refusal as ``CODE: message`` on stderr; the exit (code 2) for the caller to raise."""
    _err.print(f"[red]{exc.code}[/red]: {escape(exc.message)}")
    return typer.Exit(2)


@contextmanager
def operator() -> Iterator[Services]:
    """The services for one command of the local operator; an AppError becomes a refusal (exit 2)."""
    services = open_services(get_settings())
    try:
        yield services
    except AppError as exc:
        raise refuse(exc) from exc
    finally:
        services.close()


def principal_for(services: Services, username: str) -> Principal:
    """The principal of this user (404 unknown, 403 when the account is disabled)."""
    with transaction(services.factory) as session:
        user = accounts.get_user(session, username)
        if not user.active:
            raise Forbidden("USER-DISABLED", f"Tài khoản {username} đang bị khóa.")
        return accounts.principal_of(user)


@contextmanager
def as_user(username: str) -> Iterator[tuple[Services, Principal]]:
    """The services and the principal of ``--user``; an AppError becomes a refusal (exit 2)."""
    with operator() as services:
        yield services, principal_for(services, username)


__all__ = ["ADDR", "JsonOption", "UserOption", "as_user", "operator", "principal_for", "refuse"]
