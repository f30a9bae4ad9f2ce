"""prometheus_client's multiprocess mode for ``serve --processes N``: one folder of counter files per machine.

prometheus_client chooses, when it is first imported, whether a process writes its figures to files: it does when
``PROMETHEUS_MULTIPROC_DIR`` is set. ``serve`` sets it to ``<data_dir>/metrics/<host>`` before it starts the HTTP
processes (they inherit it and import the client afresh), after emptying the folder: files left by a previous run
would be summed into this one's counters. The host's name keeps machines apart when the data folder is shared.
Each process marks itself dead when it stops; the counts it made stay in the sum.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from typing import Final

from prometheus_client import multiprocess

ENV: Final = "PROMETHEUS_MULTIPROC_DIR"


def folder_for(data_dir: Path) -> Path:
    """This machine's folder of counter files under the data folder."""
    return data_dir / "metrics" / socket.gethostname()


def prepare(data_dir: Path) -> Path:
    """Empty this machine's folder and point the processes started after this call at it; returns the folder."""
    folder = folder_for(data_dir)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, mode=0o700)
    os.environ[ENV] = str(folder)
    return folder


def current_folder() -> Path | None:
    """The folder this process's figures are summed in, or None when the process keeps them in memory alone."""
    value = os.environ.get(ENV) or os.environ.get(ENV.lower())
    return Path(value) if value else None


def process_exit() -> None:
    """This process stops: its live gauges leave the sum (its counters stay, as counters must)."""
    folder = current_folder()
    if folder is not None:
        multiprocess.mark_process_dead(os.getpid(), str(folder))  # type: ignore[no-untyped-call]
