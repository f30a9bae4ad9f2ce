"""The blobs of a backup: every object the catalog references, copied with its SHA-256 checked and its lock noted;
put back on restore with the SHA-256 checked again and the lock re-applied.

Blobs are immutable and named by their SHA-256, so copying them after the catalog dump yields every blob the
dump references (a blob is never changed in place; one destroyed after the dump is refused loudly, never skipped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from sqlalchemy import Connection

from archive_service.backup.errors import BackupRefused
from archive_service.backup.manifest import BlobEntry, inside
from archive_service.catalog import blob_refs
from archive_service.private_files import FILE_MODE, make_private_dir, restrict
from archive_service.storage.base import BlobCorrupt, BlobMissing, BlobStore, hash_file

BLOB_DIR: Final = "blobs"
_OCTET: Final = "application/octet-stream"


@dataclass(frozen=True)
class BlobRef:
    """A blob as the catalog names it: key, digest, size, and the type and name it was stored with."""

    key: str
    sha256: str
    size: int
    media_type: str
    filename: str


def referenced_blobs(conn: Connection) -> list[BlobRef]:
    """Every blob a row references (``catalog.blob_refs``, the list ``archive-service verify`` checks, so that a
    restored catalog verifies clean), once each."""
    seen: dict[str, BlobRef] = {}
    for _, key, sha256, size, media_type, filename in conn.execute(blob_refs.referenced_blobs()):
        ref = BlobRef(str(key), str(sha256), int(size or 0), str(media_type or _OCTET), str(filename or ""))
        earlier = seen.setdefault(ref.key, ref)
        if earlier.sha256 != ref.sha256:
            raise BackupRefused(
                "BACKUP-CATALOG-INCONSISTENT",
                f"Bản gốc {ref.key} được danh mục ghi với hai mã băm khác nhau; chạy archive-service verify trước.",
            )
    return sorted(seen.values(), key=lambda r: r.key)


def copy_blobs(
    store: BlobStore, folder: Path, refs: list[BlobRef], progress: Callable[[int], None] | None = None
) -> list[BlobEntry]:
    """Fetch every blob into ``folder/blobs/<key>`` (0600), its SHA-256 checked against the catalog's."""
    entries: list[BlobEntry] = []
    for ref in refs:
        relative = f"{BLOB_DIR}/{ref.key}"
        dest = inside(folder, relative)
        make_private_dir(dest.parent)
        try:
            size = store.fetch(ref.key, dest, sha256=ref.sha256)
        except (BlobMissing, BlobCorrupt) as exc:
            raise BackupRefused(
                "BACKUP-BLOB-BAD",
                f"Không sao lưu được: {exc.message} Chạy archive-service verify để biết các sai lệch; "
                "bản sao lưu này không đầy đủ, hãy xóa thư mục.",
            ) from exc
        restrict(dest, FILE_MODE)
        lock = store.lock_info(ref.key)
        entries.append(
            BlobEntry(
                key=ref.key,
                sha256=ref.sha256,
                size=size,
                path=relative,
                media_type=ref.media_type,
                filename=ref.filename or _stored_name(store, ref.key),
                retain_until=lock.retain_until,
                legal_hold=lock.legal_hold,
            )
        )
        if progress:
            progress(1)
    return entries


def _stored_name(store: BlobStore, key: str) -> str:
    """The name a blob was stored with, for a row that names none (derivatives, page images); else its key's tail.
    Asked of the store only then: one request more per blob is not spent on names the catalog already has."""
    info = store.stat(key)
    return info.filename if info and info.filename else key.rsplit("/", 1)[-1]


@dataclass
class PutReport:
    """What the restore put: blobs, the locks re-applied, and retentions that ran out since the backup."""

    blobs: int = 0
    retained: int = 0
    held: int = 0
    lapsed: list[str] = field(default_factory=list)


def put_blobs(
    store: BlobStore, folder: Path, entries: list[BlobEntry], progress: Callable[[int], None] | None = None
) -> PutReport:
    """Put every blob back (its SHA-256 checked once more, just before) and re-apply its retention and legal hold."""
    report = PutReport()
    now = datetime.now(UTC)
    for entry in entries:
        path = inside(folder, entry.path)
        sha256, size = hash_file(path)
        if sha256 != entry.sha256 or size != entry.size:
            raise BackupRefused(
                "BACKUP-DAMAGED", f"Tệp {entry.path} đã thay đổi trong khi khôi phục; dừng lại, hãy khôi phục lại."
            )
        stored = store.put(path, sha256=sha256, size=size, media_type=entry.media_type, filename=entry.filename)
        if stored.key != entry.key:
            raise BackupRefused("BACKUP-DAMAGED", f"Bản gốc {entry.key} không mang khóa theo mã băm của nó.")
        report.blobs += 1
        until = entry.retain_until if entry.retain_until is not None and entry.retain_until > now else None
        if entry.retain_until is not None and until is None:
            report.lapsed.append(entry.key)
        if until is not None or entry.legal_hold:
            store.lock(entry.key, until=until, legal_hold=entry.legal_hold)
            report.retained += until is not None
            report.held += entry.legal_hold
        if progress:
            progress(1)
    return report
