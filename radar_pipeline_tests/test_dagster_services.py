"""The real dagster-daemon and dagster-webserver from workspace.yaml, with Dagster's storage and the
business data on PostgreSQL: a signed webhook reaches `radar exposure` with no command typed."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from radar_pipeline.orchestration.instance import dagster_pg_url, instance_yaml
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.pipeline_support import se_payload
from radar_pipeline_tests.support import (
    DagsterServices,
    fresh_postgres_database,
    radar_env,
    run_radar,
    running_gateway,
)
from radar_pipeline_tests.test_gateway import signed

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

GRAPH_QUERY = """
{ workspaceOrError { ... on Workspace { locationEntries { name locationOrLoadError { __typename
  ... on RepositoryLocation { repositories { name
      assetNodes { assetKey { path } isPartitioned dependencyKeys { path } }
      sensors { name sensorState { status } } } } } } } } }
"""


def longest_chain(nodes: list[dict]) -> int:
    deps = {
        "/".join(n["assetKey"]["path"]): ["/".join(d["path"]) for d in n["dependencyKeys"]] for n in nodes
    }

    def depth(key: str, seen=()) -> int:
        return 1 + max((depth(d, seen + (key,)) for d in deps.get(key, []) if d not in seen), default=0)

    return max(depth(k) for k in deps)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, request):
    from radar_pipeline_tests.support import postgres_available

    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable") if not __import__("os").environ.get("CI") else pytest.fail(
            "no PostgreSQL"
        )
    tmp = tmp_path_factory.mktemp("stack")
    with fresh_postgres_database() as business, fresh_postgres_database() as plain_dagster_db:
        dagster_db = dagster_pg_url(plain_dagster_db)
        home = tmp / "dagster_home"
        home.mkdir()
        (home / "dagster.yaml").write_text(instance_yaml(postgres=True))
        env = radar_env(
            business,
            DAGSTER_HOME=str(home),
            DAGSTER_PG_URL=dagster_db,
            RADAR_REPORT_DIR=str(tmp / "reports"),
            RADAR_OUTBOX_DIR=str(tmp / "outbox"),
        )
        assert (
            run_radar(
                ["bom", "import", str(write_bom(tmp / "bom"))],
                business,
                tmp,
                DAGSTER_HOME=str(home),
                DAGSTER_PG_URL=dagster_db,
            ).returncode
            == 0
        )
        services = DagsterServices(tmp, env)
        try:
            with running_gateway(business, tmp) as gateway:
                yield {
                    "services": services,
                    "gateway": gateway,
                    "business": business,
                    "tmp": tmp,
                    "home": home,
                    "dagster_db": dagster_db,
                }
        finally:
            services.stop()


def test_webserver_loads_the_code_location(stack):
    data = stack["services"].graphql(GRAPH_QUERY)
    (entry,) = data["workspaceOrError"]["locationEntries"]
    location = entry["locationOrLoadError"]
    assert location["__typename"] == "RepositoryLocation", location
    (repo,) = location["repositories"]
    nodes = repo["assetNodes"]
    assert longest_chain(nodes) >= 4
    assert sum(n["isPartitioned"] for n in nodes) >= 3
    running = {s["name"] for s in repo["sensors"] if s["sensorState"]["status"] == "RUNNING"}
    assert {"landing_sensor", "run_failure_alert"} <= running


def test_signed_webhook_reaches_exposure_with_no_command_typed(stack):
    body = json.dumps(se_payload("PDN-LIVE-1", ["LM317T/NOPB"])).encode()
    r = httpx.post(f"{stack['gateway']}/webhooks/siliconexpert", content=body, headers=signed(body, "live-1"))
    assert r.status_code == 202
    event_id = r.json()["event_id"]
    deadline = time.monotonic() + 120
    notice = None
    while time.monotonic() < deadline:
        out = run_radar(["exposure", "--format", "json"], stack["business"], stack["tmp"])
        notices = json.loads(out.stdout)["notices"] if out.returncode == 0 else []
        notice = next((n for n in notices if n["notice_number"] == "PDN-LIVE-1"), None)
        if notice:
            break
        time.sleep(1)
    assert notice is not None, (stack["tmp"] / "daemon.log").read_text()[-3000:]
    assert notice["source_event_id"] == event_id and notice["total_ltb_cost"] == 16700.0
    events = json.loads(run_radar(["events", "--format", "json"], stack["business"], stack["tmp"]).stdout)
    assert next(e for e in events if e["id"] == event_id)["status"] == "processed"
