"""Sweeping the spool at a process's start: what no live request or job owns is removed.

Every process writes in its own folder of the spool, ``<host>-<pid>`` (``Settings.spool_dir``): its streamed
uploads, the copy of an original it is parsing, a download on its way out. A process killed mid-request leaves
them behind; the next process to start on the same machine removes the folders of this host's processes that
are gone. Several processes (``serve`` and any number of ``worker``) may share one spool: a live one's folder
is never touched. Folders of other machines (a spool on shared storage) are left to their own machine, whose
liveness cannot be seen from here. Loose entries directly in the spool (written by a version before the
per-process folders) are removed once older than ``LOOSE_GRACE_S``, long enough for any request of an old
process still running beside a new one during an upgrade.

A restarted container keeps its host name and often its pid: the first start in a process therefore also
empties a folder already bearing its own name, which can only be a previous process's.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

LOOSE_GRACE_S: Final = 6 * 3600.0
_started: set[tuple[int, Path]] = set()  # (pid, spool root) already swept by this process


@dataclass
class Swept:
    """What a sweep removed: the dead processes' folders and the old loose entries."""

    dead_folders: list[str] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)


def owner_of(name: str) -> tuple[str, int] | None:
    """The host and pid a process folder's name ("host-pid") stands for; None for any other name."""
    host, _, pid = name.rpartition("-")
    return (host, int(pid)) if host and pid.isdigit() else None


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this machine (one of another account's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_spool(spool_root: Path, *, now: float | None = None, loose_grace_s: float = LOOSE_GRACE_S) -> Swept:
    """Remove the spool folders of this host's dead processes and loose entries older than ``loose_grace_s``."""
    swept = Swept()
    host, me = socket.gethostname(), os.getpid()
    first_start = (me, spool_root.resolve()) not in _started
    _started.add((me, spool_root.resolve()))
    cutoff = (time.time() if now is None else now) - loose_grace_s
    try:
        entries = list(os.scandir(spool_root))
    except FileNotFoundError:
        return swept
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed meanwhile by another process's sweep
        owner = owner_of(entry.name) if stat.S_ISDIR(info.st_mode) else None
        if owner is not None:
            owner_host, pid = owner
            if owner_host != host:
                continue  # another machine's process: not ours to judge
            if (pid == me and first_start) or (pid != me and not pid_alive(pid)):
                _remove(Path(entry.path))
                swept.dead_folders.append(entry.name)
        elif info.st_mtime < cutoff:
            _remove(Path(entry.path))
            swept.loose.append(entry.name)
    if swept.dead_folders or swept.loose:
        log.info(
            "spool swept: %d folder(s) of processes no longer running, %d old loose entr(ies)",
            len(swept.dead_folders),
            len(swept.loose),
        )
    return swept


def _remove(path: Path) -> None:
    """Remove a file, a link (never followed) or a folder tree; one already gone is fine."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
