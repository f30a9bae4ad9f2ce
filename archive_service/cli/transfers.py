"""``archive-service transfer …``: nộp lưu from the command line — export, verify, import, confirm, list.

Other programs call these: ``verify`` exits 0 for a valid bag and 1 for an invalid one (one problem a line on
stdout); every refusal is its code and Vietnamese message on stderr with exit 2, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from archive_service.cli.acting import ADDR, as_user
from archive_service.transfers import service

transfer_app = typer.Typer(help="Nộp lưu: gói BagIt của hồ sơ, kiểm tra, nhận vào kho, xác nhận.", no_args_is_help=True)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

UserOption = Annotated[str, typer.Option("--user", help="Người thực hiện (tên đăng nhập)")]


@transfer_app.command("export")
def export(
    dossier: Annotated[list[int], typer.Option("--dossier", help="Mã hồ sơ (lặp lại cho nhiều hồ sơ)")],
    out_dir: Annotated[Path, typer.Option("--out", help="Thư mục ghi gói nộp lưu")],
    user: UserOption,
    target: Annotated[
        str, typer.Option(help="office-archive (lưu trữ cơ quan) | historical-archive (kho lưu trữ cấp ủy)")
    ] = "office-archive",
) -> None:
    """Lập gói nộp lưu (BagIt) của các hồ sơ; in đường dẫn gói. Hồ sơ chuyển trạng thái khi bên nhận xác nhận."""
    with as_user(user) as (services, principal):
        result = service.export_transfer(services, principal, dossier, target=target, out_dir=out_dir, addr=ADDR)
    err.print(
        f"Đợt nộp lưu số {result.transfer.id}: {len(result.transfer.dossier_ids)} hồ sơ "
        f"({', '.join(result.transfer.file_codes)}), mã gói {result.transfer.bag_digest}.",
        highlight=False,
    )
    typer.echo(str(result.bag_path))


@transfer_app.command("verify")
def verify(path: Annotated[Path, typer.Argument(help="Thư mục gói nộp lưu")]) -> None:
    """Kiểm tra một gói nhận được: mã SHA-256 mọi tệp, bản kê, siêu dữ liệu ho-so.xml. Mã thoát 0 hợp lệ, 1 không."""
    report = service.verify(path)
    if report.valid:
        dossiers = len(report.metadata.dossiers) if report.metadata else 0
        typer.echo(f"Hợp lệ: {path} ({dossiers} hồ sơ, mã gói {report.digest}).")
        return
    for problem in report.problems:
        typer.echo(problem)
    raise typer.Exit(1)


@transfer_app.command("import")
def import_(path: Annotated[Path, typer.Argument(help="Thư mục gói nộp lưu")], user: UserOption) -> None:
    """Nhận gói vào kho này (hồ sơ, văn bản, bản gốc); in đường dẫn biên nhận (receipt.json) gửi lại bên giao."""
    with as_user(user) as (services, principal):
        result = service.import_bag(services, principal, path, addr=ADDR)
    receipt = result.receipt
    err.print(
        f"Đã nhận {receipt['dossier_count']} hồ sơ, {receipt['document_count']} văn bản, {receipt['file_count']} tệp.",
        highlight=False,
    )
    typer.echo(str(result.receipt_path))


@transfer_app.command("confirm")
def confirm(
    transfer_id: Annotated[int, typer.Argument(help="Số đợt nộp lưu")],
    receipt: Annotated[Path, typer.Option("--receipt", help="Biên nhận receipt.json của bên nhận")],
    user: UserOption,
) -> None:
    """Xác nhận đợt nộp lưu bằng biên nhận của bên nhận: hồ sơ chuyển sang trạng thái đã nộp lưu."""
    with as_user(user) as (services, principal):
        view = service.confirm_transfer(services, principal, transfer_id, service.read_receipt(receipt), addr=ADDR)
    typer.echo(f"Đợt nộp lưu số {view.id}: {service.STATE_LABELS[view.state]} ({', '.join(view.file_codes)}).")


@transfer_app.command("list")
def list_(user: UserOption, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Các đợt nộp lưu người dùng được xem."""
    with as_user(user) as (services, principal):
        views = service.list_transfers(services, principal)
    for v in views:
        if as_json:
            row = {"id": v.id, "state": v.state, "target": v.target, "file_codes": v.file_codes, "bag": v.bag_name}
            typer.echo(json.dumps(row, ensure_ascii=False))
        else:
            typer.echo(f"{v.id}\t{v.state}\t{v.target}\t{v.bag_name}\t{', '.join(v.file_codes)}")
