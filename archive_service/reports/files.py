"""A file to hand to the caller: its bytes, the name to save it under and its media type (no HTTP here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileDownload:
    """What a use case answers when the caller asked for a file; each edge sends it its own way."""

    body: bytes
    filename: str
    media_type: str
