"""Blob stores: a local folder (embedded) and S3 (production), behind one interface."""

from __future__ import annotations

from archive_service.config import BlobBackend, Settings
from archive_service.storage.base import BlobStore


def make_blob_store(settings: Settings) -> BlobStore:
    """The blob store the settings name."""
    if settings.blob_backend is BlobBackend.S3:
        from archive_service.storage.s3 import S3BlobStore

        return S3BlobStore(
            endpoint=settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            bucket=settings.s3_bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
            object_lock=settings.s3_object_lock,
        )
    from archive_service.storage.local import LocalBlobStore

    return LocalBlobStore(settings.resolved_blob_dir)
