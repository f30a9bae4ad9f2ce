"""The app over the embedded backends in development and in production (Secure cookies, HSTS, docs login)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Harness, build_harness, make_settings


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[Harness]:
    yield from build_harness(make_settings("embedded", tmp_path))


@pytest.fixture
def prod(tmp_path: Path) -> Iterator[Harness]:
    yield from build_harness(make_settings("embedded", tmp_path, environment="production"))
