"""``archive-service jobs``: the job queue for the local operator — its backlog, and failed jobs queued again."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from archive_service.accounts.service import OPERATOR
from archive_service.cli.acting import ADDR, JsonOption, operator
from archive_service.jobs import service

jobs_app = typer.Typer(help="Hàng đợi công việc nền: xem số việc chờ, xếp lại việc lỗi.", no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


@jobs_app.command("summary")
def summary(as_json: JsonOption = False) -> None:
    """Số việc chờ, đang xử lý, lỗi theo loại; tốc độ xử lý; các tiến trình xử lý đang chạy."""
    with operator() as services:
        got = service.job_summary(services, OPERATOR)
    if as_json:
        sys.stdout.write(got.model_dump_json(indent=2) + "\n")
        return
    oldest = "—" if got.oldest_queued_s is None else f"{got.oldest_queued_s:.0f} giây"
    out.print(f"Hàng đợi: {got.queued} chờ · {got.running} đang xử lý · {got.failed} lỗi (chờ lâu nhất: {oldest})")
    out.print(f"Xong trong 5 phút qua: {got.done_last_5_min}; trong 60 phút qua: {got.done_last_60_min}")
    out.print(f"Tiến trình xử lý đang chạy: {len(got.live_workers)} {' '.join(got.live_workers)}".rstrip())
    for k in got.kinds:
        out.print(f"  {k.label} ({k.kind}): {k.queued} chờ, {k.running} đang xử lý, {k.failed} lỗi")


@jobs_app.command("retry")
def retry(
    all_failed: Annotated[bool, typer.Option("--all", help="Xếp lại mọi việc bị lỗi")] = False,
    document: Annotated[list[int] | None, typer.Option("--document", help="Số văn bản (nhắc lại được)")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Chỉ loại công việc này (nhắc lại được)")] = None,
) -> None:
    """Xếp lại vào hàng đợi các việc bị lỗi (số lần thử tính lại từ đầu); văn bản kẹt xử lý được đọc lại."""
    if not all_failed and not document:
        err.print("Cần --all hoặc ít nhất một --document SỐ.")
        raise typer.Exit(2)
    with operator() as services:
        count = service.retry_failed(services, OPERATOR, document_ids=document or None, kinds=kind or None, addr=ADDR)
    out.print(f"Đã xếp lại {count} công việc vào hàng đợi.")
