"""Secrets from mounted files (``ARCHIVE_<NAME>_FILE``), the Elasticsearch client's credentials, and the
shards and replicas of a new search index: what a container or a cluster sets, read the same way everywhere."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from archive_service.config import SECRET_FILE_FIELDS, Settings, describe_invalid, get_settings
from archive_service.services import es_credentials
from indexers.search.elastic import index_definition, schema_version


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("ARCHIVE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _secret(tmp_path: Path, name: str, value: str) -> Path:
    path = tmp_path / name
    path.write_text(value, encoding="utf-8")
    return path


@pytest.mark.parametrize("field", SECRET_FILE_FIELDS)
def test_each_secret_is_read_from_its_file_without_the_trailing_newline(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    monkeypatch.setenv(f"ARCHIVE_{field.upper()}_FILE", str(_secret(tmp_path, field, "s3cr3t value\n")))
    assert getattr(Settings(), field) == "s3cr3t value"


def test_a_secret_file_keeps_inner_newlines_and_spaces(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_ES_PASSWORD_FILE", str(_secret(tmp_path, "pw", " a\nb \n")))
    assert Settings().es_password == " a\nb "


def test_s3_keys_from_files_satisfy_the_s3_backend(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_BLOB_BACKEND", "s3")
    monkeypatch.setenv("ARCHIVE_S3_ACCESS_KEY_FILE", str(_secret(tmp_path, "ak", "archive\n")))
    monkeypatch.setenv("ARCHIVE_S3_SECRET_KEY_FILE", str(_secret(tmp_path, "sk", "very-secret\n")))
    settings = Settings()
    assert (settings.s3_access_key, settings.s3_secret_key) == ("archive", "very-secret")


def test_a_secret_set_twice_is_refused_without_showing_it(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", "postgresql+psycopg://u:hunter2@db/archive")
    monkeypatch.setenv("ARCHIVE_DATABASE_URL_FILE", str(_secret(tmp_path, "db", "postgresql+psycopg://x@y/z")))
    with pytest.raises(ValidationError) as caught:
        Settings()
    lines = describe_invalid(caught.value)
    assert len(lines) == 1 and "ARCHIVE_DATABASE_URL_FILE" in lines[0] and "chỉ đặt một" in lines[0]
    assert "hunter2" not in lines[0]


def test_an_unreadable_secret_file_is_one_clear_line(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere" / "secret"
    monkeypatch.setenv("ARCHIVE_METRICS_TOKEN_FILE", str(missing))
    with pytest.raises(ValidationError) as caught:
        Settings()
    (line,) = describe_invalid(caught.value)
    assert f"ARCHIVE_METRICS_TOKEN_FILE={missing}" in line and "không đọc được tệp" in line


@pytest.mark.parametrize("field", ["es_password", "es_api_key", "metrics_token"])
def test_new_secrets_are_never_echoed_in_an_error_line(field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(**{field: ["not", "a", "string"]})  # type: ignore[arg-type]
    (line,) = describe_invalid(caught.value)
    assert "(ẩn / hidden)" in line and "not" not in line.split("—")[0]


def test_elasticsearch_credentials_follow_the_settings(tmp_path: Path) -> None:
    assert es_credentials(Settings(data_dir=tmp_path)) == {}
    basic = es_credentials(Settings(data_dir=tmp_path, es_username="archive", es_password="pw"))
    assert basic == {"basic_auth": ("archive", "pw")}
    ca = tmp_path / "ca.pem"
    keyed = es_credentials(Settings(data_dir=tmp_path, es_api_key="a2V5", es_username="ignored", es_ca_certs=ca))
    assert keyed == {"api_key": "a2V5", "ca_certs": str(ca)}


def test_index_definition_takes_the_clusters_shards_and_replicas() -> None:
    single = index_definition()["settings"]["index"]
    assert single["number_of_shards"] == 1 and single["auto_expand_replicas"] == "0-1"
    cluster = index_definition(shards=3, replicas=2)["settings"]["index"]
    assert cluster["number_of_shards"] == 3 and cluster["number_of_replicas"] == 2
    assert "auto_expand_replicas" not in cluster  # it would override the fixed number
    assert index_definition()["settings"]["index"] == single  # the file's definition is never changed
    assert index_definition(shards=3)["mappings"] == index_definition()["mappings"]
    assert schema_version() >= 1


def test_shards_and_replicas_are_bounded(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, es_shards=0)
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, es_replicas=-1)
