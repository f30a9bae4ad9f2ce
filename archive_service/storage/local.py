"""A blob store in a local folder: the embedded default.

Its folders are 0700, originals 0400 and their metadata 0600: only the service account reads them
(``archive_service.private_files``).

WORM here is enforced in code only: a lock (COMPLIANCE-like retention until an instant, or a legal hold) is a
sidecar ``<blob>.lock.json`` (0400) that ``delete`` honours. Anyone with the operating system's root — or the
service account itself, outside this program — can still remove the files, so ``worm_guaranteed`` is False;
use the S3 backend with Object Lock where the retention must hold against administrators too.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from archive_service.private_files import FILE_MODE, READ_ONLY_MODE, make_private_dir
from archive_service.storage.base import (
    BlobInfo,
    BlobLock,
    BlobLocked,
    BlobMissing,
    BlobStoreUnavailable,
    copy_verified,
    hash_file,
    key_for,
)


class LocalBlobStore:
    """Files under ``root/sha256/ab/<hex>``, written once by atomic rename, read-only afterwards."""

    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root
        make_private_dir(self.root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"key escapes the store: {key!r}")
        return path

    def put(self, path: Path, *, sha256: str, size: int, media_type: str, filename: str) -> BlobInfo:
        key = key_for(sha256)
        target = self._path(key)
        meta = target.with_name(target.name + ".meta.json")
        if not target.exists():
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            try:
                make_private_dir(target.parent)
                # Created 0600 and only then filled: the bytes are never readable by another account.
                with _private_create(tmp, replace=True) as dst, path.open("rb") as src:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
                    dst.flush()
                    os.fsync(dst.fileno())
                tmp.chmod(READ_ONLY_MODE)
                os.replace(tmp, target)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise BlobStoreUnavailable(f"Không ghi được bản gốc vào thư mục lưu trữ: {exc}") from exc
        if not meta.exists():
            info = {"sha256": sha256, "media_type": media_type, "filename": filename, "size": size}
            with contextlib.suppress(FileExistsError), _private_create(meta, replace=False) as fh:
                fh.write(json.dumps(info, ensure_ascii=False).encode("utf-8"))
        return BlobInfo(key=key, size=size, sha256=sha256, media_type=media_type, filename=filename)

    def fetch(self, key: str, dest: Path, *, sha256: str) -> int:
        path = self._path(key)
        if not path.exists():
            raise BlobMissing(key)
        with path.open("rb") as src:
            return copy_verified(src, dest, sha256)

    def stat(self, key: str) -> BlobInfo | None:
        path = self._path(key)
        if not path.exists():
            return None
        meta_path = path.with_name(path.name + ".meta.json")
        meta: dict[str, object] = {}
        if meta_path.exists():
            with contextlib.suppress(ValueError):
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return BlobInfo(
            key=key,
            size=path.stat().st_size,
            sha256=str(meta["sha256"]) if "sha256" in meta else None,
            media_type=str(meta["media_type"]) if "media_type" in meta else None,
            filename=str(meta["filename"]) if "filename" in meta else None,
            modified_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        )

    def verify(self, key: str, *, sha256: str) -> bool:
        path = self._path(key)
        return path.exists() and hash_file(path)[0] == sha256

    def delete(self, key: str) -> None:
        """Remove the blob, its metadata and an expired lock file; refused (BlobLocked) while a lock holds."""
        path = self._path(key)
        if self.lock_info(key).locked:
            raise BlobLocked(key)
        for p in (path, _meta_path(path), _lock_path(path)):
            if p.exists():
                p.chmod(FILE_MODE)  # read-only files cannot be removed on some systems
                p.unlink()

    @property
    def worm_guaranteed(self) -> bool:
        """Never: the lock files bind this program, not the operating system's root."""
        return False

    def lock(self, key: str, *, until: datetime | None, legal_hold: bool) -> BlobLock:
        """Write the lock file: the later of the date in force and ``until`` (never shortened), the hold or'ed."""
        path = self._path(key)
        if not path.exists():
            raise BlobMissing(key)
        current = self.lock_info(key)
        want = until if until is not None and until > datetime.now(UTC) else None
        new_until = current.retain_until
        if want is not None and (new_until is None or want > new_until):
            new_until = want
        new = BlobLock(retain_until=new_until, legal_hold=legal_hold or current.legal_hold)
        if new != current:
            self._write_lock(path, new)
        return new

    def release_hold(self, key: str) -> None:
        path = self._path(key)
        current = self.lock_info(key)
        if current.legal_hold:
            self._write_lock(path, BlobLock(retain_until=current.retain_until, legal_hold=False))

    def lock_info(self, key: str) -> BlobLock:
        lock_path = _lock_path(self._path(key))
        if not lock_path.exists():
            return BlobLock()
        try:
            data = json.loads(lock_path.read_text(encoding="utf-8"))
        except ValueError:
            # A damaged lock file protects as a legal hold would: never read as "unlocked".
            return BlobLock(legal_hold=True)
        until = data.get("retain_until")
        return BlobLock(
            retain_until=datetime.fromisoformat(until) if until else None,
            legal_hold=bool(data.get("legal_hold")),
        )

    def _write_lock(self, path: Path, lock: BlobLock) -> None:
        lock_path = _lock_path(path)
        tmp = lock_path.with_name(f".{lock_path.name}.{os.getpid()}.tmp")
        data = {
            "retain_until": lock.retain_until.astimezone(UTC).isoformat() if lock.retain_until else None,
            "legal_hold": lock.legal_hold,
        }
        try:
            with _private_create(tmp, replace=True) as fh:
                fh.write(json.dumps(data).encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            tmp.chmod(READ_ONLY_MODE)
            os.replace(tmp, lock_path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise BlobStoreUnavailable(f"Không ghi được tệp khóa của bản gốc: {exc}") from exc

    def iter_keys(self) -> Iterator[str]:
        base = self.root / "sha256"
        if not base.exists():
            return
        for path in sorted(base.glob("*/*")):
            if (
                path.is_file()
                and not path.name.endswith((".meta.json", ".lock.json"))
                and not path.name.startswith(".")
            ):
                yield path.relative_to(self.root).as_posix()

    def ping(self) -> None:
        if not self.root.is_dir() or not os.access(self.root, os.W_OK):
            raise BlobStoreUnavailable(f"Thư mục lưu trữ {self.root} không ghi được.")


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock.json")


def _private_create(path: Path, *, replace: bool) -> BinaryIO:
    """Open ``path`` for writing, created 0600 whatever the umask (truncated when ``replace``)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # an older leftover temp file may have had another mode
    return os.fdopen(fd, "wb")
