"""Files at rest are the service account's alone: folders 0700, files 0600, originals 0400 (embedded backends)."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive_service.services import open_services
from archive_service.storage.base import hash_file, key_for
from archive_service.storage.local import LocalBlobStore
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import build_harness, make_settings
from tests.samples import tiny_docx, tiny_pdf

pytestmark = pytest.mark.page_images  # derivatives and the page routes are part of what is checked


@contextmanager
def umask(value: int) -> Iterator[None]:
    """A process umask for the block (as a service started by a permissive shell would have)."""
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def open_to_others(root: Path) -> list[str]:
    """Every path under ``root`` (and root) with a group or other permission bit, with its mode."""
    found = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{path.relative_to(root.parent)} {mode:o}")
    return found


def test_nothing_the_service_writes_is_readable_by_another_account(tmp_path: Path) -> None:
    with umask(0o022):  # what a shell gives the service; open_services must not rely on it
        for h in build_harness(make_settings("embedded", tmp_path)):
            dossier = h.new_dossier()
            files = [
                ("files", ("bien-ban.docx", tiny_docx(), "application/octet-stream")),
                ("files", ("to-trinh.pdf", tiny_pdf(), "application/octet-stream")),
            ]
            response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
            assert response.status_code == 201, response.text
            assert run_pending_jobs(h.services) >= 2  # parse, check, index: the search file is written too
            document = response.json()["items"][0]["document"]["id"]
            original = h.client.get(f"/api/v1/documents/{document}/content", headers=h.archivist.headers)
            assert original.status_code == 200
            data_dir = h.services.settings.data_dir
            names = {p.name for p in data_dir.rglob("*")}
            assert {"catalog.sqlite3", "search.sqlite3", "blobs", "spool"} <= names
            assert open_to_others(data_dir) == []
            blobs = [p for p in (data_dir / "blobs").rglob("*") if p.is_file() and not p.name.endswith(".json")]
            # The two originals, and their derivatives (the page images, the DOCX's PDF rendition): all private.
            assert len(blobs) >= 2
            assert {stat.S_IMODE(p.stat().st_mode) for p in blobs} == {0o400}


def test_a_blob_store_alone_writes_private_folders_and_read_only_originals(tmp_path: Path) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(tiny_pdf("Nghi quyet"))
    sha256, size = hash_file(source)
    with umask(0o022):
        store = LocalBlobStore(tmp_path / "store" / "blobs")
        info = store.put(source, sha256=sha256, size=size, media_type="application/pdf", filename="in.pdf")
    assert info.key == key_for(sha256)
    target = tmp_path / "store" / "blobs" / info.key
    assert stat.S_IMODE(target.stat().st_mode) == 0o400
    assert open_to_others(tmp_path / "store") == []
    store.delete(info.key)  # read-only to the owner, still removable by the service
    assert not target.exists()


def test_a_data_folder_left_open_by_an_older_version_is_tightened_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings("embedded", tmp_path)
    data_dir = settings.data_dir
    with umask(0o022):
        open_services(settings).close()
    # What the older version left: a 0755 tree, a 0644 catalog, 0444 originals.
    old_blob = data_dir / "blobs" / "sha256" / "ab" / ("ab" + "0" * 62)
    old_blob.parent.mkdir(parents=True)
    old_blob.write_bytes(b"%PDF-1.4 old original")
    for path in [data_dir, *data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    old_blob.chmod(0o444)
    assert open_to_others(data_dir)

    with caplog.at_level(logging.WARNING, logger="archive_service.private_files"):
        open_services(settings).close()

    assert open_to_others(data_dir) == []
    assert stat.S_IMODE(old_blob.stat().st_mode) == 0o400
    assert stat.S_IMODE((data_dir / "catalog.sqlite3").stat().st_mode) == 0o600
    (message,) = [r.getMessage() for r in caplog.records if r.name == "archive_service.private_files"]
    assert str(data_dir) in message and "644→600" in message


def test_a_private_data_folder_is_not_walked_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings("embedded", tmp_path)
    open_services(settings).close()
    with caplog.at_level(logging.WARNING, logger="archive_service.private_files"):
        open_services(settings).close()
    assert not [r for r in caplog.records if r.name == "archive_service.private_files"]
    assert open_to_others(settings.data_dir) == []
