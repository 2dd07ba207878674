"""Daily partitions by received date (UTC); notices are rows inside a day, not partitions.

The first partition is ``RADAR_HISTORY_START`` (default: 1 January of the current
year, UTC), read when the code location loads, like the re-extraction cron in
``jobs.py``: the UI then shows the days the radar covers, not years before it
existed. ``end_offset=1`` makes today's partition exist today.
"""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg

from radar_pipeline.clock import utc_today
from radar_pipeline.config import get_settings

__all__ = ["FIRST_DAY", "daily", "days_of"]


def _first_day() -> date:
    first = get_settings().first_day
    if first > utc_today():
        raise ValueError(
            f"RADAR_HISTORY_START={first.isoformat()} is after today ({utc_today().isoformat()}, UTC): "
            "the first daily partition cannot be in the future"
        )
    return first


FIRST_DAY = _first_day()
daily = dg.DailyPartitionsDefinition(start_date=FIRST_DAY.isoformat(), end_offset=1, timezone="UTC")


def days_of(context) -> list[date]:
    """Every day a run covers: one partition, or a range in a single-run backfill."""
    window = context.partition_time_window
    first, end = window.start.date(), window.end.date()
    return [first + timedelta(days=i) for i in range((end - first).days)]
