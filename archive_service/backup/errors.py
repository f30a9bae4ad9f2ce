"""The refusals of a backup or a restore: each an AppError (code, Vietnamese message), exit 2 on the CLI."""

from __future__ import annotations

from archive_service.errors import AppError


class BackupRefused(AppError):
    """Nothing was written (or, for a backup, the folder is left as the operator's to remove)."""

    status_code = 409
