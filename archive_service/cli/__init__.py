"""The command line: serve, db upgrade, users, tokens, offices (in ``cli_accounts``), ingest, verify, inspect, check."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from archive_service.accounts import first_admin
from archive_service.accounts.service import bootstrap_first_admin
from archive_service.cli.accounts import offices_app, tokens_app, users_app
from archive_service.cli.appraisals import appraisal_app
from archive_service.cli.backup import backup_app
from archive_service.cli.dossiers import dossiers_app
from archive_service.cli.drift import print_blob_drift, print_index_drift
from archive_service.cli.fileplans import file_plans_app
from archive_service.cli.jobs import jobs_app
from archive_service.cli.retention import reminders_command, retention_app
from archive_service.cli.signatures import signatures_app
from archive_service.cli.transfers import transfer_app
from archive_service.cli.worker import worker
from archive_service.config import describe_invalid, get_settings
from archive_service.errors import AppError
from archive_service.services import Services, open_services
from schemas.accounts import FirstAdmin

app = typer.Typer(help="archive-service: lưu trữ và kiểm tra văn bản, hồ sơ hội nghị cấp ủy.", no_args_is_help=True)
db_app = typer.Typer(help="Cơ sở dữ liệu danh mục (catalog).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(offices_app, name="offices")
app.add_typer(retention_app, name="retention")
app.command("reminders")(reminders_command)
app.add_typer(transfer_app, name="transfer")
app.add_typer(dossiers_app, name="dossiers")
app.add_typer(file_plans_app, name="file-plans")
app.add_typer(appraisal_app, name="appraisal")
app.add_typer(signatures_app, name="signatures")
app.add_typer(jobs_app, name="jobs")
app.add_typer(backup_app, name="backup")
app.command("worker")(worker)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def _settings_or_exit() -> None:
    # Every command reads the ARCHIVE_* settings first: a bad value is one line each and exit 2, no traceback.
    try:
        get_settings()
    except ValidationError as exc:
        for line in describe_invalid(exc):
            sys.stderr.write(line + "\n")
        raise typer.Exit(2) from None


def _services(*, migrate: bool = True) -> Services:
    return open_services(get_settings(), migrate=migrate)


def bootstrap_admin(services: Services) -> FirstAdmin | None:
    """On an empty catalog, create office VP and user ``admin`` and save their secrets to the 0600 file.

    Returns what was made (None when the catalog has users): the caller prints where the file is, never
    the token, and the one-time password only to a terminal (stdout and logs are read by others).
    """
    path = first_admin.first_admin_file(services.settings.data_dir)
    return bootstrap_first_admin(services, keep=lambda first: first_admin.save(path, first))


def announce_first_admin(first: FirstAdmin, data_dir: Path) -> None:
    """Tell the operator on stderr where the first admin's token and one-time password are."""
    path = first_admin.first_admin_file(data_dir)
    err.print(f"[bold]Đã tạo tài khoản quản trị đầu tiên: {first.username}[/bold] (đơn vị VP).")
    err.print(
        f"Mã truy cập API (dòng 1) và mật khẩu dùng một lần (dòng 2) đã lưu vào {path}, chỉ chủ sở hữu đọc được; "
        f"trong script: TOKEN=$(head -1 {path})"
    )
    if sys.stderr.isatty():
        err.print(
            f"Mật khẩu dùng một lần của {first.username}: [bold]{first.password}[/bold] — đăng nhập web và đổi ngay "
            "(chỉ hiện lần này). Quên thì: archive-service users set-password admin"
        )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Địa chỉ lắng nghe")] = None,
    port: Annotated[int | None, typer.Option(help="Cổng")] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=0, help="Số luồng xử lý công việc nền trong tiến trình này (0: chỉ phục vụ HTTP)"),
    ] = None,
    processes: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Số tiến trình HTTP cùng nghe một cổng (mỗi tiến trình có các luồng --workers riêng); "
            "nên bằng số nhân CPU",
        ),
    ] = 1,
) -> None:
    """Chạy dịch vụ HTTP (migrate the catalog, then serve)."""
    import uvicorn

    from archive_service.app import create_app
    from archive_service.metrics import multiproc as metrics_folder

    settings = get_settings()
    if workers is not None:
        settings = settings.model_copy(update={"workers": workers})
        os.environ["ARCHIVE_WORKERS"] = str(workers)  # the processes below read their settings from it
    services = open_services(settings, migrate=True)
    first = bootstrap_admin(services)
    if first is not None:
        announce_first_admin(first, settings.data_dir)
    bind_host, bind_port = host or settings.host, port or settings.port
    if processes > 1:
        # Stateless replicas on one machine: each process opens its own catalog connections, blob and search
        # clients (the catalog is migrated above, once); uvicorn hands the listening socket to every one.
        services.close()
        metrics_folder.prepare(settings.data_dir)  # the processes' request counters summed in one folder
        uvicorn.run(
            "archive_service.app:app_from_environment",
            factory=True,
            workers=processes,
            host=bind_host,
            port=bind_port,
            log_level="info",
        )
        return
    uvicorn.run(create_app(settings, services=services), host=bind_host, port=bind_port, log_level="info")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the catalog schema to the newest revision."""
    services = _services(migrate=True)
    out.print(f"Catalog đã cập nhật: {services.engine.url.render_as_string(hide_password=True)}")
    services.close()


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (walked recursively)")],
    dossier: Annotated[int, typer.Option(help="Số hiệu hồ sơ nhận văn bản")],
    user: Annotated[str, typer.Option(help="Người nhập (tên đăng nhập)")] = "admin",
    process: Annotated[bool, typer.Option(help="Parse and check right away")] = True,
    electronic: Annotated[
        bool, typer.Option(help="Văn bản điện tử đã ban hành: bắt buộc có chữ ký số (thiếu thì báo SIG-MISSING)")
    ] = False,
) -> None:
    """Bulk import a folder tree into a dossier; rerunning skips what is already in (by SHA-256)."""
    from archive_service.documents.ingest import ingest_paths
    from archive_service.workers.jobs import run_pending_jobs

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
            report = ingest_paths(
                services,
                files,
                dossier_id=dossier,
                username=user,
                on_file=lambda: bar.advance(task),
                electronic=electronic,
            )
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

    from archive_service.documents.verify import verify

    services = _services()
    drift = verify(services, deep=not quick, repair=repair, orphan_grace=timedelta(minutes=grace_minutes))
    out.print(f"Đã kiểm tra {drift.checked_rows} bản ghi, {drift.checked_blobs} bản gốc.")
    print_blob_drift(out, drift)
    if drift.stuck:
        out.print("Chạy [bold]archive-service jobs retry --document ID[/bold] để xếp lại hàng đợi.")
    clean = drift.clean
    if index:
        from archive_service.search.service import index_drift

        idx = index_drift(services)
        outdated = not services.search.schema_is_current()
        if outdated:
            out.print("[yellow]CHỈ MỤC PHIÊN BẢN CŨ[/yellow] chỉ mục tìm kiếm được dựng theo cấu trúc cũ.")
        print_index_drift(out, idx)
        if outdated or not idx.clean:
            out.print("Chạy [bold]archive-service reindex[/bold] để dựng lại chỉ mục tìm kiếm.")
        clean = clean and idx.clean and not outdated
    if clean:
        out.print("[green]Không có sai lệch.[/green]")
    raise typer.Exit(0 if clean else 1)


@app.command()
def reindex(batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500) -> None:
    """Dựng lại chỉ mục tìm kiếm từ catalog và đổi sang chỉ mục mới không gián đoạn."""
    from archive_service.search.service import reindex_all

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
    trust_dir: Annotated[
        Path | None,
        typer.Option(
            "--trust-dir",
            envvar="ARCHIVE_SIGNATURE_TRUST_DIR",
            help="Thư mục chứng thư gốc tin cậy (PEM/DER, .crl) để kiểm tra chuỗi chứng thư của chữ ký số",
        ),
    ] = None,
    electronic: Annotated[
        bool, typer.Option("--electronic", help="Văn bản điện tử đã ban hành: thiếu chữ ký số là lỗi (SIG-MISSING)")
    ] = False,
) -> None:
    """Kiểm tra thể thức, thẩm quyền ban hành và chữ ký số, không cần máy chủ (exit 0 ok, 1 có lỗi, 2 không đọc
    được)."""
    from archive_service.cli.check import run_check

    if profile not in {"auto", "party", "state"}:
        err.print("--profile phải là auto, party hoặc state")
        raise typer.Exit(2)
    if trust_dir is not None and not trust_dir.is_dir():
        err.print(f"--trust-dir: không có thư mục {trust_dir}")
        raise typer.Exit(2)
    raise typer.Exit(
        run_check(
            list(paths), as_json=as_json, profile=profile, out=sys.stdout, trust_dir=trust_dir, electronic=electronic
        )
    )


@app.command("audit")
def audit_command(
    user: Annotated[str | None, typer.Option(help="Tên đăng nhập")] = None,
    office: Annotated[str | None, typer.Option(help="Mã đơn vị của đối tượng")] = None,
    action: Annotated[str | None, typer.Option(help='Mã hành động; "document.*" cho mọi hành động về văn bản')] = None,
    object_type: Annotated[str | None, typer.Option(help="document, dossier, user, office, search, audit")] = None,
    object_id: Annotated[str | None, typer.Option(help="Mã đối tượng")] = None,
    since: Annotated[str | None, typer.Option(help="Từ ngày (YYYY-MM-DD hoặc ngày/tháng/năm, UTC)")] = None,
    until: Annotated[str | None, typer.Option(help="Đến hết ngày (YYYY-MM-DD hoặc ngày/tháng/năm, UTC)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Số sự kiện tối đa")] = 100,
    as_csv: Annotated[bool, typer.Option("--csv", help="Toàn bộ sự kiện khớp, dạng CSV ra stdout")] = False,
) -> None:
    """Đọc nhật ký truy cập và thay đổi (mới nhất trước); --csv để xuất."""
    from archive_service.audit.service import AuditFilter, day_end, day_start, export_trail, read_trail
    from archive_service.web.dates import parse_optional_date

    try:
        start, end = parse_optional_date(since), parse_optional_date(until)
    except ValueError as exc:
        err.print("[red]AUDIT-BAD-DATE[/red]: ngày không hợp lệ (YYYY-MM-DD hoặc ngày/tháng/năm).")
        raise typer.Exit(2) from exc
    f = AuditFilter(
        username=user,
        office_code=office,
        object_type=object_type,
        object_id=object_id,
        action=action,
        since=day_start(start),
        until=day_end(end),
    )
    services = _services()
    try:
        if as_csv:
            sys.stdout.buffer.write(export_trail(services, None, f, addr=None, via="cli").body)
            return
        items, total = read_trail(services, None, f, limit=limit, offset=0, addr=None, via="cli")
    except AppError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message}")
        raise typer.Exit(2) from exc
    # One line an event (greppable), newest first: time, user, action, object, office, address, details.
    for e in items:
        details = json.dumps(e.details, ensure_ascii=False) if e.details else ("(ẩn)" if e.redacted else "")
        line = "\t".join(
            [
                e.at.strftime("%Y-%m-%d %H:%M:%S"),
                e.username or "-",
                e.action,
                f"{e.object_type}:{e.object_id or ''}",
                e.office_code or "-",
                e.client_addr or "-",
                details,
            ]
        )
        sys.stdout.write(line + "\n")
    err.print(f"{len(items)}/{total} sự kiện (mới nhất trước).")
