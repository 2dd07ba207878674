"""docker-compose.yml, dagster.yaml and workspace files (no Docker engine here: checked as data)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml

from radar_pipeline.orchestration.instance import instance_yaml
from radar_pipeline_tests.support import REPO

BIN = Path(sys.executable).parent


def test_compose_has_every_process_with_runnable_commands():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "gateway", "web", "code-server", "webserver", "daemon"}
    for name in ("gateway", "web", "code-server", "webserver", "daemon"):
        svc = services[name]
        assert svc["build"] == "."
        program = svc["command"][0]
        assert shutil.which(program, path=str(BIN)), f"{name}: {program} is not installed by the package"
        env = svc["environment"]
        assert env["RADAR_DATABASE_URL"].startswith("postgresql://")
        assert env["DAGSTER_PG_URL"].startswith("postgresql://")  # one URL form (RadarPostgresStorage)
        if "-w" in svc["command"]:
            workspace = REPO / svc["command"][svc["command"].index("-w") + 1]
            grpc = yaml.safe_load(workspace.read_text())["load_from"][0]["grpc_server"]
            assert grpc["host"] == "code-server" and str(grpc["port"]) in services["code-server"]["command"]
    assert services["gateway"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    # the desk: `radar web`, its settings, published on the host's loopback only (it stays inside)
    web = services["web"]
    assert web["command"][:2] == ["radar", "web"] and "--port" in web["command"]
    assert {"RADAR_WEB_SECRET", "RADAR_WEB_USERS", "RADAR_WEB_TRUSTED_HEADER"} <= set(web["environment"])
    assert all(port.startswith("127.0.0.1:") for port in web["ports"])
    assert all(services[s]["environment"]["RADAR_PUBLIC_URL"] for s in ("daemon", "code-server", "web"))
    init = services["postgres"]["volumes"][1].split(":")[0]
    assert (REPO / init).read_text().strip().endswith("CREATE DATABASE dagster OWNER radar;")


def test_root_dagster_yaml_is_the_postgres_instance():
    assert (REPO / "dagster.yaml").read_text() == instance_yaml(postgres=True)
    config = yaml.safe_load(instance_yaml(postgres=True))
    storage = config["storage"]["custom"]
    assert (storage["module"], storage["class"]) == (
        "radar_pipeline.orchestration.storage",
        "RadarPostgresStorage",
    )
    assert storage["config"]["postgres_url"] == {"env": "DAGSTER_PG_URL"}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert "storage" not in yaml.safe_load(instance_yaml(postgres=False))


def test_workspace_loads_the_definitions_module():
    workspace = yaml.safe_load((REPO / "workspace.yaml").read_text())
    assert workspace["load_from"][0]["python_module"]["module_name"] == "radar_pipeline.definitions"


# ---- beyond one machine: deploy/ --------------------------------------------------------------

# The keys chart 1.13's values schema allows under runLauncher.config.k8sRunLauncher.
CHART_K8S_LAUNCHER_KEYS = {
    "image",
    "imagePullPolicy",
    "jobNamespace",
    "loadInclusterConfig",
    "kubeconfigFile",
    "envConfigMaps",
    "envSecrets",
    "envVars",
    "volumeMounts",
    "volumes",
    "labels",
    "resources",
    "schedulerName",
    "securityContext",
    "runK8sConfig",
    "failPodOnRunFailure",
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def k8s_launcher_config(values: dict, release: str = "radar", namespace: str = "radar") -> dict:
    """The K8sRunLauncher config the chart renders into the instance's dagster.yaml from ``values``."""
    k8s = values["runLauncher"]["config"]["k8sRunLauncher"]
    assert set(k8s) <= CHART_K8S_LAUNCHER_KEYS, set(k8s) - CHART_K8S_LAUNCHER_KEYS
    config = {  # what the chart fills in itself
        "instance_config_map": f"{release}-dagster-instance",
        "postgres_password_secret": f"{release}-postgresql-secret",
        "dagster_home": "/opt/dagster/dagster_home",
        "service_account_name": release,
        "job_namespace": namespace,
    }
    for key, value in k8s.items():
        if key in ("envSecrets", "envConfigMaps"):
            value = [v["name"] for v in value]
        elif key == "runK8sConfig":
            value = {_snake(k): v for k, v in value.items()}
        elif key == "image":
            key, value = "jobImage", f"{value['repository']}:{value['tag']}"
        config[_snake(key)] = value
    return config


