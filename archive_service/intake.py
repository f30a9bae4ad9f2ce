"""Intake now lives with the documents (``archive_service.documents.intake``); kept for callers not yet moved."""

from __future__ import annotations

from archive_service.documents.intake import IntakeResult, UnsupportedMediaType, store_original

__all__ = ["IntakeResult", "UnsupportedMediaType", "store_original"]
