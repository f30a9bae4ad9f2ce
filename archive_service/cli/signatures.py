"""``archive-service signatures``: the operator's side of digital signatures.

``recheck`` queues every signed document for a new reading after the trust anchors in
``ARCHIVE_SIGNATURE_TRUST_DIR`` changed (a root installed, a CRL refreshed): signatures are verified when a
document is read, so the documents read before keep their old verdict until then. The workers (``serve`` or
``worker``) do the reading; ``--wait`` runs them here until the queue is empty.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from archive_service.cli.acting import ADDR, UserOption, as_user
from archive_service.documents import service

signatures_app = typer.Typer(
    help="Chữ ký số: kiểm tra lại sau khi thay đổi chứng thư gốc tin cậy.", no_args_is_help=True
)

out = Console(soft_wrap=True)


@signatures_app.command("recheck")
def recheck(
    user: UserOption = "admin",
    office: Annotated[int | None, typer.Option("--office", min=1, help="Chỉ văn bản của đơn vị này")] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Đọc và kiểm tra ngay tại đây, chờ đến khi xong")] = False,
) -> None:
    """Xếp hàng đọc và kiểm tra lại mọi văn bản có chữ ký số (sau khi cài hoặc gỡ chứng thư gốc, CRL)."""
    with as_user(user) as (services, principal):
        queued = service.verify_signatures_again(services, principal, office_id=office, addr=ADDR, via="cli")
        if wait and queued:
            from archive_service.workers.jobs import run_pending_jobs

            run_pending_jobs(services)
    out.print(
        f"Đã xếp hàng kiểm tra lại {queued} văn bản có chữ ký số." + (" Đã kiểm tra xong." if wait and queued else "")
    )
