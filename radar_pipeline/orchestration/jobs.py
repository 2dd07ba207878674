"""Jobs: the event path runs in-process (no subprocess per step) for seconds-level latency."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import dagster as dg

from radar_pipeline.orchestration.assets import PIPELINE_ASSETS, exposure_report
from radar_pipeline.orchestration.lanes import HISTORY, REPORT
from radar_pipeline.orchestration.partitions import daily
from radar_pipeline.orchestration.resources import RadarDatabase
from radar_pipeline.orchestration.runner import RANGE_END, RANGE_START

process_landing_events = dg.define_asset_job(
    "process_landing_events",
    selection=PIPELINE_ASSETS,
    partitions_def=daily,
    executor_def=dg.in_process_executor,
    tags={"radar/writes": "notices"},  # one at a time (dagster.yaml): runs of a day never interleave
    description="Landing events of a day (or a range, as one run) through to exposure.",
)

refresh_exposure_report = dg.define_asset_job(
    "refresh_exposure_report",
    selection=[exposure_report],
    executor_def=dg.in_process_executor,
    tags=REPORT,  # below fresh runs, one background run at a time (dagster.yaml)
    description="The current exposure of every open notice, after new notices or a new BOM.",
)

daily_report = dg.ScheduleDefinition(
    job=refresh_exposure_report,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Days to last-time buy change every day: refresh the report each morning.",
)


def _reextract_settings() -> tuple[str, int]:
    from radar_pipeline.config import get_settings

    s = get_settings()
    return s.reextract_cron, s.reextract_days


REEXTRACT_CRON, REEXTRACT_DAYS = _reextract_settings()


def range_runs(
    days: list[date], run_key: Callable[[date, date], str], tags: dict[str, str], longest: int | None = None
) -> list:
    """One single-run backfill of ``process_landing_events`` per contiguous range of ``days``
    (of at most ``longest`` days)."""
    from radar_pipeline.pipeline.history import contiguous_ranges

    return [
        dg.RunRequest(
            run_key=run_key(first, last),
            tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat(), **tags},
        )
        for first, last in contiguous_ranges(days, longest)
    ]


@dg.schedule(
    job=process_landing_events,
    cron_schedule=REEXTRACT_CRON,
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Days read by an older extractor version are read again, oldest first, "
    f"at most RADAR_REEXTRACT_DAYS ({REEXTRACT_DAYS}) a night, each contiguous range as one run; "
    "analysts' corrections are applied again on top.",
)
def reextract_stale_days(context: dg.ScheduleEvaluationContext, database: RadarDatabase):
    from radar_pipeline.extraction.version import extractor_version
    from radar_pipeline.pipeline.history import stale_days

    version = extractor_version()
    days = stale_days(database.engine(), version, REEXTRACT_DAYS)
    if not days:
        return dg.SkipReason(f"every day is read by extractor {version}")
    tick = datetime.now(UTC).strftime("%Y%m%dT%H%M")  # one request per range and tick
    return range_runs(
        days,
        lambda first, last: f"reextract:{version}:{first}:{last}:{tick}",
        {"radar/trigger": "reextract", "radar/extractor_version": version, **HISTORY},
    )
