"""Check deploy/compose.yaml without a container engine: against the Compose Specification's JSON schema, and
against deploy/.env.example (every variable the file reads is named there, and nothing else).

The schema is the one Docker Compose itself validates with (compose-go's ``schema/compose-spec.json``), taken
from the Go module proxy at a pinned version (``go mod download``), so that CI checks the file with the rules
of a real Compose release instead of a copy kept here. ``COMPOSE_SPEC_SCHEMA=/path/compose-spec.json`` uses a
schema file instead (a machine without Go or without the proxy).

    python3 deploy/checks/compose_schema.py [compose.yaml [.env.example]]

Exit 0 when both checks pass; 1 with one line per problem; 2 when the schema cannot be had. The functions are
imported by tests/deploy/test_compose.py, so that the test and CI check with the same code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import yaml
from jsonschema import Draft202012Validator

REPO: Final = Path(__file__).resolve().parents[2]
COMPOSE_FILE: Final = REPO / "deploy" / "compose.yaml"
ENV_EXAMPLE: Final = REPO / "deploy" / ".env.example"
SCHEMA_MODULE: Final = "github.com/compose-spec/compose-go/v2"
SCHEMA_VERSION: Final = "v2.16.2"
SCHEMA_IN_MODULE: Final = Path("schema") / "compose-spec.json"
SCHEMA_OVERRIDE: Final = "COMPOSE_SPEC_SCHEMA"

# Compose's interpolation (the Compose Specification, "Interpolation"): "$$" is a literal "$"; "${NAME}",
# "${NAME:-default}", "${NAME-default}", "${NAME:?error}", "${NAME?error}", "${NAME:+other}", "${NAME+other}"
# and "$NAME" read a variable. Any other "$" is an error for Compose, and so here.
_INTERPOLATION: Final = re.compile(
    r"\$\$"
    r"|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<bad>\$)"
)
# Go's time.ParseDuration ("1m30s", "500ms", "0"): the schema types these fields as plain strings, and Compose
# refuses the file only when it loads it ("5 seconds"), so this check says it first.
_GO_DURATION: Final = re.compile(r"[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)")
_DURATION_FIELDS: Final = ("stop_grace_period",)
_HEALTHCHECK_DURATIONS: Final = ("interval", "timeout", "start_period", "start_interval")
_ENV_LINE: Final = re.compile(r"(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=")


class CheckError(Exception):
    """The check cannot run (no schema, unreadable file): exit 2, with this message."""


def schema_path() -> Path:
    """The pinned compose-spec.json: ``$COMPOSE_SPEC_SCHEMA``, or from the Go module cache (downloaded once)."""
    override = os.environ.get(SCHEMA_OVERRIDE)
    if override:
        return Path(override)
    command = ["go", "mod", "download", "-json", f"{SCHEMA_MODULE}@{SCHEMA_VERSION}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    except FileNotFoundError:
        raise CheckError(
            f"không có lệnh go để tải lược đồ / no `go` to fetch the schema (or set {SCHEMA_OVERRIDE})"
        ) from None
    try:
        info = json.loads(done.stdout)
    except json.JSONDecodeError:
        info = {}
    directory = info.get("Dir") if isinstance(info, dict) else None
    if done.returncode != 0 or not directory:
        reason = (info.get("Error") if isinstance(info, dict) else None) or done.stderr.strip() or done.stdout.strip()
        raise CheckError(f"{' '.join(command)} thất bại / failed: {reason}")
    path = Path(directory) / SCHEMA_IN_MODULE
    if not path.is_file():
        raise CheckError(f"{SCHEMA_MODULE}@{SCHEMA_VERSION}: không có / has no {SCHEMA_IN_MODULE}")
    return path


def load_schema(path: Path) -> dict[str, Any]:
    """The schema as a mapping; it must declare draft 2020-12, the draft the validator below implements."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(schema, dict) or schema.get("$schema") != Draft202012Validator.META_SCHEMA["$id"]:
        raise CheckError(f"{path}: không phải lược đồ draft 2020-12 / not a draft 2020-12 schema")
    return schema


