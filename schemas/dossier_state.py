"""The Vietnamese names of a dossier's states (records/lifecycle.py moves it between them).

Here, below the app, so that every shape that shows a dossier (``schemas.api.DossierOut``, pages, sheets) names
its state the same way without the catalog importing the records package.
"""

from __future__ import annotations

from typing import Final

STATE_LABELS: Final[dict[str, str]] = {
    "open": "Đang lập",
    "closed": "Đã kết thúc",
    "kept-by-unit": "Đơn vị giữ lại",
    "office-archive": "Đã nộp lưu cơ quan",
    "historical-archive": "Đã nộp lưu lịch sử",
    "under-appraisal": "Đang xác định giá trị",
    "destruction-approved": "Đã duyệt hủy",
    "destroyed": "Đã hủy",
}


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)
