"""The accounts commands: ``users``, ``tokens`` and ``offices`` (added to the main CLI in ``cli.py``).

Each command calls one use case of ``archive_service.accounts.service`` as the local operator and prints
its result. stdout carries only what a script captures: a new token (``users create``, ``tokens create``,
``tokens rotate``) or a table (``--json`` for scripts); messages go to stderr. An error is
``CODE: message`` on stderr and exit 2.

Passwords are read with a hidden prompt (typed twice) when stdin is a terminal, or from the first line of
stdin with ``--password-stdin``; ``--password VALUE`` is kept for throwaway scripts but warned against:
the process list and the shell history show it to every account on the server.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Final

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from archive_service.accounts import service
from archive_service.accounts.service import OPERATOR
from archive_service.catalog.models import Role
from archive_service.cli.acting import operator
from archive_service.errors import AppError
from archive_service.reports.labels import ROLE_LABELS
from archive_service.reports.text import local_time
from schemas.accounts import OfficeCreate, UserCreate, UserUpdate

users_app = typer.Typer(help="Người dùng: tạo, liệt kê, sửa, khóa, mở khóa, đặt mật khẩu.", no_args_is_help=True)
tokens_app = typer.Typer(help="Mã truy cập API (token): cấp, liệt kê, thu hồi, thay mới.", no_args_is_help=True)
offices_app = typer.Typer(help="Đơn vị (văn phòng cấp ủy): tạo, liệt kê.", no_args_is_help=True)

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

CLEARANCE_LABELS: Final = {0: "thường", 1: "Mật", 2: "Tối mật", 3: "Tuyệt mật"}
_PASSWORD_ON_COMMAND_LINE: Final = (
    "[yellow]Cảnh báo[/yellow]: mật khẩu gõ trong dòng lệnh hiện trong danh sách tiến trình (ps) và lịch sử "
    "shell; hãy dùng --password-stdin hoặc để lệnh tự hỏi."
)

JsonOption = Annotated[bool, typer.Option("--json", help="JSON (cho script) thay cho bảng")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Đọc mật khẩu từ dòng đầu của stdin")]
PasswordValue = Annotated[
    str | None, typer.Option("--password", help="Mật khẩu (hiện trong ps; nên dùng --password-stdin)")
]
TokenId = Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="Số của mã (tokens list)")]
ChangeRequired = Annotated[
    bool,
    typer.Option(
        "--change-required/--no-change-required",
        help="Buộc người dùng đổi mật khẩu ở lần đăng nhập web đầu tiên",
    ),
]


class PasswordRequired(AppError):
    status_code = 400


def _read_password(*, from_stdin: bool, given: str | None, optional: bool) -> str | None:
    """The password from ``--password``, ``--password-stdin`` or a hidden prompt (None: no password)."""
    if given is not None:
        err.print(_PASSWORD_ON_COMMAND_LINE)
        return given
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if line or optional:
            return line or None
        raise PasswordRequired("PASSWORD-REQUIRED", "Không đọc được mật khẩu từ stdin (dòng đầu trống).")
    if sys.stdin.isatty():
        question = "Mật khẩu đăng nhập web" + (" (Enter để bỏ qua: chỉ dùng mã truy cập)" if optional else "")
        value: str = typer.prompt(
            question,
            default="" if optional else None,
            show_default=False,
            hide_input=True,
            confirmation_prompt="Nhập lại mật khẩu",
            err=True,
        )
        return value or None
    if optional:
        return None
    raise PasswordRequired(
        "PASSWORD-REQUIRED", "Cần mật khẩu: chạy lệnh trong terminal để nhập, hoặc dùng --password-stdin."
    )


def _when(value: datetime | None) -> str:
    return local_time(value).strftime("%d/%m/%Y %H:%M") if value else "—"


def _print_json(items: Sequence[BaseModel]) -> None:
    sys.stdout.write(json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False, indent=2) + "\n")


def _table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title, title_justify="left")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*(escape(str(cell)) for cell in row))
    # Into a pipe or a file, one line per row (for grep), however wide, rather than 80 columns of wrapped words.
    (out if out.is_terminal else Console(width=400)).print(table)


# ---------------------------------------------------------------- offices


@offices_app.command("create")
def offices_create(
    code: Annotated[str, typer.Argument(help="Mã đơn vị, ví dụ VPTU (viết hoa khi lưu)")],
    name: Annotated[str, typer.Option("--name", help='Tên đơn vị, ví dụ "Văn phòng Tỉnh ủy Thanh Hóa"')],
) -> None:
    """Tạo đơn vị với mã và tên tiếng Việt."""
    with operator() as services:
        office = service.create_office(services, OPERATOR, OfficeCreate(code=code, name=name))
    err.print(f"Đã tạo đơn vị {escape(office.code)}: {escape(office.name)}.")


@offices_app.command("list")
def offices_list(as_json: JsonOption = False) -> None:
    """Liệt kê các đơn vị."""
    with operator() as services:
        items = service.list_offices(services, OPERATOR)
    if as_json:
        _print_json(items)
        return
    _table(
        "Đơn vị",
        ["Mã", "Tên đơn vị", "Người dùng", "Tạo lúc"],
        [(o.code, o.name, o.user_count, _when(o.created_at)) for o in items],
    )


# ---------------------------------------------------------------- users


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập: 2–64 ký tự a–z, 0–9, . _ -")],
    role: Annotated[Role, typer.Option(help="admin | archivist | reader | auditor")] = Role.ARCHIVIST,
    office: Annotated[str, typer.Option(help="Mã đơn vị đã có (archive-service offices list)")] = "VP",
    display_name: Annotated[str, typer.Option(help="Họ tên hiển thị")] = "",
    clearance: Annotated[int, typer.Option(min=0, max=3, help="0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật")] = 0,
    all_offices: Annotated[bool, typer.Option(help="Người đọc được xem mọi đơn vị")] = False,
    password_stdin: PasswordStdin = False,
    password: PasswordValue = None,
    change_required: ChangeRequired = True,
    label: Annotated[str, typer.Option(help="Nhãn của mã truy cập")] = "cli",
) -> None:
    """Tạo người dùng; in mã truy cập API (token) của họ ra stdout, chỉ một lần."""
    with operator() as services:
        secret = _read_password(from_stdin=password_stdin, given=password, optional=True)
        data = UserCreate(
            username=username,
            role=role.value,
            office_code=office,
            display_name=display_name,
            clearance=clearance,
            all_offices=all_offices,
            password=secret,
            password_change_required=change_required,
            issue_token=True,
        )
        created = service.create_user(services, OPERATOR, data, token_label=label)
    user = created.user
    err.print(
        f"Đã tạo người dùng {user.username} ({ROLE_LABELS[user.role]}, đơn vị {escape(user.office_code)})"
        + ("" if user.has_password else "; chưa có mật khẩu web (archive-service users set-password)")
        + ". Mã truy cập in ra dưới đây, chỉ một lần."
    )
    assert created.token is not None  # asked for with issue_token=True
    sys.stdout.write(created.token.token + "\n")


@users_app.command("list")
def users_list(
    office: Annotated[str | None, typer.Option(help="Chỉ người dùng của đơn vị này")] = None,
    as_json: JsonOption = False,
) -> None:
    """Liệt kê người dùng."""
    with operator() as services:
        items = service.list_users(services, OPERATOR, office_code=office)
    if as_json:
        _print_json(items)
        return
    rows = [
        (
            u.id,
            u.username,
            u.display_name,
            ROLE_LABELS.get(u.role, u.role),
            u.office_code,
            CLEARANCE_LABELS.get(u.clearance, u.clearance),
            "có" if u.all_offices else "",
            ("phải đổi" if u.must_change_password else "có") if u.has_password else "chưa có",
            "hoạt động" if u.active else "đã khóa",
        )
        for u in items
    ]
    headers = ["Số", "Tên đăng nhập", "Họ tên", "Vai trò", "Đơn vị", "Độ mật", "Mọi đơn vị", "Mật khẩu", "Trạng thái"]
    _table("Người dùng", headers, rows)


@users_app.command("update")
def users_update(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập")],
    role: Annotated[Role | None, typer.Option(help="admin | archivist | reader | auditor")] = None,
    office: Annotated[str | None, typer.Option(help="Chuyển sang đơn vị (mã đã có)")] = None,
    display_name: Annotated[str | None, typer.Option(help="Họ tên hiển thị")] = None,
    clearance: Annotated[int | None, typer.Option(min=0, max=3, help="0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật")] = None,
    all_offices: Annotated[bool | None, typer.Option("--all-offices/--own-office", help="Xem mọi đơn vị")] = None,
) -> None:
    """Sửa vai trò, đơn vị, họ tên, độ mật được xem của người dùng."""
    changes = UserUpdate(
        role=role.value if role else None,
        office_code=office,
        display_name=display_name,
        clearance=clearance,
        all_offices=all_offices,
    )
    with operator() as services:
        user = service.update_user(services, OPERATOR, username, changes)
    err.print(
        f"Đã cập nhật {user.username}: {ROLE_LABELS[user.role]}, đơn vị {escape(user.office_code)}, "
        f"độ mật {CLEARANCE_LABELS[user.clearance]}{', mọi đơn vị' if user.all_offices else ''}."
    )


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument(help="Tên đăng nhập")]) -> None:
    """Khóa người dùng: mã truy cập và phiên web của họ ngừng hoạt động ngay."""
    with operator() as services:
        user = service.disable_user(services, OPERATOR, username)
    err.print(f"Đã khóa {user.username}.")


@users_app.command("enable")
def users_enable(username: Annotated[str, typer.Argument(help="Tên đăng nhập")]) -> None:
    """Mở khóa người dùng."""
    with operator() as services:
        user = service.enable_user(services, OPERATOR, username)
    err.print(f"Đã mở khóa {user.username}.")


@users_app.command("set-password")
def users_set_password(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập")],
    password_stdin: PasswordStdin = False,
    password: PasswordValue = None,
    change_required: ChangeRequired = True,
) -> None:
    """Đặt (đặt lại) mật khẩu web; người dùng phải đổi ở lần đăng nhập tới, trừ khi --no-change-required."""
    with operator() as services:
        secret = _read_password(from_stdin=password_stdin, given=password, optional=False)
        assert secret is not None  # not optional
        user = service.set_password(services, OPERATOR, username, secret, change_required=change_required)
    tail = "; phải đổi ở lần đăng nhập tới" if user.must_change_password else ""
    err.print(f"Đã đặt mật khẩu cho {user.username}{tail}. Các phiên web của họ đã đóng.")


# ---------------------------------------------------------------- tokens


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập")],
    label: Annotated[str, typer.Option(help="Nhãn: mã dùng để làm gì")] = "",
) -> None:
    """Cấp mã truy cập API mới; in ra stdout, chỉ một lần."""
    with operator() as services:
        issued = service.issue_token(services, OPERATOR, username, label=label)
    err.print(f"Đã cấp mã số {issued.info.id} ({issued.info.prefix}…) cho {issued.info.username}; chỉ in một lần.")
    sys.stdout.write(issued.token + "\n")


@tokens_app.command("list")
def tokens_list(
    username: Annotated[str | None, typer.Argument(help="Tên đăng nhập (bỏ trống: mọi người dùng)")] = None,
    as_json: JsonOption = False,
) -> None:
    """Liệt kê mã truy cập (chỉ phần đầu của mã, không bao giờ cả mã)."""
    with operator() as services:
        items = service.list_tokens(services, OPERATOR, username)
    if as_json:
        _print_json(items)
        return
    rows = [
        (
            t.id,
            t.username,
            f"{t.prefix}…",
            t.label,
            _when(t.created_at),
            _when(t.last_used_at),
            f"thu hồi {_when(t.revoked_at)}" if t.revoked_at else "dùng được",
        )
        for t in items
    ]
    _table("Mã truy cập", ["Số", "Người dùng", "Mã", "Nhãn", "Cấp lúc", "Dùng gần nhất", "Trạng thái"], rows)


@tokens_app.command("revoke")
def tokens_revoke(token_id: TokenId) -> None:
    """Thu hồi một mã truy cập."""
    with operator() as services:
        revoked = service.revoke_token(services, OPERATOR, token_id)
    err.print(f"Đã thu hồi mã số {revoked.id} ({revoked.prefix}…) của {revoked.username}.")


@tokens_app.command("rotate")
def tokens_rotate(token_id: TokenId) -> None:
    """Thay mã: cấp mã mới cùng nhãn và thu hồi mã cũ; in mã mới ra stdout, chỉ một lần."""
    with operator() as services:
        issued = service.rotate_token(services, OPERATOR, token_id)
    err.print(f"Đã thu hồi mã số {token_id}; mã mới số {issued.info.id} cho {issued.info.username}, chỉ in một lần.")
    sys.stdout.write(issued.token + "\n")
