"""docker-compose.yml, dagster.yaml and workspace files (no Docker engine here: checked as data)."""

from __future__ import annotations

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
        assert env["DAGSTER_PG_URL"].startswith("postgresql+psycopg2://")
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
    assert config["storage"]["postgres"]["postgres_url"] == {"env": "DAGSTER_PG_URL"}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert "storage" not in yaml.safe_load(instance_yaml(postgres=False))


def test_workspace_loads_the_definitions_module():
    workspace = yaml.safe_load((REPO / "workspace.yaml").read_text())
    assert workspace["load_from"][0]["python_module"]["module_name"] == "radar_pipeline.definitions"
