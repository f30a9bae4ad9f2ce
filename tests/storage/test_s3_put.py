"""How an original goes into the real S3 server (SeaweedFS): one conditional request for a small file
(``If-None-Match: *``), the plain HEAD and PUT for a large one; either way the same bytes keep one version, a
damaged copy under the key is replaced, bytes hidden behind a delete marker come back, and a server that does
not take the condition is asked the plain way from then on."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from minio import Minio
from minio.error import S3Error
from minio.helpers import genheaders
from urllib3 import HTTPResponse

from archive_service.storage.base import key_for
from archive_service.storage.s3 import CONDITIONAL_PUT_MAX, S3BlobStore
from tests.backends import drop_bucket, s3_config


@pytest.fixture
def s3() -> Iterator[S3BlobStore]:
    cfg = s3_config()
    store = S3BlobStore(
        endpoint=cfg.endpoint, access_key=cfg.access_key, secret_key=cfg.secret_key, bucket=cfg.new_bucket_name()
    )
    yield store
    drop_bucket(store)


class CountingMinio(Minio):
    """The real client, counting the requests it sends by method (HEAD, PUT …)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[str] = []

    def _url_open(  # type: ignore[override]
        self, method: str, region: str, bucket_name: str | None = None, object_name: str | None = None, **kwargs: Any
    ) -> Any:
        if object_name:  # requests about an object, not the bucket's region or lock configuration
            self.sent.append(method)
        return super()._url_open(method, region, bucket_name, object_name, **kwargs)


class NoConditionMinio(CountingMinio):
    """A server that answers 501 NotImplemented to a conditional PUT (an older S3 implementation)."""

    def _put_object(self, bucket_name: str, object_name: str, data: bytes, headers: Any = None, **kw: Any) -> Any:  # type: ignore[override]
        if headers and "If-None-Match" in headers:
            raise S3Error(
                HTTPResponse(status=501),
                "NotImplemented",
                "A header you provided implies functionality that is not implemented",
                object_name,
                "",
                "",
            )
        return super()._put_object(bucket_name, object_name, data, headers, **kw)


def _counting(store: S3BlobStore, cls: type[CountingMinio] = CountingMinio) -> CountingMinio:
    cfg = s3_config()
    client = cls(cfg.endpoint, access_key=cfg.access_key, secret_key=cfg.secret_key, secure=False)
    store.client = client
    return client


def _file(tmp_path: Path, data: bytes) -> tuple[Path, str]:
    path = tmp_path / hashlib.sha256(data).hexdigest()[:12]
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def _versions(store: S3BlobStore, key: str) -> list[tuple[str | None, bool]]:
    """Every (version id, is delete marker) of ``key``: the store's own listing."""
    return store._versions(key)  # noqa: SLF001


def _read(store: S3BlobStore, tmp_path: Path, key: str, sha: str) -> bytes:
    out = tmp_path / "out"
    store.fetch(key, out, sha256=sha)
    return out.read_bytes()


def test_a_small_original_goes_up_in_one_request_and_again_keeps_one_version(s3: S3BlobStore, tmp_path: Path) -> None:
    data = b"%PDF-1.7 nghi quyet " + os.urandom(2000)
    path, sha = _file(tmp_path, data)
    s3.put(path, sha256=sha, size=len(data), media_type="application/pdf", filename="nghị quyết.pdf")  # bucket made
    other = b"%PDF-1.7 ket luan " + os.urandom(2000)
    path2, sha2 = _file(tmp_path, other)
    client = _counting(s3)
    s3.put(path2, sha256=sha2, size=len(other), media_type="application/pdf", filename="kết luận.pdf")
    assert client.sent == ["PUT"]  # no HEAD first
    client.sent.clear()
    s3.put(path2, sha256=sha2, size=len(other), media_type="application/pdf", filename="kết luận.pdf")
    assert client.sent == ["PUT", "HEAD"]  # refused (412): the size of what is there is checked
    assert len(_versions(s3, key_for(sha2))) == 1
    assert _read(s3, tmp_path, key_for(sha2), sha2) == other
    info = s3.stat(key_for(sha2))
    assert info is not None and info.filename == "kết luận.pdf" and info.media_type == "application/pdf"


