"""What the dossier page says after a bulk action, and how its document table can be ordered.

The bulk routes redirect back to the dossier page (post/redirect/get) with a notice key and a count in the
query; only these fixed Vietnamese sentences are ever shown, never text taken from the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from archive_service.dossiers.document_sort import DocumentSort

DOCUMENT_SORTS: Final = {
    DocumentSort.UPLOADED: "Thứ tự tải lên",
    DocumentSort.FILENAME: "Tên tệp",
    DocumentSort.NUMBER: "Số và ký hiệu",
    DocumentSort.ISSUED: "Ngày ban hành",
    DocumentSort.MOST_ERRORS: "Nhiều lỗi nhất",
}

NOTHING_SELECTED: Final = "chua-chon"
CHECK_AGAIN: Final = "kiem-tra-lai"
REMOVED: Final = "da-go"
MOVED: Final = "da-chuyen"
NO_TARGET: Final = "chua-chon-ho-so"


@dataclass(frozen=True)
class Notice:
    """A sentence for the page's notice box; ``ok`` colours it as done, else as a warning to act on."""

    text: str
    ok: bool


def bulk_notice(key: str | None, count: str | None) -> Notice | None:
    """The notice a bulk action's redirect asks for, or None for an unknown key."""
    n = int(count) if count and count.isdigit() and len(count) < 6 else 0
    if key == NOTHING_SELECTED:
        return Notice("Chưa chọn văn bản nào: hãy đánh dấu các văn bản trong bảng rồi chọn thao tác.", ok=False)
    if key == CHECK_AGAIN:
        if n == 0:
            return Notice("Các văn bản đã chọn đang chờ kiểm tra; không cần xếp hàng lại.", ok=True)
        return Notice(f"Đã xếp {n} văn bản vào hàng chờ đọc và kiểm tra lại.", ok=True)
    if key == REMOVED:
        return Notice(
            f"Đã gỡ {n} văn bản khỏi hồ sơ. Bản gốc vẫn được lưu trong kho và xem được theo số văn bản.", ok=True
        )
    if key == MOVED:
        return Notice(f"Đã chuyển {n} văn bản sang hồ sơ đã chọn; cả hai hồ sơ đang được kiểm tra lại.", ok=True)
    if key == NO_TARGET:
        return Notice("Chưa chọn hồ sơ để chuyển đến: hãy chọn một hồ sơ trong danh sách rồi bấm Chuyển.", ok=False)
    return None
