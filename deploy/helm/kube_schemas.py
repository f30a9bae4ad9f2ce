"""Validate Kubernetes manifests with kubeconform against the JSON schemas in the kubernetes-validate wheel, offline.

Why this exists: CI has no cluster and must not fetch schemas at check time, so the schemas come from a wheel
installed with the dev dependencies (``kubernetes_validate/kubernetes-json-schema/v1.NN.0-local-strict/``). Those
files cannot be handed to kubeconform as they are: each kind's schema carries ``"$id":
"https://kubernetes.io/api/…"`` and points at its definitions with ``"$ref": "/api/_definitions.json#/$defs/…"``,
which kubeconform resolves against that ``$id`` to ``https://kubernetes.io/api/_definitions.json`` — a network
fetch, so without network every kind reads as "could not find schema". We therefore copy the version's folder
into a temporary one with the ``$id`` removed and each such ``$ref`` made relative (``_definitions.json#/$defs/…``,
the file beside it), refuse any other non-local ``$ref``, and run kubeconform with ``-strict`` on that copy.

Usage: ``helm template … | python3 deploy/helm/kube_schemas.py [--kubernetes-version 1.33.0] [FILE …]``; exit
status is kubeconform's (non-zero when a manifest is invalid, a kind has no schema, or the tool is missing).
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final, TypeAlias

REPO: Final = Path(__file__).resolve().parents[2]
DEFAULT_KUBERNETES_VERSION: Final = "1.33.0"
DEFINITIONS: Final = "_definitions.json"
_REMOTE_DEFINITIONS: Final = f"/api/{DEFINITIONS}#"
# kubeconform's template for a local folder; {{ .NormalizedKubernetesVersion }} is "v" + -kubernetes-version.
_LOCATION: Final = "{{ .NormalizedKubernetesVersion }}-local-strict/{{ .ResourceKind }}{{ .KindSuffix }}.json"

Json: TypeAlias = "None | bool | int | float | str | list[Json] | dict[str, Json]"


class SchemaError(Exception):
    """The wheel's schemas are missing or point somewhere this offline copy cannot follow."""


def wheel_schemas(kubernetes_version: str) -> Path:
    """The strict schema folder of one Kubernetes version inside the installed kubernetes-validate wheel."""
    try:
        root = importlib.resources.files("kubernetes_validate") / "kubernetes-json-schema"
    except ModuleNotFoundError:
        raise SchemaError("kubernetes-validate is not installed (pip install -e .[dev])") from None
    folder = Path(str(root)) / f"v{kubernetes_version}-local-strict"
    if not (folder / DEFINITIONS).is_file():
        raise SchemaError(f"no schemas for Kubernetes {kubernetes_version} in {root}")
    return folder


def _localise(node: Json, origin: str) -> Json:
    """``node`` with every ``$ref`` to the definitions made relative; any other non-local ``$ref`` is refused,
    because kubeconform would try to fetch it."""
    if isinstance(node, list):
        return [_localise(item, origin) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Json] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            if value.startswith(_REMOTE_DEFINITIONS):
                value = DEFINITIONS + value[len(_REMOTE_DEFINITIONS) - 1 :]
            elif not (value.startswith("#") or value.startswith(f"{DEFINITIONS}#")):
                raise SchemaError(f"{origin}: $ref {value!r} is not local; it would be fetched")
        out[key] = _localise(value, origin)
    return out


def write_offline_schemas(source: Path, target: Path) -> int:
    """Copy the schema folder ``source`` into ``target`` (created), made resolvable offline; returns the count."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(source.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(schema, dict):
            schema.pop("$id", None)  # otherwise relative references resolve against kubernetes.io
        (target / path.name).write_text(json.dumps(_localise(schema, path.name)), encoding="utf-8")
        count += 1
    return count


def find_kubeconform() -> str:
    """kubeconform from PATH, else the copy scripts/install-deps builds into .tools/bin."""
    found = shutil.which("kubeconform") or shutil.which("kubeconform", path=str(REPO / ".tools" / "bin"))
    if not found:
        raise SchemaError("kubeconform not found: run scripts/install-deps (it builds .tools/bin/kubeconform)")
    return found


def validate(manifests: list[str], *, kubernetes_version: str = DEFAULT_KUBERNETES_VERSION, stdin: bytes = b"") -> int:
    """Run kubeconform ``-strict -summary`` on the files (or on ``stdin`` when none) against the offline copy of
    the schemas; its output goes to our stdout/stderr, its exit status is returned."""
    source = wheel_schemas(kubernetes_version)
    tool = find_kubeconform()
    with tempfile.TemporaryDirectory(prefix="kube-schemas-") as tmp:
        write_offline_schemas(source, Path(tmp) / f"v{kubernetes_version}-local-strict")
        command = [
            tool,
            "-strict",
            "-summary",
            "-kubernetes-version",
            kubernetes_version,
            "-schema-location",
            os.path.join(tmp, _LOCATION),
            *manifests,
        ]
        done = subprocess.run(command, input=stdin if not manifests else None, check=False)
        return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kubernetes-version", default=DEFAULT_KUBERNETES_VERSION)
    parser.add_argument("manifests", nargs="*", help="YAML files; none: read standard input")
    args = parser.parse_args(argv)
    try:
        stdin = b"" if args.manifests else sys.stdin.buffer.read()
        return validate(args.manifests, kubernetes_version=args.kubernetes_version, stdin=stdin)
    except SchemaError as exc:
        print(f"kube_schemas: {exc}", file=sys.stderr)  # noqa: T201 - a command-line tool's message
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
