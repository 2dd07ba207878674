"""One URL: a plain ``postgresql://`` DAGSTER_PG_URL — the form every other tool takes — works for a
``dagster-daemon`` and ``dagster-webserver`` started by hand, run workers included (no ``+psycopg2`` to
remember)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from radar_pipeline.harness.postgres import postgres_deployment
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.support import (
    DagsterServices,
    radar_env,
    require_postgres,
    run_radar,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def run_statuses(dagster_db: str) -> list[tuple[str, str]]:
    with psycopg.connect(dagster_db) as conn:
        try:
            return conn.execute("SELECT pipeline_name, status FROM runs ORDER BY id").fetchall()
        except psycopg.errors.UndefinedTable:  # the daemon has not made its tables yet
            return []


def test_a_daemon_and_webserver_started_by_hand_with_a_plain_url_run_to_success(tmp_path):
    require_postgres()
    with postgres_deployment(tmp_path) as (business, dagster):
        dagster_db = dagster["DAGSTER_PG_URL"]
        assert dagster_db.startswith("postgresql://")  # plain: no driver named
        extra = dagster | {
            "RADAR_REPORT_DIR": str(tmp_path / "reports"),
            "RADAR_OUTBOX_DIR": str(tmp_path / "outbox"),
            # yesterday is over and quiet: the daemon's first tick asks for a run of it
            "RADAR_HISTORY_START": (datetime.now(UTC).date() - timedelta(days=1)).isoformat(),
        }
        imported = run_radar(["bom", "import", str(write_bom(tmp_path / "bom"))], business, tmp_path, **extra)
        assert imported.returncode == 0, imported.stderr
        services = DagsterServices(tmp_path, radar_env(business, **extra))
        try:
            deadline = time.monotonic() + 240
            statuses = run_statuses(dagster_db)
            while time.monotonic() < deadline and ("process_landing_events", "SUCCESS") not in statuses:
                assert not any(s == "FAILURE" for _, s in statuses), statuses
                time.sleep(1)
                statuses = run_statuses(dagster_db)
            # the webserver reads the same storage through the same plain URL
            shown = services.graphql("{ runsOrError { ... on Runs { results { jobName status } } } }")
        finally:
            services.stop()
        log = (tmp_path / "daemon.log").read_text(errors="replace")
        assert ("process_landing_events", "SUCCESS") in statuses, f"runs: {statuses}\n{log[-3000:]}"
        assert "syntax error" not in log, log[-3000:]
        runs = shown["runsOrError"]["results"]
        assert {"jobName": "process_landing_events", "status": "SUCCESS"} in runs, runs
