"""Errors as values with a machine-readable code, a Vietnamese message and an HTTP status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    """A caller refused an object that exists (a read answered 404, a write 403): the edge audits it."""

    user_id: int
    object_type: str
    object_id: str
    office_id: int | None


class AppError(Exception):
    """An error the caller can act on: answered as ``{"error": {"code", "label", "message"}}``."""

    status_code: int = 400

    def __init__(
        self, code: str, message: str, *, status_code: int | None = None, refusal: Refusal | None = None
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.refusal = refusal
        if status_code is not None:
            self.status_code = status_code


class NotFound(AppError):
    status_code = 404


class Forbidden(AppError):
    status_code = 403


class Unauthorized(AppError):
    status_code = 401


class Conflict(AppError):
    status_code = 409


class ServiceUnavailable(AppError):
    status_code = 503
