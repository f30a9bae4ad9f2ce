"""What a user name, an office code, a password, a name or a label may be — one set of rules for CLI, API and web.

User names are folded to lower case (people type ``VanThu`` and ``vanthu`` for the same person, and a name
that differs only by case would let one account pass for another in the audit trail); office codes are
folded to upper case (``vp`` is the office ``VP``; Vietnamese codes such as ``ĐUK`` keep their Đ). Both are
refused when they are empty or could be read as a path (``/``, ``..``, spaces): they end up in file names,
URLs and log lines.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from archive_service.errors import AppError

MIN_PASSWORD_LENGTH: Final = 10
MAX_PASSWORD_LENGTH: Final = 1024  # argon2 hashes any length; this only keeps a request from being a megabyte
MAX_NAME_LENGTH: Final = 255  # display names, office names, token labels (the columns' width)

USERNAME_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
OFFICE_CODE_PATTERN: Final = re.compile(r"[A-ZĐ0-9][A-ZĐ0-9_-]{0,31}")


class InvalidAccountInput(AppError):
    """A value an operator typed that the accounts cannot take (422, with the rule in the message)."""

    status_code = 422


def normalize_username(raw: str) -> str:
    """The user name as stored: trimmed, lower case; USER-INVALID-NAME when it breaks the rule."""
    name = raw.strip().lower()
    if not USERNAME_PATTERN.fullmatch(name):
        raise InvalidAccountInput(
            "USER-INVALID-NAME",
            f"Tên đăng nhập {raw.strip()[:80]!r} không hợp lệ: dài 2–64 ký tự, chỉ gồm chữ thường không dấu "
            "a–z, chữ số và các dấu . _ -, bắt đầu bằng chữ hoặc số (ví dụ: vanthu, nguyen.van.a).",
        )
    return name


def fold_username(raw: str) -> str:
    """The form a typed user name is looked up by (login, CLI): trimmed and lower case, never refused."""
    return raw.strip().lower()[:64]


def normalize_office_code(raw: str) -> str:
    """The office code as stored: trimmed, upper case; OFFICE-INVALID-CODE when it breaks the rule."""
    code = unicodedata.normalize("NFC", raw.strip()).upper()
    if not OFFICE_CODE_PATTERN.fullmatch(code):
        raise InvalidAccountInput(
            "OFFICE-INVALID-CODE",
            f"Mã đơn vị {raw.strip()[:80]!r} không hợp lệ: dài 1–32 ký tự, chỉ gồm chữ in hoa A–Z, Đ, chữ số "
            "và các dấu _ -, bắt đầu bằng chữ hoặc số (ví dụ: VPTU, VPHU, ĐUK).",
        )
    return code


def fold_office_code(raw: str) -> str:
    """The form a typed office code is looked up by: trimmed, NFC, upper case."""
    return unicodedata.normalize("NFC", raw.strip()).upper()[:64]


def check_password(password: str, *, username: str | None = None) -> None:
    """Refuse a password that is too short, too long, blank or the user name itself."""
    text = unicodedata.normalize("NFC", password)
    if len(text) > MAX_PASSWORD_LENGTH:
        raise InvalidAccountInput(
            "PASSWORD-TOO-LONG", f"Mật khẩu dài quá {MAX_PASSWORD_LENGTH} ký tự; hãy chọn mật khẩu ngắn hơn."
        )
    if len(text) < MIN_PASSWORD_LENGTH or not text.strip():
        raise InvalidAccountInput(
            "PASSWORD-TOO-SHORT",
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự (có thể là một cụm từ dễ nhớ, có dấu cách).",
        )
    if username is not None and text.strip().lower() == username.strip().lower():
        raise InvalidAccountInput("PASSWORD-IS-USERNAME", "Mật khẩu không được trùng với tên đăng nhập.")


def clean_text(raw: str, *, code: str, what: str, required: bool) -> str:
    """A display name, office name or label: trimmed, NFC, without control characters, within the column."""
    text = unicodedata.normalize("NFC", raw.strip())
    if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in text):
        raise InvalidAccountInput(code, f"{what} có ký tự điều khiển không hợp lệ.")
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidAccountInput(code, f"{what} dài quá {MAX_NAME_LENGTH} ký tự.")
    if required and not text:
        raise InvalidAccountInput(code, f"Cần nhập {what.lower()}.")
    return text


def check_clearance(value: int) -> int:
    """Độ mật được xem: 0 thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật."""
    if not 0 <= value <= 3:
        raise InvalidAccountInput(
            "USER-INVALID-CLEARANCE", "Mức được xem tài liệu mật phải là 0 (thường), 1 (Mật), 2 (Tối mật) hoặc 3."
        )
    return value
