"""A day's run reads its day, never the history (issue 15).

Every SELECT the partition run sends to the business database is recorded and
executed again afterwards to count the rows it returns. The same new day is run
on top of a short history and of a longer one: the statements and the rows they
return must be the same, whatever the history holds. A step that loads every
notice, match or exposure line ever stored returns more rows on the longer
history and fails the test.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import dagster as dg
from sqlalchemy import Engine, event, select

from radar_pipeline.db.schema import exposure_lines, notice_matches, notices
from radar_pipeline.orchestration.assets import PIPELINE_ASSETS
from radar_pipeline.orchestration.runner import RANGE_END, RANGE_START
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_webhook,
    materialize_day,
    resources,
    se_payload,
)

NEW_DAY = date(2026, 11, 2)
FIRST = date(2026, 10, 1)
HITS = ["LM317T/NOPB", "MAX3232CSE+T", "PIC16F1509-I/OT"]  # parts of the test BOM


def _land_day(engine, day: date, per_day: int = 3) -> None:
    for i in range(per_day):
        payload = se_payload(f"PDN-{day:%m%d}-{i}", [HITS[i % len(HITS)], f"OTHER-{day:%m%d}-{i}"])
        land_webhook(engine, payload, f"w-{day}-{i}", day)


@contextmanager
def _recorded_selects(url: str):
    """SELECT statements sent to the business database at ``url`` (not Dagster's storage)."""
    seen: list[tuple[str, object]] = []
    database = engine_for(url).url.database

    def record(conn, cursor, statement, parameters, context, executemany):
        if conn.engine.url.database == database and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def _rows_returned(engine, selects) -> list[int]:
    with engine.connect() as conn:
        return [len(conn.exec_driver_sql(s, p).all()) for s, p in selects]


def _new_day_after(history_days: int, database_url: str, tmp_path) -> tuple[list[str], list[int], int]:
    engine = engine_for(database_url)
    company(engine, tmp_path)
    last = FIRST + timedelta(days=history_days - 1)
    for i in range(history_days):
        _land_day(engine, FIRST + timedelta(days=i))
    job = dg.Definitions(
        assets=PIPELINE_ASSETS,
        resources=resources(database_url, tmp_path),
        jobs=[dg.define_asset_job("j", PIPELINE_ASSETS, executor_def=dg.in_process_executor)],
    ).resolve_job_def("j")
    history = job.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), tags={RANGE_START: str(FIRST), RANGE_END: str(last)}
    )
    assert history.success
    _land_day(engine, NEW_DAY)
    with _recorded_selects(database_url) as selects:
        assert materialize_day(database_url, tmp_path, NEW_DAY).success
    with engine.connect() as conn:
        stored = len(conn.execute(select(notices.c.id)).all())
        # the history is really there, matched and exposed: the day's run had something to ignore
        assert len(conn.execute(select(notice_matches.c.id)).all()) >= history_days * 3
        assert conn.execute(select(exposure_lines.c.id).where(exposure_lines.c.partition_day == FIRST)).all()
    return [s for s, _ in selects], _rows_returned(engine, selects), stored


def test_a_day_run_reads_the_same_rows_whatever_the_history(database_url, tmp_path):
    short, short_rows, short_notices = _new_day_after(1, database_url, tmp_path / "short")
    url = database_url.replace("radar.db", "radar-long.db") if database_url.startswith("sqlite") else None
    if url is None:  # PostgreSQL: a second fresh database for the longer history
        from radar_pipeline.harness.postgres import fresh_postgres_database

        with fresh_postgres_database() as url:
            long, long_rows, long_notices = _new_day_after(8, url, tmp_path / "long")
    else:
        long, long_rows, long_notices = _new_day_after(8, url, tmp_path / "long")

    assert long_notices == short_notices + 7 * 3  # eight days of history against one
    assert long == short  # the same statements ...
    assert long_rows == short_rows  # ... returning the same rows: nothing of the history is read
    assert sum(short_rows) > 0
