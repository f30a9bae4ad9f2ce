"""``serve --processes N``: a scrape, whichever process takes it, answers for every HTTP process of the machine
(prometheus_client's multiprocess mode, one folder per machine under the data folder, emptied at each start)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from archive_service.app import create_app
from archive_service.metrics import multiproc
from archive_service.services import open_services
from tests.backends import REPO, free_port
from tests.conftest import make_settings
from tests.metrics.scrape import LOOPBACK, count

HEALTH = {"method": "GET", "route": "/healthz", "status": "200"}

# One HTTP process of the machine: the app on the shared data folder, ``n`` requests, then its lifespan ends.
ONE_PROCESS = """
import sys
from pathlib import Path
from fastapi.testclient import TestClient
from archive_service.app import create_app
from archive_service.config import Settings
settings = Settings(data_dir=Path(sys.argv[1]), workers=0, page_images=False)
with TestClient(create_app(settings)) as client:
    for _ in range(int(sys.argv[2])):
        assert client.get("/healthz").status_code == 200
"""


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_") or k.startswith("ARCHIVE_TEST_")}
    return {**env, multiproc.ENV: str(folder)}


def test_a_scrape_sums_the_requests_of_every_process_of_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv(multiproc.ENV, "")  # prepare() sets it in this process too: as it was after the test
    folder = multiproc.prepare(data)
    for n in (3, 5):  # one after the other: each migrates the same SQLite catalog
        subprocess.run([sys.executable, "-c", ONE_PROCESS, str(data), str(n)], env=_env(folder), check=True, cwd=REPO)
    assert len({p.name.split("_")[-1] for p in folder.glob("counter_*.db")}) == 2  # a file per process

    settings = make_settings("embedded", tmp_path)
    services = open_services(settings)
    try:
        app = create_app(settings, services=services)
        text = TestClient(app, client=LOOPBACK).get("/metrics").text
    finally:
        services.close()
    assert count(text, "archive_http_requests_total", **HEALTH) == 8  # 3 + 5, from two processes that have ended
    histogram = {"method": "GET", "route": "/healthz", "le": "+Inf"}
    assert count(text, "archive_http_request_duration_seconds_bucket", **histogram) == 8


def test_serve_empties_this_machines_folder_before_the_processes_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(multiproc.ENV, "")  # prepare() sets it in this process too: as it was after the test
    stale = multiproc.folder_for(tmp_path) / "counter_4242.db"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"a previous run's counts")
    other_machine = tmp_path / "metrics" / "may-khac" / "counter_7.db"
    other_machine.parent.mkdir(parents=True)
    other_machine.write_bytes(b"")
    folder = multiproc.prepare(tmp_path)
    assert folder == tmp_path / "metrics" / socket.gethostname() and folder.is_dir()
    assert not stale.exists() and other_machine.exists()
    assert os.environ[multiproc.ENV] == str(folder)


def test_serve_with_two_processes_answers_for_both(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "data"
    folder = multiproc.folder_for(data)
    folder.mkdir(parents=True)
    (folder / "counter_1.db").write_bytes(b"")  # left by a previous run: must not survive the start
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_") or k.startswith("ARCHIVE_TEST_")}
    env.pop(multiproc.ENV, None)
    env["ARCHIVE_DATA_DIR"] = str(data)
    log = tmp_path / "serve.log"
    command = [sys.executable, "-c", "from archive_service.cli import app; app()", "serve", "--port", str(port)]
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [*command, "--processes", "2", "--workers", "0"], env=env, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 120
        # Each process listens once its own start-up is complete (before that, with none listening, a connection
        # is refused): its "Started server process" line comes earlier, before the app's lifespan.
        while log.read_text(errors="replace").count("Application startup complete") < 2:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        sent = 0
        # New connections until both processes have answered some (each writes its own file at its first count).
        while len(list(folder.glob("counter_*.db"))) < 2 and sent < 400:
            assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200
            sent += 1
        assert len(list(folder.glob("counter_*.db"))) == 2, sent
        assert not (folder / "counter_1.db").exists()
        for _ in range(2):  # whichever process answers the scrape, it reports every request
            text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
            assert count(text, "archive_http_requests_total", **HEALTH) == sent, text[:2000]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    assert "Traceback" not in log.read_text(errors="replace")
