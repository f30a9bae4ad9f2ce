"""The image's Containerfile, read as text: it installs the runtime section of scripts/apt-packages.txt (the
very file, filtered by its own awk program, never a hand-typed copy) and the project with its pyproject.toml
dependencies, runs as a numeric non-root user, checks /healthz, bakes no secret, and starts archive-service.
hadolint lints it with the rules deploy/container/hadolint.yaml ignores, and only those."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive_service.config import SECRET_FILE_FIELDS
from tests.corpus.session import need_tools, skip_unless

REPO = Path(__file__).resolve().parents[2]
CONTAINERFILE = REPO / "deploy" / "container" / "Containerfile"
HADOLINT_CONFIG = REPO / "deploy" / "container" / "hadolint.yaml"
APT_LIST = REPO / "scripts" / "apt-packages.txt"
RUNTIME, TEST = "# [runtime]", "# [test]"
# What the brief of issue #18 names on each side; the list may hold more.
MUST_RUN_WITH = {
    "tesseract-ocr",
    "tesseract-ocr-vie",
    "libreoffice-writer-nogui",
    "fonts-dejavu-core",
    "postgresql-client",
}
TEST_ONLY = {"chromium", "chromium-driver", "postgresql"}


@dataclass(frozen=True)
class Instruction:
    stage: int  # index of the FROM it follows
    keyword: str  # upper case
    args: str  # continuation lines joined


def parse_containerfile(text: str) -> list[Instruction]:
    """Instructions with their stage; comments dropped, backslash continuations joined."""
    instructions: list[Instruction] = []
    stage = -1
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        keyword, _, args = whole.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage += 1
        instructions.append(Instruction(stage, keyword, args.strip()))
    return instructions


def sections(text: str) -> dict[str, list[str]]:
    """The packages under each marker line of scripts/apt-packages.txt; a package before any marker fails."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("# ["):
            current = stripped
            found.setdefault(current, [])
            continue
        if not stripped or stripped.startswith("#"):
            continue
        assert current is not None, f"{stripped} comes before any section marker"
        found[current].append(stripped)
    return found


@pytest.fixture(scope="module")
def instructions() -> list[Instruction]:
    return parse_containerfile(CONTAINERFILE.read_text(encoding="utf-8"))


def final_stage(instructions: list[Instruction]) -> list[Instruction]:
    last = max(i.stage for i in instructions)
    return [i for i in instructions if i.stage == last]


def test_the_package_list_has_exactly_two_sections() -> None:
    found = sections(APT_LIST.read_text(encoding="utf-8"))
    assert set(found) == {RUNTIME, TEST}
    runtime, test = found[RUNTIME], found[TEST]
    assert len(set(runtime)) == len(runtime) and len(set(test)) == len(test), "a package listed twice"
    assert not set(runtime) & set(test)
    assert set(runtime) >= MUST_RUN_WITH
    assert set(test) >= TEST_ONLY


def test_install_deps_still_reads_every_package() -> None:
    """scripts/install-deps greps out comment lines: the markers are comments, so it installs both sections."""
    text = APT_LIST.read_text(encoding="utf-8")
    grep = subprocess.run(["grep", "-vE", r"^\s*(#|$)"], input=text, capture_output=True, text=True, check=True)
    found = sections(text)
    assert grep.stdout.split() == found[RUNTIME] + found[TEST]


def test_the_image_installs_the_runtime_section_by_the_files_own_filter(instructions: list[Instruction]) -> None:
    need_tools("awk")
    stage = final_stage(instructions)
    copies = [i.args.split() for i in stage if i.keyword == "COPY"]
    copied_to = [args[-1] for args in copies if args[:-1] == ["scripts/apt-packages.txt"]]
    assert len(copied_to) == 1, "the runtime stage copies scripts/apt-packages.txt in, once"
    installs = [i.args for i in stage if i.keyword == "RUN" and "apt-get install" in i.args]
    assert len(installs) == 1
    run = installs[0]
    assert "--no-install-recommends" in run
    program = re.search(r"awk '([^']*)' (\S+)\)", run)
    assert program is not None, "the package names come from an awk program over the copied file"
    assert program[2] == copied_to[0]
    selected = subprocess.run(["awk", program[1], str(APT_LIST)], capture_output=True, text=True, check=True)
    assert selected.stdout.split() == sections(APT_LIST.read_text(encoding="utf-8"))[RUNTIME]


def test_no_package_is_named_in_the_containerfile_itself(instructions: list[Instruction]) -> None:
    """One list: a package typed into a RUN would be a second one (and a test-only one would bloat the image)."""
    found = sections(APT_LIST.read_text(encoding="utf-8"))
    runs = " ".join(i.args for i in instructions if i.keyword == "RUN")
    words = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9.+-]*", runs))
    assert not words & (set(found[RUNTIME]) | set(found[TEST]))


def test_python_dependencies_come_from_pyproject_alone(instructions: list[Instruction]) -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    packages = set(pyproject["tool"]["setuptools"]["packages"]["find"]["include"])
    copies = [i.args.split() for i in instructions if i.keyword == "COPY" and not i.args.startswith("--from")]
    copied = {args[0]: args[-1] for args in copies if len(args) == 2}
    assert copied.get("pyproject.toml") == "/src/pyproject.toml"
    assert {name.rstrip("*") for name in packages} <= set(copied), "every package folder of the wheel is copied"
    pip_runs = [i.args for i in instructions if i.keyword == "RUN" and "pip install" in i.args]
    assert pip_runs, "the project is pip-installed"
    for run in pip_runs:
        words = shlex.split(run)
        targets = [w for w in words[words.index("install") + 1 :] if not w.startswith("-")]
        assert targets == ["/src"], f"pip installs the project only (its dependencies from pyproject): {run}"
        assert "-r" not in words and "--requirement" not in words and "-c" not in words
    assert not list(REPO.glob("requirements*.txt")), "a second list of Python dependencies"


