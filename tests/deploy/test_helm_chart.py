"""The Helm chart as Kubernetes will receive it: ``helm template`` rendered and read back as YAML.

What an operator relies on without reading the templates: pods that run as non-root on a read-only root with a
writable folder of their own, secrets only as mounted files, probes on /healthz and /readyz, the catalog migrated
by a hook before any pod starts, workers scaled by CPU, settings from values reaching every container, no database
inside the chart, resources on every container — and a check (deploy/checks/helm.sh) that can fail.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.corpus.session import skip_unless

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "helm" / "archive-service"
CHECKER = REPO / "deploy" / "helm" / "kube_schemas.py"
TOOLS = REPO / ".tools" / "bin"
CI_VALUES = sorted((CHART / "ci").glob("*-values.yaml"))
SECRET_SETTINGS = ("DATABASE_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY", "ES_PASSWORD", "ES_API_KEY", "METRICS_TOKEN")
PLACEHOLDERS = ("ci-placeholder-db", "ci-placeholder-access", "ci-placeholder-secret", "ci-placeholder-metrics")
POD_KINDS = ("Deployment", "Job")

Manifest = dict[str, Any]


def tool(name: str) -> str:
    """A Go tool from PATH or from .tools/bin (scripts/install-deps builds it there); skip, or fail in CI."""
    found = shutil.which(name) or shutil.which(name, path=str(TOOLS))
    skip_unless(found is not None, f"not installed: {name} (scripts/install-deps)")
    assert found is not None
    return found


def render(*values: Path, sets: tuple[str, ...] = ()) -> list[Manifest]:
    """``helm template`` of the chart with these values files and ``--set`` pairs, parsed."""
    command = [tool("helm"), "template", "vptu", str(CHART), "--namespace", "archive"]
    for file in values:
        command += ["--values", str(file)]
    for pair in sets:
        command += ["--set", pair]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def by_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def named(manifests: list[Manifest], kind: str, suffix: str) -> Manifest:
    [found] = [m for m in by_kind(manifests, kind) if m["metadata"]["name"].endswith(suffix)]
    return found


def pod_specs(manifests: list[Manifest]) -> Iterator[tuple[str, Manifest]]:
    for manifest in manifests:
        if manifest["kind"] in POD_KINDS:
            yield manifest["metadata"]["name"], manifest["spec"]["template"]["spec"]


def env_of(container: Manifest) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container.get("env", [])}


@pytest.fixture(scope="module", params=[None, *CI_VALUES], ids=lambda p: p.stem if p else "defaults")
def rendered(request: pytest.FixtureRequest) -> list[Manifest]:
    """The chart under its default values and under each CI values file."""
    return render(request.param) if request.param else render()


def test_every_pod_runs_as_non_root_on_a_read_only_root(rendered: list[Manifest]) -> None:
    pods = list(pod_specs(rendered))
    assert len(pods) == 3  # app, worker, migration
    for name, spec in pods:
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] != 0, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name


def test_the_data_dir_and_tmp_are_writable_empty_dirs_of_each_pod(rendered: list[Manifest]) -> None:
    for name, spec in pod_specs(rendered):
        volumes = {v["name"]: v for v in spec["volumes"]}
        for container in spec["containers"]:
            mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
            assert env_of(container)["ARCHIVE_DATA_DIR"] == "/data", name
            for path in ("/data", "/tmp"):
                mount = mounts[path]
                assert not mount.get("readOnly", False), (name, path)
                assert "emptyDir" in volumes[mount["name"]], (name, path)  # per pod: no shared local folder
    assert not by_kind(rendered, "PersistentVolumeClaim")


def test_secrets_reach_the_pods_only_as_mounted_files(rendered: list[Manifest]) -> None:
    for name, spec in pod_specs(rendered):
        secret_volume = next(v for v in spec["volumes"] if v["name"] == "secrets")["secret"]
        mounted = {item["path"] for item in secret_volume["items"]}
        for container in spec["containers"]:
            env = env_of(container)
            for setting in SECRET_SETTINGS:
                assert f"ARCHIVE_{setting}" not in env, (name, setting)
            files = {k: v for k, v in env.items() if k.endswith("_FILE")}
            assert {"ARCHIVE_DATABASE_URL_FILE", "ARCHIVE_S3_ACCESS_KEY_FILE", "ARCHIVE_S3_SECRET_KEY_FILE"} <= set(
                files
            )
            secrets_mount = next(m for m in container["volumeMounts"] if m["name"] == "secrets")
            assert secrets_mount["readOnly"] is True
            for variable, path in files.items():
                folder, key = path.rsplit("/", 1)
                assert folder == secrets_mount["mountPath"], variable
                assert key in mounted, variable  # the file it names is projected from the Secret
            for variable, value in env.items():  # a literal, or a reference to a Secret's key: nothing else
                assert isinstance(value, str) or set(value) == {"secretKeyRef"}, (name, variable)


def test_a_secret_the_chart_writes_is_encoded_and_nowhere_else() -> None:
    ci = CHART / "ci" / "chart-secret-values.yaml"
    manifests = render(ci)
    [secret] = by_kind(manifests, "Secret")
    decoded = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert sorted(decoded) == ["database-url", "metrics-token", "s3-access-key", "s3-secret-key"]  # auth=none
    assert decoded["s3-secret-key"] == "ci-placeholder-secret"
    text = yaml.safe_dump_all(manifests)
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text  # never in plain text, in the Secret or anywhere else
    assert secret["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"  # before the migration


def test_no_secret_is_rendered_by_default() -> None:
    manifests = render()
    assert not by_kind(manifests, "Secret")
    app = named(manifests, "Deployment", "-app")["spec"]["template"]["spec"]
    secrets = next(v for v in app["volumes"] if v["name"] == "secrets")["secret"]
    assert secrets["secretName"] == "vptu-archive-service-secrets"  # <fullname>-secrets, made by the operator


def test_a_chart_secret_without_a_needed_value_is_refused() -> None:
    command = [tool("helm"), "template", "vptu", str(CHART), "--set", "secrets.create=true"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "thiếu khóa database-url" in done.stderr


def test_the_app_probes_healthz_and_readyz(rendered: list[Manifest]) -> None:
    [container] = named(rendered, "Deployment", "-app")["spec"]["template"]["spec"]["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz?require=catalog,blobs"
    assert container["args"][:4] == ["serve", "--host=0.0.0.0", "--port=8000", "--workers=0"]
    assert env_of(container)["ARCHIVE_WORKERS"] == "0"


def test_the_migration_is_a_pre_install_and_pre_upgrade_hook(rendered: list[Manifest]) -> None:
    [job] = by_kind(rendered, "Job")
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    [container] = job["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["db", "upgrade"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_the_autoscaler_targets_the_worker_deployment() -> None:
    manifests = render()
    worker = named(manifests, "Deployment", "-worker")
    [hpa] = by_kind(manifests, "HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": worker["metadata"]["name"],
    }
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
    assert "replicas" not in worker["spec"]  # the autoscaler owns the count
    [container] = worker["spec"]["template"]["spec"]["containers"]
    assert container["args"][0] == "worker"
    assert env_of(container)["OMP_THREAD_LIMIT"] == "1"
    assert worker["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= 900  # a whole-document OCR


def test_without_the_autoscaler_the_workers_have_a_fixed_count() -> None:
    manifests = render(CHART / "ci" / "existing-secret-ingress-values.yaml")
    assert not by_kind(manifests, "HorizontalPodAutoscaler")
    assert named(manifests, "Deployment", "-worker")["spec"]["replicas"] == 3


def test_index_and_storage_settings_reach_every_container() -> None:
    sets = (
        "elasticsearch.shards=5",
        "elasticsearch.replicas=2",
        "s3.endpoint=s3.vptu.example:9000",
        "s3.bucket=luu-tru-vptu",
        "s3.objectLock=false",
        "s3.secure=false",
        "s3.region=vn-hanoi-1",
    )
    manifests = render(sets=sets)
    expected = {
        "ARCHIVE_ES_SHARDS": "5",
        "ARCHIVE_ES_REPLICAS": "2",
        "ARCHIVE_S3_ENDPOINT": "s3.vptu.example:9000",
        "ARCHIVE_S3_BUCKET": "luu-tru-vptu",
        "ARCHIVE_S3_OBJECT_LOCK": "false",
        "ARCHIVE_S3_SECURE": "false",
        "ARCHIVE_S3_REGION": "vn-hanoi-1",
        "ARCHIVE_BLOB_BACKEND": "s3",
        "ARCHIVE_SEARCH_BACKEND": "elasticsearch",
        "ARCHIVE_ENVIRONMENT": "production",
    }
    pods = list(pod_specs(manifests))
    assert len(pods) == 3
    for name, spec in pods:
        for container in spec["containers"]:
            env = env_of(container)
            assert {k: env.get(k) for k in expected} == expected, name


def test_es_tls_ca_is_mounted_where_the_setting_points() -> None:
    manifests = render(CHART / "ci" / "existing-secret-ingress-values.yaml")
    spec = named(manifests, "Deployment", "-app")["spec"]["template"]["spec"]
    [container] = spec["containers"]
    path = Path(env_of(container)["ARCHIVE_ES_CA_CERTS"])
    mount = next(m for m in container["volumeMounts"] if m["mountPath"] == str(path.parent))
    volume = next(v for v in spec["volumes"] if v["name"] == mount["name"])
    assert volume["secret"]["secretName"] == "archive-es-http-certs-public"
    assert [item["path"] for item in volume["secret"]["items"]] == [path.name]
    assert "ARCHIVE_ES_API_KEY_FILE" in env_of(container) and "ARCHIVE_ES_PASSWORD_FILE" not in env_of(container)


def test_the_chart_holds_no_database_nor_stateful_set(rendered: list[Manifest]) -> None:
    kinds = {m["kind"] for m in rendered}
    allowed = {
        "Deployment",
        "Job",
        "Service",
        "ServiceAccount",
        "Secret",
        "HorizontalPodAutoscaler",
        "Ingress",
        "PodDisruptionBudget",
        "NetworkPolicy",
    }
    assert kinds <= allowed, kinds - allowed
    for name, spec in pod_specs(rendered):
        for container in spec["containers"]:
            image = container["image"].rsplit("/", 1)[-1]
            assert image.startswith("archive-service:"), (name, image)


def test_every_container_states_its_resources(rendered: list[Manifest]) -> None:
    for name, spec in pod_specs(rendered):
        for container in spec.get("initContainers", []) + spec["containers"]:
            resources = container["resources"]
            for part in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources[part]), (name, container["name"], part)


def test_the_worker_may_use_the_parse_budget() -> None:
    """ARCHIVE_PARSE_MEMORY_MB (1536) is what a parse may take: a worker limit below it would kill the pod."""
    manifests = render()
    [container] = named(manifests, "Deployment", "-worker")["spec"]["template"]["spec"]["containers"]
    limit = container["resources"]["limits"]["memory"]
    assert limit.endswith("Gi") and float(limit[:-2]) * 1024 > 1536


def kubeconform(manifest_text: str) -> subprocess.CompletedProcess[str]:
    """The validator the check runs (offline schemas, strict), on a manifest given on stdin."""
    tool("kubeconform")
    command = [sys.executable, str(CHECKER), "--kubernetes-version", "1.33.0"]
    return subprocess.run(command, input=manifest_text, capture_output=True, text=True, check=False)


def test_the_schema_check_passes_the_chart_and_rejects_a_broken_manifest() -> None:
    manifests = render()
    worker = named(manifests, "Deployment", "-worker")
    fine = kubeconform(yaml.safe_dump(worker))
    assert fine.returncode == 0, fine.stdout + fine.stderr
    assert "Valid: 1" in fine.stdout

    worker["spec"]["replicas"] = "two"
    wrong_type = kubeconform(yaml.safe_dump(worker))
    assert wrong_type.returncode != 0
    assert "/spec/replicas" in wrong_type.stdout

    del worker["spec"]["replicas"]
    worker["spec"]["template"]["spec"]["containers"][0]["restartEveryNight"] = True
    unknown_field = kubeconform(yaml.safe_dump(worker))
    assert unknown_field.returncode != 0
    assert "restartEveryNight" in unknown_field.stdout


def test_a_kind_without_a_schema_is_an_error_not_a_skip() -> None:
    manifest = {"apiVersion": "example.org/v1", "kind": "ArchiveBucket", "metadata": {"name": "x"}}
    done = kubeconform(yaml.safe_dump(manifest))
    assert done.returncode != 0
    assert "could not find schema" in done.stdout


def test_the_deploy_check_fails_on_a_chart_error(tmp_path: Path) -> None:
    """deploy/checks/helm.sh itself: it passes on the chart, and fails once a template renders an invalid field."""
    tool("helm")
    tool("kubeconform")
    check = REPO / "deploy" / "checks" / "helm.sh"
    assert subprocess.run(["bash", str(check)], capture_output=True, text=True, check=False).returncode == 0
    copy = tmp_path / "repo"
    shutil.copytree(CHART, copy / "deploy" / "helm" / "archive-service")
    shutil.copy(CHECKER, copy / "deploy" / "helm" / "kube_schemas.py")
    (copy / "deploy" / "checks").mkdir(parents=True)
    shutil.copy(check, copy / "deploy" / "checks" / "helm.sh")
    service = copy / "deploy" / "helm" / "archive-service" / "templates" / "service.yaml"
    service.write_text(service.read_text().replace("protocol: TCP", "protocol: TCP\n      weight: 3"))
    env = {**os.environ, "PATH": os.pathsep.join([str(TOOLS), str(Path(sys.executable).parent), os.environ["PATH"]])}
    broken = subprocess.run(
        ["bash", str(copy / "deploy" / "checks" / "helm.sh")], capture_output=True, text=True, env=env
    )
    assert broken.returncode != 0
    assert "weight" in broken.stdout + broken.stderr