def test_a_damaged_copy_under_the_key_is_replaced(s3: S3BlobStore, tmp_path: Path) -> None:
    data = b"bien ban hoi nghi " + os.urandom(500)
    path, sha = _file(tmp_path, data)
    s3.put(path, sha256=sha, size=len(data), media_type="text/plain", filename="a.txt")
    s3.client.put_object(s3.bucket, key_for(sha), path.open("rb"), 10)  # a short copy now visible under the key
    s3.put(path, sha256=sha, size=len(data), media_type="text/plain", filename="a.txt")
    assert _read(s3, tmp_path, key_for(sha), sha) == data


def test_bytes_hidden_behind_a_delete_marker_are_put_again(s3: S3BlobStore, tmp_path: Path) -> None:
    data = b"thong bao " + os.urandom(500)
    path, sha = _file(tmp_path, data)
    s3.put(path, sha256=sha, size=len(data), media_type="text/plain", filename="a.txt")
    s3.client.remove_object(s3.bucket, key_for(sha))  # a delete marker hides it
    assert s3._live_size(key_for(sha)) is None  # noqa: SLF001 - what the next put looks at
    s3.put(path, sha256=sha, size=len(data), media_type="text/plain", filename="a.txt")
    assert s3._live_size(key_for(sha)) == len(data)  # noqa: SLF001
    assert [marker for _v, marker in _versions(s3, key_for(sha))].count(False) == 2


def test_a_large_original_is_asked_for_first_and_put_the_plain_way(s3: S3BlobStore, tmp_path: Path) -> None:
    data = os.urandom(CONDITIONAL_PUT_MAX + 1)
    path, sha = _file(tmp_path, data)
    client = _counting(s3)
    s3.put(path, sha256=sha, size=len(data), media_type="application/pdf", filename="ban-quet.pdf")
    assert client.sent[0] == "HEAD" and "PUT" in client.sent
    client.sent.clear()
    s3.put(path, sha256=sha, size=len(data), media_type="application/pdf", filename="ban-quet.pdf")
    assert client.sent == ["HEAD"]  # there already: nothing sent
    assert len(_versions(s3, key_for(sha))) == 1


def test_a_server_without_the_condition_is_asked_the_plain_way_from_then_on(
    s3: S3BlobStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = _counting(s3, NoConditionMinio)
    first = b"to trinh " + os.urandom(300)
    path, sha = _file(tmp_path, first)
    s3.put(path, sha256=sha, size=len(first), media_type="text/plain", filename="a.txt")
    assert "does not take If-None-Match" in caplog.text
    assert _read(s3, tmp_path, key_for(sha), sha) == first
    client.sent.clear()
    second = b"bao cao " + os.urandom(300)
    path2, sha2 = _file(tmp_path, second)
    s3.put(path2, sha256=sha2, size=len(second), media_type="text/plain", filename="b.txt")
    assert client.sent == ["HEAD", "PUT"]
    s3.put(path2, sha256=sha2, size=len(second), media_type="text/plain", filename="b.txt")
    assert len(_versions(s3, key_for(sha2))) == 1


def test_a_client_without_the_single_part_put_is_asked_the_plain_way(s3: S3BlobStore, tmp_path: Path) -> None:
    """minio's single-part PUT is not public: a release without it must not break a put (HEAD, then PUT)."""

    class WithoutIt(CountingMinio):
        """A minio whose single-part PUT goes by another name: put_object works, ``_put_object`` is not there."""

        def __getattribute__(self, name: str) -> Any:
            if name == "_put_object":
                raise AttributeError(name)
            return super().__getattribute__(name)

        def put_object(  # type: ignore[override]
            self, bucket_name: str, object_name: str, data: Any, length: int, content_type: str = "", **kw: Any
        ) -> Any:
            headers = genheaders(kw.get("metadata"), None, None, None, False)
            headers["Content-Type"] = content_type or "application/octet-stream"
            return Minio._put_object(self, bucket_name, object_name, data.read(length), headers)

    client = _counting(s3, WithoutIt)
    data = b"quyet dinh " + os.urandom(300)
    path, sha = _file(tmp_path, data)
    s3.put(path, sha256=sha, size=len(data), media_type="text/plain", filename="a.txt")
    assert client.sent == ["HEAD", "PUT"]
    assert _read(s3, tmp_path, key_for(sha), sha) == data
