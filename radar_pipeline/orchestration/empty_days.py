"""Days without events are materialized as empty once they are over.

Then the asset's partition view reads plainly: materialized = processed (with notices
or without), missing = not processed yet, a gap to look at. Each contiguous range of
such days is a few single-run backfills of two weeks each: a year of quiet days costs 27 runs, and
a new event's run, which goes before them in the queue (``lanes.HISTORY``), waits for one such run at most.
"""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg

from radar_pipeline.clock import utc_today
from radar_pipeline.orchestration.assets import PIPELINE_ASSETS
from radar_pipeline.orchestration.jobs import process_landing_events, range_runs
from radar_pipeline.orchestration.lanes import HISTORY
from radar_pipeline.orchestration.partitions import FIRST_DAY
from radar_pipeline.orchestration.resources import RadarDatabase

# Runs of the notice pipeline go one at a time (the radar/writes limit), so a catch-up run holds
# back a new event's run until it ends: two weeks of quiet days are a few seconds, a year minutes. A run
# costs mostly its launch, so shorter chunks only multiply launches (a fresh start's catch-up).
EMPTY_DAYS_PER_RUN = 14


def unprocessed_quiet_days(
    first: date, last: date, processed: set[date], with_events: set[date]
) -> list[date]:
    """Days of ``first``..``last`` with no event and not yet processed, oldest first."""
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [d for d in days if d not in processed and d not in with_events]


def _processed_days(instance: dg.DagsterInstance) -> set[date]:
    """Days every pipeline asset has a materialization of."""
    keys = [instance.get_materialized_partitions(a.key) for a in PIPELINE_ASSETS]
    return {date.fromisoformat(k) for k in set.intersection(*keys)}


@dg.sensor(
    job=process_landing_events,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Past days with no landing event and no materialization are materialized as empty, "
    "two weeks of each contiguous range per run, so a missing partition means a day not processed yet.",
)
def empty_days_sensor(context: dg.SensorEvaluationContext, database: RadarDatabase):
    """Run key = the range: a tick repeated while its run is queued asks for nothing new; a failed
    range is asked for again once the next day is over and the range has grown."""
    from radar_pipeline.landing import LandingStore

    last = utc_today() - timedelta(days=1)
    if last < FIRST_DAY:
        return dg.SkipReason(f"no day since the first partition ({FIRST_DAY}) is over yet")
    with_events = LandingStore(database.engine()).days_with_events(FIRST_DAY, last)
    days = unprocessed_quiet_days(FIRST_DAY, last, _processed_days(context.instance), with_events)
    if not days:
        return dg.SkipReason(f"every past day from {FIRST_DAY} is processed or has events")
    return range_runs(
        days,
        lambda first, last: f"empty-days:{first}:{last}",
        {"radar/trigger": "empty-days", **HISTORY},  # queued runs of days with events go first
        longest=EMPTY_DAYS_PER_RUN,
    )
