"""The two use cases: make a backup of the catalog and the blobs together, and restore one onto empty stores.

Order of a backup: the catalog first, then the blobs it references (immutable, content-addressed: all still there
after the dump), then the manifest with every file's SHA-256. Order of a restore: every check first (the backup's
integrity, the targets empty) so that a refusal writes nothing; then the catalog, the blobs with their locks, the
search index rebuilt, and the same checks as ``archive-service verify`` to prove it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive_service.backup import catalog_dump
from archive_service.backup.blobs import PutReport, copy_blobs, put_blobs, referenced_blobs
from archive_service.backup.errors import BackupRefused
from archive_service.backup.manifest import FileEntry, Manifest, check_files, read_manifest, write_manifest
from archive_service.catalog import audit, db
from archive_service.catalog.db import transaction
from archive_service.documents.verify import Drift, verify
from archive_service.private_files import make_private_dir
from archive_service.search.service import index_drift, reindex_all
from archive_service.services import Services
from archive_service.storage.base import hash_file
from indexers.search.verify import IndexDrift

Progress = Callable[[int], None]


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    manifest: Manifest
    seconds: float


def create_backup(services: Services, folder: Path, *, progress: Progress | None = None) -> BackupResult:
    """Write a backup into ``folder`` (missing or empty; made 0700): catalog, blobs, manifest. Audited
    ``system.backup`` in the catalog backed up, once the backup is whole."""
    started = time.monotonic()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupRefused(
            "BACKUP-FOLDER-NOT-EMPTY",
            f"Thư mục {folder} đã có dữ liệu: hãy chọn một thư mục mới hoặc rỗng để không ghi đè bản sao lưu cũ.",
        )
    make_private_dir(folder)
    created_at = datetime.now(UTC)
    entry, refs = catalog_dump.dump_catalog(services.engine, folder, referenced_blobs)
    sha256, size = hash_file(folder / entry.path)
    blobs = copy_blobs(services.blobs, folder, refs, progress)
    manifest = Manifest(
        created_at=created_at,
        catalog=entry,
        files=[FileEntry(path=entry.path, size=size, sha256=sha256)],
        blobs=blobs,
    )
    write_manifest(folder, manifest)
    _audit_system(
        services,
        "system.backup",
        {
            "folder": str(folder.resolve()),
            "catalog_revision": entry.revision,
            "blobs": len(blobs),
            "bytes": manifest.total_bytes,
        },
    )
    return BackupResult(folder=folder, manifest=manifest, seconds=time.monotonic() - started)


@dataclass
class RestoreResult:
    manifest: Manifest
    put: PutReport
    indexed: int
    drift: Drift
    index: IndexDrift
    index_current: bool
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.drift.clean and self.index.clean and self.index_current


def check_backup(folder: Path) -> Manifest:
    """The manifest of an intact backup: its digest, then every file's size and SHA-256 (reads everything)."""
    manifest = read_manifest(folder)
    check_files(folder, manifest)
    return manifest


def restore_backup(services: Services, folder: Path, *, progress: Progress | None = None) -> RestoreResult:
    """Restore ``folder`` onto the (empty) stores of ``services``, rebuild the index and verify.

    ``services`` must have been opened without migrating (``open_services(migrate=False)``): an empty catalog
    stays empty until the check below has passed.
    """
    started = time.monotonic()
    manifest = check_backup(folder)
    replace_tables = _check_targets(services, manifest)
    catalog_dump.restore_catalog(services.engine, folder, manifest.catalog, replace_tables=replace_tables)
    db.upgrade(services.engine)  # a backup of an older version is migrated like any catalog at start
    put = put_blobs(services.blobs, folder, manifest.blobs, progress)
    indexed = reindex_all(services)
    drift = verify(services, deep=True)
    index = index_drift(services)
    current = services.search.schema_is_current()
    result = RestoreResult(
        manifest=manifest,
        put=put,
        indexed=indexed,
        drift=drift,
        index=index,
        index_current=current,
        seconds=time.monotonic() - started,
    )
    _audit_system(
        services,
        "system.restore",
        {
            "backup_created_at": manifest.created_at.isoformat(),
            "catalog_revision": manifest.catalog.revision,
            "blobs": put.blobs,
            "retention_reapplied": put.retained,
            "legal_holds_reapplied": put.held,
            "retention_lapsed": len(put.lapsed),
            "indexed": indexed,
            "verify_clean": result.clean,
        },
    )
    return result


def _audit_system(services: Services, action: str, details: dict[str, object]) -> None:
    """A backup or a restore in the audit trail: the system's own act, run from the command line."""
    with transaction(services.factory) as session:
        audit.record(
            session,
            principal=None,
            action=action,
            object_type="system",
            object_id=None,
            client_addr="cli",
            details=details,
        )


def _check_targets(services: Services, manifest: Manifest) -> bool:
    """Refuse (writing nothing) unless the stores the settings name are empty and fit the backup.

    Returns whether the catalog already has (empty) tables that the restore replaces.
    """
    engine = services.engine
    kind = "postgresql" if engine.dialect.name == "postgresql" else engine.dialect.name
    if kind != manifest.catalog.kind:
        raise BackupRefused(
            "BACKUP-CATALOG-KIND",
            f"Bản sao lưu chứa danh mục {manifest.catalog.kind}, cấu hình hiện tại dùng {kind}: "
            "đặt ARCHIVE_DATABASE_URL đúng loại trước khi khôi phục.",
        )
    if not catalog_dump.known_revision(engine, manifest.catalog.revision):
        raise BackupRefused(
            "BACKUP-NEWER",
            f"Bản sao lưu ở phiên bản danh mục {manifest.catalog.revision} mà phần mềm này chưa biết: "
            "hãy khôi phục bằng phiên bản phần mềm đã tạo ra nó hoặc mới hơn.",
        )
    schema = catalog_dump.target_schema(engine)
    if kind == "postgresql" and schema != manifest.catalog.schema_name:
        raise BackupRefused(
            "BACKUP-SCHEMA",
            f"Bản sao lưu là schema {manifest.catalog.schema_name}, đích là schema {schema}: đặt search_path "
            f"của ARCHIVE_DATABASE_URL về {manifest.catalog.schema_name} (schema chưa có hoặc rỗng).",
        )
    tables = catalog_dump.catalog_tables(engine)
    if tables and catalog_dump.catalog_holds_records(engine, tables):
        raise _not_empty("danh mục (catalog) đã có hồ sơ hoặc văn bản")
    revision = catalog_dump.catalog_revision(engine, tables)
    if tables and revision != manifest.catalog.revision:
        raise _not_empty(
            f"danh mục đã có bảng ở phiên bản {revision or 'không rõ'}, khác phiên bản {manifest.catalog.revision} "
            "của bản sao lưu"
        )
    if next(iter(services.blobs.iter_keys()), None) is not None:
        raise _not_empty("kho bản gốc đã có đối tượng (với S3 Object Lock: khôi phục vào một bucket mới)")
    return bool(tables)


def _not_empty(what: str) -> BackupRefused:
    return BackupRefused(
        "BACKUP-TARGET-NOT-EMPTY",
        f"Không khôi phục: {what}. Chỉ khôi phục vào kho rỗng; chưa ghi gì.",
    )
