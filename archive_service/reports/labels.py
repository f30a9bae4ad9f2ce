"""Vietnamese labels shared by the web pages and the reports: one place for every word shown."""

from __future__ import annotations

from typing import Final

from schemas.code_labels import code_label

FIELD_LABELS: Final[dict[str, str]] = {
    "number_line": "Số và ký hiệu",
    "issuer": "Cơ quan ban hành",
    "document_type": "Tên loại",
    "summary": "Trích yếu",
    "place": "Địa danh",
    "issued_on": "Ngày ban hành",
    "signing_form": "Hình thức đề ký",
    "signer": "Người ký",
    "recipients": "Nơi nhận",
    "secrecy": "Độ mật",
    "urgency": "Độ khẩn",
}

SEVERITY_LABELS: Final[dict[str, str]] = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}

VALIDATION_LABELS: Final[dict[str, str]] = {
    "ok": "Đạt",
    "warning": "Có cảnh báo",
    "error": "Có lỗi",
    "pending": "Chưa kiểm tra",
}

STATUS_LABELS: Final[dict[str, str]] = {
    "stored": "Đã lưu, chờ xử lý",
    "processing": "Đang xử lý",
    "checked": "Đã kiểm tra",
    "failed": "Không đọc được",
}

MEETING_BODY_LABELS: Final[dict[str, str]] = {
    "BCH": "Ban Chấp hành",
    "BTV": "Ban Thường vụ",
    "TT": "Thường trực",
}

SECRECY_LABELS: Final[dict[int, str]] = {0: "Thường", 1: "Mật", 2: "Tối mật", 3: "Tuyệt mật"}

ROLE_LABELS: Final[dict[str, str]] = {
    "admin": "Quản trị",
    "archivist": "Văn thư, lưu trữ",
    "reader": "Người đọc",
    "auditor": "Kiểm tra, giám sát",
}

RETENTION_LABELS: Final[dict[str, str]] = {
    "vinh-vien": "Vĩnh viễn",
    "70-nam": "70 năm",
    "50-nam": "50 năm",
    "20-nam": "20 năm",
    "10-nam": "10 năm",
    "5-nam": "5 năm",
}

UNKNOWN_TYPE: Final = "(chưa xác định loại)"


def rule_label(code: str) -> str:
    """A check code in words (``schemas/code_labels.yaml``): what heads a row, a bar or a finding."""
    return code_label(code)


def rule_heading(code: str) -> str:
    """A check code as a report cell names it: the words first, the code after them for support and programs."""
    return f"{code_label(code)} ({code})"


def shorten(text: str, max_chars: int) -> str:
    """``text`` cut at a word to at most ``max_chars`` characters, "…" marking the cut (chart rows are narrow)."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;")
    return f"{cut}…"


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(severity, severity)


def validation_label(status: str) -> str:
    return VALIDATION_LABELS.get(status, status)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