def test_the_runtime_gets_the_virtual_environment_built_from_it(instructions: list[Instruction]) -> None:
    stage = final_stage(instructions)
    assert any(i.keyword == "COPY" and i.args.split() == ["--from=build", "/opt/venv", "/opt/venv"] for i in stage)
    froms = [i.args for i in instructions if i.keyword == "FROM"]
    assert froms == ["${PYTHON_IMAGE} AS build", "${PYTHON_IMAGE} AS runtime"], "two stages on one base image"


def test_it_runs_as_a_numeric_user_other_than_root(instructions: list[Instruction]) -> None:
    users = [i.args for i in final_stage(instructions) if i.keyword == "USER"]
    assert users, "USER set in the final stage"
    match = re.fullmatch(r"(\d+)(?::(\d+))?", users[-1])
    assert match is not None, f"numeric USER (Kubernetes runAsNonRoot checks a number): {users[-1]}"
    assert int(match[1]) != 0 and (match[2] is None or int(match[2]) != 0)


def test_healthcheck_asks_healthz(instructions: list[Instruction]) -> None:
    checks = [i.args for i in final_stage(instructions) if i.keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    command = json.loads(checks[0][checks[0].index("CMD") + 3 :])
    assert isinstance(command, list) and "/healthz" in " ".join(command)


def _env_names(instructions: list[Instruction]) -> list[str]:
    names = []
    for i in instructions:
        if i.keyword in ("ENV", "ARG"):
            names += [word.split("=", 1)[0] for word in shlex.split(i.args)]
    return names


def test_no_secret_is_baked_into_the_environment(instructions: list[Instruction]) -> None:
    names = _env_names(instructions)
    assert "ARCHIVE_DATA_DIR" in names  # the parse sees ENV
    secret_settings = {f"ARCHIVE_{field.upper()}" for field in SECRET_FILE_FIELDS}
    assert not secret_settings & set(names)
    assert not [n for n in names if n.startswith("ARCHIVE_") and n.endswith("_FILE")], "secret paths: the runtime's"
    assert not [n for n in names if re.search(r"SECRET|PASSWORD|TOKEN|API_KEY|ACCESS_KEY", n)]


def test_the_entry_point_is_the_command_line(instructions: list[Instruction]) -> None:
    entry = [i.args for i in final_stage(instructions) if i.keyword == "ENTRYPOINT"]
    assert len(entry) == 1 and json.loads(entry[0]) == ["archive-service"]
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert "archive-service" in scripts
    cmd = [i.args for i in final_stage(instructions) if i.keyword == "CMD"]
    assert json.loads(cmd[-1]) == ["serve"]


def test_the_base_image_is_the_release_and_python_the_tests_run_on(instructions: list[Instruction]) -> None:
    """The package names and versions are tested on this machine's Debian release: the image must be on it."""
    arg = next(i.args for i in instructions if i.keyword == "ARG" and i.args.startswith("PYTHON_IMAGE="))
    match = re.fullmatch(r"PYTHON_IMAGE=python:(\d+)\.(\d+)-slim-(\w+)", arg)
    assert match is not None, arg
    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert requires == ">=3.11" and (int(match[1]), int(match[2])) >= (3, 11)
    os_release = Path("/etc/os-release")
    fields = (
        dict(line.split("=", 1) for line in os_release.read_text(encoding="utf-8").splitlines() if "=" in line)
        if os_release.exists()
        else {}
    )
    codename = fields.get("VERSION_CODENAME", "").strip('"')
    skip_unless(fields.get("ID") == "debian" and bool(codename), "not a Debian machine: its release is unknown")
    assert match[3] == codename


def test_every_runtime_package_exists_in_this_release() -> None:
    need_tools("apt-cache")
    lists = Path("/var/lib/apt/lists")
    skip_unless(lists.is_dir() and any(lists.glob("*_Packages*")), "no apt package lists (apt-get update)")
    runtime = sections(APT_LIST.read_text(encoding="utf-8"))[RUNTIME]
    shown = subprocess.run(["apt-cache", "show", *runtime], capture_output=True, text=True, check=False)
    named = set(re.findall(r"^Package: (\S+)$", shown.stdout, flags=re.MULTILINE))
    assert shown.returncode == 0 and named == set(runtime), (set(runtime) - named, shown.stderr)


def test_the_build_context_leaves_secrets_out() -> None:
    lines = [
        line.strip()
        for line in (CONTAINERFILE.parent / "Containerfile.dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "an allow-list"
    assert not [line for line in lines if line.startswith("!deploy") or line in ("!.", "!**")]


def test_hadolint_passes() -> None:
    need_tools("hadolint")
    done = subprocess.run(
        ["bash", str(REPO / "deploy" / "checks" / "containerfile.sh")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_still_fails_what_it_should(tmp_path: Path) -> None:
    """The config ignores one rule, not the linter: a root USER at the end is still a failure."""
    need_tools("hadolint")
    bad = tmp_path / "Containerfile"
    bad.write_text(CONTAINERFILE.read_text(encoding="utf-8") + "USER root\n", encoding="utf-8")
    hadolint = shutil.which("hadolint")
    assert hadolint is not None
    done = subprocess.run(
        [hadolint, "--config", str(HADOLINT_CONFIG), str(bad)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0 and "DL3002" in done.stdout, done.stdout