def _schema_errors(launcher: type, config: dict) -> list[str]:
    from dagster._config import process_config, resolve_to_config_type

    result = process_config(resolve_to_config_type(launcher.config_type()), config)
    return [] if result.success else [e.message for e in result.errors]


def test_helm_values_run_radar_as_user_code_and_runs_on_the_k8s_launcher():
    from dagster_k8s import K8sRunLauncher

    values = yaml.safe_load((REPO / "deploy" / "helm" / "values.yaml").read_text())
    (user_code,) = values["dagster-user-deployments"]["deployments"]
    args = user_code["dagsterApiGrpcArgs"]
    assert args == ["--module-name", "radar_pipeline.definitions"]
    assert user_code["includeConfigInLaunchedRuns"]["enabled"] is True
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    config = k8s_launcher_config(values)
    assert _schema_errors(K8sRunLauncher, config) == []
    assert config["env_secrets"] == ["radar-env"] and config["fail_pod_on_run_failure"] is True
    # the chart writes its own storage config: its URL must name the driver dagster-postgres speaks
    assert values["postgresql"]["postgresqlScheme"] == "postgresql+psycopg2"
    # the schema bites: a misspelt key is refused
    assert _schema_errors(K8sRunLauncher, config | {"env_secret": ["radar-env"]})
    limits = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"][
        "tagConcurrencyLimits"
    ]
    root = yaml.safe_load((REPO / "dagster.yaml").read_text())
    assert limits == root["run_coordinator"]["config"]["tag_concurrency_limits"]


def test_docker_instance_runs_each_run_in_its_own_container(monkeypatch):
    import importlib

    from dagster_docker import DockerRunLauncher

    instance = yaml.safe_load((REPO / "deploy" / "docker" / "dagster.yaml").read_text())
    launcher = instance["run_launcher"]
    assert getattr(importlib.import_module(launcher["module"]), launcher["class"]) is DockerRunLauncher
    monkeypatch.setenv("RADAR_IMAGE", "ghcr.io/example/radar:0.1.0")  # what the deployment sets
    monkeypatch.setenv("RADAR_DOCKER_NETWORK", "radar_default")
    assert _schema_errors(DockerRunLauncher, launcher["config"]) == []
    assert _schema_errors(DockerRunLauncher, launcher["config"] | {"networkz": "radar"})
    monkeypatch.delenv("RADAR_IMAGE")
    assert any("RADAR_IMAGE" in e for e in _schema_errors(DockerRunLauncher, launcher["config"]))
    root = yaml.safe_load((REPO / "dagster.yaml").read_text())
    assert instance["storage"] == root["storage"] and instance["run_coordinator"] == root["run_coordinator"]
    compose_env = yaml.safe_load((REPO / "docker-compose.yml").read_text())["x-radar-env"]
    passed = {v.split("=")[0] for v in launcher["config"]["env_vars"]}
    assert {"RADAR_DATABASE_URL", "DAGSTER_PG_URL"} <= passed <= set(compose_env) | {"RADAR_IMAP_URL"}


def test_gateway_manifest_runs_replicas_of_the_gateway_command():
    deployment, service = yaml.safe_load_all((REPO / "deploy" / "k8s" / "gateway.yaml").read_text())
    assert deployment["kind"] == "Deployment" and deployment["spec"]["replicas"] > 1
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert container["command"] == compose["services"]["gateway"]["command"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert service["kind"] == "Service"
