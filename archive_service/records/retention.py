"""Thời hạn bảo quản as values: re-exported from ``archive_service.retention.values``, where they now live.

The retention package (the schedule) needs these values and the records package needs the schedule (closing
confirms retention, the dossier findings compare it); keeping the values there leaves records → retention the
only direction between the two packages (import-linter "no-package-cycles").
"""

from __future__ import annotations

from archive_service.retention.values import (
    PERMANENT,
    TRANSFER_MIN_YEARS,
    BadRetention,
    Retention,
    add_years,
    add_years_dt,
    highest,
    is_valid,
    parse,
)

__all__ = [
    "PERMANENT",
    "TRANSFER_MIN_YEARS",
    "BadRetention",
    "Retention",
    "add_years",
    "add_years_dt",
    "highest",
    "is_valid",
    "parse",
]
