"""Backup and restore of the three stores together, on the real services (PostgreSQL, SeaweedFS with Object Lock,
Elasticsearch) and on the embedded ones (SQLite, a folder, FTS5): back up, wipe, restore, verify clean.

The bucket cannot be wiped (its locked versions outlive any delete: that is the point of Object Lock), so the
restore goes into a new, empty bucket — what an operator does too (docs/operations.md).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive_service.app import create_app
from archive_service.backup.errors import BackupRefused
from archive_service.backup.service import create_backup, restore_backup
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document, RecordFile
from archive_service.config import Settings
from archive_service.search.service import drain_outbox
from archive_service.services import Services, open_services
from archive_service.storage.s3 import S3BlobStore
from tests.backends import drop_bucket, drop_es_indices, drop_postgres_schema, s3_config
from tests.conftest import Harness, build_harness, make_settings
from tests.records.closing_helpers import close, dossier_with_two_documents, read_all, upload
from tests.samples import tiny_docx, tiny_pdf

WORD = "Sontrabacbo"  # a word only one document holds


@dataclass(frozen=True)
class Snapshot:
    """What must come back: each live document's id, SHA-256 and text, the record files, the audit trail's size."""

    documents: dict[int, tuple[str, str | None]]
    record_files: dict[int, str]
    audit_events: int


def _snapshot(services: Services) -> Snapshot:
    with transaction(services.factory) as s:
        docs = {d.id: (d.sha256, d.text) for d in s.scalars(select(Document))}
        files = {f.id: f.sha256 for f in s.scalars(select(RecordFile))}
        events = int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)
    return Snapshot(documents=docs, record_files=files, audit_events=events)


def _site_with_records(h: Harness) -> tuple[str, str, datetime]:
    """A closed permanent dossier (two documents and its record files, under legal hold) and an open one with a
    DOCX and a PDF, one of them locked under retention directly. Returns the held key, the retained key, its
    date."""
    closed, _nq, _tb = dossier_with_two_documents(h)
    assert close(h, closed).status_code == 200
    open_dossier = h.new_dossier(title="Hội nghị Ban Chấp hành lần thứ 5")
    upload(h, open_dossier, "bien-ban.docx", tiny_docx("Biên bản hội nghị Ban Chấp hành về chuyển đổi số"))
    pdf = upload(h, open_dossier, "thong-bao.pdf", tiny_pdf(f"Thong bao ket luan {WORD} nam 2024"))
    read_all(h)
    drain_outbox(h.services)
    with transaction(h.services.factory) as s:
        held = s.scalars(select(Document.storage_key).where(Document.dossier_id == closed)).first()
        retained = s.get(Document, pdf)
        assert held is not None and retained is not None
        retained_key = retained.storage_key
    until = datetime.now(UTC) + timedelta(minutes=10)
    h.services.blobs.lock(retained_key, until=until, legal_hold=False)
    assert h.services.blobs.lock_info(held).legal_hold
    return held, retained_key, until


def _search_total(settings: Settings, services: Services, token_headers: dict[str, str], q: str) -> int:
    with TestClient(create_app(settings, services=services)) as client:
        response = client.get("/api/v1/search", params={"q": q}, headers=token_headers)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


@pytest.fixture
def real_site(tmp_path: Path) -> Iterator[Harness]:
    yield from build_harness(make_settings("real", tmp_path))


@pytest.fixture
def embedded_site(tmp_path: Path) -> Iterator[Harness]:
    yield from build_harness(make_settings("embedded", tmp_path))


def _assert_private(folder: Path) -> None:
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


@pytest.mark.real
def test_backup_wipe_restore_on_postgres_seaweedfs_elasticsearch(real_site: Harness, tmp_path: Path) -> None:
    h = real_site
    settings = h.services.settings
    held, retained, until = _site_with_records(h)
    before = _snapshot(h.services)
    assert len(before.documents) == 4 and len(before.record_files) == 4
    assert _search_total(settings, h.services, h.admin.headers, WORD) == 1

    folder = tmp_path / "backup"
    made = create_backup(h.services, folder)
    _assert_private(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["catalog"]["kind"] == "postgresql" and manifest["catalog"]["revision"]
    assert (folder / "catalog.pgdump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    by_key = {b["key"]: b for b in manifest["blobs"]}
    assert len(by_key) == 4 + 4  # four originals, four record files
    assert by_key[held]["legal_hold"] is True
    assert datetime.fromisoformat(by_key[retained]["retain_until"]) >= until - timedelta(seconds=1)
    assert made.manifest.total_bytes > 0
    with transaction(h.services.factory) as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "system.backup")) == 1

    # Wipe: the schema dropped, the indices deleted; the bucket cannot be (Object Lock): a new one is the target.
    assert settings.database_url is not None
    drop_postgres_schema(settings.database_url)
    drop_es_indices(settings.es_url, settings.es_index_prefix)
    target_settings = settings.model_copy(update={"s3_bucket": s3_config().new_bucket_name()})
    target = open_services(target_settings, migrate=False)
    try:
        assert isinstance(target.blobs, S3BlobStore) and target.blobs.worm_guaranteed
        result = restore_backup(target, folder)
        assert result.clean, (result.drift, result.index)
        assert result.put.blobs == 8 and result.put.held == 6 and result.put.retained == 1
        assert result.indexed == 4

        after = _snapshot(target)
        assert after.documents == before.documents  # same ids, SHA-256 and text
        assert after.record_files == before.record_files
        # The trail came back whole (the backup's own event included), plus the restore's event.
        assert after.audit_events == before.audit_events + 2
        assert target.blobs.lock_info(held).legal_hold is True
        restored_until = target.blobs.lock_info(retained).retain_until
        assert restored_until is not None and restored_until >= until - timedelta(seconds=1)
        # The admin's token is in the restored catalog: search by a word of the PDF's text finds it.
        assert _search_total(target_settings, target, h.admin.headers, WORD) == 1
        assert _search_total(target_settings, target, h.admin.headers, "chuyển đổi số") == 1
    finally:
        target.close()
        assert isinstance(target.blobs, S3BlobStore)
        drop_bucket(target.blobs)


def test_backup_wipe_restore_embedded(embedded_site: Harness, tmp_path: Path) -> None:
    """SQLite + a folder + FTS5: the catalog copied by the online backup API, restored into a new data folder."""
    h = embedded_site
    held, retained, until = _site_with_records(h)
    before = _snapshot(h.services)
    folder = tmp_path / "backup"
    create_backup(h.services, folder)
    _assert_private(folder)
    assert (folder / "catalog.sqlite3").read_bytes()[:16] == b"SQLite format 3\x00"

    target_settings = make_settings("embedded", tmp_path / "elsewhere")
    target = open_services(target_settings, migrate=False)
    try:
        result = restore_backup(target, folder)
        assert result.clean, (result.drift, result.index)
        assert _snapshot(target).documents == before.documents
        assert target.blobs.lock_info(held).legal_hold is True
        assert target.blobs.lock_info(retained).retain_until == until
        assert _search_total(target_settings, target, h.admin.headers, WORD) == 1
    finally:
        target.close()


def _tables(settings: Settings) -> list[str]:
    with sqlite3.connect(settings.data_dir / "catalog.sqlite3") as conn:
        return [str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def _backup_of_site(h: Harness, tmp_path: Path) -> Path:
    dossier = h.new_dossier()
    upload(h, dossier, "bien-ban.pdf", tiny_pdf(f"Bien ban {WORD}"))
    read_all(h)
    folder = tmp_path / "backup"
    create_backup(h.services, folder)
    return folder


def _state_of(services: Services) -> tuple[Any, ...]:
    """Everything a refused restore must leave as it was: the catalog's rows and the blob store's keys."""
    return (_snapshot(services), sorted(services.blobs.iter_keys()))


def test_a_target_with_records_is_refused_untouched(embedded_site: Harness, tmp_path: Path) -> None:
    h = embedded_site
    folder = _backup_of_site(h, tmp_path)
    other = h.new_dossier(title="Hồ sơ đã có ở đích")
    upload(h, other, "khac.pdf", tiny_pdf("Van ban khac"))
    state = _state_of(h.services)
    with pytest.raises(BackupRefused) as refused:
        restore_backup(h.services, folder)
    assert refused.value.code == "BACKUP-TARGET-NOT-EMPTY" and "chưa ghi gì" in refused.value.message
    assert _state_of(h.services) == state

    # A catalog without records but a blob store that has objects is refused the same way.
    target_settings = make_settings("embedded", tmp_path / "blobs-only")
    target = open_services(target_settings, migrate=False)
    try:
        source = next(iter(h.services.blobs.iter_keys()))
        sha = source.rsplit("/", 1)[-1]
        copy = tmp_path / "one-blob"
        h.services.blobs.fetch(source, copy, sha256=sha)
        target.blobs.put(copy, sha256=sha, size=copy.stat().st_size, media_type="application/pdf", filename="x.pdf")
        with pytest.raises(BackupRefused) as again:
            restore_backup(target, folder)
        assert again.value.code == "BACKUP-TARGET-NOT-EMPTY" and "kho bản gốc" in again.value.message
        assert sorted(target.blobs.iter_keys()) == [source]
        assert _tables(target_settings) == []  # the catalog was never written
    finally:
        target.close()


@pytest.mark.parametrize("damaged", ["catalog", "blob", "manifest"])
def test_a_damaged_backup_is_refused_before_anything_is_written(
    embedded_site: Harness, tmp_path: Path, damaged: str
) -> None:
    folder = _backup_of_site(embedded_site, tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    victim = {
        "catalog": folder / manifest["files"][0]["path"],
        "blob": folder / manifest["blobs"][0]["path"],
        "manifest": folder / "manifest.json",
    }[damaged]
    os.chmod(victim, 0o600)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one byte
    victim.write_bytes(bytes(data))

    target_settings = make_settings("embedded", tmp_path / f"target-{uuid.uuid4().hex[:6]}")
    target = open_services(target_settings, migrate=False)
    try:
        with pytest.raises(BackupRefused) as refused:
            restore_backup(target, folder)
        assert refused.value.code == "BACKUP-DAMAGED"
        assert list(target.blobs.iter_keys()) == []
        assert _tables(target_settings) == []
    finally:
        target.close()


def test_backup_refuses_a_folder_that_is_not_empty(embedded_site: Harness, tmp_path: Path) -> None:
    folder = tmp_path / "old-backup"
    folder.mkdir()
    (folder / "keep.txt").write_text("bản cũ", encoding="utf-8")
    with pytest.raises(BackupRefused) as refused:
        create_backup(embedded_site.services, folder)
    assert refused.value.code == "BACKUP-FOLDER-NOT-EMPTY"
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
