"""The spool hashes each file as it writes it: its SHA-256 and size equal a fresh read of the file."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

from archive_service.edge.spool import MultipartSpooler
from archive_service.storage.base import hash_file

BOUNDARY = b"----bienbanhoinghi"


def _body(files: list[tuple[str, bytes]]) -> bytes:
    parts = []
    for name, data in files:
        head = f'--{BOUNDARY.decode()}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/pdf\r\n\r\n" + data + b"\r\n")
    return b"".join(parts) + b"--" + BOUNDARY + b"--\r\n"


async def _chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_the_streamed_sha256_and_size_equal_hash_file(tmp_path: Path) -> None:
    files = [("a.pdf", os.urandom(300_001)), ("b.pdf", b""), ("c.pdf", os.urandom(70_000) + b"\r\n--")]
    spooler = MultipartSpooler(boundary=BOUNDARY, spool_dir=tmp_path, max_file_bytes=10**6, max_files=5)
    asyncio.run(spooler.consume(_chunks(_body(files), 8191)))  # parts split across odd chunk edges
    assert [f.filename for f in spooler.files] == ["a.pdf", "b.pdf", "c.pdf"]
    for spooled, (_name, data) in zip(spooler.files, files, strict=True):
        assert spooled.path.read_bytes() == data
        assert (spooled.sha256, spooled.size) == hash_file(spooled.path)
    spooler.cleanup()
    assert not list(tmp_path.iterdir())
