"""A blob store in any S3 server (SeaweedFS, MinIO, Ceph RGW, AWS), spoken to only through ``minio``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Final
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error
from urllib3.exceptions import HTTPError

from archive_service.storage.base import (
    CHUNK,
    BlobCorrupt,
    BlobInfo,
    BlobMissing,
    BlobStoreUnavailable,
    key_for,
)

_AUTH_CODES: Final = frozenset(
    {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken"}
)
_MISSING_CODES: Final = frozenset({"NoSuchKey", "NoSuchObject", "NoSuchBucket", "ResourceNotFound"})


def _translate(exc: Exception, action: str) -> BlobStoreUnavailable:
    if isinstance(exc, S3Error) and exc.code in _AUTH_CODES:
        return BlobStoreUnavailable(
            f"Kho lưu trữ S3 từ chối khóa truy cập khi {action} ({exc.code}); kiểm tra "
            "ARCHIVE_S3_ACCESS_KEY và ARCHIVE_S3_SECRET_KEY.",
            code="STORAGE-AUTH",
        )
    return BlobStoreUnavailable(f"Không kết nối được kho lưu trữ S3 khi {action}: {type(exc).__name__}.")


class S3BlobStore:
    """Objects named by ``key_for(sha256)``; original name and media type in the object's metadata."""

    name = "s3"

    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        secure: bool = False,
        region: str | None = None,
    ) -> None:
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=3.0, read=120.0),
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
            maxsize=16,
        )
        self.client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=http,
        )
        self.bucket = bucket
        self._bucket_ready = False

    def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        try:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)
        except S3Error as exc:
            if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise _translate(exc, "tạo bucket") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "tạo bucket") from exc
        self._bucket_ready = True

    def put(self, path: Path, *, sha256: str, size: int, media_type: str, filename: str) -> BlobInfo:
        key = key_for(sha256)
        self._ensure_bucket()
        existing = self.stat(key)
        if existing is not None and existing.size == size:
            return existing
        # S3 metadata must be ASCII: the Vietnamese file name travels percent-encoded.
        metadata: dict[str, str | list[str] | tuple[str]] = {
            "sha256": sha256,
            "filename": quote(filename, safe=""),
        }
        try:
            # put_object on an open file: fput_object reads the file twice and takes twice as long.
            with path.open("rb") as data:
                self.client.put_object(self.bucket, key, data, size, content_type=media_type, metadata=metadata)
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "ghi bản gốc") from exc
        return BlobInfo(key=key, size=size, sha256=sha256, media_type=media_type, filename=filename)

    def fetch(self, key: str, dest: Path, *, sha256: str) -> int:
        self._ensure_bucket()
        digest = hashlib.sha256()
        size = 0
        try:
            response = self.client.get_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                raise BlobMissing(key) from exc
            raise _translate(exc, "đọc bản gốc") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "đọc bản gốc") from exc
        try:
            with dest.open("wb") as out:
                for chunk in response.stream(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
        except (HTTPError, OSError) as exc:
            dest.unlink(missing_ok=True)
            raise _translate(exc, "đọc bản gốc") from exc
        finally:
            response.close()
            response.release_conn()
        if digest.hexdigest() != sha256:
            dest.unlink(missing_ok=True)
            raise BlobCorrupt(key)
        return size

    def stat(self, key: str) -> BlobInfo | None:
        self._ensure_bucket()
        try:
            st = self.client.stat_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                return None
            raise _translate(exc, "đọc thông tin bản gốc") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "đọc thông tin bản gốc") from exc
        meta = {k.lower(): v for k, v in (st.metadata or {}).items()}
        sha = meta.get("x-amz-meta-sha256")
        name = meta.get("x-amz-meta-filename")
        return BlobInfo(
            key=key,
            size=int(st.size or 0),
            sha256=str(sha) if sha else None,
            media_type=st.content_type,
            filename=unquote(str(name)) if name else None,
            modified_at=st.last_modified,
        )

    def verify(self, key: str, *, sha256: str) -> bool:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            try:
                self.fetch(key, Path(tmp) / "blob", sha256=sha256)
            except (BlobCorrupt, BlobMissing):
                return False
        return True

    def delete(self, key: str) -> None:
        try:
            self.client.remove_object(self.bucket, key)
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "xóa bản gốc") from exc

    def iter_keys(self) -> Iterator[str]:
        self._ensure_bucket()
        try:
            for obj in self.client.list_objects(self.bucket, prefix="sha256/", recursive=True):
                if obj.object_name:
                    yield obj.object_name
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "liệt kê bản gốc") from exc

    def ping(self) -> None:
        self._bucket_ready = False
        self._ensure_bucket()
