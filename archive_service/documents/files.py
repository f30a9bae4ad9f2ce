"""Stored bytes on their way out: fetched into the spool with their SHA-256 checked, removed once sent."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from archive_service.services import Services


@dataclass(frozen=True)
class Download:
    """A verified copy of a stored file in the spool, and how to name it; the edge sends it, then discards it."""

    path: Path
    media_type: str
    filename: str
    etag: str | None = None


def fetch_verified(services: Services, *, key: str, sha256: str, name: str) -> Path:
    """The blob in a fresh spool folder; BlobCorrupt when its bytes no longer match ``sha256``."""
    services.settings.spool_dir.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(dir=services.settings.spool_dir)) / name
    try:
        services.blobs.fetch(key, path, sha256=sha256)
    except BaseException:
        shutil.rmtree(path.parent, ignore_errors=True)  # a refused or broken copy must not stay in the spool
        raise
    return path


def discard(path: Path) -> None:
    """Remove a fetched copy and the spool folder made for it (either already gone is fine)."""
    path.unlink(missing_ok=True)
    with contextlib.suppress(FileNotFoundError):
        path.parent.rmdir()
