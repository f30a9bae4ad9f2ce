"""File names from outside (an upload, a folder on disk) made safe to store, show and download.

A stored name is shown in pages and reports and becomes the name a browser saves the original
under, so what comes in is never trusted: a client may send a path, control characters that break
headers and logs, or bidirectional controls that make ``bao-cao‮fdp.exe`` display as
``bao-caoexe.pdf`` (the "RLO" spoof). Every way in (API, web upload, ``ingest``) and the download
header go through ``clean_filename``, so a name is judged the same everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

MAX_NAME_BYTES: Final = 255
"""The longest name most file systems accept (ext4, APFS, NTFS in UTF-16 units), counted in UTF-8 bytes."""

FALLBACK_NAME: Final = "tai-lieu"

# Cc controls, Cf format characters (bidi embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069,
# marks U+200E/U+200F, zero-width U+200B–U+200D, U+FEFF…), Cs lone surrogates (not encodable), Co private
# use and Cn unassigned (invisible or unrenderable), Zl/Zp line and paragraph separators (line breaks).
_DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_EXTENSION: Final = re.compile(r"\.[A-Za-z0-9]{1,10}")
_WINDOWS_RESERVED: Final = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in "0123456789¹²³"}
    | {f"LPT{i}" for i in "0123456789¹²³"}
)


def clean_filename(raw: str) -> str:
    """The base name to store: NFC, no path, no invisible or control characters, at most 255 bytes; never empty.

    Leading and trailing dots and spaces go (a hidden file on Unix, dropped by Windows); a Windows
    device name (``CON``, ``NUL.pdf``, ``LPT1``…) gets a leading ``_`` so that it can be saved there.
    """
    text = unicodedata.normalize("NFC", raw)
    text = "".join(_visible(ch) for ch in text)
    name = text.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name).strip(" .")
    if not name:
        return FALLBACK_NAME
    if name.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        name = "_" + name
    return shorten(name)


def shorten(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """``name`` cut to ``limit`` UTF-8 bytes on a whole character, keeping its extension (``.pdf``)."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, extension = name, ""
    dot = name.rfind(".")
    if dot > 0 and _EXTENSION.fullmatch(name[dot:]):
        stem, extension = name[:dot], name[dot:]
    budget = limit - len(extension.encode("ascii"))
    # A cut inside a multi-byte character leaves an incomplete sequence, which ``ignore`` drops.
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(" .")
    return (cut or FALLBACK_NAME) + extension


def _visible(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in _DROPPED_CATEGORIES:
        return ""
    if category == "Zs":
        return " "  # no-break, ideographic and other spaces read as a plain space
    return ch
