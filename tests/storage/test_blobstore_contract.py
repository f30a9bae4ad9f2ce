"""One contract for every BlobStore: the local folder and S3 (SeaweedFS) behave the same."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive_service.storage.base import BlobCorrupt, BlobMissing, BlobStore, BlobStoreUnavailable, key_for
from archive_service.storage.local import LocalBlobStore
from archive_service.storage.s3 import S3BlobStore
from tests.backends import drop_bucket, s3_config


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    if request.param == "local":
        yield LocalBlobStore(tmp_path / "blobs")
        return
    cfg = s3_config()
    s3 = S3BlobStore(
        endpoint=cfg.endpoint,
        access_key=cfg.access_key,
        secret_key=cfg.secret_key,
        bucket=cfg.new_bucket_name(),
    )
    yield s3
    drop_bucket(s3)


def _file(tmp_path: Path, data: bytes, name: str = "f.bin") -> tuple[Path, str]:
    path = tmp_path / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_a_stored_blob_comes_back_byte_identical(store: BlobStore, tmp_path: Path) -> None:
    data = b"%PDF-1.7 " + bytes(range(256)) * 4000
    path, sha = _file(tmp_path, data)
    info = store.put(path, sha256=sha, size=len(data), media_type="application/pdf", filename="Nghị quyết 05.pdf")
    assert info.key == key_for(sha)
    out = tmp_path / "out"
    assert store.fetch(info.key, out, sha256=sha) == len(data)
    assert out.read_bytes() == data


def test_putting_the_same_bytes_twice_keeps_one_object(store: BlobStore, tmp_path: Path) -> None:
    path, sha = _file(tmp_path, b"same bytes")
    first = store.put(path, sha256=sha, size=10, media_type="application/pdf", filename="a.pdf")
    second = store.put(path, sha256=sha, size=10, media_type="application/pdf", filename="b.pdf")
    assert first.key == second.key
    assert list(store.iter_keys()) == [first.key]


def test_stat_keeps_the_vietnamese_file_name_and_media_type(store: BlobStore, tmp_path: Path) -> None:
    path, sha = _file(tmp_path, b"docx bytes")
    name = "Thông báo kết luận số 12-TB/TU.docx"
    store.put(path, sha256=sha, size=10, media_type="application/x-test", filename=name)
    info = store.stat(key_for(sha))
    assert info is not None
    assert info.size == 10
    assert info.filename == name
    assert info.media_type == "application/x-test"
    assert info.modified_at is not None


def test_stat_of_an_absent_blob_is_none_and_fetch_says_missing(store: BlobStore, tmp_path: Path) -> None:
    sha = "0" * 64
    assert store.stat(key_for(sha)) is None
    with pytest.raises(BlobMissing):
        store.fetch(key_for(sha), tmp_path / "out", sha256=sha)


def test_fetch_refuses_bytes_that_no_longer_match_their_sha256(store: BlobStore, tmp_path: Path) -> None:
    path, sha = _file(tmp_path, b"original bytes")
    info = store.put(path, sha256=sha, size=14, media_type="application/pdf", filename="a.pdf")
    _tamper(store, info.key, b"tampered bytes")
    assert not store.verify(info.key, sha256=sha)
    with pytest.raises(BlobCorrupt):
        store.fetch(info.key, tmp_path / "out", sha256=sha)
    assert not (tmp_path / "out").exists()


def test_delete_removes_the_blob(store: BlobStore, tmp_path: Path) -> None:
    path, sha = _file(tmp_path, b"to delete")
    info = store.put(path, sha256=sha, size=9, media_type="application/pdf", filename="a.pdf")
    store.delete(info.key)
    assert store.stat(info.key) is None
    assert list(store.iter_keys()) == []


def test_ping_answers_when_the_store_is_reachable(store: BlobStore) -> None:
    store.ping()


def test_a_wrong_s3_secret_is_reported_as_an_authentication_error() -> None:
    cfg = s3_config()
    bad = S3BlobStore(
        endpoint=cfg.endpoint,
        access_key=cfg.access_key,
        secret_key="wrong-secret",
        bucket=cfg.new_bucket_name(),
    )
    with pytest.raises(BlobStoreUnavailable) as info:
        bad.ping()
    assert info.value.code == "STORAGE-AUTH"
    assert "ARCHIVE_S3_SECRET_KEY" in info.value.message


def test_an_unreachable_s3_server_is_reported_as_unavailable() -> None:
    store = S3BlobStore(endpoint="127.0.0.1:9", access_key="a", secret_key="b", bucket="nope")
    with pytest.raises(BlobStoreUnavailable) as info:
        store.ping()
    assert info.value.code == "STORAGE-UNAVAILABLE"
    assert info.value.status_code == 503


def _tamper(store: BlobStore, key: str, data: bytes) -> None:
    """Overwrite a stored blob behind the store's back (what disk rot or an intruder would do)."""
    if isinstance(store, LocalBlobStore):
        target = store.root / key
        target.chmod(0o644)
        target.write_bytes(data)
    elif isinstance(store, S3BlobStore):
        store.client.put_object(store.bucket, key, io.BytesIO(data), len(data))
    else:  # pragma: no cover
        raise AssertionError(type(store))
