"""``archive-service dossiers``: a dossier's life from the command line — show, checklist, close, keep back.

Each command acts as a user (``--user``, default admin) through the same use cases as the API and the web pages,
so the same roles, states and holds apply, and every step is audited. A refusal prints ``CODE: message`` on
stderr and exits 2; ``--json`` prints what was made as the API answers it (scripts read that).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from archive_service.cli.acting import ADDR, JsonOption, UserOption, as_user
from archive_service.records import outputs, service
from archive_service.records.lifecycle import STATE_LABELS

dossiers_app = typer.Typer(help="Hồ sơ: xem trạng thái, kiểm tra, kết thúc, giữ lại.", no_args_is_help=True)

out = Console(soft_wrap=True)

DossierId = Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="Số hiệu hồ sơ")]


def _json(value: BaseModel | list[BaseModel]) -> None:
    data = [v.model_dump(mode="json") for v in value] if isinstance(value, list) else value.model_dump(mode="json")
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@dossiers_app.command("show")
def show(dossier_id: DossierId, user: UserOption = "admin", as_json: JsonOption = False) -> None:
    """Trạng thái của hồ sơ, tệp lưu trữ và quá trình (ai, khi nào, từ trạng thái nào sang trạng thái nào)."""
    with as_user(user) as (services, principal):
        view = service.state_view(services, principal, dossier_id)
        files = service.record_files(services, principal, dossier_id, addr=ADDR, via="cli")
        steps = service.history(services, principal, dossier_id, addr=ADDR, via="cli")
    d = view.dossier
    pages = d.page_total if view.cleared else None  # a sum over documents the user may not read stays unsaid
    if as_json:
        payload = {
            "id": d.id,
            "title": d.title,
            "state": d.state,
            "state_label": view.state_label,
            "retention": d.retention,
            "page_total": pages,
            "closed_at": d.closed_at.isoformat() if d.closed_at else None,
            "locked_until": d.locked_until.isoformat() if d.locked_until else None,
            "legal_hold": d.legal_hold,
            "kept_until": d.kept_until.isoformat() if d.kept_until else None,
            "next_steps": [s.name for s in view.steps],
            "record_files": [outputs.file_out(f).model_dump(mode="json") for f in files],
            "history": [h.model_dump(mode="json") for h in steps],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"Hồ sơ {d.id}: {escape(d.title)}")
    shown = "—" if pages is None else str(pages)
    out.print(f"Trạng thái: {view.state_label}; thời hạn bảo quản: {d.retention}; số trang: {shown}")
    if d.legal_hold:
        out.print("Khóa lưu trữ: giữ vĩnh viễn (legal hold)")
    elif d.locked_until:
        out.print(f"Khóa lưu trữ đến: {d.locked_until:%d/%m/%Y}")
    if view.steps:
        out.print("Bước tiếp theo: " + ", ".join(f"{s.label} ({s.name})" for s in view.steps))
    for f in files:
        out.print(f"Tệp {f.id}: {service.kind_label(f.kind)} — {escape(f.filename)}")
    for h in steps:
        before, after = h.from_state or "", h.to_state or ""
        moved = f": {STATE_LABELS.get(before, before)} → {STATE_LABELS.get(after, after)}"
        out.print(f"{h.at:%d/%m/%Y %H:%M} {h.label} ({h.user or '—'}){moved if h.from_state else ''}")


@dossiers_app.command("checklist")
def checklist(dossier_id: DossierId, user: UserOption = "admin", as_json: JsonOption = False) -> None:
    """Danh sách kiểm tra trước khi kết thúc: văn bản đang đọc, bản nháp, bản trùng, số trang, thời hạn tối thiểu."""
    with as_user(user) as (services, principal):
        found = service.checklist(services, principal, dossier_id, addr=ADDR, via="cli")
    shaped = outputs.checklist_out(found)
    if as_json:
        _json(shaped)
        return
    out.print(f"Hồ sơ {found.dossier_id}: {shaped.state_label}; {found.held} văn bản, {found.pages} trang")
    if found.hidden:
        out.print(f"({found.hidden} văn bản bạn không được xem)")
    for item in found.reading:
        out.print(f"Đang đọc: {item.document_id} {escape(item.filename)}")
    for item in found.take_out:
        out.print(f"Cần đưa ra: {item.document_id} {escape(item.filename)} — {escape(item.reason)}")
    for item in found.no_pages:
        out.print(f"Chưa có số trang: {item.document_id} {escape(item.filename)}")
    out.print(f"Thời hạn tối thiểu: {found.minimum or 'không có'} ({found.minimum_note})")
    for line in shaped.open_items:
        out.print(f"Còn vướng: {escape(line)}")


@dossiers_app.command("close")
def close(
    dossier_id: DossierId,
    retention: Annotated[str, typer.Option("--retention", help='Thời hạn bảo quản: "vinh-vien" hoặc "10-nam"')],
    take_out: Annotated[
        list[int] | None, typer.Option("--take-out", min=1, help="Số hiệu văn bản cần đưa ra (lặp lại được)")
    ] = None,
    user: UserOption = "admin",
    as_json: JsonOption = False,
) -> None:
    """Kết thúc hồ sơ: lập chứng từ kết thúc, mục lục văn bản (vĩnh viễn), khóa bản gốc; in những gì đã lập."""
    with as_user(user) as (services, principal):
        closed = service.close_dossier(
            services, principal, dossier_id, retention=retention, take_out=list(take_out or []), addr=ADDR
        )
    shaped = outputs.closed_out(closed)
    if as_json:
        _json(shaped)
        return
    out.print(f"Đã kết thúc hồ sơ {shaped.dossier_id}: thời hạn {shaped.retention}, {shaped.page_total} trang")
    if shaped.taken_out:
        out.print("Đã đưa ra khỏi hồ sơ: " + ", ".join(str(i) for i in shaped.taken_out))
    for f in shaped.files:
        out.print(f"Tệp {f.id}: {f.kind_label} — {escape(f.filename)} ({f.sha256[:12]}…)")
    if shaped.legal_hold:
        out.print("Khóa lưu trữ: giữ vĩnh viễn (legal hold)")
    elif shaped.locked_until:
        out.print(f"Khóa lưu trữ đến: {shaped.locked_until:%d/%m/%Y}")


@dossiers_app.command("keep")
def keep(
    dossier_id: DossierId,
    until: Annotated[str, typer.Option("--until", help="Giữ lại đến ngày (YYYY-MM-DD)")],
    consent: Annotated[str, typer.Option("--consent", help="Văn bản đồng ý của người đứng đầu: số, ngày")],
    user: UserOption = "admin",
    as_json: JsonOption = False,
) -> None:
    """Giữ lại hồ sơ tại đơn vị (NĐ 30/2020 Điều 30.2): tối đa 2 năm sau hạn nộp lưu."""
    with as_user(user) as (services, principal):
        try:
            day = date.fromisoformat(until)
        except ValueError:
            message = f"Ngày “{until}” không hợp lệ: ghi YYYY-MM-DD."
            raise service.KeepInvalid("DOSSIER-KEEP-BAD-DATE", message) from None
        kept = service.keep(services, principal, dossier_id, until=day, consent=consent, addr=ADDR)
    shaped = outputs.kept_out(kept)
    if as_json:
        _json(shaped)
        return
    until_text = f"{shaped.kept_until:%d/%m/%Y}"
    out.print(f"Hồ sơ {shaped.dossier_id}: {shaped.state_label} đến {until_text} ({escape(shaped.consent)})")
