"""Daily partitions by received date (UTC); notices are rows inside a day, not partitions.

Dagster advises at most ~25,000 partitions per asset; one per day since 2015 is
about 4,000. ``end_offset=1`` makes today's partition exist today.
"""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg

from radar_pipeline.landing.days import FIRST_DAY, clamp_day

__all__ = ["clamp_day", "daily", "days_of"]

daily = dg.DailyPartitionsDefinition(start_date=FIRST_DAY.isoformat(), end_offset=1, timezone="UTC")


def days_of(context) -> list[date]:
    """Every day a run covers: one partition, or a range in a single-run backfill."""
    window = context.partition_time_window
    first, end = window.start.date(), window.end.date()
    return [first + timedelta(days=i) for i in range((end - first).days)]
