"""``manifest.json``: what a backup folder holds, with a SHA-256 for every file, checked before any restore.

The manifest's own digest is written beside it (``manifest.sha256``, the ``sha256sum`` format), so that a
changed byte anywhere in the folder — the manifest included — is found before anything is written, and an
operator can check a copy kept off site with ``sha256sum -c manifest.sha256`` and no service at hand.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Final, Literal

from pydantic import BaseModel, ValidationError

from archive_service.backup.errors import BackupRefused
from archive_service.private_files import FILE_MODE
from archive_service.storage.base import hash_file

FORMAT: Final = "archive-service-backup"
FORMAT_VERSION: Final = 1
MANIFEST: Final = "manifest.json"
MANIFEST_DIGEST: Final = "manifest.sha256"

CatalogKind = Literal["postgresql", "sqlite"]


class CatalogEntry(BaseModel):
    """The catalog dump: its kind, the Alembic revision it was at, and (PostgreSQL) the schema it lives in."""

    kind: CatalogKind
    revision: str
    schema_name: str | None = None
    path: str


class FileEntry(BaseModel):
    path: str
    size: int
    sha256: str


class BlobEntry(BaseModel):
    """One blob the catalog references, with the lock that protected it when the backup was made."""

    key: str
    sha256: str
    size: int
    path: str
    media_type: str
    filename: str
    retain_until: datetime | None = None
    legal_hold: bool = False


class Manifest(BaseModel):
    format: str = FORMAT
    version: int = FORMAT_VERSION
    created_at: datetime
    catalog: CatalogEntry
    files: list[FileEntry]
    blobs: list[BlobEntry]
    search: str = "không sao lưu: dựng lại từ danh mục khi khôi phục / not backed up: rebuilt on restore"

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files) + sum(b.size for b in self.blobs)


def write_private(path: Path, data: bytes) -> None:
    """Write a new file readable by the service account only (0600 from its creation)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """``manifest.json`` and its digest, both 0600."""
    data = (json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n").encode()
    write_private(folder / MANIFEST, data)
    write_private(folder / MANIFEST_DIGEST, f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}\n".encode())


def read_manifest(folder: Path) -> Manifest:
    """The manifest, refused when missing, changed since it was written, or of a format this version cannot read."""
    try:
        data = (folder / MANIFEST).read_bytes()
        recorded = (folder / MANIFEST_DIGEST).read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError) as exc:
        raise _damaged(f"không đọc được {MANIFEST} hoặc {MANIFEST_DIGEST}") from exc
    if hashlib.sha256(data).hexdigest() != recorded:
        raise _damaged(f"{MANIFEST} không khớp mã băm trong {MANIFEST_DIGEST}")
    try:
        manifest = Manifest.model_validate_json(data)
    except ValidationError as exc:
        raise _damaged(f"{MANIFEST} sai cấu trúc") from exc
    if manifest.format != FORMAT or manifest.version > FORMAT_VERSION:
        raise BackupRefused(
            "BACKUP-FORMAT",
            f"Bản sao lưu định dạng {manifest.format} phiên bản {manifest.version}: phiên bản phần mềm này không đọc "
            "được; hãy khôi phục bằng phiên bản đã tạo ra nó hoặc mới hơn.",
        )
    return manifest


def inside(folder: Path, relative: str) -> Path:
    """``folder/relative``, refused when the manifest names a path outside the folder (``..``, absolute)."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise _damaged(f"đường dẫn không hợp lệ trong {MANIFEST}: {relative!r}")
    return folder.joinpath(*pure.parts)


def check_files(folder: Path, manifest: Manifest) -> None:
    """Every file the manifest lists is there with its size and SHA-256; the first that is not refuses all."""
    listed: list[tuple[str, int, str]] = [(f.path, f.size, f.sha256) for f in manifest.files]
    listed += [(b.path, b.size, b.sha256) for b in manifest.blobs]
    for relative, size, sha256 in listed:
        path = inside(folder, relative)
        try:
            got_sha, got_size = hash_file(path)
        except OSError as exc:
            raise _damaged(f"thiếu tệp {relative}") from exc
        if got_size != size or got_sha != sha256:
            raise _damaged(f"tệp {relative} không khớp kích thước hoặc mã băm SHA-256 ghi trong {MANIFEST}")


def _damaged(detail: str) -> BackupRefused:
    return BackupRefused(
        "BACKUP-DAMAGED",
        f"Bản sao lưu hỏng hoặc không đầy đủ ({detail}); chưa ghi gì vào kho đích. Hãy dùng một bản sao khác.",
    )
