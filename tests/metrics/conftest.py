"""An app on the embedded backends for the request and access tests (no lifespan: no worker threads)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from archive_service.app import create_app
from archive_service.services import open_services
from tests.conftest import make_settings


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    settings = make_settings("embedded", tmp_path)
    services = open_services(settings)
    yield create_app(settings, services=services)
    services.close()
