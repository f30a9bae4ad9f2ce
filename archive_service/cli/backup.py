"""``archive-service backup create|restore``: one consistent, checkable backup of the catalog and the blobs, and its
restore onto empty stores, proved by the checks of ``verify``.

Exit codes as everywhere in the CLI: 0 done (and, for a restore, verified clean), 1 restored but ``verify``
found drift (printed), 2 refused with ``CODE: message`` and nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from archive_service.backup.service import RestoreResult, create_backup, restore_backup
from archive_service.cli.acting import refuse
from archive_service.cli.drift import print_blob_drift, print_index_drift
from archive_service.config import get_settings
from archive_service.errors import AppError
from archive_service.services import Services, open_services

T = TypeVar("T")

backup_app = typer.Typer(
    help="Sao lưu và khôi phục danh mục và bản gốc cùng lúc (chỉ mục tìm kiếm được dựng lại).", no_args_is_help=True
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def _bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _with_progress(services: Services, label: str, work: Callable[[Callable[[int], None]], T]) -> T:
    """Run ``work`` with a progress bar it advances by blobs; a refusal becomes the CLI's exit; the services close."""
    try:
        with _bar() as bar:
            task = bar.add_task(label, total=None)
            return work(lambda n: bar.advance(task, n))
    except AppError as exc:
        raise refuse(exc) from exc
    finally:
        services.close()


@backup_app.command("create")
def create(
    to: Annotated[Path, typer.Option("--to", help="Thư mục mới hoặc rỗng nhận bản sao lưu (quyền 0700)")],
) -> None:
    """Sao lưu: danh mục trước (pg_dump hoặc SQLite backup), rồi mọi bản gốc nó tham chiếu, rồi manifest.json."""
    services = open_services(get_settings())
    result = _with_progress(services, "Sao lưu bản gốc", lambda advance: create_backup(services, to, progress=advance))
    m = result.manifest
    out.print(
        f"Đã sao lưu vào {result.folder}: danh mục {m.catalog.kind} (phiên bản {m.catalog.revision}), "
        f"{len(m.blobs)} bản gốc, tổng {_mb(m.total_bytes)}, trong {result.seconds:.1f} giây."
    )
    out.print("Kiểm tra bản sao (không cần dịch vụ): cd THƯ-MỤC && sha256sum -c manifest.sha256")


@backup_app.command("restore")
def restore(
    source: Annotated[Path, typer.Option("--from", help="Thư mục bản sao lưu (có manifest.json)")],
) -> None:
    """Khôi phục vào các kho rỗng mà cấu hình hiện tại chỉ tới, dựng lại chỉ mục tìm kiếm, rồi kiểm tra như verify."""
    services = open_services(get_settings(), migrate=False)  # an empty catalog must stay empty until checked
    result = _with_progress(
        services, "Khôi phục bản gốc", lambda advance: restore_backup(services, source, progress=advance)
    )
    _report(result)
    raise typer.Exit(0 if result.clean else 1)


def _report(result: RestoreResult) -> None:
    m, put = result.manifest, result.put
    out.print(
        f"Đã khôi phục bản sao lưu lúc {m.created_at:%d/%m/%Y %H:%M} UTC: danh mục phiên bản {m.catalog.revision}, "
        f"{put.blobs} bản gốc ({put.retained} khóa thời hạn, {put.held} giữ pháp lý áp dụng lại), "
        f"{result.indexed} văn bản được lập chỉ mục, trong {result.seconds:.1f} giây."
    )
    if put.lapsed:
        out.print(f"[yellow]{len(put.lapsed)} bản gốc đã hết thời hạn khóa kể từ khi sao lưu: không khóa lại.[/yellow]")
    drift = result.drift
    print_blob_drift(out, drift)
    print_index_drift(out, result.index)
    if result.clean:
        out.print(f"[green]Kiểm tra sau khôi phục: {drift.checked_rows} bản ghi, không có sai lệch.[/green]")
    else:
        out.print("[red]Kiểm tra sau khôi phục có sai lệch (xem trên); chạy archive-service verify để xem lại.[/red]")
