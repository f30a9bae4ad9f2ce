"""One catalog transaction per upload: a failure inside it leaves no row, no job, no outbox entry, no audit event.

The blob is put before the row commits, so what a failed upload leaves is at most the blob (an orphan that
``verify --repair`` sweeps), never a row without its blob. The failures are real constraints of the catalog.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from archive_service.accounts import service as accounts_service
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document, IndexOutbox, Job
from archive_service.documents.intake import store_original
from archive_service.storage.base import key_for
from tests.conftest import Harness, build_harness, make_settings
from tests.samples import tiny_pdf


def _spooled(tmp_path: Path, data: bytes) -> tuple[Path, str]:
    path = tmp_path / "upload.part"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def _counts(h: Harness) -> tuple[int, int, int, int]:
    with transaction(h.services.factory) as s:
        return (
            int(s.scalar(select(func.count()).select_from(Document)) or 0),
            int(s.scalar(select(func.count()).select_from(Job)) or 0),
            int(s.scalar(select(func.count()).select_from(IndexOutbox)) or 0),
            int(s.scalar(select(func.count()).where(AuditEvent.action == "document.upload")) or 0),
        )


def _store(h: Harness, tmp_path: Path, data: bytes, *, user_id: int | None = None, addr: str = "127.0.0.1") -> None:
    dossier = h.new_dossier()
    principal = accounts_service.token_principal(h.services, h.archivist.token)
    if user_id is not None:
        principal = dataclasses.replace(principal, user_id=user_id)
    path, sha = _spooled(tmp_path, data)
    store_original(
        factory=h.services.factory,
        blobs=h.services.blobs,
        principal=principal,
        dossier_id=dossier,
        path=path,
        filename="Nghị quyết.pdf",
        sha256=sha,
        size=len(data),
        client_addr=addr,
    )


def test_an_upload_writes_its_row_job_outbox_and_audit_together(harness: Harness, tmp_path: Path) -> None:
    before = _counts(harness)
    _store(harness, tmp_path, tiny_pdf("Mot giao dich"))
    after = _counts(harness)
    assert after[0] == before[0] + 1 and after[3] == before[3] + 1
    assert after[1] > before[1] and after[2] == before[2] + 1


def test_a_refused_row_leaves_no_row_no_job_and_its_blob_only_as_an_orphan(harness: Harness, tmp_path: Path) -> None:
    """The uploader names no user (a foreign key of the document row): the transaction fails as a whole."""
    data = tiny_pdf("Khong luu duoc")
    before = _counts(harness)
    with pytest.raises(DBAPIError):
        _store(harness, tmp_path, data, user_id=2**40)
    assert _counts(harness) == before
    assert harness.services.blobs.stat(key_for(hashlib.sha256(data).hexdigest())) is not None  # put first


@pytest.fixture
def real(tmp_path: Path) -> Iterator[Harness]:
    yield from build_harness(make_settings("real", tmp_path))


def test_a_failure_at_the_last_insert_takes_back_the_row_and_the_job(real: Harness, tmp_path: Path) -> None:
    """PostgreSQL refuses the audit row (client address over 64 characters) after the document and its job."""
    before = _counts(real)
    with pytest.raises(DBAPIError):
        _store(real, tmp_path, tiny_pdf("Nhat ky qua dai"), addr="x" * 65)
    assert _counts(real) == before
