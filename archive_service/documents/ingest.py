"""Bulk import of files from disk through the same intake as the HTTP API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.documents.intake import store_original
from archive_service.errors import AppError
from archive_service.services import Services
from archive_service.storage.base import hash_file


@dataclass
class IngestReport:
    stored: int = 0
    duplicates: int = 0
    refused: list[tuple[Path, str, str]] = field(default_factory=list)
    # Duplicates filed in another dossier and not in this one: (file, that dossier's id, its title), so the
    # operator learns where they are and may link them here (``POST /api/v1/dossiers/{id}/links``).
    elsewhere: list[tuple[Path, int, str]] = field(default_factory=list)


def ingest_paths(
    services: Services,
    files: Sequence[Path],
    *,
    dossier_id: int,
    username: str,
    on_file: Callable[[], None] | None = None,
    electronic: bool = False,
) -> IngestReport:
    """Store each file into the dossier as ``username``; files already in are skipped by SHA-256.

    ``electronic``: every new file is marked as a document issued electronically (a digital signature required).
    """
    with transaction(services.factory) as session:
        principal = accounts.principal_of(accounts.get_user(session, username))
    report = IngestReport()
    for path in files:
        sha256, size = hash_file(path)
        try:
            result = store_original(
                factory=services.factory,
                blobs=services.blobs,
                principal=principal,
                dossier_id=dossier_id,
                path=path,
                filename=path.name,
                sha256=sha256,
                size=size,
                client_addr="cli",
                electronic=electronic,
            )
        except AppError as exc:
            if exc.status_code in (401, 403, 404, 503):
                raise
            report.refused.append((path, exc.code, exc.message))
        else:
            if result.duplicate:
                report.duplicates += 1
                if result.home is not None and not result.in_this_dossier:
                    report.elsewhere.append((path, result.home.id, result.home.title))
            else:
                report.stored += 1
        if on_file:
            on_file()
    return report
