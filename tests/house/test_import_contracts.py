"""The import contracts in pyproject.toml: CI runs every one, each breaks on the import it forbids, and the
ones the code already keeps stay kept.

The contracts are run by import-linter itself (the `lint-imports` command CI runs), on this tree and on small
throwaway trees that hold one forbidden import each, so a contract that names the wrong package or lets an
indirect import through fails here rather than passing silently in CI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# The rules of issue 12, by contract id; a contract dropped from pyproject.toml fails the tests below.
EXPECTED_CONTRACTS = {
    "schemas-pure",
    "indexers-standalone",
    "domain-without-http",
    "api-web-independent",
    "no-package-cycles",
}
# Every contract is kept by the code; CI runs them all, and this test runs them too.
KEPT_TODAY = tuple(sorted(EXPECTED_CONTRACTS))


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def _lint_imports(cwd: Path, *args: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS.exists(), f"{LINT_IMPORTS} missing: install the dev tools (bash scripts/install-deps)"
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _verdicts(output: str) -> dict[str, str]:
    """Contract name → KEPT or BROKEN, from the summary lines of lint-imports."""
    return {m.group(1).strip(): m.group(2) for m in re.finditer(r"^(.+?)\s+(KEPT|BROKEN)$", output, re.MULTILINE)}


def test_pyproject_declares_a_contract_for_each_rule_of_the_issue() -> None:
    assert set(_contracts()) == EXPECTED_CONTRACTS


def test_ci_installs_then_checks_every_contract_then_tests() -> None:
    steps = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines() if line.startswith("bash ")]
    assert [step.split()[1] for step in steps] == ["scripts/install-deps", "scripts/check", "scripts/test"]
    check = (ROOT / "scripts/check").read_text()
    assert "set -euo pipefail" in check
    commands = [line.split("#")[0].split()[1:] for line in check.splitlines() if line.startswith("step ")]
    assert [c[0] for c in commands] == ["ruff", "ruff", "mypy", "lint-imports", "bash"]
    assert "--contract" not in commands[3], "CI must check every contract, not a chosen few"
    assert commands[2] == ["mypy"], "bare mypy: what it checks is [tool.mypy] files"
    assert commands[4] == ["bash", "deploy/checks/run"], "the image, compose file and chart checked without an engine"


def test_the_code_keeps_every_contract() -> None:
    args = [arg for contract_id in KEPT_TODAY for arg in ("--contract", contract_id)]
    result = _lint_imports(ROOT, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    verdicts = _verdicts(result.stdout)
    assert [verdicts.get(_contracts()[c]["name"]) for c in KEPT_TODAY] == ["KEPT"] * len(KEPT_TODAY)


def _skeleton(tmp_path: Path) -> Path:
    """A tree with every package the contracts name and the same pyproject.toml, importing nothing."""
    modules = {"archive_service", "indexers", "schemas", "indexers.parse", "indexers.sandbox"}
    for contract in _contracts().values():
        for key in ("source_modules", "modules", "ancestors"):
            modules.update(contract.get(key, []))
        modules.update(m for m in contract.get("forbidden_modules", []) if m.split(".")[0] in modules)
    for module in modules:
        package = tmp_path.joinpath(*module.split("."))
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").touch()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_a_tree_without_forbidden_imports_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint_imports(_skeleton(tmp_path), pythonpath=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(_verdicts(result.stdout).values()) == {"KEPT"}


# (contract, module that imports, what it imports): one forbidden import each, some of them indirect.
VIOLATIONS = [
    ("schemas-pure", "schemas", "archive_service.catalog"),
    ("schemas-pure", "schemas", "indexers.parse"),
    ("indexers-standalone", "indexers.parse", "archive_service.storage"),
    *[("domain-without-http", package, "fastapi") for package in _contracts()["domain-without-http"]["source_modules"]],
    ("domain-without-http", "archive_service.reports", "starlette"),
    ("domain-without-http", "archive_service.catalog", "jinja2"),
    ("api-web-independent", "archive_service.web", "archive_service.api"),
    ("api-web-independent", "archive_service.api", "archive_service.web"),
    ("no-package-cycles", "indexers.sandbox", "indexers.parse"),
]


@pytest.mark.parametrize(("contract_id", "importer", "imported"), VIOLATIONS)
def test_each_contract_breaks_on_the_import_it_forbids(
    tmp_path: Path, contract_id: str, importer: str, imported: str
) -> None:
    tree = _skeleton(tmp_path)
    (tree.joinpath(*importer.split(".")) / "__init__.py").write_text(f"import {imported}\n")
    if contract_id == "no-package-cycles":  # the way back that closes the cycle
        (tree.joinpath(*imported.split(".")) / "__init__.py").write_text(f"import {importer}\n")
    result = _lint_imports(tree, "--contract", contract_id, pythonpath=tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert _verdicts(result.stdout) == {_contracts()[contract_id]["name"]: "BROKEN"}


def test_an_indirect_import_of_a_web_framework_breaks_the_domain_contract(tmp_path: Path) -> None:
    """reports → an edge module → starlette is what reports/service.py does today; it must count."""
    tree = _skeleton(tmp_path)
    (tree / "archive_service" / "edge.py").write_text("import starlette\n")
    (tree / "archive_service" / "reports" / "__init__.py").write_text("import archive_service.edge\n")
    result = _lint_imports(tree, "--contract", "domain-without-http", pythonpath=tree)
    assert result.returncode == 1, result.stdout + result.stderr
