"""Dagster's floor: a code location with nothing of Radar's in it, beside Radar's in the latency bench.

One asset that does nothing, an in-process job like ``process_landing_events``, and a sensor as quick
as the landing sensor that asks for a run whenever the bench writes a new token to the file named by
``BENCH_FLOOR_TRIGGER``. Its runs go through the same daemon, queue, launcher and storage as Radar's,
so what they cost is what Dagster costs on this box.
"""

import os
from pathlib import Path

import dagster as dg


@dg.asset
def floor_asset() -> dg.MaterializeResult:
    return dg.MaterializeResult()


floor_job = dg.define_asset_job(
    "floor_job", selection=[floor_asset], executor_def=dg.in_process_executor, tags={"dagster/priority": "10"}
)


@dg.sensor(job=floor_job, minimum_interval_seconds=1, default_status=dg.DefaultSensorStatus.RUNNING)
def floor_sensor(context: dg.SensorEvaluationContext):
    trigger = Path(os.environ["BENCH_FLOOR_TRIGGER"])
    token = trigger.read_text().strip() if trigger.exists() else ""
    if not token or token == context.cursor:
        return dg.SkipReason("no new token")
    context.update_cursor(token)
    return dg.RunRequest(run_key=token)


defs = dg.Definitions(assets=[floor_asset], jobs=[floor_job], sensors=[floor_sensor])
