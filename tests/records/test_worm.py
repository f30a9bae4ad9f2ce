"""WORM: a locked blob cannot be deleted — by the store's own API, and on S3 not even by the server's admin
credentials through the raw client (SeaweedFS Object Lock, COMPLIANCE and legal hold); the folder backend keeps
the same contract in code. And ``lock_dossier`` locks what a closed dossier holds for its retention.
"""

from __future__ import annotations

import hashlib
import stat
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from minio import Minio
from minio.deleteobjects import DeleteObject
from minio.error import S3Error
from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Dossier
from archive_service.records import locking
from archive_service.storage.base import BlobLock, BlobLocked, BlobStore
from archive_service.storage.local import LocalBlobStore
from archive_service.storage.s3 import S3BlobStore
from tests.backends import drop_bucket, s3_config
from tests.conftest import Harness
from tests.samples import tiny_pdf


def _s3(object_lock: bool = True) -> S3BlobStore:
    cfg = s3_config()
    return S3BlobStore(
        endpoint=cfg.endpoint,
        access_key=cfg.access_key,
        secret_key=cfg.secret_key,
        bucket=cfg.new_bucket_name(),
        object_lock=object_lock,
    )


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    if request.param == "local":
        yield LocalBlobStore(tmp_path / "blobs")
        return
    s3 = _s3()
    yield s3
    drop_bucket(s3)  # locked objects stay: the test server is disposable


def _put(store: BlobStore, tmp_path: Path, text: str) -> tuple[str, str, bytes]:
    data = f"{text} {uuid.uuid4()}".encode()
    sha = hashlib.sha256(data).hexdigest()
    src = tmp_path / f"src-{sha[:8]}"
    src.write_bytes(data)
    info = store.put(src, sha256=sha, size=len(data), media_type="text/plain", filename="biên bản.txt")
    return info.key, sha, data


def _read(store: BlobStore, tmp_path: Path, key: str, sha: str) -> bytes:
    dest = tmp_path / f"out-{uuid.uuid4().hex}"
    store.fetch(key, dest, sha256=sha)
    return dest.read_bytes()


def _in_a_minute() -> datetime:
    return datetime.now(UTC) + timedelta(minutes=1)


def test_a_retention_lock_refuses_delete_and_is_never_shortened(store: BlobStore, tmp_path: Path) -> None:
    key, sha, data = _put(store, tmp_path, "khóa theo thời hạn")
    until = _in_a_minute()
    lock = store.lock(key, until=until, legal_hold=False)
    assert lock.locked and lock.retain_until is not None
    assert abs((lock.retain_until - until).total_seconds()) < 2

    with pytest.raises(BlobLocked) as refused:
        store.delete(key)
    assert refused.value.code == "STORAGE-LOCKED" and refused.value.status_code == 409
    assert _read(store, tmp_path, key, sha) == data

    earlier = store.lock(key, until=until - timedelta(seconds=30), legal_hold=False)
    assert earlier.retain_until == lock.retain_until  # the later date stays
    assert store.lock_info(key).retain_until == lock.retain_until


def test_a_legal_hold_refuses_delete_until_released(store: BlobStore, tmp_path: Path) -> None:
    key, sha, data = _put(store, tmp_path, "giữ pháp lý")
    assert store.lock(key, until=None, legal_hold=True) == BlobLock(retain_until=None, legal_hold=True)
    with pytest.raises(BlobLocked):
        store.delete(key)
    assert _read(store, tmp_path, key, sha) == data

    store.release_hold(key)
    assert not store.lock_info(key).locked
    store.delete(key)
    assert store.stat(key) is None


def test_an_unlocked_blob_and_a_lock_already_past_delete(store: BlobStore, tmp_path: Path) -> None:
    key, _, _ = _put(store, tmp_path, "không khóa")
    assert store.lock_info(key) == BlobLock()
    store.delete(key)
    assert store.stat(key) is None

    past, _, _ = _put(store, tmp_path, "hết hạn")
    assert not store.lock(past, until=datetime.now(UTC) - timedelta(days=1), legal_hold=False).locked
    store.delete(past)
    assert store.stat(past) is None


def test_the_folder_backend_says_it_cannot_guarantee_worm(tmp_path: Path) -> None:
    local = LocalBlobStore(tmp_path / "blobs")
    assert local.worm_guaranteed is False
    key, _, _ = _put(local, tmp_path, "tệp khóa")
    local.lock(key, until=_in_a_minute(), legal_hold=True)
    lock_file = (tmp_path / "blobs" / key).with_name(Path(key).name + ".lock.json")
    assert stat.S_IMODE(lock_file.stat().st_mode) == 0o400
    assert list(local.iter_keys()) == [key]  # the lock file is not a blob


