"""Vietnamese names of the audit actions (the codes stay in the data and the exports)."""

from __future__ import annotations

from typing import Final

ACTION_LABELS: Final[dict[str, str]] = {
    "access.refused": "Bị từ chối truy cập",
    "audit.export": "Xuất nhật ký",
    "audit.read": "Xem nhật ký",
    "auth.login": "Đăng nhập",
    "auth.login-failed": "Đăng nhập sai",
    "auth.login-locked": "Đăng nhập khi đang bị khóa",
    "auth.logout": "Đăng xuất",
    "document.download": "Tải bản gốc",
    "document.download-searchable": "Tải bản PDF tìm kiếm được",
    "document.findings": "Xem lỗi của văn bản",
    "document.report": "Xem báo cáo văn bản",
    "document.update": "Sửa thông tin văn bản",
    "document.upload": "Tải lên văn bản",
    "document.upload-duplicate": "Tải lên tệp đã có",
    "document.view": "Xem văn bản",
    "dossier.check": "Kiểm tra hồ sơ",
    "dossier.create": "Tạo hồ sơ",
    "dossier.findings": "Xem lỗi của hồ sơ",
    "dossier.list": "Xem danh sách hồ sơ",
    "dossier.list-documents": "Xem danh sách văn bản của hồ sơ",
    "dossier.report": "Xem báo cáo hồ sơ",
    "dossier.update": "Sửa thông tin hồ sơ",
    "dossier.view": "Xem hồ sơ",
    "office.create": "Tạo đơn vị",
    "office.report": "Xem báo cáo đơn vị",
    "search.query": "Tìm kiếm",
    "search.export": "Xuất kết quả tìm kiếm",
    "search.saved-create": "Lưu tìm kiếm",
    "search.saved-delete": "Xóa tìm kiếm đã lưu",
    "token.create": "Cấp mã truy cập",
    "token.revoke": "Thu hồi mã truy cập",
    "user.create": "Tạo người dùng",
    "user.disable": "Khóa người dùng",
    "user.enable": "Mở khóa người dùng",
    "user.password-change": "Đổi mật khẩu",
    "user.password-set": "Đặt mật khẩu",
    "user.update": "Sửa người dùng",
}


def action_label(action: str) -> str:
    """The Vietnamese name of an action, or the action itself when it has none yet."""
    return ACTION_LABELS.get(action, action)
