"""Files at rest are the service account's alone: folders 0700, files 0600, originals 0400.

The data folder holds secret originals (Mật, Tối mật, Tuyệt mật), the catalog with its password
hashes and the search index with their text; another local account on the server must read none of
it. New files are kept private by the process umask (``PRIVATE_UMASK``, set when the services open)
and by explicit modes where this code creates them; a folder left by an older version with looser
modes is tightened once at start (``tighten_tree``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

PRIVATE_UMASK: Final = 0o077
DIR_MODE: Final = 0o700
FILE_MODE: Final = 0o600
READ_ONLY_MODE: Final = 0o400  # originals: written once, never changed
_OPEN_TO_OTHERS: Final = 0o077


def make_private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents as 0700 (whatever the umask), and make ``path`` 0700."""
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            folder.mkdir(mode=DIR_MODE)
    restrict(path, DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty as 0600 when it is missing, else take group and other bits off it."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    restrict(path, FILE_MODE)


def restrict(path: Path, mode: int) -> None:
    """Set ``mode`` when the current one differs; a file we may not chmod is left as it is, with a warning."""
    try:
        if stat.S_IMODE(path.stat().st_mode) != mode:
            path.chmod(mode)
    except FileNotFoundError:
        pass
    except PermissionError as exc:
        log.warning("không đổi được quyền của %s / cannot restrict %s: %s", path, path, exc)


def is_private(mode: int) -> bool:
    return stat.S_IMODE(mode) & _OPEN_TO_OTHERS == 0


@dataclass
class Tightened:
    """What ``tighten_tree`` changed: each path with its mode before and after."""

    changes: list[tuple[Path, int, int]] = field(default_factory=list)


def tighten_tree(root: Path) -> Tightened:
    """Take group and other bits off every folder and file under ``root`` (links are not followed).

    Only walks when ``root`` itself is open to others: another account cannot reach anything under
    a 0700 root, and the root is tightened last, so a private root means the tree was done before
    (or a crash mid-walk walks again) and a start need not stat a million originals.
    """
    result = Tightened()
    try:
        root_mode = root.stat().st_mode  # the data folder itself may be a link to where the disk is
    except FileNotFoundError:
        return result
    if not stat.S_ISDIR(root_mode) or is_private(root_mode):
        return result
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        for name in (*dirs, *files):
            _tighten_one(base / name, result)
    _tighten_one(root.resolve(), result)  # last: a crash before this point walks again at the next start
    return result


def _tighten_one(path: Path, result: Tightened) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or is_private(info.st_mode):
        return
    before = stat.S_IMODE(info.st_mode)
    after = (before & 0o700) | (DIR_MODE if stat.S_ISDIR(info.st_mode) else 0)
    try:
        path.chmod(after)
    except PermissionError as exc:
        log.warning("không đổi được quyền của %s / cannot restrict %s: %s", path, path, exc)
        return
    result.changes.append((path, before, after))


def log_tightened(root: Path, tightened: Tightened) -> None:
    """Tell the operator which files were open to other accounts before this start."""
    if not tightened.changes:
        return
    examples = ", ".join(f"{p} {before:o}→{after:o}" for p, before, after in tightened.changes[:5])
    log.warning(
        "đã thu hẹp quyền truy cập %d tệp/thư mục trong %s / restricted %d paths to the owner (%s%s)",
        len(tightened.changes),
        root,
        len(tightened.changes),
        examples,
        ", …" if len(tightened.changes) > 5 else "",
    )
