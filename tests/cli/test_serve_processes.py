"""``archive-service serve --processes 2``: stateless replicas on one machine behind one port, each answering."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.backends import REPO, free_port


def test_two_http_processes_share_the_port_and_the_catalog(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(tmp_path / "data"), "ARCHIVE_WORKERS": "1"}
    env.pop("ARCHIVE_DATABASE_URL", None)
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-c", "from archive_service.cli import app; app()", "serve", "--port", str(port)]
            + ["--processes", "2", "--workers", "0"],
            env=env,
            cwd=REPO,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            pids: set[str] = set()
            while time.monotonic() < deadline:
                pids = set(re.findall(r"Started server process \[(\d+)\]", log.read_text(errors="replace")))
                if len(pids) == 2:
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                assert server.poll() is None, log.read_text(errors="replace")
                time.sleep(0.2)
            assert len(pids) == 2, log.read_text(errors="replace")
            answers = [httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5) for _ in range(6)]
            assert all(a.status_code == 200 for a in answers)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text
    assert (tmp_path / "data" / "catalog.sqlite3").exists()  # migrated once, by the command, before the processes
