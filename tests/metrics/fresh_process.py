"""Requests sent and counted in a Python process of their own: ``python -m tests.metrics.fresh_process DIR JSON``.

The request counters are the process's (``archive_service.metrics.http.REGISTRY``): in a pytest worker they also
hold whatever the worker's earlier tests asked of their apps. A test that pins exact counts sends its requests
here, where nothing but them is counted. Prints one JSON object: the statuses, and the scrapes before and after.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

from fastapi.testclient import TestClient

from archive_service.app import create_app
from archive_service.services import open_services
from tests.conftest import make_settings
from tests.metrics.scrape import LOOPBACK, scrape

ROOT = Path(__file__).resolve().parents[2]


class Counted(TypedDict):
    statuses: list[int]
    before: str
    after: str


def send(tmp_path: Path, requests: list[tuple[str, str]]) -> Counted:
    """Send ``requests`` (method, path) to a fresh app on the embedded backends in a new process; its scrapes."""
    done = subprocess.run(  # noqa: S603 - this interpreter, this module
        [sys.executable, "-m", "tests.metrics.fresh_process", str(tmp_path), json.dumps(requests)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    counted: Counted = json.loads(done.stdout.splitlines()[-1])
    return counted


def main(folder: Path, requests: list[tuple[str, str]]) -> Counted:
    settings = make_settings("embedded", folder)
    services = open_services(settings)
    try:
        app = create_app(settings, services=services)
        before = scrape(app)
        client = TestClient(app, client=LOOPBACK)  # the machine itself: /metrics answers it too
        statuses = [client.request(method, path).status_code for method, path in requests]
        return Counted(statuses=statuses, before=before, after=scrape(app))
    finally:
        services.close()


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(Path(sys.argv[1]), [(m, p) for m, p in json.loads(sys.argv[2])])) + "\n")
