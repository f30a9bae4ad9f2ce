"""A start sweeps the spool of what no live process owns: a killed process's copies go, a live one's stay."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from archive_service.config import Settings
from archive_service.services import open_services
from archive_service.storage.spool_sweep import LOOSE_GRACE_S, sweep_spool

HOST = socket.gethostname()


def _dead_pid() -> int:
    """The pid of a process that has just ended on this machine."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    return int(done.stdout)


def _folder(root: Path, name: str, content: bytes = b"ban goc") -> Path:
    folder = root / name
    (folder / "tmpabc").mkdir(parents=True)
    (folder / "tmpabc" / "original").write_bytes(content)
    return folder


def test_a_killed_process_leaves_its_copy_in_its_own_folder_and_the_next_start_removes_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    script = (
        "import os, sys\n"
        "from archive_service.config import Settings\n"
        f"s = Settings(data_dir={str(data_dir)!r})\n"
        "s.spool_dir.mkdir(parents=True)\n"
        "(s.spool_dir / 'original').write_bytes(b'dang phan tich')\n"
        "print(s.spool_dir.name, flush=True)\n"
        "os._exit(9)\n"  # killed mid-parse: nothing cleans up
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=Path.cwd())
    left = data_dir / "spool" / done.stdout.strip()
    assert (left / "original").exists()
    services = open_services(Settings(data_dir=data_dir, workers=0))
    try:
        assert not left.exists()
        assert services.settings.spool_dir.is_dir()  # this process's own folder, ready and empty
        assert list(services.settings.spool_dir.iterdir()) == []
    finally:
        services.close()


def test_the_sweep_keeps_live_processes_and_other_machines_and_young_loose_files(tmp_path: Path) -> None:
    root = tmp_path / "spool"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = _folder(root, f"{HOST}-{_dead_pid()}")
        alive = _folder(root, f"{HOST}-{live.pid}")
        elsewhere = _folder(root, f"may-khac-{_dead_pid()}")
        young = root / "upload-moi.part"
        young.write_bytes(b"dang tai len")
        old = root / "upload-cu.part"
        old.write_bytes(b"bo quen")
        old_folder = _folder(root, "tmpcu")
        past = time.time() - LOOSE_GRACE_S - 60
        for path in (old, old_folder):
            os.utime(path, (past, past))
        swept = sweep_spool(root)
        assert not dead.exists() and not old.exists() and not old_folder.exists()
        assert alive.exists() and elsewhere.exists() and young.exists()
        assert sorted(swept.loose) == ["tmpcu", "upload-cu.part"]
        assert swept.dead_folders == [dead.name]
    finally:
        live.kill()
        live.wait()


def test_a_restarted_process_with_its_predecessors_name_empties_that_folder_once(tmp_path: Path) -> None:
    root = tmp_path / "spool"
    mine = _folder(root, f"{HOST}-{os.getpid()}")  # a container restarted with the same host name and pid
    sweep_spool(root)
    assert not mine.exists()
    mine = _folder(root, f"{HOST}-{os.getpid()}")  # now this process's own work in progress
    sweep_spool(root)
    assert (mine / "tmpabc" / "original").exists()
