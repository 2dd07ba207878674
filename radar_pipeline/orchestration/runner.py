"""Running the asset graph from the command line, in the foreground, on the same definitions.

``radar process`` and ``radar replay`` run one in-process run per pending day;
``radar backfill`` runs a whole range as one run (the assets' single-run
backfill policy). Each shows up in the Dagster UI like a sensor-launched run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from radar_pipeline.config import Settings
from radar_pipeline.orchestration.instance import ensure_dagster_home

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"
Echo = Callable[[str], None]


@dataclass
class RunSummary:
    runs: int = 0
    failed: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=list)


def _instance(settings: Settings):
    from dagster import DagsterInstance

    ensure_dagster_home(settings.dagster_home)
    return DagsterInstance.get()


def _defs():
    from radar_pipeline.definitions import defs

    return defs


def _run(job, instance, summary: RunSummary, label: str, echo: Echo, **kwargs) -> None:
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=quiet, **kwargs)
    summary.runs += 1
    status = "ok" if result.success else "FAILED"
    if not result.success:
        summary.failed.append(label)
    echo(f"  {label}: {status} (run {result.run_id[:8]})")


def process_days(settings: Settings, days: list[date], echo: Echo) -> RunSummary:
    """One in-process run per day, then the report of all open notices."""
    instance, defs = _instance(settings), _defs()
    job = defs.resolve_job_def("process_landing_events")
    summary = RunSummary(days=sorted(days))
    for i, day in enumerate(summary.days, 1):
        echo(f"[{i}/{len(summary.days)}] partition {day}")
        _run(
            job,
            instance,
            summary,
            day.isoformat(),
            echo,
            partition_key=day.isoformat(),
            tags={"radar/trigger": "cli"},
        )
    if summary.days:
        echo("refreshing the exposure report")
        _run(defs.resolve_job_def("refresh_exposure_report"), instance, summary, "exposure_report", echo)
    return summary


def process_range(settings: Settings, first: date, last: date, echo: Echo) -> RunSummary:
    """A backfill of ``first``..``last`` as a single run."""
    instance, defs = _instance(settings), _defs()
    summary = RunSummary(days=[first, last])
    echo(f"backfilling {first} .. {last} as one run")
    _run(
        defs.resolve_job_def("process_landing_events"),
        instance,
        summary,
        f"{first}..{last}",
        echo,
        tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat(), "radar/trigger": "backfill"},
    )
    _run(defs.resolve_job_def("refresh_exposure_report"), instance, summary, "exposure_report", echo)
    return summary


def report_bom_import(settings: Settings, version: int, sha256: str, counts: dict) -> None:
    """Record the import as a materialization of the ``bom`` asset (lineage, and the BOM sensor fires)."""
    import dagster as dg

    _instance(settings).report_runless_asset_event(
        dg.AssetMaterialization(
            "bom",
            metadata={
                "bom_version": version,
                "content_sha256": sha256,
                **{k: int(v) for k, v in counts.items()},
            },
        )
    )
