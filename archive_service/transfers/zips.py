"""A bag as one ZIP file over HTTP: made once beside the bag for download, and unpacked safely when received."""

from __future__ import annotations

import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path, PurePosixPath
from typing import Final

from archive_service.catalog import audit
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.dossier_list import highest_secrecy
from archive_service.catalog.models import Role, utcnow
from archive_service.documents.files import fetch_verified
from archive_service.errors import NotFound
from archive_service.services import Services
from archive_service.transfers.bag_archive import zip_bag
from archive_service.transfers.receiving import BagInvalid, ImportResult, receive
from archive_service.transfers.views import not_found, readable_row

MAX_MEMBERS: Final = 100_000
MAX_RATIO: Final = 200  # a member that inflates more than this is a zip bomb, not a record


def bag_zip(services: Services, principal: Principal, transfer_id: int, *, addr: str | None) -> Path:
    """The transfer's bag as a ZIP in the spool (the edge removes it once sent), for a writer of its office cleared
    for every document in it; audited ``transfer.download``. The ZIP kept in the blob store when the transfer was
    sent; for a transfer sent before it was kept, made from the bag folder on this server (404 when not there)."""
    principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    with transaction(services.factory) as session:
        row = readable_row(session, principal, transfer_id)
        principal.require_write(object_type="transfer", object_id=row.id, office_id=row.office_id, what="đợt nộp lưu")
        if highest_secrecy(session, [int(i) for i in row.dossier_ids]) > principal.clearance:
            raise not_found(transfer_id)
        stored = row.bag_zip_key is not None and row.bag_zip_sha256 is not None
        bag = services.settings.resolved_transfer_dir / row.bag_name
        if not stored and (not row.bag_name or not (bag / "bagit.txt").is_file()):
            raise NotFound(
                "TRANSFER-BAG-GONE",
                f"Gói của đợt nộp lưu số {transfer_id} không có trong kho lưu trữ cũng như thư mục xuất của máy chủ "
                "(đợt nộp lưu cũ được xuất bằng dòng lệnh vào thư mục khác).",
            )
        audit.record(
            session,
            principal=principal,
            action="transfer.download",
            object_type="transfer",
            object_id=row.id,
            client_addr=addr,
            details={"bag_name": row.bag_name},
            office_id=row.office_id,
        )
        key, sha256, name = row.bag_zip_key, row.bag_zip_sha256, f"{row.bag_name}.zip"
    if key is not None and sha256 is not None:
        # The ZIP kept in the blob store when the transfer was sent: the same bytes from any server, SHA-256 checked.
        return fetch_verified(services, key=key, sha256=sha256, name=name)
    # A transfer sent before the ZIP was kept: made from the folder on this server, in a fresh spool folder (the
    # edge streams the file and then discards it with its folder).
    services.settings.spool_dir.mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(dir=services.settings.spool_dir)) / name
    zip_bag(bag, target, row.bag_name)
    return target


def _not_a_bag(detail: str) -> BagInvalid:
    return BagInvalid([detail])


def _safe_members(archive: zipfile.ZipFile, limit: int) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _not_a_bag("tệp ZIP có quá nhiều tệp.")
    total = 0
    for info in members:
        name = PurePosixPath(info.filename)
        if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
            raise _not_a_bag(f"tệp ZIP có đường dẫn không an toàn: {info.filename!r}.")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise _not_a_bag(f"tệp ZIP có liên kết tượng trưng (symlink): {info.filename!r}.")
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise _not_a_bag(f"tệp {info.filename!r} trong ZIP có tỉ lệ nén bất thường.")
    if total > limit:
        raise _not_a_bag("nội dung ZIP vượt quá giới hạn dung lượng.")
    return members


def _bag_root(folder: Path) -> Path:
    if (folder / "bagit.txt").is_file():
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir()]
    if len(inner) == 1 and (inner[0] / "bagit.txt").is_file():
        return inner[0]
    raise _not_a_bag("không thấy bagit.txt ở gốc tệp ZIP hay trong thư mục duy nhất của nó.")


def import_zip(services: Services, principal: Principal, zip_path: Path, *, addr: str | None) -> ImportResult:
    """Receive a bag sent as a ZIP: unpacked into a private folder (no absolute paths, no "..", no symlinks, no
    bombs), imported like ``service.import_bag``, then the folder removed (the bytes are in the blob store by then)."""
    principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    workdir = services.settings.resolved_transfer_dir / "nhan" / uuid.uuid4().hex
    workdir.mkdir(parents=True)
    try:
        try:
            with zipfile.ZipFile(zip_path) as archive:
                limit = services.settings.max_upload_bytes * 20
                for info in _safe_members(archive, limit):
                    archive.extract(info, workdir)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _not_a_bag(f"tệp gửi lên không phải ZIP đọc được ({exc}).") from None
        return receive(services, principal, _bag_root(workdir), addr=addr, write_receipt=False, moment=utcnow())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


__all__ = ["bag_zip", "import_zip"]
