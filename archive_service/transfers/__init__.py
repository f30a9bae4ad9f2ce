"""Nộp lưu: transfer packages (BagIt bags with NĐ 30/2020 Phụ lục VI metadata), their check, import and receipt."""
