"""``archive-service dossiers``: a script closes a dossier and reads what was made; a refusal is ``CODE: message``
on stderr with exit 2; ``show`` and ``checklist`` print the dossier's life."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Dossier
from archive_service.cli import app
from archive_service.config import get_settings
from archive_service.services import open_services
from tests.samples import tiny_pdf

runner = CliRunner()


def _dossier_with_a_document(folder: Path) -> int:
    assert runner.invoke(app, ["offices", "create", "VP", "--name", "Văn phòng Tỉnh ủy"]).exit_code == 0
    assert runner.invoke(app, ["users", "create", "admin", "--role", "admin", "--office", "VP"]).exit_code == 0
    assert runner.invoke(app, ["users", "create", "doc", "--role", "reader", "--office", "VP"]).exit_code == 0
    services = open_services(get_settings())
    with transaction(services.factory) as s:
        office = accounts.get_or_create_office(s, code="VP")
        admin = accounts.get_user(s, "admin")
        dossier = Dossier(office_id=office.id, title="Hồ sơ công việc tháng 3", kind="cong-viec", created_by=admin.id)
        s.add(dossier)
        s.flush()
        dossier_id = dossier.id
    services.close()
    (folder / "thong-bao.pdf").write_bytes(tiny_pdf("thong bao"))
    ingested = runner.invoke(app, ["ingest", str(folder / "thong-bao.pdf"), "--dossier", str(dossier_id)])
    assert ingested.exit_code == 0, ingested.output
    return dossier_id


def test_a_script_closes_a_dossier_and_reads_what_was_made(env: Path) -> None:
    dossier = _dossier_with_a_document(env)
    listed = runner.invoke(app, ["dossiers", "checklist", str(dossier), "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout)["blocked"] is False

    refused = runner.invoke(app, ["dossiers", "close", str(dossier), "--retention", "10-nam", "--user", "doc"])
    assert refused.exit_code == 2 and "AUTH-FORBIDDEN-ROLE" in refused.output

    closed = runner.invoke(app, ["dossiers", "close", str(dossier), "--retention", "10-nam", "--json"])
    assert closed.exit_code == 0, closed.output
    body = json.loads(closed.stdout)
    assert body["state"] == "closed" and body["retention"] == "10-nam"
    assert {f["kind"] for f in body["files"]} == {"chung-tu-ket-thuc"} and body["locked_until"]

    again = runner.invoke(app, ["dossiers", "close", str(dossier), "--retention", "10-nam"])
    assert again.exit_code == 2 and "DOSSIER-STATE-INVALID" in again.output

    shown = runner.invoke(app, ["dossiers", "show", str(dossier)])
    assert shown.exit_code == 0, shown.output
    assert (
        "Đã kết thúc" in shown.output
        and "Chứng từ kết thúc" in shown.output
        and "Đang lập → Đã kết thúc" in shown.output
    )

    kept = runner.invoke(app, ["dossiers", "keep", str(dossier), "--until", "2099-01-01", "--consent", "CV 12"])
    assert kept.exit_code == 2 and "DOSSIER-KEEP-TOO-LONG" in kept.output
