"""``archive-service appraisal``: xác định giá trị tài liệu and destruction from the command line.

Each command acts as the user named by ``--user`` (their role and office decide, as on the web), calls one use case
of ``archive_service.appraisals`` and prints its result (``--json`` for scripts). A refusal is ``CODE: message`` on
stderr and exit 2. Destruction asks for the decision number again (``--confirm``), as the web form does.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from archive_service.appraisals import destruction, service
from archive_service.cli.acting import as_user

appraisal_app = typer.Typer(
    help="Xác định giá trị tài liệu: hồ sơ hết hạn, đề nghị, hội đồng, quyết định, hủy.", no_args_is_help=True
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

User = Annotated[str, typer.Option("--user", help="Tên đăng nhập của người thực hiện")]
AppraisalId = Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="Số đợt xác định giá trị")]
Json = Annotated[bool, typer.Option("--json", help="JSON (cho script)")]


def _print(data: dict[str, Any], as_json: bool, line: str) -> None:
    if as_json:
        out.print(json.dumps(data, ensure_ascii=False, default=str))
    else:
        out.print(line)


def _summary(view: service.AppraisalView) -> dict[str, Any]:
    a = view.appraisal
    return {
        "id": a.id,
        "state": a.state,
        "dossiers": [{"id": d.dossier.id, "code": d.code, "state": d.dossier.state} for d in view.dossiers],
        "decision_number": a.decision_number,
        "record_files": [{"id": f.id, "filename": f.filename} for f in view.files],
    }


@appraisal_app.command("expired")
def expired_command(user: User, as_json: Json = False) -> None:
    """Hồ sơ đã hết thời hạn bảo quản (đã kết thúc hoặc ở lưu trữ cơ quan, không bị đóng băng)."""
    with as_user(user) as (services, principal):
        items = service.expired(services, principal)
    rows = [
        {
            "dossier_id": e.dossier.id,
            "code": e.dossier.file_code or f"HS-{e.dossier.id}",
            "title": e.dossier.title,
            "retention": e.retention.code,
            "kept_until": e.kept_until.isoformat(),
        }
        for e in items
    ]
    if as_json:
        out.print(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        out.print(f"{r['dossier_id']}\t{r['code']}\t{r['retention']}\t{r['kept_until']}\t{escape(str(r['title']))}")
    err.print(f"{len(rows)} hồ sơ hết thời hạn bảo quản.")


@appraisal_app.command("propose")
def propose_command(
    dossiers: Annotated[list[int], typer.Argument(help="Số các hồ sơ hết thời hạn bảo quản")],
    user: User,
    as_json: Json = False,
) -> None:
    """Đưa hồ sơ ra hội đồng xác định giá trị; lập danh mục tài liệu hết giá trị."""
    with as_user(user) as (services, principal):
        made = service.propose(services, principal, dossiers, addr=None)
        view = service.view(services, principal, made.id, addr=None, via="cli")
    _print(_summary(view), as_json, f"Đã lập đợt xác định giá trị số {made.id} ({len(view.dossiers)} hồ sơ).")


@appraisal_app.command("council")
def council_command(
    appraisal_id: AppraisalId,
    user: User,
    member: Annotated[list[str], typer.Option("--member", help="Thành viên hội đồng (lặp lại cho mỗi người)")],
    day: Annotated[str, typer.Option("--date", help="Ngày họp (YYYY-MM-DD)")],
    opinion: Annotated[str, typer.Option("--opinion", help="Ý kiến của hội đồng")],
    as_json: Json = False,
) -> None:
    """Ghi thành viên, ngày họp và ý kiến của Hội đồng xác định giá trị tài liệu."""
    with as_user(user) as (services, principal):
        service.record_council(
            services, principal, appraisal_id, members=member, day=_date(day), opinion=opinion, addr=None
        )
        view = service.view(services, principal, appraisal_id, addr=None, via="cli")
    _print(_summary(view), as_json, f"Đã ghi ý kiến hội đồng cho đợt số {appraisal_id}.")


@appraisal_app.command("approve")
def approve_command(
    appraisal_id: AppraisalId,
    user: User,
    number: Annotated[str, typer.Option("--number", help="Số quyết định")],
    day: Annotated[str, typer.Option("--date", help="Ngày quyết định (YYYY-MM-DD)")],
    approver: Annotated[str, typer.Option("--approver", help="Người ký quyết định")],
    keep: Annotated[list[int] | None, typer.Option("--keep", help="Hồ sơ tiếp tục bảo quản (lặp lại)")] = None,
    as_json: Json = False,
) -> None:
    """Ghi quyết định của người đứng đầu cơ quan (quản trị)."""
    with as_user(user) as (services, principal):
        service.approve(
            services,
            principal,
            appraisal_id,
            decision_number=number,
            decision_date=_date(day),
            approver_name=approver,
            keep_ids=keep or [],
            addr=None,
        )
        view = service.view(services, principal, appraisal_id, addr=None, via="cli")
    _print(_summary(view), as_json, f"Đã ghi quyết định số {number} cho đợt số {appraisal_id}.")


@appraisal_app.command("destroy")
def destroy_command(
    appraisal_id: AppraisalId,
    user: User,
    confirm: Annotated[str, typer.Option("--confirm", help="Gõ lại số quyết định hủy")],
    as_json: Json = False,
) -> None:
    """Hủy tài liệu đã được duyệt hủy; giữ thông tin mô tả, lập biên bản hủy."""
    with as_user(user) as (services, principal):
        report = destruction.destroy(services, principal, appraisal_id, confirm=confirm, addr=None)
    data = {
        "appraisal_id": appraisal_id,
        "dossier_ids": report.dossier_ids,
        "destroyed_document_ids": report.destroyed_document_ids,
        "kept_document_ids": report.kept_document_ids,
        "deleted_blobs": report.deleted_blobs,
        "record_files": [{"id": f.id, "filename": f.filename} for f in report.record_files],
    }
    line = (
        f"Đã hủy {len(report.destroyed_document_ids)} văn bản của {len(report.dossier_ids)} hồ sơ "
        f"({report.deleted_blobs} tệp bị xóa); biên bản hủy: " + ", ".join(f.filename for f in report.record_files)
    )
    _print(data, as_json, line)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print("[red]REQUEST-INVALID[/red]: ngày phải viết dạng YYYY-MM-DD.")
        raise typer.Exit(2) from None
