"""The real dagster-daemon and webserver (storage on PostgreSQL): a correction re-materializes its day
with no command typed, the UI shows the review check as WARN and older extractor versions as stale,
and the nightly re-extraction schedule (here: every minute) brings them up to date — the correction kept."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from radar_pipeline.db import open_database
from radar_pipeline.db.schema import extraction_days
from radar_pipeline.extraction.version import EXTRACTOR_VERSION
from radar_pipeline.harness.postgres import postgres_deployment
from radar_pipeline_tests import review_support as mails
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.support import (
    DagsterServices,
    radar_env,
    require_postgres,
    run_radar,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
DAY = "2026-11-02"

NODE = """
{ assetNodeOrError(assetKey: {path: ["notice_extractions"]}) { ... on AssetNode {
    staleStatusByPartition(partitions: ["%(day)s"])
    staleCausesByPartition(partitions: ["%(day)s"]) { reason category }
    assetMaterializations(partitions: ["%(day)s"], limit: 1) {
      runId metadataEntries { label ... on TextMetadataEntry { text } ... on MarkdownMetadataEntry { mdStr } } }
} }
  assetCheckExecutions(assetKey: {path: ["notice_extractions"]}, checkName: "notices_complete", limit: 10) {
    status partition evaluation { partition severity success
      metadataEntries { label ... on MarkdownMetadataEntry { mdStr } } } }
}
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_postgres()
    tmp = tmp_path_factory.mktemp("review-stack")
    with postgres_deployment(tmp, driver_in_url=True) as (business, dagster):
        env = dagster | {
            "RADAR_REPORT_DIR": str(tmp / "reports"),
            "RADAR_OUTBOX_DIR": str(tmp / "outbox"),
            "RADAR_NOTIFY_TO": "buyer@example.com",
            "RADAR_REVIEW_NOTIFY_TO": "analyst@example.com",
            "RADAR_REEXTRACT_CRON": "* * * * *",  # nightly in production; every minute here
            "RADAR_REEXTRACT_DAYS": "5",
            # the daemon catches up quiet days from here on: a few weeks, not the session's two years
            "RADAR_HISTORY_START": "2026-11-01",
        }
        assert run_radar(["bom", "import", str(write_bom(tmp / "bom"))], business, tmp, **env).returncode == 0
        yield {"business": business, "tmp": tmp, "env": env}


def radar(stack, *args, **extra):
    out = run_radar(list(args), stack["business"], stack["tmp"], **(stack["env"] | extra))
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def node(services: DagsterServices) -> dict:
    data = services.graphql(NODE % {"day": DAY})
    return data["assetNodeOrError"] | {"check": data["assetCheckExecutions"]}


def entries(materialization: dict) -> dict:
    return {e["label"]: e.get("text") or e.get("mdStr") for e in materialization["metadataEntries"]}


def wait_for(what: str, check, tmp, timeout: float = 180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(2)
    raise AssertionError(f"{what} did not happen; daemon log: " + (tmp / "daemon.log").read_text()[-3000:])


def test_correction_rematerializes_and_older_versions_are_reextracted(stack):
    tmp = stack["tmp"]
    (tmp / "notice.eml").write_bytes(mails.attachment_missing())
    other = mails.listed_notice(
        "PDN-2611-11", "l11@ti.com", "Tue, 03 Nov 2026 09:00:00 +0000", ["TPS54331DR"]
    )
    (tmp / "other.eml").write_bytes(other)
    radar(stack, "ingest", str(tmp / "notice.eml"), str(tmp / "other.eml"))
    # history read by an older extractor (the operator's tag stands in for last release's version)
    radar(stack, "process", RADAR_EXTRACTOR_TAG="older")
    (item,) = json.loads(radar(stack, "review", "--format", "json"))
    assert item["notice_number"] == mails.NUMBER and any("attached spreadsheet" in r for r in item["reasons"])
    told = [p.read_text() for p in (tmp / "outbox").glob("*.eml")]
    assert [m for m in told if "analyst@example.com" in m and "[radar review]" in m]  # analysts were told

    env = radar_env(stack["business"], **stack["env"])
    ui = DagsterServices(tmp, env, daemon=False)
    daemon = None
    try:
        seen = node(ui)
        assert seen["staleStatusByPartition"] == ["STALE"]
        assert any("code version" in c["reason"] for c in seen["staleCausesByPartition"][0])
        # the latest evaluation, as the UI shows it: the whole queue (the later, complete day included)
        evaluation = next((c["evaluation"] for c in seen["check"] if c["evaluation"]), None)
        assert evaluation, seen["check"]
        assert evaluation["severity"] == "WARN" and evaluation["success"] is False
        assert mails.NUMBER in entries(evaluation)["needs_review"]

        radar(
            stack,
            "correct",
            mails.NUMBER,
            "--part",
            "LM317T/NOPB",
            "--by",
            "alice",
            "--note",
            "from the xlsx",
        )
        daemon = DagsterServices(tmp, env, webserver=False)

        def corrected():
            report = json.loads(radar(stack, "exposure", "--format", "json"))
            notice = next(n for n in report["notices"] if n["notice_number"] == mails.NUMBER)
            return notice if notice["parts"] else None

        notice = wait_for("the correction's re-materialization", corrected, tmp)
        assert notice["parts"][0]["part_id"] == "U1" and notice["total_ltb_cost"] == 12300.0
        assert notice["corrected_by"] == "alice" and notice["review"] == "corrected"
        assert json.loads(radar(stack, "review", "--format", "json")) == []

        # the scheduled re-extraction reads every older day with the current version
        engine = open_database(stack["business"])

        def versions():
            with engine.connect() as conn:
                rows = conn.execute(select(extraction_days.c.extractor_version)).scalars().all()
            # the two days with documents, and the quiet days the empty-days sensor materialized
            return len(rows) >= 2 and set(rows) == {EXTRACTOR_VERSION}

        wait_for("the scheduled re-extraction", versions, tmp, timeout=200)
        wait_for(
            "fresh partitions in the UI", lambda: node(ui)["staleStatusByPartition"] == ["FRESH"], tmp, 60
        )
        seen = node(ui)
        meta = entries(seen["assetMaterializations"][0])
        assert meta["corrected_by"] == "alice" and "from the xlsx" in meta["review_decisions"]
        assert meta["extractor_version"] == EXTRACTOR_VERSION
        notice = corrected()
        assert [p["mpn"] for p in notice["parts"]] == ["LM317T/NOPB"] and notice["corrected_by"] == "alice"
        runs = ui.graphql("{ runsOrError { ... on Runs { results { tags { key value } } } } }")
        triggers = [
            {t["key"]: t["value"] for t in r["tags"]}.get("radar/trigger")
            for r in runs["runsOrError"]["results"]
        ]
        assert "review" in triggers and "reextract" in triggers, triggers
        to_buyer = [p.read_text() for p in (tmp / "outbox").glob("*.eml")]
        to_buyer = [m for m in to_buyer if "To: buyer@example.com" in m]
        assert len(to_buyer) == 1 and mails.NUMBER in to_buyer[0]  # once, when the correction touched the BOM
    finally:
        if daemon:
            daemon.stop()
        ui.stop()
