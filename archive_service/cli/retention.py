"""The retention commands: ``archive-service retention list`` and ``archive-service reminders``.

Both read as the local operator (the person at the server's shell, trusted as an admin for reading, as in
``cli/accounts.py``): every office, or one with ``--office``. ``--json`` prints the API's shape for scripts;
errors are ``CODE: message`` on stderr and exit 2.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from archive_service.catalog.access import Principal
from archive_service.catalog.models import Role
from archive_service.cli.acting import operator
from archive_service.retention import reminders, service

retention_app = typer.Typer(help="Bảng thời hạn bảo quản hồ sơ, tài liệu.", no_args_is_help=True)

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

# Reads only: no audit event is written under this principal, so it needs no user row.
OPERATOR_READER = Principal(user_id=0, username="operator", role=Role.ADMIN, office_id=0, all_offices=True)

JsonOption = Annotated[bool, typer.Option("--json", help="JSON (cho script) thay cho bảng")]
OfficeOption = Annotated[str | None, typer.Option("--office", help="Mã đơn vị; mặc định: mọi đơn vị")]


@retention_app.command("list")
def list_schedule(office: OfficeOption = None, as_json: JsonOption = False) -> None:
    """Các nhóm và thời hạn bảo quản đang áp dụng; nhóm “Đề xuất” chưa đối chiếu với 35-HD/VPTW."""
    with operator() as services:
        schedule = service.read_schedule(services, OPERATOR_READER, office_code=office)
    if as_json:
        sys.stdout.write(schedule.model_dump_json(indent=2) + "\n")
        return
    table = Table("Mã nhóm", "Nhóm", "Thời hạn", "Độ tin cậy", "Phiên bản")
    for g in schedule.groups:
        confidence = "Đề xuất" if g.confidence == "proposal" else g.confidence_label
        table.add_row(g.code, escape(g.title), g.retention_label, confidence, str(g.version) if g.version else "gốc")
    out.print(table)
    if schedule.proposals:
        err.print(
            f"{schedule.proposals}/{len(schedule.groups)} nhóm là giá trị đề xuất: chưa đọc được bảng thời hạn "
            "bảo quản của 35-HD/VPTW; văn phòng cần đối chiếu và sửa."
        )


def reminders_command(office: OfficeOption = None, as_json: JsonOption = False) -> None:
    """Nhắc việc: hồ sơ đến hạn nộp lưu (30 ngày), quá hạn nộp lưu, giữ lại quá hạn, hết thời hạn bảo quản."""
    with operator() as services:
        found = reminders.reminders(services, OPERATOR_READER, office_code=office)
    if as_json:
        sys.stdout.write(found.model_dump_json(indent=2) + "\n")
        return
    for section in found.sections:
        out.print(f"[bold]{escape(section.title)}[/bold]: {section.count}")
        for i in section.items:
            when = f"còn {i.days} ngày" if i.days >= 0 else f"quá {-i.days} ngày"
            line = f"  #{i.dossier_id}\t{i.office_code}\t{i.file_code or '-'}\t{i.due_on:%d/%m/%Y} ({when})\t{i.title}"
            out.print(escape(line))
