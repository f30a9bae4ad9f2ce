"""The command line: serve, db upgrade, users create, ingest, verify, inspect, check."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import func, select

from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Role, User
from archive_service.config import get_settings
from archive_service.errors import AppError
from archive_service.services import Services, open_services

app = typer.Typer(help="archive-service: lưu trữ và kiểm tra văn bản, hồ sơ hội nghị cấp ủy.", no_args_is_help=True)
db_app = typer.Typer(help="Cơ sở dữ liệu danh mục (catalog).", no_args_is_help=True)
users_app = typer.Typer(help="Người dùng và mã truy cập.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _services(*, migrate: bool = True) -> Services:
    return open_services(get_settings(), migrate=migrate)


def bootstrap_admin(services: Services) -> str | None:
    """On an empty catalog, create office VP and user ``admin``; return its token (shown once)."""
    with transaction(services.factory) as session:
        if (session.scalar(select(func.count()).select_from(User)) or 0) > 0:
            return None
        office = accounts.get_or_create_office(session, code="VP", name="Văn phòng")
        user = accounts.create_user(session, username="admin", role=Role.ADMIN, office=office, clearance=3)
        token = accounts.issue_token(session, user=user, label="bootstrap")
    path = services.settings.data_dir / "admin-token.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(token + "\n")
    return token


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Địa chỉ lắng nghe")] = None,
    port: Annotated[int | None, typer.Option(help="Cổng")] = None,
) -> None:
    """Chạy dịch vụ HTTP (migrate the catalog, then serve)."""
    import uvicorn

    from archive_service.api.app import create_app

    settings = get_settings()
    services = open_services(settings, migrate=True)
    token = bootstrap_admin(services)
    if token:
        out.print(f"[bold]Tài khoản quản trị đầu tiên: admin — token:[/bold] {token}")
        out.print(f"(đã lưu vào {settings.data_dir / 'admin-token.txt'}, chỉ chủ sở hữu đọc được)")
    uvicorn.run(
        create_app(settings, services=services),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the catalog schema to the newest revision."""
    services = _services(migrate=True)
    out.print(f"Catalog đã cập nhật: {services.engine.url.render_as_string(hide_password=True)}")
    services.close()


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[Role, typer.Option(help="admin | archivist | reader | auditor")] = Role.ARCHIVIST,
    office: Annotated[str, typer.Option(help="Mã đơn vị (created when missing)")] = "VP",
    office_name: Annotated[str | None, typer.Option(help="Tên đơn vị khi tạo mới")] = None,
    display_name: Annotated[str, typer.Option()] = "",
    clearance: Annotated[int, typer.Option(min=0, max=3, help="0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật")] = 0,
    all_offices: Annotated[bool, typer.Option(help="Reader granted every office")] = False,
    password: Annotated[str | None, typer.Option(help="Mật khẩu đăng nhập web (tùy chọn)")] = None,
) -> None:
    """Create a user and print a new API token (shown once)."""
    services = _services()
    try:
        with transaction(services.factory) as session:
            office_row = accounts.get_or_create_office(session, code=office, name=office_name)
            user = accounts.create_user(
                session,
                username=username,
                role=role,
                office=office_row,
                display_name=display_name,
                password=password,
                clearance=clearance,
                all_offices=all_offices,
            )
            token = accounts.issue_token(session, user=user, label="cli")
    except AppError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message}")
        raise typer.Exit(2) from exc
    sys.stdout.write(token + "\n")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (walked recursively)")],
    dossier: Annotated[int, typer.Option(help="Số hiệu hồ sơ nhận văn bản")],
    user: Annotated[str, typer.Option(help="Người nhập (tên đăng nhập)")] = "admin",
    process: Annotated[bool, typer.Option(help="Parse and check right away")] = True,
) -> None:
    """Bulk import a folder tree into a dossier; rerunning skips what is already in (by SHA-256)."""
    from archive_service.ingest import ingest_paths
    from archive_service.pipeline import run_pending_jobs

    services = _services()
    files = [p for root in paths for p in (sorted(root.rglob("*")) if root.is_dir() else [root]) if p.is_file()]
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
    ) as bar:
        task = bar.add_task("Nhập văn bản", total=len(files))
        try:
            report = ingest_paths(services, files, dossier_id=dossier, username=user, on_file=lambda: bar.advance(task))
        except AppError as exc:
            err.print(f"[red]{exc.code}[/red]: {exc.message}")
            raise typer.Exit(2) from exc
    if process:
        run_pending_jobs(services)
    out.print(f"Đã nhập {report.stored}, bỏ qua {report.duplicates} (đã có), từ chối {len(report.refused)} tệp.")
    for path, code, message in report.refused:
        err.print(f"  [yellow]{code}[/yellow] {path}: {message}")
    raise typer.Exit(1 if report.refused else 0)


