"""A blob store in any S3 server (SeaweedFS, MinIO, Ceph RGW, AWS), spoken to only through ``minio``.

WORM (NĐ 30/2020 Điều 29: a closed dossier is kept unchanged for its retention): the bucket is created with S3
Object Lock, which makes it versioned. A closed dossier's blobs get COMPLIANCE retention (no credential, the
store's admin included, may delete the version or shorten the date) or a legal hold (permanent dossiers).

Delete markers: on a versioned bucket a DELETE without a version id is always accepted and only hides the data
behind a delete marker — even for a locked version. ``fetch`` and ``stat`` therefore look past a delete marker to
the newest real version, so that such a delete (by anyone, with any credential) never makes a locked original
unreadable; ``delete`` removes every version and marker, and refuses (``BlobLocked``) before touching any while one
version is locked.

A bucket that already exists without Object Lock cannot gain it: the store warns once, reports
``worm_guaranteed = False`` and keeps the locks as object tags that this program (only) enforces.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Final
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, Tags
from minio.error import MinioException, S3Error
from minio.helpers import genheaders
from minio.retention import Retention
from urllib3.exceptions import HTTPError

from archive_service.storage.base import (
    CHUNK,
    BlobCorrupt,
    BlobInfo,
    BlobLock,
    BlobLocked,
    BlobMissing,
    BlobStoreUnavailable,
    key_for,
)

log = logging.getLogger(__name__)

_AUTH_CODES: Final = frozenset(
    {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken"}
)
_MISSING_CODES: Final = frozenset({"NoSuchKey", "NoSuchObject", "NoSuchBucket", "ResourceNotFound"})
# What a server answers to a delete of (or a shorter date on) a locked version: SeaweedFS and AWS "AccessDenied",
# MinIO "ObjectLocked" / "InvalidRequest".
_LOCKED_CODES: Final = frozenset({"AccessDenied", "ObjectLocked", "InvalidRequest"})
# Asking for the lock of an object that has none.
_NO_LOCK_CODES: Final = frozenset(
    {
        "NoSuchObjectLockConfiguration",
        "ObjectLockConfigurationNotFoundError",
        "NoSuchObjectLegalHold",
        "InvalidRequest",
    }
)
# A conditional PUT (If-None-Match: *) whose key is already visible; and what a server that does not know the
# condition answers.
_ALREADY_THERE_CODES: Final = frozenset({"PreconditionFailed"})
_NO_CONDITION_CODES: Final = frozenset({"NotImplemented"})
# Originals up to this size are put in one conditional request (minio's smallest multipart part: above it
# put_object uploads in parts, and the condition would have to go on the completion).
CONDITIONAL_PUT_MAX: Final = 5 * 1024 * 1024
# Tags that stand for the lock when the bucket has no Object Lock (enforced by this program only).
_TAG_UNTIL: Final = "archive-retain-until"
_TAG_HOLD: Final = "archive-legal-hold"


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
        object_lock: bool = True,
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
        self.object_lock = object_lock
        self._bucket_ready = False
        self._worm: bool | None = None  # learned from the bucket's Object Lock configuration
        self._warned = False
        # Whether the server takes If-None-Match on PUT (SeaweedFS, MinIO, AWS do); False after it said it does not.
        self._conditional_puts = True

    def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        try:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket, object_lock=self.object_lock)
        except S3Error as exc:
            if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise _translate(exc, "tạo bucket") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "tạo bucket") from exc
        self._worm = self._bucket_has_object_lock()
        if not self._worm and not self._warned:
            self._warned = True
            log.warning(
                "bucket %s has no S3 Object Lock: closed dossiers are locked by this program only (object tags), "
                "not by the store; create a new bucket with ARCHIVE_S3_OBJECT_LOCK=true to guarantee WORM",
                self.bucket,
            )
        self._bucket_ready = True

    def _bucket_has_object_lock(self) -> bool:
        try:
            self.client.get_object_lock_config(self.bucket)
        except S3Error as exc:
            if exc.code in _NO_LOCK_CODES:
                return False
            raise _translate(exc, "đọc cấu hình khóa của bucket") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "đọc cấu hình khóa của bucket") from exc
        return True

    @property
    def worm_guaranteed(self) -> bool:
        """True only when the bucket itself has Object Lock (then no credential can delete a locked version)."""
        self._ensure_bucket()
        return bool(self._worm)

    def _live_version(self, key: str) -> str | None:
        """The newest version of ``key`` that holds data (not a delete marker), or None when there is none."""
        best: tuple[datetime, str] | None = None
        try:
            for obj in self.client.list_objects(self.bucket, prefix=key, include_version=True):
                if obj.object_name != key or obj.is_delete_marker or not obj.version_id:
                    continue
                stamp = obj.last_modified or datetime.min.replace(tzinfo=UTC)
                if best is None or stamp > best[0]:
                    best = (stamp, obj.version_id)
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                return None
            raise _translate(exc, "liệt kê phiên bản bản gốc") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "liệt kê phiên bản bản gốc") from exc
        return best[1] if best else None

    def _versions(self, key: str) -> list[tuple[str | None, bool]]:
        """Every (version id, is delete marker) of ``key`` (one ``(None, False)`` on an unversioned bucket)."""
        try:
            return [
                (obj.version_id, bool(obj.is_delete_marker))
                for obj in self.client.list_objects(self.bucket, prefix=key, include_version=True)
                if obj.object_name == key
            ]
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                return []
            raise _translate(exc, "liệt kê phiên bản bản gốc") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "liệt kê phiên bản bản gốc") from exc

    def put(self, path: Path, *, sha256: str, size: int, media_type: str, filename: str) -> BlobInfo:
        key = key_for(sha256)
        info = BlobInfo(key=key, size=size, sha256=sha256, media_type=media_type, filename=filename)
        self._ensure_bucket()
        # S3 metadata must be ASCII: the Vietnamese file name travels percent-encoded.
        metadata: dict[str, str | list[str] | tuple[str]] = {
            "sha256": sha256,
            "filename": quote(filename, safe=""),
        }
        # (a minio without its single-part PUT, ``_put_object``, is asked the plain way)
        if size <= CONDITIONAL_PUT_MAX and self._conditional_puts and hasattr(self.client, "_put_object"):
            if self._put_if_absent(path, key, size, media_type, metadata):
                return info
        elif self._live_size(key) == size:  # already stored: the same bytes, by their key
            return info
        try:
            # put_object on an open file: fput_object reads the file twice and takes twice as long.
            with path.open("rb") as data:
                self.client.put_object(self.bucket, key, data, size, content_type=media_type, metadata=metadata)
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "ghi bản gốc") from exc
        return info

    def _put_if_absent(
        self, path: Path, key: str, size: int, media_type: str, metadata: dict[str, str | list[str] | tuple[str]]
    ) -> bool:
        """Put a small original in one request unless its key is already visible (``If-None-Match: *``).

        True when the bytes are stored (now, or already: 412). False when the caller must put them the plain way:
        the visible object under the key has another size (a damaged copy), or the server does not know the
        condition (it is then not asked again). One request instead of a HEAD and a PUT; bytes hidden behind a
        delete marker are put again, as before. ``minio`` has no public call that sends the condition: its own
        single-part PUT (``_put_object``, what ``put_object`` sends for a part this small) is used, with the headers
        ``put_object`` would send.
        """
        headers = genheaders(metadata, None, None, None, False)
        headers["Content-Type"] = media_type or "application/octet-stream"
        headers["If-None-Match"] = "*"
        try:
            self.client._put_object(self.bucket, key, path.read_bytes(), headers)  # noqa: SLF001 - see above
        except S3Error as exc:
            if exc.code in _ALREADY_THERE_CODES:
                return self._live_size(key) == size
            if exc.code in _NO_CONDITION_CODES:
                log.warning("the S3 server does not take If-None-Match on PUT (%s): HEAD before each put", exc.code)
                self._conditional_puts = False
                return self._live_size(key) == size
            raise _translate(exc, "ghi bản gốc") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "ghi bản gốc") from exc
        return True

    def _live_size(self, key: str) -> int | None:
        """The size of the visible object (one HEAD), or None when there is none.

        Unlike ``stat`` this does not look past a delete marker (a version listing per upload): bytes hidden behind
        one are simply put again, which makes them visible again — the same bytes, by their key.
        """
        try:
            return int(self.client.stat_object(self.bucket, key).size or 0)
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                return None
            raise _translate(exc, "đọc thông tin bản gốc") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "đọc thông tin bản gốc") from exc

    def fetch(self, key: str, dest: Path, *, sha256: str) -> int:
        self._ensure_bucket()
        digest = hashlib.sha256()
        size = 0
        try:
            try:
                response = self.client.get_object(self.bucket, key)
            except S3Error as exc:
                if exc.code not in _MISSING_CODES:
                    raise
                version = self._live_version(key)  # hidden behind a delete marker, still kept
                if version is None:
                    raise BlobMissing(key) from exc
                response = self.client.get_object(self.bucket, key, version_id=version)
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
            try:
                st = self.client.stat_object(self.bucket, key)
            except S3Error as exc:
                if exc.code not in _MISSING_CODES:
                    raise
                version = self._live_version(key)  # hidden behind a delete marker, still kept
                if version is None:
                    return None
                st = self.client.stat_object(self.bucket, key, version_id=version)
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
        """Remove every version and delete marker of ``key``; refuse before removing any while one is locked."""
        self._ensure_bucket()
        versions = self._versions(key)
        for version_id, marker in versions:
            if not marker and self._lock_of(key, version_id).locked:
                raise BlobLocked(key)
        for version_id, _marker in versions:
            try:
                self.client.remove_object(self.bucket, key, version_id=version_id)
            except S3Error as exc:
                if exc.code in _LOCKED_CODES:
                    raise BlobLocked(key, exc.code) from exc  # locked between our look and the delete
                if exc.code not in _MISSING_CODES:
                    raise _translate(exc, "xóa bản gốc") from exc
            except (MinioException, HTTPError, OSError) as exc:
                raise _translate(exc, "xóa bản gốc") from exc

    def lock(self, key: str, *, until: datetime | None, legal_hold: bool) -> BlobLock:
        """COMPLIANCE retention until ``until`` (a date already past, or earlier than the one in force, is left as
        it is: a lock is never shortened) and/or a legal hold, on the newest real version of ``key``."""
        self._ensure_bucket()
        version = self._live_version(key) if self._worm else None
        if self._worm and version is None:
            raise BlobMissing(key)
        current = self._lock_of(key, version)
        want_until = until if until is not None and until > datetime.now(UTC) else None
        if want_until is not None and current.retain_until is not None and current.retain_until >= want_until:
            want_until = None
        try:
            if not self._worm:
                return self._tag_lock(key, current, want_until, legal_hold)
            if want_until is not None:
                self.client.set_object_retention(
                    self.bucket, key, Retention(COMPLIANCE, want_until.astimezone(UTC)), version_id=version
                )
            if legal_hold and not current.legal_hold:
                self.client.enable_object_legal_hold(self.bucket, key, version_id=version)
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                raise BlobMissing(key) from exc
            raise _translate(exc, "khóa bản gốc") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "khóa bản gốc") from exc
        return self._lock_of(key, version)

    def release_hold(self, key: str) -> None:
        """Lift the legal hold of every version (retention stays: COMPLIANCE can never be lifted)."""
        self._ensure_bucket()
        try:
            if not self._worm:
                current = self._lock_of(key, None)
                self._write_tags(key, current.retain_until, False)
                return
            for version_id, marker in self._versions(key):
                if not marker:
                    self.client.disable_object_legal_hold(self.bucket, key, version_id=version_id)
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                raise BlobMissing(key) from exc
            raise _translate(exc, "gỡ giữ pháp lý bản gốc") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "gỡ giữ pháp lý bản gốc") from exc

    def lock_info(self, key: str) -> BlobLock:
        """The strongest lock over the real versions of ``key`` (an unlocked or missing one: ``BlobLock()``)."""
        self._ensure_bucket()
        if not self._worm:
            return self._lock_of(key, None)
        until: datetime | None = None
        hold = False
        for version_id, marker in self._versions(key):
            if marker:
                continue
            lock = self._lock_of(key, version_id)
            hold = hold or lock.legal_hold
            if lock.retain_until is not None and (until is None or lock.retain_until > until):
                until = lock.retain_until
        return BlobLock(retain_until=until, legal_hold=hold)

    def _lock_of(self, key: str, version_id: str | None) -> BlobLock:
        """The lock on one version (Object Lock), or the lock tags when the bucket has no Object Lock."""
        try:
            if not self._worm:
                tags: dict[str, str] = dict(self.client.get_object_tags(self.bucket, key, version_id=version_id) or {})
                raw = tags.get(_TAG_UNTIL)
                return BlobLock(
                    retain_until=datetime.fromisoformat(raw) if raw else None,
                    legal_hold=tags.get(_TAG_HOLD) == "1",
                )
            until: datetime | None = None
            try:
                retention = self.client.get_object_retention(self.bucket, key, version_id=version_id)
                if retention is not None and retention.retain_until_date is not None:
                    until = retention.retain_until_date
            except S3Error as exc:
                if exc.code not in _NO_LOCK_CODES:
                    raise
            try:
                hold = self.client.is_object_legal_hold_enabled(self.bucket, key, version_id=version_id)
            except S3Error as exc:
                if exc.code not in _NO_LOCK_CODES:
                    raise
                hold = False
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                return BlobLock()
            raise _translate(exc, "đọc khóa bản gốc") from exc
        except (MinioException, HTTPError, OSError) as exc:
            raise _translate(exc, "đọc khóa bản gốc") from exc
        return BlobLock(retain_until=until, legal_hold=bool(hold))

    def _tag_lock(self, key: str, current: BlobLock, until: datetime | None, legal_hold: bool) -> BlobLock:
        new = BlobLock(retain_until=until or current.retain_until, legal_hold=legal_hold or current.legal_hold)
        if new != current:
            self._write_tags(key, new.retain_until, new.legal_hold)
        return new

    def _write_tags(self, key: str, until: datetime | None, legal_hold: bool) -> None:
        tags = Tags.new_object_tags()
        if until is not None:
            tags[_TAG_UNTIL] = until.astimezone(UTC).isoformat()
        if legal_hold:
            tags[_TAG_HOLD] = "1"
        if tags:
            self.client.set_object_tags(self.bucket, key, tags)
        else:
            self.client.delete_object_tags(self.bucket, key)

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