@pytest.mark.real
def test_seaweedfs_refuses_the_admin_credentials_too(tmp_path: Path) -> None:
    """The raw minio client with the server's admin identity: a versioned delete of a locked version is refused,
    even asking to bypass governance; a plain delete only adds a delete marker, and the store still reads the
    locked bytes."""
    s3 = _s3()
    try:
        assert s3.worm_guaranteed is True
        key, sha, data = _put(s3, tmp_path, "COMPLIANCE")
        s3.lock(key, until=_in_a_minute(), legal_hold=False)
        held, held_sha, held_data = _put(s3, tmp_path, "legal hold")
        s3.lock(held, until=None, legal_hold=True)

        cfg = s3_config()
        raw = Minio(cfg.endpoint, access_key=cfg.access_key, secret_key=cfg.secret_key, secure=False)
        for k in (key, held):
            versions = [o.version_id for o in raw.list_objects(s3.bucket, prefix=k, include_version=True)]
            assert len(versions) == 1 and versions[0]
            with pytest.raises(S3Error) as refused:
                raw.remove_object(s3.bucket, k, version_id=versions[0])
            assert refused.value.code in {"AccessDenied", "ObjectLocked", "InvalidRequest"}
            errors = list(raw.remove_objects(s3.bucket, [DeleteObject(k, versions[0])], bypass_governance_mode=True))
            assert errors, "a bypass-governance delete of a COMPLIANCE / legal-hold version must fail"

            raw.remove_object(s3.bucket, k)  # no version id: accepted, but only a delete marker
            with pytest.raises(S3Error):
                raw.stat_object(s3.bucket, k)  # hidden from a plain read…

        # …while the store looks past the marker to the locked version, and still refuses to delete it.
        assert _read(s3, tmp_path, key, sha) == data
        assert _read(s3, tmp_path, held, held_sha) == held_data
        assert s3.stat(key) is not None
        with pytest.raises(BlobLocked):
            s3.delete(key)
        with pytest.raises(BlobLocked):
            s3.delete(held)
        s3.release_hold(held)
        s3.delete(held)  # every version and the marker
        assert s3.stat(held) is None
    finally:
        drop_bucket(s3)


@pytest.mark.real
def test_a_bucket_without_object_lock_warns_and_enforces_in_code(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    s3 = _s3(object_lock=False)
    try:
        assert s3.worm_guaranteed is False
        assert "has no S3 Object Lock" in caplog.text
        key, sha, data = _put(s3, tmp_path, "không có object lock")
        s3.lock(key, until=_in_a_minute(), legal_hold=False)
        with pytest.raises(BlobLocked):
            s3.delete(key)
        assert _read(s3, tmp_path, key, sha) == data
    finally:
        list(s3.client.remove_objects(s3.bucket, [DeleteObject(k) for k in s3.iter_keys()]))
        drop_bucket(s3)


def test_lock_dossier_locks_what_a_closed_dossier_holds(harness: Harness) -> None:
    """Permanent: a legal hold (released when the historical archive takes it); a term: COMPLIANCE until closing +
    retention; a dossier whose retention has run out: nothing locked."""
    blobs = harness.services.blobs
    now = datetime.now(UTC)
    cases = {
        "vinh-vien": now,
        "10-nam": now.replace(year=now.year - 10) + timedelta(minutes=1),  # ends a minute from now
        "5-nam": datetime(2015, 3, 5, tzinfo=UTC),  # closed long ago: past retention
    }
    for retention, closed_at in cases.items():
        dossier_id = harness.new_dossier(retention=retention)
        files = {"files": (f"bien-ban-{retention}.pdf", tiny_pdf(f"Bien ban {retention}"), "application/pdf")}
        up = harness.client.post(
            f"/api/v1/dossiers/{dossier_id}/documents", files=files, headers=harness.archivist.headers
        )
        assert up.status_code == 201, up.text
        with transaction(harness.services.factory) as session:
            dossier = session.get(Dossier, dossier_id)
            assert dossier is not None
            dossier.closed_at = closed_at
            key = session.scalars(select(Document.storage_key).where(Document.dossier_id == dossier_id)).one()
            result = locking.lock_dossier(session, blobs, dossier, now=now)
            assert result.worm_guaranteed is blobs.worm_guaranteed
            info = blobs.lock_info(key)
            if retention == "vinh-vien":
                assert result.locked == 1 and info.legal_hold and dossier.legal_hold
                assert dossier.locked_until is None
                with pytest.raises(BlobLocked):
                    blobs.delete(key)
                assert locking.release_dossier(session, blobs, dossier) == 1
                assert not blobs.lock_info(key).legal_hold and not dossier.legal_hold
            elif retention == "10-nam":
                assert result.locked == 1 and not info.legal_hold
                assert info.retain_until is not None and info.retain_until > now
                assert dossier.locked_until is not None
                with pytest.raises(BlobLocked):
                    blobs.delete(key)
            else:
                assert result.expired and result.locked == 0
                assert not info.locked and not dossier.legal_hold
                assert dossier.locked_until == datetime(2020, 3, 5, tzinfo=UTC)


def test_lock_dossier_refuses_an_open_dossier(harness: Harness) -> None:
    dossier_id = harness.new_dossier()
    with transaction(harness.services.factory) as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        with pytest.raises(ValueError, match="not closed"):
            locking.lock_dossier(session, harness.services.blobs, dossier)
