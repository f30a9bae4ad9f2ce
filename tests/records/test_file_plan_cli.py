"""``archive-service file-plans``: a plan imported from YAML, listed, approved by an admin only, exported."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from archive_service.cli import app

runner = CliRunner()

PLAN_YAML = """\
headings:
  - title: Tổng hợp
    entries:
      - title: Hồ sơ hội nghị Ban Thường vụ năm 2026
        retention: vinh-vien
        former_name: Nguyễn Văn An
        kind: hoi-nghi
    headings:
      - title: Báo cáo
        entries:
          - {title: Báo cáo quý của Văn phòng, retention: 10-nam}
  - title: Hành chính
    entries:
      - {file_code: HC.01, title: Sổ đăng ký văn bản đến, retention: 20-nam}
"""


@pytest.fixture
def env(env: Path) -> Path:
    """The command line's data folder (tests/conftest.py ``env``) with office VPTU, an admin and an archivist."""
    ok = runner.invoke(app, ["offices", "create", "VPTU", "--name", "Văn phòng Tỉnh ủy"])
    assert ok.exit_code == 0, ok.output
    for name, role in (("admin", "admin"), ("vanthu", "archivist")):
        made = runner.invoke(app, ["users", "create", name, "--role", role, "--office", "VPTU"])
        assert made.exit_code == 0, made.output
    return env


def test_a_plan_is_imported_approved_by_an_admin_and_exported(env: Path) -> None:
    source = env / "plan.yaml"
    source.write_text(PLAN_YAML, encoding="utf-8")
    made = runner.invoke(
        app,
        ["file-plans", "create", "--office", "VPTU", "--year", "2026", "--from", str(source), "--user", "vanthu"],
    )
    assert made.exit_code == 0, made.output
    assert "3 hồ sơ (1 vĩnh viễn, 2 có thời hạn)" in made.output
    again = runner.invoke(app, ["file-plans", "create", "--year", "2026", "--user", "vanthu"])
    assert again.exit_code == 2 and "FILE-PLAN-EXISTS" in again.output
    listed = runner.invoke(app, ["file-plans", "list", "--json", "--user", "vanthu"])
    plans = json.loads(listed.stdout)
    assert [(p["year"], p["office_code"], p["counts"]["total"]) for p in plans] == [(2026, "VPTU", 3)]
    pid = str(plans[0]["id"])
    approve = ["file-plans", "approve", pid, "--decision", "15-QĐ/VPTU", "--date", "2026-01-05", "--approver", "Trần B"]
    refused = runner.invoke(app, [*approve, "--user", "vanthu"])
    assert refused.exit_code == 2 and "AUTH-FORBIDDEN-ROLE" in refused.output
    approved = runner.invoke(app, [*approve, "--json"])
    assert approved.exit_code == 0, approved.output
    assert json.loads(approved.stdout)["decision_number"] == "15-QĐ/VPTU"
    target = env / "danh-muc.docx"
    exported = runner.invoke(app, ["file-plans", "export", pid, "--format", "docx", "--out", str(target)])
    assert exported.exit_code == 0, exported.output
    document = docx.Document(io.BytesIO(target.read_bytes()))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {"01.VPTU", "02.VPTU", "HC.01", "Sổ đăng ký văn bản đến"} <= cells
    bad = runner.invoke(app, ["file-plans", "export", pid, "--format", "odt", "--out", str(env / "x.odt")])
    assert bad.exit_code == 2


def test_a_broken_plan_file_is_refused_with_its_reason(env: Path) -> None:
    source = env / "plan.yaml"
    source.write_text(
        "headings:\n  - title: Tổng hợp\n    entries:\n      - {title: Thiếu thời hạn}\n", encoding="utf-8"
    )
    made = runner.invoke(app, ["file-plans", "create", "--year", "2026", "--from", str(source), "--user", "vanthu"])
    assert made.exit_code == 2 and "retention" in made.output
