"""A blob store in a local folder: the embedded default."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

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
        self.root.mkdir(parents=True, exist_ok=True)

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
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            try:
                shutil.copyfile(path, tmp)
                with tmp.open("rb") as fh:
                    os.fsync(fh.fileno())
                tmp.chmod(0o444)
                os.replace(tmp, target)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise BlobStoreUnavailable(f"Không ghi được bản gốc vào thư mục lưu trữ: {exc}") from exc
        if not meta.exists():
            info = {"sha256": sha256, "media_type": media_type, "filename": filename, "size": size}
            meta.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
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
                p.chmod(0o644)
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