@app.command("verify")
def verify_command(
    repair: Annotated[bool, typer.Option(help="Delete orphaned blobs older than the grace period")] = False,
    quick: Annotated[bool, typer.Option(help="Only check presence, not SHA-256")] = False,
    grace_minutes: Annotated[int, typer.Option(help="Orphans younger than this are left alone")] = 60,
    index: Annotated[bool, typer.Option(help="Also compare the search index with the catalog")] = True,
) -> None:
    """Check every row has its blob and every blob its SHA-256; print the drift."""
    from datetime import timedelta

    from archive_service.verify import verify

    services = _services()
    drift = verify(services, deep=not quick, repair=repair, orphan_grace=timedelta(minutes=grace_minutes))
    out.print(f"Đã kiểm tra {drift.checked_rows} bản ghi, {drift.checked_blobs} bản gốc.")
    for doc_id, key in drift.missing:
        out.print(f"[red]THIẾU[/red] văn bản {doc_id}: không có bản gốc {key}")
    for doc_id, key in drift.corrupt:
        out.print(f"[red]SAI SHA-256[/red] văn bản {doc_id}: {key}")
    for key in drift.orphans:
        state = "đã xóa" if key in drift.removed_orphans else "chưa xóa"
        out.print(f"[yellow]MỒ CÔI[/yellow] {key} ({state})")
    clean = drift.clean
    if index:
        from archive_service.search_service import index_drift

        idx = index_drift(services)
        outdated = not services.search.schema_is_current()
        if outdated:
            out.print("[yellow]CHỈ MỤC PHIÊN BẢN CŨ[/yellow] chỉ mục tìm kiếm được dựng theo cấu trúc cũ.")
        for label, ids in (
            ("THIẾU TRONG CHỈ MỤC", idx.missing),
            ("CHỈ MỤC CŨ", idx.stale),
            ("THỪA", idx.orphaned),
        ):
            for indexed_id in ids:
                out.print(f"[yellow]{label}[/yellow] văn bản {indexed_id}")
        if outdated or not idx.clean:
            out.print("Chạy [bold]archive-service reindex[/bold] để dựng lại chỉ mục tìm kiếm.")
        clean = clean and idx.clean and not outdated
    if clean:
        out.print("[green]Không có sai lệch.[/green]")
    raise typer.Exit(0 if clean else 1)


@app.command()
def reindex(batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500) -> None:
    """Dựng lại chỉ mục tìm kiếm từ catalog và đổi sang chỉ mục mới không gián đoạn."""
    from archive_service.search_service import reindex_all

    services = _services()
    count = reindex_all(services, batch_size=batch_size)
    out.print(f"Đã lập chỉ mục {count} văn bản.")


@app.command()
def inspect(
    file: Path,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """Print what the parser reads from a file (layout summary and fields), with no server."""
    from indexers.errors import ParseError
    from indexers.inspect import inspect_file

    try:
        summary = inspect_file(file)
    except ParseError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message}")
        raise typer.Exit(2) from exc
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        out.print_json(json.dumps(summary, ensure_ascii=False, default=str))


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="DOCX/PDF files")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array, an object per file")] = False,
    profile: Annotated[str, typer.Option(help="auto | party | state")] = "auto",
) -> None:
    """Kiểm tra thể thức và thẩm quyền ban hành, không cần máy chủ (exit 0 ok, 1 có lỗi, 2 không đọc được)."""
    from archive_service.validation.check_command import run_check

    if profile not in {"auto", "party", "state"}:
        err.print("--profile phải là auto, party hoặc state")
        raise typer.Exit(2)
    raise typer.Exit(run_check(list(paths), as_json=as_json, profile=profile, out=sys.stdout))
