"""The real dagster-daemon and dagster-webserver from workspace.yaml, with Dagster's storage and the
business data on PostgreSQL: a signed webhook reaches `radar exposure` with no command typed."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from radar_pipeline.orchestration.instance import dagster_pg_url, instance_yaml
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.pipeline_support import se_payload
from radar_pipeline_tests.support import (
    DagsterServices,
    fresh_postgres_database,
    radar_env,
    require_postgres,
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
def stack(tmp_path_factory):
    require_postgres()
    tmp = tmp_path_factory.mktemp("stack")
    with fresh_postgres_database() as business, fresh_postgres_database() as plain_dagster_db:
        dagster_db = dagster_pg_url(plain_dagster_db)
        home = tmp / "dagster_home"
        home.mkdir()
        (home / "dagster.yaml").write_text(instance_yaml(postgres=True))
        maildir = tmp / "Maildir"
        for sub in ("new", "cur", "tmp"):
            (maildir / sub).mkdir(parents=True)
        extra = {
            "DAGSTER_HOME": str(home),
            "DAGSTER_PG_URL": dagster_db,
            "RADAR_REPORT_DIR": str(tmp / "reports"),
            "RADAR_OUTBOX_DIR": str(tmp / "outbox"),
            "RADAR_MAILDIR": str(maildir),
            "RADAR_NOTIFY_TO": "buyer@example.com",
            # everything here lands today: the daemon has two quiet days to catch up, not two years
            "RADAR_HISTORY_START": (datetime.now(UTC).date() - timedelta(days=2)).isoformat(),
        }
        imported = run_radar(["bom", "import", str(write_bom(tmp / "bom"))], business, tmp, **extra)
        assert imported.returncode == 0, imported.stderr
        services = DagsterServices(tmp, radar_env(business, **extra))
        try:
            with running_gateway(business, tmp) as gateway:
                yield {
                    "services": services,
                    "gateway": gateway,
                    "business": business,
                    "tmp": tmp,
                    "maildir": maildir,
                    "env": extra,
                    "dagster_db": plain_dagster_db,
                    "home": home,
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
    assert {"landing_sensor", "run_failure_alert", "inbox_sensor"} <= running


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


PIPELINE_ASSETS = {"parsed_documents", "notice_extractions", "bom_matches", "exposure"}
RUNS_QUERY = "{ runsOrError { ... on Runs { results { runId status } } } }"


def materializing_runs(dagster_db: str) -> dict[str, tuple[str, set[str], set[str]]]:
    """Read straight from Dagster's own tables: run id -> (status, assets materialized, partitions)."""
    with psycopg.connect(dagster_db) as conn:
        status = dict(conn.execute("SELECT run_id, status FROM runs").fetchall())
        events = conn.execute(
            "SELECT run_id, asset_key, partition FROM event_logs "
            "WHERE dagster_event_type = 'ASSET_MATERIALIZATION'"
        ).fetchall()
    runs: dict[str, tuple[str, set[str], set[str]]] = {}
    for run_id, asset_key, partition in events:
        _, assets, partitions = runs.setdefault(run_id, (status.get(run_id, "NOT IN runs"), set(), set()))
        assets.add("/".join(json.loads(asset_key)))
        partitions.add(partition)
    return runs


