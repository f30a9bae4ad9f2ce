"""A transfer's bag as one ZIP, kept in the blob store beside the originals.

The bag is written as a folder (``export_bag``: BagIt, for the receiving archive and for the CLI's ``--out``);
the ZIP of that folder goes to the blob store in the transfer's own transaction, so that any server behind a
load balancer can send it (no folder shared between machines), and a backup and ``verify`` cover it as they cover
the originals. The ZIP holds every original of the dossiers sent: it is read only through ``zips.bag_zip``, which
asks for the clearance of the most secret dossier in it.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Final

from archive_service.catalog.models import Transfer
from archive_service.services import Services
from archive_service.storage.base import hash_file

ZIP_MEDIA_TYPE: Final = "application/zip"


def zip_bag(bag: Path, target: Path, name: str) -> None:
    """Write the bag folder into ``target`` as ``name/…``, members in path order (the same bag, the same list)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in sorted(p for p in bag.rglob("*") if p.is_file()):
            out.write(path, arcname=f"{name}/{path.relative_to(bag).as_posix()}")


def store_bag_zip(services: Services, transfer: Transfer, bag: Path) -> None:
    """Put the ZIP of ``bag`` into the blob store and note it on ``transfer`` (the caller's transaction commits).

    The ZIP is made in this process's spool and removed once stored; a transaction that then fails leaves a blob
    no row references, which ``verify --repair`` sweeps after its grace period (as for an upload).
    """
    services.settings.spool_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=services.settings.spool_dir))
    try:
        path = folder / f"{transfer.bag_name}.zip"
        zip_bag(bag, path, transfer.bag_name)
        sha256, size = hash_file(path)
        info = services.blobs.put(
            path, sha256=sha256, size=size, media_type=ZIP_MEDIA_TYPE, filename=f"{transfer.bag_name}.zip"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    transfer.bag_zip_key = info.key
    transfer.bag_zip_sha256 = sha256
    transfer.bag_zip_size = size
