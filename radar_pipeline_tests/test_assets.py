"""The asset graph materialized with dg.materialize on a real database (issue 5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import select

from radar_pipeline.db.schema import documents, exposure_lines, extractions, notice_matches, notices
from radar_pipeline.demo.corpus import adi_forwarded_email
from radar_pipeline.landing import LandingStore
from radar_pipeline.orchestration.assets import PIPELINE_ASSETS, exposure_report
from radar_pipeline.orchestration.runner import RANGE_END, RANGE_START
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_mail,
    land_webhook,
    materialize_day,
    resources,
    se_payload,
)

DAY = date(2026, 11, 2)


def materialize(database_url, tmp_path, day=DAY):
    return materialize_day(database_url, tmp_path, day)


def table(engine, t, *cols):
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(*[t.c[c] for c in cols])))


def test_a_day_flows_to_exposure_with_dead_letters_and_metadata(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    ok = land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)
    missing = land_webhook(
        engine, {k: v for k, v in se_payload("PDN2", ["X1"]).items() if k != "PCNNumber"}, "w2", DAY
    )
    garbage = land_webhook(engine, b"\xff not json", "w3", DAY)
    mail = land_mail(engine, adi_forwarded_email().data, "<adi>", DAY)
    other_day = land_webhook(engine, se_payload("PDN9", ["LM317T/NOPB"]), "w9", date(2026, 11, 3))

    result = materialize(database_url, tmp_path)
    assert result.success
    status = {e.id: e for e in LandingStore(engine).fetch([ok, missing, garbage, mail, other_day])}
    assert status[ok].status == status[mail].status == "processed"
    assert status[missing].status == "dead_letter" and "PCNNumber" in status[missing].reason
    assert status[garbage].status == "dead_letter" and "not valid JSON" in status[garbage].reason
    assert status[other_day].status == "received"  # another partition

    numbers = table(engine, notices, "notice_number", "source_event_id")
    assert numbers == [("PDN1", ok), ("PDN2401", mail)]
    lines = table(engine, exposure_lines, "part_id", "product_id", "ltb_qty", "ltb_cost", "source_event_id")
    assert ("U1", "P1", 13360.0, 16700.0, ok) in lines and ("U1", "P2", 13360.0, 16700.0, ok) in lines
    assert len(table(engine, documents, "event_id")) == 3 and len(table(engine, extractions, "event_id")) == 2

    meta = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert meta["parsed_documents"]["dead_letters"].value == 1
    assert meta["notice_extractions"]["dead_letters"].value == 1
    assert meta["exposure"]["total_ltb_cost"].value == 16700.0
    assert "| PDN1 |" in meta["exposure"]["top_exposures"].value
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks == {
        "every_event_settled": True,
        "totals_reconcile": True,
        "notices_complete": True,
        "changes_graded": True,
    }


def test_rematerializing_replaces_rows(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB", "MAX3232CSE+T"]), "w1", DAY)
    land_mail(engine, adi_forwarded_email().data, "<adi>", DAY)
    snapshot = []
    for _ in range(2):
        assert materialize(database_url, tmp_path).success
        snapshot.append(
            (
                table(
                    engine, notices, "notice_number", "manufacturer", "last_time_buy_date", "source_event_id"
                ),
                table(engine, notice_matches, "mpn", "part_id", "match_type"),
                table(
                    engine,
                    exposure_lines,
                    "part_id",
                    "product_id",
                    "match_type",
                    "ltb_qty",
                    "ltb_cost",
                    "revenue_at_risk",
                ),
                len(table(engine, extractions, "event_id")),
            )
        )
    assert snapshot[0] == snapshot[1]
    assert ("MAX3232CSE+T", "U3", "family") in snapshot[0][1]


def test_a_notice_arriving_again_updates_the_earlier_one(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"], ltb="2027-03-15"), "w1", DAY)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"], ltb="2027-06-15"), "w2", date(2026, 11, 5))
    assert materialize(database_url, tmp_path, date(2026, 11, 5)).success
    assert materialize(database_url, tmp_path, DAY).success  # the older event, processed later
    assert table(engine, notices, "notice_number", "last_time_buy_date") == [("PDN1", date(2027, 6, 15))]


def test_a_range_is_one_run(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    for i in range(3):
        land_webhook(engine, se_payload(f"PDN{i}", ["LM317T/NOPB"]), f"w{i}", date(2026, 11, 2 + i))
    instance = dg.DagsterInstance.ephemeral()
    job = dg.Definitions(
        assets=PIPELINE_ASSETS,
        resources=resources(database_url, tmp_path),
        jobs=[dg.define_asset_job("j", PIPELINE_ASSETS, executor_def=dg.in_process_executor)],
    ).resolve_job_def("j")
    result = job.execute_in_process(
        instance=instance, tags={RANGE_START: "2026-11-02", RANGE_END: "2026-11-04"}
    )
    assert result.success
    assert len(instance.get_runs()) == 1
    assert [n for (n,) in table(engine, notices, "notice_number")] == ["PDN0", "PDN1", "PDN2"]
    assert {e["status"] for e in LandingStore(engine).list_events()} == {"processed"}


def test_exposure_report_asset_writes_html(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)
    materialize(database_url, tmp_path)
    result = dg.materialize([exposure_report], resources=resources(database_url, tmp_path))
    (event,) = result.get_asset_materialization_events()
    path = event.materialization.metadata["report"].value
    assert path.endswith(".html") and "PDN1" in Path(path).read_text()
    assert event.materialization.metadata["total_ltb_cost"].value == 16700.0


@pytest.fixture
def failed_run(tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    broken = resources("postgresql://nobody@127.0.0.1:1/none", tmp_path)
    job = dg.Definitions(
        assets=PIPELINE_ASSETS,
        resources=broken,
        jobs=[dg.define_asset_job("j", PIPELINE_ASSETS, executor_def=dg.in_process_executor)],
    ).resolve_job_def("j")
    result = job.execute_in_process(instance=instance, partition_key="2026-11-02", raise_on_error=False)
    assert not result.success
    return instance, result


def test_run_failure_alert_goes_through_the_notifier(failed_run, tmp_path):
    from radar_pipeline.orchestration.resources import NotifierResource
    from radar_pipeline.orchestration.sensors import run_failure_alert

    instance, result = failed_run
    context = dg.build_run_status_sensor_context(
        sensor_name="run_failure_alert",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
    ).for_run_failure()
    run_failure_alert(
        context, notifier=NotifierResource(outbox_dir=str(tmp_path / "alerts"), recipients="ops@example.com")
    )
    (mail,) = (tmp_path / "alerts").glob("*.eml")
    text = mail.read_text()
    assert "run failed: j" in text and "2026-11-02" in text and "ops@example.com" in text


def test_the_report_computed_in_chunks_of_notices_equals_it_computed_at_once(sqlite_url, tmp_path):
    """The report of every open notice is computed a chunk of notices at a time (bounded memory);
    the chunks must add up to the same report, order and warnings included."""
    from radar_pipeline.exposure.service import current_exposure

    engine = engine_for(sqlite_url)
    company(engine, tmp_path)
    for i, (mpns, ltb) in enumerate(
        [(["LM317T/NOPB"], "2027-03-15"), (["MAX3232CSE+T", "LM317T/NOPB"], "2027-01-31"), (["X9"], None)]
    ):
        land_webhook(engine, se_payload(f"PDN{i}", mpns, ltb), f"w{i}", DAY)
    assert materialize(sqlite_url, tmp_path).success
    at_once = current_exposure(engine, 0.1, DAY, chunk=1000)
    assert [n["notice_number"] for n in at_once["notices"]] == ["PDN1", "PDN0", "PDN2"]
    assert current_exposure(engine, 0.1, DAY, chunk=1) == at_once
