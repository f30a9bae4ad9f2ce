"""``archive-service file-plans``: the danh mục hồ sơ from the command line — create (or import), list, approve,
export.

``create --office VPTU --year 2026 --from plan.yaml`` reads the whole tree from a YAML or JSON file (the body of
``POST /api/v1/file-plans``: ``headings`` with their ``entries`` and sub-``headings``). Each command acts as a user
(``--user``, default admin) through the same use cases as the API and the web pages, so the same roles apply and
every change is audited. A refusal prints ``CODE: message`` on stderr and exits 2; ``--json`` prints the plan as the
API answers it.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape

from archive_service.cli.acting import ADDR, JsonOption, UserOption, as_user
from archive_service.fileplans import service
from archive_service.fileplans.service import ExportFormat
from schemas import yaml_text
from schemas.fileplans import FilePlanApprove, FilePlanCreate, FilePlanOut

file_plans_app = typer.Typer(
    help="Danh mục hồ sơ (NĐ 30/2020 Điều 28): lập, nhập từ tệp, phê duyệt, xuất.", no_args_is_help=True
)

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

PlanId = Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="Số hiệu danh mục (file-plans list)")]


def _json(value: BaseModel | list[Any]) -> None:
    data = [v.model_dump(mode="json") for v in value] if isinstance(value, list) else value.model_dump(mode="json")
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _read_tree(path: Path | None) -> dict[str, Any]:
    """The plan's tree from a YAML or JSON file (JSON is YAML too), or nothing."""
    if path is None:
        return {}
    try:
        loaded = yaml_text.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        err.print(f"[red]FILE-PLAN-FILE-INVALID[/red]: không đọc được {escape(str(path))}: {escape(str(exc))}")
        raise typer.Exit(2) from exc
    if not isinstance(loaded, dict):
        err.print("[red]FILE-PLAN-FILE-INVALID[/red]: tệp phải là một đối tượng có headings/entries.")
        raise typer.Exit(2)
    return loaded


def _summary(plan: FilePlanOut) -> str:
    c = plan.counts
    state = f"đã phê duyệt (Quyết định số {plan.decision_number})" if plan.approved else "chưa phê duyệt"
    return (
        f"Danh mục số {plan.id} — {plan.office_name} ({plan.office_code}), năm {plan.year}, {state}: {c.total} hồ sơ "
        f"({c.permanent} vĩnh viễn, {c.term} có thời hạn)."
    )


@file_plans_app.command("create")
def create(
    year: Annotated[int, typer.Option("--year", min=1900, max=2200, help="Năm của danh mục")],
    office: Annotated[str | None, typer.Option("--office", help="Mã đơn vị (mặc định: đơn vị của người dùng)")] = None,
    source: Annotated[
        Path | None, typer.Option("--from", exists=True, dir_okay=False, help="Tệp YAML/JSON: cây đề mục và hồ sơ")
    ] = None,
    numbering: Annotated[str, typer.Option("--numbering", help="plan (01… suốt danh mục) | heading")] = "plan",
    user: UserOption = "admin",
    as_json: JsonOption = False,
) -> None:
    """Lập danh mục hồ sơ năm của đơn vị, có thể nhập cả cây đề mục và hồ sơ từ tệp."""
    body = {"numbering": numbering, **_read_tree(source), "year": year}
    if office:
        body["office_code"] = office
    try:
        data = FilePlanCreate.model_validate(body)
    except ValidationError as exc:
        for problem in exc.errors()[:10]:
            where = ".".join(str(p) for p in problem["loc"])
            err.print(f"[red]REQUEST-INVALID[/red]: {escape(where)}: {escape(problem['msg'])}")
        raise typer.Exit(2) from None
    with as_user(user) as (services, principal):
        plan = service.create_plan(services, principal, data, addr=ADDR)
    if as_json:
        _json(plan)
    else:
        out.print(escape(_summary(plan)))


@file_plans_app.command("list")
def list_plans(
    year: Annotated[int | None, typer.Option("--year", min=1900, max=2200, help="Chỉ năm này")] = None,
    user: UserOption = "admin",
    as_json: JsonOption = False,
) -> None:
    """Các danh mục hồ sơ người dùng được xem."""
    with as_user(user) as (services, principal):
        plans = service.list_plans(services, principal, year=year)
    if as_json:
        _json(plans)
        return
    for p in plans:
        state = "đã phê duyệt" if p.approved else "chưa phê duyệt"
        out.print(escape(f"{p.id}\t{p.office_code}\t{p.year}\t{state}\t{p.counts.total} hồ sơ\t{p.title}"))


@file_plans_app.command("approve")
def approve(
    plan_id: PlanId,
    decision: Annotated[str, typer.Option("--decision", help="Số quyết định ban hành, ví dụ 15-QĐ/VPTU")],
    decision_date: Annotated[datetime, typer.Option("--date", formats=["%Y-%m-%d"], help="Ngày quyết định")],
    approver: Annotated[str, typer.Option("--approver", help="Người đứng đầu cơ quan phê duyệt")],
    user: UserOption = "admin",
    as_json: JsonOption = False,
) -> None:
    """Ghi nhận quyết định phê duyệt danh mục (chỉ quản trị)."""
    data = FilePlanApprove(
        decision_number=decision, decision_date=date.fromisoformat(f"{decision_date:%Y-%m-%d}"), approver_name=approver
    )
    with as_user(user) as (services, principal):
        plan = service.approve(services, principal, plan_id, data, addr=ADDR)
    if as_json:
        _json(plan)
    else:
        out.print(escape(_summary(plan)))


@file_plans_app.command("export")
def export(
    plan_id: PlanId,
    out_path: Annotated[Path, typer.Option("--out", dir_okay=False, help="Tệp sẽ ghi")],
    fmt: Annotated[str, typer.Option("--format", help="pdf | docx | xlsx")] = "pdf",
    user: UserOption = "admin",
) -> None:
    """Xuất danh mục theo mẫu Phụ lục V.I Nghị định 30/2020."""
    if fmt not in ("pdf", "docx", "xlsx"):
        err.print(f"[red]REQUEST-INVALID[/red]: định dạng “{escape(fmt)}” không có: pdf, docx hoặc xlsx.")
        raise typer.Exit(2)
    chosen: ExportFormat = fmt  # type: ignore[assignment]
    with as_user(user) as (services, principal):
        file = service.export(services, principal, plan_id, chosen, addr=ADDR)
    out_path.write_bytes(file.body)
    err.print(f"Đã ghi {escape(str(out_path))} ({len(file.body)} byte).")
