"""Jobs: the event path runs in-process (no subprocess per step) for seconds-level latency."""

from __future__ import annotations

import dagster as dg

from radar_pipeline.orchestration.assets import PIPELINE_ASSETS, exposure_report
from radar_pipeline.orchestration.partitions import daily

process_landing_events = dg.define_asset_job(
    "process_landing_events",
    selection=PIPELINE_ASSETS,
    partitions_def=daily,
    executor_def=dg.in_process_executor,
    description="Landing events of a day (or a range, as one run) through to exposure.",
)

refresh_exposure_report = dg.define_asset_job(
    "refresh_exposure_report",
    selection=[exposure_report],
    executor_def=dg.in_process_executor,
    description="The current exposure of every open notice, after new notices or a new BOM.",
)

daily_report = dg.ScheduleDefinition(
    job=refresh_exposure_report,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Days to last-time buy change every day: refresh the report each morning.",
)
