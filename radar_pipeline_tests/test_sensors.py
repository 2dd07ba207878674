"""The landing sensor with build_sensor_context: cursor, run keys, late events, empty ticks."""

from __future__ import annotations

import threading
import time
from datetime import date

import dagster as dg
import pytest

from radar_pipeline.orchestration.resources import LlmResource, RadarDatabase
from radar_pipeline.orchestration.sensors import landing_sensor
from radar_pipeline_tests.pipeline_support import engine_for, land_webhook, se_payload


@pytest.fixture(autouse=True)
def one_look_per_tick(monkeypatch):
    """These tests are about what a tick asks for; the wait for events has its own test."""
    monkeypatch.setenv("RADAR_LANDING_WAIT", "0")


def tick(database_url, cursor):
    with dg.build_sensor_context(  # a context manager: the database resource opens and closes its engine
        instance=dg.DagsterInstance.ephemeral(),
        cursor=cursor,
        resources={"database": RadarDatabase(url=database_url), "llm": LlmResource()},
    ) as ctx:
        return landing_sensor(ctx), ctx.cursor


def test_cursor_run_keys_late_events_and_empty_ticks(sqlite_url):
    engine = engine_for(sqlite_url)
    result, cursor = tick(sqlite_url, None)
    assert isinstance(result, dg.SkipReason) and cursor is None
    a = land_webhook(engine, se_payload("P1", ["A1"]), "1", date(2026, 11, 2))
    b = land_webhook(engine, se_payload("P2", ["A1"]), "2", date(2026, 11, 2))
    c = land_webhook(engine, se_payload("P3", ["A1"]), "3", date(2026, 11, 3))
    requests, cursor = tick(sqlite_url, None)
    assert [(r.partition_key, r.run_key) for r in requests] == [
        ("2026-11-02", f"2026-11-02:{b}"),
        ("2026-11-03", f"2026-11-03:{c}"),
    ]
    assert cursor == str(c) and a < b < c
    # the same tick again (e.g. a retried tick that kept the old cursor) asks for the same run keys
    again, _ = tick(sqlite_url, None)
    assert [r.run_key for r in again] == [r.run_key for r in requests]
    # nothing new: skip, cursor kept
    result, same = tick(sqlite_url, cursor)
    assert isinstance(result, dg.SkipReason) and same == cursor
    # a late event for a past day gets that day's partition
    late = land_webhook(engine, se_payload("P4", ["A1"]), "4", date(2026, 10, 1))
    requests, cursor = tick(sqlite_url, cursor)
    assert [(r.partition_key, r.run_key) for r in requests] == [("2026-10-01", f"2026-10-01:{late}")]
    assert cursor == str(late)


def test_events_before_the_first_partition_get_no_run_and_a_warning_naming_the_setting(sqlite_url):
    """RADAR_HISTORY_START moved later after events landed: no run is asked for a day that is no
    partition (the old sensor asked for the first day's run, which never read them)."""
    from radar_pipeline.orchestration.partitions import FIRST_DAY

    engine = engine_for(sqlite_url)
    old = land_webhook(engine, se_payload("OLD", ["A1"]), "old", date(FIRST_DAY.year - 1, 6, 1))
    new = land_webhook(engine, se_payload("NEW", ["A1"]), "new", date(2026, 11, 2))
    with dg.build_sensor_context(
        instance=dg.DagsterInstance.ephemeral(),
        resources={"database": RadarDatabase(url=sqlite_url), "llm": LlmResource()},
    ) as ctx:
        requests = landing_sensor(ctx)
        cursor = ctx.cursor
    assert [(r.partition_key, r.run_key) for r in requests] == [("2026-11-02", f"2026-11-02:{new}")]
    assert cursor == str(max(old, new))


def test_a_tick_keeps_looking_and_hands_over_an_event_landing_while_it_waits(sqlite_url, monkeypatch):
    """Dagster's daemon starts a sensor tick every 5 s at most; the landing tick keeps looking for
    RADAR_LANDING_WAIT seconds, so an event landing meanwhile gets its run request at once."""
    engine = engine_for(sqlite_url)
    monkeypatch.setenv("RADAR_LANDING_WAIT", "0.8")
    t0 = time.monotonic()
    result, cursor = tick(sqlite_url, None)
    assert isinstance(result, dg.SkipReason) and cursor is None
    assert 0.6 <= time.monotonic() - t0 < 3  # nothing new: the whole wait, then a skip

    monkeypatch.setenv("RADAR_LANDING_WAIT", "20")
    landed = {}
    lander = threading.Timer(
        0.5,
        lambda: landed.setdefault(
            "id", land_webhook(engine, se_payload("P1", ["A1"]), "1", date(2026, 11, 2))
        ),
    )
    t0 = time.monotonic()
    lander.start()
    requests, cursor = tick(sqlite_url, None)
    lander.join()
    assert time.monotonic() - t0 < 5  # handed over on landing, not at the end of the 20 s wait
    assert [(r.partition_key, r.run_key) for r in requests] == [("2026-11-02", f"2026-11-02:{landed['id']}")]
    assert cursor == str(landed["id"])