def load_compose(path: Path) -> dict[str, Any]:
    """The compose file as YAML reads it (anchors and ``<<`` merge keys resolved, as Compose does)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise CheckError(f"{path}: không phải một ánh xạ YAML / not a YAML mapping")
    return document


def schema_errors(document: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """One line per place where ``document`` breaks the schema, by path (``services.app.ports.0: …``)."""
    validator = Draft202012Validator(schema)
    lines = []
    for error in validator.iter_errors(document):
        where = ".".join(str(part) for part in error.absolute_path) or "(gốc / root)"
        lines.append(f"{where}: {error.message}")
    return sorted(lines)


def duration_errors(document: dict[str, Any]) -> list[str]:
    """The services' durations (healthcheck timings, stop_grace_period) that Go's time.ParseDuration refuses."""
    lines = []
    services = document.get("services")
    for name, service in (services if isinstance(services, dict) else {}).items():
        if not isinstance(service, dict):
            continue
        healthcheck = service.get("healthcheck")
        fields = [(key, service.get(key)) for key in _DURATION_FIELDS]
        if isinstance(healthcheck, dict):
            fields += [(f"healthcheck.{key}", healthcheck.get(key)) for key in _HEALTHCHECK_DURATIONS]
        for key, value in fields:
            if isinstance(value, str) and "$" not in value and _GO_DURATION.fullmatch(value) is None:
                lines.append(
                    f"services.{name}.{key}: {value!r} không phải khoảng thời gian / is not a duration (1m30s, 500ms)"
                )
    return lines


def _strings(node: Any) -> Iterator[str]:
    """Every key and value of the document that Compose interpolates (all strings, comments excluded)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def variables(document: dict[str, Any]) -> tuple[dict[str, bool], list[str]]:
    """The variables the document reads, each with True when it has no default (Compose needs it set), and
    the strings holding a "$" Compose would refuse."""
    found: dict[str, bool] = {}
    bad: list[str] = []
    for text in _strings(document):
        for match in _INTERPOLATION.finditer(text):
            if match["bad"] is not None:
                bad.append(text)
                continue
            name = match["braced"] or match["bare"]
            if name is None:  # "$$"
                continue
            required = match["op"] in (None, "?", ":?")
            found[name] = found.get(name, False) or required
    return found, bad


def env_names(text: str) -> set[str]:
    """The variables an env file sets (``NAME=value`` lines; comments and blank lines skipped)."""
    names = set()
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _ENV_LINE.match(stripped)
        if match is not None:
            names.add(match["name"])
    return names


def env_errors(document: dict[str, Any], env_text: str) -> list[str]:
    """What deploy/.env.example lacks (a variable the compose file reads, required ones said so) or names
    needlessly (a variable the compose file never reads)."""
    used, bad = variables(document)
    listed = env_names(env_text)
    lines = [f"'$' không hợp lệ / invalid '$' (write '$$' for a literal one): {text!r}" for text in bad]
    for name in sorted(set(used) - listed):
        kind = "bắt buộc, không có mặc định / required, no default" if used[name] else "có mặc định / has a default"
        lines.append(f".env.example thiếu / lacks {name} ({kind})")
    for name in sorted(listed - set(used)):
        lines.append(
            f".env.example có {name} mà compose.yaml không dùng / names {name}, which compose.yaml never reads"
        )
    return lines


def check(compose: Path, env_example: Path, schema: dict[str, Any]) -> list[str]:
    """Every problem of ``compose`` (schema, interpolation) and of ``env_example``, one line each."""
    document = load_compose(compose)
    problems = [f"{compose.name}: {line}" for line in schema_errors(document, schema) + duration_errors(document)]
    problems += [f"{env_example.name}: {line}" for line in env_errors(document, env_example.read_text("utf-8"))]
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    compose = Path(args[0]) if args else COMPOSE_FILE
    env_example = Path(args[1]) if len(args) > 1 else ENV_EXAMPLE
    try:
        source = schema_path()
        problems = check(compose, env_example, load_schema(source))
    except (CheckError, OSError, yaml.YAMLError, json.JSONDecodeError) as exc:
        print(f"compose_schema: không kiểm tra được / cannot check: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    for line in problems:
        print(f"compose_schema: {line}", file=sys.stderr)  # noqa: T201
    if problems:
        print(f"compose_schema: {len(problems)} lỗi / problems", file=sys.stderr)  # noqa: T201
        return 1
    print(  # noqa: T201
        f"compose_schema: {compose.name} khớp lược đồ / matches the Compose Specification "
        f"({SCHEMA_MODULE}@{SCHEMA_VERSION}); {env_example.name} names its variables"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
