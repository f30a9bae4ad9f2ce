"""BlobStore: where original bytes live, addressed by their SHA-256, never changed once written."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Final, Protocol

from archive_service.errors import AppError, ServiceUnavailable

CHUNK: Final = 1024 * 1024


@dataclass(frozen=True)
class BlobInfo:
    key: str
    size: int
    sha256: str | None = None  # as recorded in the object's metadata, when the store keeps it
    media_type: str | None = None
    filename: str | None = None
    modified_at: datetime | None = None


class BlobStoreUnavailable(ServiceUnavailable):
    """The blob store cannot be reached, or refused our credentials."""

    def __init__(self, message: str, *, code: str = "STORAGE-UNAVAILABLE") -> None:
        super().__init__(code, message)


class BlobCorrupt(AppError):
    """The stored bytes no longer hash to their key."""

    status_code = 500

    def __init__(self, key: str) -> None:
        super().__init__("STORAGE-CORRUPT", f"Bản gốc {key} trong kho lưu trữ bị sai lệch mã băm SHA-256.")


class BlobLocked(AppError):
    """A delete refused: the object is under Object Lock retention or a legal hold (or the folder's lock file)."""

    status_code = 409

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(
            "STORAGE-LOCKED",
            f"Bản gốc {key} đang bị khóa chống xóa (WORM) trong kho lưu trữ{': ' + detail if detail else ''}; "
            "không thể xóa hoặc ghi đè trước khi hết thời hạn bảo quản.",
        )


@dataclass(frozen=True)
class BlobLock:
    """What protects a blob: COMPLIANCE retention until an instant, and/or a legal hold (no end)."""

    retain_until: datetime | None = None
    legal_hold: bool = False

    @property
    def locked(self) -> bool:
        return self.legal_hold or (self.retain_until is not None and self.retain_until > datetime.now(UTC))


class BlobMissing(AppError):
    status_code = 404

    def __init__(self, key: str) -> None:
        super().__init__("STORAGE-MISSING", f"Không tìm thấy bản gốc {key} trong kho lưu trữ.")


def key_for(sha256: str) -> str:
    """The storage key of a blob: ``sha256/ab/<hex>`` (fan-out keeps folders small)."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return f"sha256/{sha256[:2]}/{sha256}"


def sha256_of_key(key: str) -> str | None:
    """The digest a key names, or None for a key that is not ours."""
    parts = key.split("/")
    if len(parts) == 3 and parts[0] == "sha256" and len(parts[2]) == 64 and parts[2][:2] == parts[1]:
        return parts[2]
    return None


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def copy_verified(src: BinaryIO, dest: Path, expected_sha256: str) -> int:
    """Copy a stream to ``dest`` and check its SHA-256; on mismatch remove ``dest`` and raise."""
    digest = hashlib.sha256()
    size = 0
    with dest.open("wb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    if digest.hexdigest() != expected_sha256:
        dest.unlink(missing_ok=True)
        raise BlobCorrupt(key_for(expected_sha256))
    return size


class BlobStore(Protocol):
    """Originals by SHA-256. ``put`` is idempotent; ``fetch`` verifies the bytes it returns."""

    name: str

    def put(self, path: Path, *, sha256: str, size: int, media_type: str, filename: str) -> BlobInfo:
        """Store the file under ``key_for(sha256)`` unless it is already there."""
        ...

    def fetch(self, key: str, dest: Path, *, sha256: str) -> int:
        """Write the blob to ``dest``; raise BlobCorrupt when it does not hash to ``sha256``."""
        ...

    def stat(self, key: str) -> BlobInfo | None:
        """Size and metadata, or None when absent."""
        ...

    def verify(self, key: str, *, sha256: str) -> bool:
        """Whether the stored bytes still hash to ``sha256`` (reads them all)."""
        ...

    def delete(self, key: str) -> None:
        """Remove a blob (every stored version): ``verify --repair`` for blobs no row references, and destruction
        after appraisal. Raises BlobLocked while a retention or legal hold protects it."""
        ...

    def lock(self, key: str, *, until: datetime | None, legal_hold: bool) -> BlobLock:
        """Protect the blob: COMPLIANCE retention until ``until`` (never shortened: a later date wins) and/or a
        legal hold. Returns the lock now in force."""
        ...

    def release_hold(self, key: str) -> None:
        """Lift the legal hold (retention, if any, stays)."""
        ...

    def lock_info(self, key: str) -> BlobLock:
        """The lock in force on the blob (an unlocked one: ``BlobLock()``)."""
        ...

    @property
    def worm_guaranteed(self) -> bool:
        """Whether the lock is enforced by the store itself (S3 Object Lock), not only by this program."""
        ...

    def iter_keys(self) -> Iterator[str]:
        """Every key in the store."""
        ...

    def ping(self) -> None:
        """Raise BlobStoreUnavailable when the store cannot serve."""
        ...
