"""A blob store in a local folder: the embedded default.

Its folders are 0700, originals 0400 and their metadata 0600: only the service account reads them
(``archive_service.private_files``).
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
        path = self._path(key)
        for p in (path, path.with_name(path.name + ".meta.json")):
            if p.exists():
                p.chmod(FILE_MODE)  # read-only files cannot be removed on some systems
                p.unlink()

    def iter_keys(self) -> Iterator[str]:
        base = self.root / "sha256"
        if not base.exists():
            return
        for path in sorted(base.glob("*/*")):
            if path.is_file() and not path.name.endswith(".meta.json") and not path.name.startswith("."):
                yield path.relative_to(self.root).as_posix()

    def ping(self) -> None:
        if not self.root.is_dir() or not os.access(self.root, os.W_OK):
            raise BlobStoreUnavailable(f"Thư mục lưu trữ {self.root} không ghi được.")


def _private_create(path: Path, *, replace: bool) -> BinaryIO:
    """Open ``path`` for writing, created 0600 whatever the umask (truncated when ``replace``)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # an older leftover temp file may have had another mode
    return os.fdopen(fd, "wb")
