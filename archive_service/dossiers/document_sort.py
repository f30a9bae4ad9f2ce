"""The orders the dossier page's document table can be read in (``sap_xep`` in its links)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from archive_service.catalog.models import Document
from indexers.textnorm import fold


class DocumentSort(StrEnum):
    """Upload order (the default), file name, số và ký hiệu, date of issue, or most errors first."""

    UPLOADED = "tai-len"
    FILENAME = "ten-tep"
    NUMBER = "so-ky-hieu"
    ISSUED = "ngay-ban-hanh"
    MOST_ERRORS = "nhieu-loi"


def _issued(doc: Document) -> date:
    value = (doc.fields or {}).get("issued_on")
    try:
        return date.fromisoformat(str(value)) if value else date.max
    except ValueError:
        return date.max


def _number(doc: Document) -> tuple[int, str]:
    """By the number's digits first (02 before 10), then by the line as written; unnumbered last."""
    fields = doc.fields or {}
    digits = "".join(ch for ch in str(fields.get("number") or "") if ch.isdigit())
    line = fold(str(fields.get("number_line") or ""))
    return (int(digits) if digits else 2**62, line)


def sort_documents(docs: list[Document], sort: DocumentSort, counts: dict[int, Counter[str]]) -> list[Document]:
    """``docs`` in the order asked; ties in upload order. The page lists at most a few hundred: sorted here."""
    keys: dict[DocumentSort, Callable[[Document], Any]] = {
        DocumentSort.UPLOADED: lambda d: d.id,
        DocumentSort.FILENAME: lambda d: (fold(d.original_filename), d.id),
        DocumentSort.NUMBER: lambda d: (_number(d), d.id),
        DocumentSort.ISSUED: lambda d: (_issued(d), d.id),
        DocumentSort.MOST_ERRORS: lambda d: (-counts.get(d.id, Counter())["error"], d.id),
    }
    return sorted(docs, key=keys[sort])
