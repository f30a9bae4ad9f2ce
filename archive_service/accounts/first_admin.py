"""The file where the first start leaves the first admin's API token and one-time password (mode 0600).

Secrets never go to stdout or a log: a service's output is kept by systemd, docker or a CI run where
others read it. The first line is the token alone, so ``TOKEN=$(head -1 archive-data/admin-token.txt)``
works in scripts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from schemas.accounts import FirstAdmin

FILE_NAME: Final = "admin-token.txt"


def first_admin_file(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def save(path: Path, first: FirstAdmin) -> None:
    """Write the token and password to ``path``, readable by the service account only (0600, links refused)."""
    text = (
        f"{first.token}\n"
        f"password: {first.password}\n"
        f"# Dòng 1: mã truy cập API của {first.username}. Dòng 2: mật khẩu dùng một lần để đăng nhập web với tên\n"
        f"# {first.username}; lần đăng nhập đầu tiên sẽ yêu cầu đổi mật khẩu. Cất mã vào nơi an toàn rồi xóa tệp này.\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.fchmod(fd, 0o600)  # a file left from an earlier catalog keeps its mode through O_CREAT
        os.write(fd, text.encode())
    finally:
        os.close(fd)
