"""What a process imports to start: the libraries only some commands use are loaded by those commands.

``serve``, ``worker`` and every CLI command import ``archive_service.cli``, and took 2.6 s to start when it loaded
fpdf and openpyxl (for the sheets and reports only some requests draw, ~0.4 s) and the Elasticsearch client (for
the production backend only, ~0.3 s) in every process. Now 1.4 s. A module-level import of one of them again
fails here, in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOADED_ON_USE = ("fpdf", "openpyxl", "elasticsearch", "aiohttp")
STARTS = ("archive_service.cli", "archive_service.app", "archive_service.workers.process", "archive_service.services")

PROBE = """
import importlib, json, sys
for name in sys.argv[2:]:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in json.loads(sys.argv[1]) if m in sys.modules)))
"""


def _loaded(*modules: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(LOADED_ON_USE), *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_starting_a_process_loads_none_of_the_libraries_only_some_commands_use() -> None:
    assert _loaded(*STARTS) == []


def test_the_probe_sees_a_library_that_is_loaded() -> None:
    """The check above can fail: importing what draws a sheet, or the Elasticsearch backend, is seen."""
    assert _loaded("archive_service.records.sheet_pdf") == ["fpdf"]
    assert set(_loaded("indexers.search.elastic")) >= {"elasticsearch"}
