"""The built wheel is the service: every data file is in it, and it serves from a fresh venv.

An editable install reads data files from the working tree, so a file missing from the package data
(``es_mapping.json`` was) only shows once the wheel is installed somewhere else. The venv borrows the
third-party packages of the running interpreter (a ``.pth`` line per site folder, placed after the venv's
own) so that no download is needed; the project itself comes only from the wheel — a ``.pth`` listed
folder's own ``.pth`` files are not run, so an editable install there stays out — and the tests check it.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.backends import free_port

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("archive_service", "indexers", "schemas")
# Files in the package folders that the code never reads (documentation for developers).
NOT_PACKAGE_DATA = frozenset({"archive_service/validation/README.md"})
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    bin_dir: Path
    site_packages: Path


def _source_files() -> set[str]:
    """Every file under the package folders, as a wheel names it (``archive_service/web/static/app.css``)."""
    found: set[str] = set()
    for package in PACKAGES:
        for path in (REPO / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found.add(path.relative_to(REPO).as_posix())
    return found - NOT_PACKAGE_DATA


def _build_wheel(into: Path) -> Path:
    """Build from a copy of the sources: an in-tree build would reuse a stale ``build/`` folder."""
    src = into / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for package in PACKAGES:
        shutil.copytree(REPO / package, src / package, ignore=ignore)
    shutil.copy2(REPO / "pyproject.toml", src / "pyproject.toml")
    if (REPO / "README.md").exists():
        shutil.copy2(REPO / "README.md", src / "README.md")
    dist = into / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)],
        check=True,
        timeout=300,
    )
    (wheel,) = dist.glob("archive_service-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(root)
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    borrowed = [*site.getsitepackages(), site.getusersitepackages()]
    (purelib / "zz_borrowed_site_packages.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index"]
        + ["--ignore-installed", str(wheel)],
        check=True,
        timeout=120,
    )
    yield Installed(wheel=wheel, python=python, bin_dir=bin_dir, site_packages=purelib)


def _clean_env(tmp: Path) -> dict[str, str]:
    """The caller's environment without anything that points back at the working tree or the real backends."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_") and k != "PYTHONPATH"}
    env["ARCHIVE_DATA_DIR"] = str(tmp / "archive-data")
    env["ARCHIVE_WORKERS"] = "1"
    return env


def test_wheel_holds_every_data_file_of_the_packages(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    missing = sorted(_source_files() - names)
    assert not missing, f"not in the wheel (add them to [tool.setuptools.package-data]): {missing}"


def test_installed_package_reads_its_search_mapping_and_rule_tables(installed: Installed, tmp_path: Path) -> None:
    code = (
        "import archive_service, indexers.search.elastic as es\n"
        "from archive_service.validation.tables import TABLES\n"  # the YAML rule tables, loaded on import
        "print(archive_service.__file__)\n"
        "print(es.schema_version(), len(es.index_definition()['mappings']['properties']))\n"
        "print(len(TABLES.document_type_versions))\n"
    )
    done = subprocess.run(
        [str(installed.python), "-c", code],
        cwd=tmp_path,  # not the repository, which would shadow the installed package
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    module_file, mapping, tables = done.stdout.splitlines()
    assert Path(module_file).is_relative_to(installed.site_packages)
    version, properties = (int(v) for v in mapping.split())
    assert version >= 1 and properties > 0
    assert int(tables) > 0


def test_service_installed_from_the_wheel_serves_its_health_pages_and_assets(
    installed: Installed, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(installed.bin_dir / "archive-service"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env=_clean_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 45
            while True:
                assert server.poll() is None, log.read_text(encoding="utf-8", errors="replace")
                try:
                    health = httpx.get(f"{base}/healthz", timeout=2)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, log.read_text(encoding="utf-8", errors="replace")
                    time.sleep(0.2)
            assert health.status_code == 200 and health.json() == {"status": "ok"}
            ready = httpx.get(f"{base}/readyz", timeout=10)
            assert ready.status_code == 200, ready.text
            login = httpx.get(f"{base}/dang-nhap", timeout=10)
            assert login.status_code == 200 and "Đăng nhập" in login.text
            css = httpx.get(f"{base}/static/app.css", timeout=10)
            assert css.status_code == 200 and css.text.strip()
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)
    assert (tmp_path / "archive-data" / "admin-token.txt").is_file()  # the first admin, in the temp data dir


def test_the_wheel_needs_ocrmypdf_and_accepts_every_python_from_3_11(installed: Installed) -> None:
    # Every scanned upload queues a searchable-PDF job: without OCRmyPDF it would fail, retried, forever.
    with zipfile.ZipFile(installed.wheel) as wheel:
        (metadata_name,) = (n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(metadata_name).decode("utf-8").splitlines()
    requires = [line.split(":", 1)[1].strip() for line in metadata if line.startswith("Requires-Dist:")]
    runtime = [r for r in requires if "extra ==" not in r]
    assert any(r.startswith("ocrmypdf") for r in runtime), runtime
    assert "Requires-Python: >=3.11" in metadata