def test_runs_and_materializations_land_in_dagsters_postgres_tables(stack):
    """With DAGSTER_PG_URL set, the daemon's runs and their materializations are rows in PostgreSQL."""
    today = datetime.now(UTC).date().isoformat()
    body = json.dumps(se_payload("PDN-PG-TABLES", ["LM317T/NOPB"])).encode()
    r = httpx.post(f"{stack['gateway']}/webhooks/siliconexpert", content=body, headers=signed(body, "pg-1"))
    assert r.status_code == 202
    wait_for_notices(stack, {"PDN-PG-TABLES"})
    deadline = time.monotonic() + 120
    while True:
        runs = materializing_runs(stack["dagster_db"])
        done = {
            run_id: assets
            for run_id, (status, assets, partitions) in runs.items()
            if status == "SUCCESS" and assets >= PIPELINE_ASSETS and today in partitions
        }
        if done or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert done, f"no successful run materialized {PIPELINE_ASSETS} for {today}: {runs}"
    # the webserver, reading the same instance, lists exactly the runs in the table
    listed = stack["services"].graphql(RUNS_QUERY)["runsOrError"]["results"]
    with psycopg.connect(stack["dagster_db"]) as conn:
        in_table = {run_id for (run_id,) in conn.execute("SELECT run_id FROM runs")}
    assert {run["runId"] for run in listed} == in_table and set(done) <= in_table
    # and nothing went to SQLite beside it: DAGSTER_HOME holds no storage of its own
    assert not [p.name for p in stack["home"].rglob("*.db")]


def wait_for_notices(stack, numbers: set[str], timeout: float = 150) -> dict:
    deadline = time.monotonic() + timeout
    found: dict = {}
    while time.monotonic() < deadline:
        out = run_radar(["exposure", "--format", "json"], stack["business"], stack["tmp"], **stack["env"])
        if out.returncode == 0:
            found = {n["notice_number"]: n for n in json.loads(out.stdout)["notices"]}
            if numbers <= set(found):
                return found
        time.sleep(2)
    raise AssertionError(
        f"notices {numbers - set(found)} never appeared; daemon log: "
        + (stack["tmp"] / "daemon.log").read_text()[-3000:]
    )


def test_maildir_mail_becomes_exposure_and_one_notification_per_notice(stack):
    from radar_pipeline.demo.corpus import adi_forwarded_email, not_a_notice, ti_pdn_email

    for i, sample in enumerate((ti_pdn_email(), adi_forwarded_email(), not_a_notice())):
        tmp = stack["maildir"] / "tmp" / f"17{i}.M1P1.test"
        tmp.write_bytes(sample.data)
        tmp.rename(stack["maildir"] / "new" / tmp.name)  # the Maildir delivery protocol
    found = wait_for_notices(stack, {"PDN2026-1104", "PDN2401"})
    assert found["PDN2026-1104"]["total_ltb_cost"] > 0 and found["PDN2401"]["parts"]

    def outbox() -> list[str]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            mails = sorted(p.read_text() for p in (stack["tmp"] / "outbox").glob("*.eml"))
            if (
                sum("To: buyer@example.com" in m and ("PDN2401" in m or "PDN2026-1104" in m) for m in mails)
                >= 2
            ):
                return mails
            time.sleep(1)
        return mails

    mails = outbox()
    # the module's other tests send their own notices to the same outbox
    to_buyer = [m for m in mails if "To: buyer@example.com" in m and ("PDN2401" in m or "PDN2026-1104" in m)]
    assert sorted("PDN2026-1104" in m for m in to_buyer) == [False, True]  # one for each notice
    assert not any("QBR" in m for m in mails)
    assert run_radar(["process"], stack["business"], stack["tmp"], **stack["env"]).returncode == 0
    assert sorted(p.read_text() for p in (stack["tmp"] / "outbox").glob("*.eml")) == mails


def test_a_new_bom_refreshes_the_report_through_the_sensor(stack):
    reports = stack["tmp"] / "reports"
    before = set(reports.glob("exposure-*.html")) if reports.exists() else set()
    imported = run_radar(
        ["bom", "import", str(stack["tmp"] / "bom")], stack["business"], stack["tmp"], **stack["env"]
    )
    assert imported.returncode == 0, imported.stderr
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if set(reports.glob("exposure-*.html")) - before:
            return
        time.sleep(1)
    raise AssertionError(
        "no report after the BOM import: " + (stack["tmp"] / "daemon.log").read_text()[-2000:]
    )
