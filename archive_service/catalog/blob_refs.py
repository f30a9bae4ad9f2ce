"""Every blob a catalog row references, in one query: what ``verify`` checks (and never sweeps as an orphan) and
what a backup copies — one list, so that a new kind of stored file is added to both at once.

Originals not destroyed (a destroyed document's row is its tombstone: its blob is gone on purpose), derivatives,
page images, the records' own files (mục lục văn bản, chứng từ kết thúc, biên bản …) and a transfer's bag as one ZIP
(``transfers.bag_archive``). Columns: ``owner_id`` (the row's document, record-file owner or transfer),
``storage_key``, ``sha256``, ``size``, ``media_type``, ``filename``; a key may appear more than once.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import CompoundSelect, literal, select, union_all

from archive_service.catalog.models import Derivative, Document, PageImage, RecordFile, Transfer

ZIP_MEDIA_TYPE: Final = "application/zip"


def referenced_blobs() -> CompoundSelect[int, str, str, int, str, str]:
    """The query of every referenced blob (see the module docstring for its columns)."""
    return union_all(
        select(
            Document.id,
            Document.storage_key,
            Document.sha256,
            Document.size,
            Document.media_type,
            Document.original_filename,
        ).where(Document.destroyed_at.is_(None)),
        select(
            Derivative.document_id,
            Derivative.storage_key,
            Derivative.sha256,
            Derivative.size,
            Derivative.media_type,
            literal(""),
        ),
        select(
            PageImage.document_id,
            PageImage.storage_key,
            PageImage.sha256,
            PageImage.size,
            literal("image/png"),
            literal(""),
        ),
        select(
            RecordFile.owner_id,
            RecordFile.storage_key,
            RecordFile.sha256,
            RecordFile.size,
            RecordFile.media_type,
            RecordFile.filename,
        ),
        select(
            Transfer.id,
            Transfer.bag_zip_key,
            Transfer.bag_zip_sha256,
            Transfer.bag_zip_size,
            literal(ZIP_MEDIA_TYPE),
            Transfer.bag_name,
        ).where(Transfer.bag_zip_key.is_not(None), Transfer.bag_zip_sha256.is_not(None)),
    )
