"""The app for the dossier and document use-case tests: no workers, so that queued jobs stay to be looked at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tests.conftest import build_harness, make_settings
from tests.web.conftest import Web, set_password


def open_site(backend_kind: str, tmp_path: Path) -> Iterator[Web]:
    """The harness app over ``backend_kind``, every user with a web password, both edges at hand."""
    for harness in build_harness(make_settings(backend_kind, tmp_path)):
        for name in ("admin", "vanthu", "doc", "vanthu-huyen"):
            set_password(harness.services, name)
        yield Web(harness=harness, client=harness.client)
