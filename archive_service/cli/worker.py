"""``archive-service worker [--threads N] [--exit-when-idle]``: run the job workers in a process of their own.

Start as many as the machines allow, on any machine sharing the catalog (PostgreSQL), the blob store and the
search index; ``serve --workers 0`` then serves only. Workers do not migrate the catalog: ``serve`` or
``archive-service db upgrade`` does, before. The edge parses its options and hands over to
``archive_service.workers.process``.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from archive_service.config import get_settings
from archive_service.services import open_services


def worker(
    threads: Annotated[int, typer.Option(min=1, help="Số luồng xử lý công việc trong tiến trình này")] = 1,
    exit_when_idle: Annotated[
        bool, typer.Option(help="Dừng khi không còn công việc nào chờ hoặc đang chạy (đo hiệu năng, kiểm thử)")
    ] = False,
) -> None:
    """Chạy tiến trình xử lý công việc nền (đọc, kiểm tra, OCR văn bản) — chạy được trên nhiều máy."""
    from archive_service.workers.process import run_worker  # the readers load only in a worker, not every command

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The catalog is migrated by `serve` or `db upgrade`, never by many workers starting at once.
    services = open_services(get_settings(), migrate=False)
    try:
        code = run_worker(services, threads=threads, exit_when_idle=exit_when_idle)
    finally:
        services.close()
    raise typer.Exit(code)
