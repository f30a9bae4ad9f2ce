"""Settings: only known environments (any case, any surrounding spaces), a bad value is one line and exit 2."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from archive_service.cli import app
from archive_service.config import Environment, Settings, describe_invalid, get_settings

PROD_REFUSED = (
    "Cấu hình sai / Invalid setting: ARCHIVE_ENVIRONMENT='prod' — "
    "phải là development hoặc production / must be development or production"
)


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """An environment with no ARCHIVE_* variable but a data folder in tmp_path; settings re-read."""
    for name in list(os.environ):
        if name.startswith("ARCHIVE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")} | {
        "ARCHIVE_DATA_DIR": str(tmp_path / "data")
    }
    get_settings.cache_clear()


@pytest.mark.parametrize("value", ["production", "Production", " PRODUCTION ", "production\n"])
def test_production_is_recognised_whatever_its_case_and_spaces(
    clean_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("ARCHIVE_ENVIRONMENT", value)
    settings = get_settings()
    assert settings.environment is Environment.PRODUCTION and settings.production


@pytest.mark.parametrize("value", ["Development", " development", "DEVELOPMENT"])
def test_development_is_recognised_whatever_its_case_and_spaces(value: str) -> None:
    assert Settings(environment=value).production is False  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["prod", "staging", "test", "", "production-like"])
def test_an_unknown_environment_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(environment=value)  # type: ignore[arg-type]
    (line,) = describe_invalid(caught.value)
    assert line.startswith("Cấu hình sai / Invalid setting: ARCHIVE_ENVIRONMENT=")
    assert "development hoặc production / must be development or production" in line


@pytest.mark.parametrize("command", [["serve"], ["db", "upgrade"], ["check", "/dev/null"]])
def test_every_command_refuses_an_unknown_environment_with_one_line_and_exit_2(
    clean_env: dict[str, str], command: list[str]
) -> None:
    env = clean_env | {"ARCHIVE_ENVIRONMENT": "prod"}
    result = subprocess.run(
        [sys.executable, "-c", "from archive_service.cli import app; app(prog_name='archive-service')", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert output.splitlines() == [PROD_REFUSED]
    assert "Traceback" not in output


def test_each_bad_setting_is_one_line_naming_its_variable(clean_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app,
        ["db", "upgrade"],
        env={"ARCHIVE_PORT": "tám nghìn", "ARCHIVE_MAX_UPLOAD_MB": "0", "ARCHIVE_S3_SECURE": "có lẽ"},
    )
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 3, result.output
    assert any(line.startswith("Cấu hình sai / Invalid setting: ARCHIVE_PORT='tám nghìn' — ") for line in lines)
    assert any("ARCHIVE_MAX_UPLOAD_MB='0' — phải lớn hơn hoặc bằng 1" in line for line in lines)
    assert any("ARCHIVE_S3_SECURE='có lẽ' — phải là true hoặc false" in line for line in lines)
    assert "Traceback" not in result.output and not (Path(clean_env["ARCHIVE_DATA_DIR"])).exists()


def test_a_rule_across_settings_is_one_line_that_never_shows_a_secret(clean_env: dict[str, str]) -> None:
    env = {"ARCHIVE_BLOB_BACKEND": " S3", "ARCHIVE_S3_SECRET_KEY": "bí-mật-s3"}  # the access key is missing
    result = CliRunner().invoke(app, ["db", "upgrade"], env=env)
    assert result.exit_code == 2 and "bí-mật-s3" not in result.output
    assert result.output.splitlines() == [
        "Cấu hình sai / Invalid setting: ARCHIVE_S3_ACCESS_KEY, ARCHIVE_S3_SECRET_KEY — "
        "bắt buộc khi ARCHIVE_BLOB_BACKEND=s3 / required with ARCHIVE_BLOB_BACKEND=s3"
    ]


def test_the_secret_key_is_no_longer_a_setting_and_setting_it_is_warned_about(
    clean_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ARCHIVE_ENVIRONMENT", "production")
    monkeypatch.setenv("ARCHIVE_SECRET_KEY", "an-old-secret")
    with caplog.at_level(logging.WARNING, logger="archive_service.config"):
        settings = get_settings()  # production starts without any server secret
    assert settings.production and not hasattr(settings, "secret_key")
    warnings = [r.getMessage() for r in caplog.records if r.name == "archive_service.config"]
    assert warnings == ["ARCHIVE_SECRET_KEY không còn được dùng, hãy xóa / is no longer used, remove it"]
    assert "an-old-secret" not in caplog.text


def test_no_warning_when_the_secret_key_is_not_set(clean_env: dict[str, str], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="archive_service.config"):
        get_settings()
    assert not [r for r in caplog.records if r.name == "archive_service.config"]
