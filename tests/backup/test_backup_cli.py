"""``archive-service backup create|restore`` on the embedded backends: exit codes and messages an operator reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive_service.cli import app
from archive_service.config import get_settings

runner = CliRunner()


def test_create_then_restore_elsewhere_then_refuse_a_damaged_copy(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(app, ["offices", "create", "VPTU", "--name", "Văn phòng Tỉnh ủy"]).exit_code == 0
    folder = env / "backup"
    made = runner.invoke(app, ["backup", "create", "--to", str(folder)])
    assert made.exit_code == 0, made.output
    assert "Đã sao lưu" in made.output and "sqlite" in made.output
    again = runner.invoke(app, ["backup", "create", "--to", str(folder)])
    assert again.exit_code == 2 and "BACKUP-FOLDER-NOT-EMPTY" in again.output

    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(env / "restored"))
    get_settings.cache_clear()
    restored = runner.invoke(app, ["backup", "restore", "--from", str(folder)])
    assert restored.exit_code == 0, restored.output
    assert "không có sai lệch" in restored.output
    listed = runner.invoke(app, ["offices", "list"])
    assert "VPTU" in listed.output  # the restored catalog is the one the service now reads

    manifest = folder / "manifest.json"
    manifest.chmod(0o600)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"version": 1', '"version": 2'), "utf-8")
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(env / "third"))
    get_settings.cache_clear()
    damaged = runner.invoke(app, ["backup", "restore", "--from", str(folder)])
    assert damaged.exit_code == 2 and "BACKUP-DAMAGED" in damaged.output
