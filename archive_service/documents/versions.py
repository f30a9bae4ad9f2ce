"""A new version ("Tải lên bản đã sửa") is read before it is stored and compared with the one it replaces.

A corrected version keeps its số, its tên loại and its issuer; when one of them differs the file is most
likely another document chosen by mistake, and storing it would mark the real document superseded. The
upload is then refused (409 UPLOAD-VERSION-CHANGED) with what differs, until the caller confirms
(``xac_nhan=1``). Only what both readings hold is compared: a number left blank for the e-signature stamp,
or a file that cannot be read, is no evidence of another document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from archive_service.errors import Conflict
from indexers.textnorm import fold
from schemas.fields import DocumentFields

__all__ = ["ReadingChange", "VersionChanged", "compare_readings", "read_fields", "refuse_changed_reading"]

_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


@dataclass(frozen=True)
class ReadingChange:
    """One element read differently in the new version: what it is (in Vietnamese), before and after."""

    element: str
    old: str
    new: str

    def describe(self) -> str:
        return f"{self.element}: {self.old} → {self.new}"


class VersionChanged(Conflict):
    """The new version reads as another document; stored only once the caller confirms."""

    def __init__(self, changes: list[ReadingChange]) -> None:
        listed = "; ".join(c.describe() for c in changes)
        super().__init__(
            "UPLOAD-VERSION-CHANGED",
            f"Tệp này có vẻ là một văn bản khác, không phải bản đã sửa ({listed}). "
            "Nếu đúng là bản đã sửa, hãy xác nhận để tải lên; bản cũ sẽ được đánh dấu là đã thay thế.",
        )
        self.changes = changes


def _number(value: str) -> str:
    """A số as compared: "05" is "5", spaces and case ignored."""
    return _LEADING_ZEROS.sub("", fold(value).replace(" ", ""))


def _differs(old: str | None, new: str | None) -> bool:
    """Both readings hold the element and they differ (case, diacritics and spacing ignored: OCR loses them)."""
    return bool(old) and bool(new) and fold(old or "") != fold(new or "")


def compare_readings(old: DocumentFields, new: DocumentFields) -> list[ReadingChange]:
    """What reads differently between two versions: số, tên loại (or ký hiệu loại), issuing body."""
    changes: list[ReadingChange] = []
    if old.number and new.number and _number(old.number) != _number(new.number):
        changes.append(ReadingChange("số", str(old.number), str(new.number)))
    if old.document_type and new.document_type:
        if _differs(old.document_type, new.document_type):
            changes.append(ReadingChange("tên loại", old.document_type, new.document_type))
    elif _differs(old.type_code, new.type_code):
        changes.append(ReadingChange("ký hiệu loại", str(old.type_code), str(new.type_code)))
    if old.issuer and new.issuer:
        if _differs(old.issuer, new.issuer):
            changes.append(ReadingChange("cơ quan ban hành", old.issuer, new.issuer))
    elif _differs(old.issuer_code, new.issuer_code):
        changes.append(ReadingChange("ký hiệu cơ quan ban hành", str(old.issuer_code), str(new.issuer_code)))
    return changes


def read_fields(path: Path, *, media_type: str, timeout_s: float, memory_mb: int) -> DocumentFields | None:
    """The formal elements of a file, read in the parse sandbox as the workers read it; None when unreadable."""
    from archive_service.documents.processing import analyse_file

    return analyse_file(path, media_type=media_type, timeout_s=timeout_s, memory_mb=memory_mb).fields


def refuse_changed_reading(
    path: Path, *, media_type: str, old: DocumentFields, timeout_s: float, memory_mb: int
) -> None:
    """Raise VersionChanged when the file reads as another document than ``old``."""
    new = read_fields(path, media_type=media_type, timeout_s=timeout_s, memory_mb=memory_mb)
    if new is None:
        return
    changes = compare_readings(old, new)
    if changes:
        raise VersionChanged(changes)
