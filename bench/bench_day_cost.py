"""The cost of one new day must not grow with history (issue 15).

Two databases with the same company (a 200,000-line BOM): one with no notice yet,
one holding a processed year (365 days × 100 notices, landed and run through the
asset graph as one single-run backfill, which is timed too: BENCHMARKS.md c). Then,
alternately in each, a new day of 100 notices is landed and its partition run in
process (`process_landing_events`, every asset of the day: landing → documents →
extractions → matches → exposure → notifications). Printed: the median run time
of the new days on each side and the ratio. Goal: year ≤ 1.25 × empty, and ≤ 2 s.

Run: ``.venv/bin/python -m bench.bench_day_cost [--history-days 365] [--new-days 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.bench_backfill import land_year

FIRST = date(2025, 1, 1)


def _database(tmp: Path, name: str, bom):
    from radar_pipeline.bom.importer import ReadResult
    from radar_pipeline.bom.store import replace_bom
    from radar_pipeline.db import open_database

    url = f"sqlite:///{tmp / name}.db"
    engine = open_database(url)
    replace_bom(engine, ReadResult(bom, "bench", "bench"))
    return url, engine


def _run_day(job, instance, url: str, day: date, quiet: dict) -> float:
    os.environ["RADAR_DATABASE_URL"] = url  # the resources read it when the run starts
    t0 = time.perf_counter()
    result = job.execute_in_process(
        instance=instance, partition_key=day.isoformat(), raise_on_error=True, run_config=quiet
    )
    took = time.perf_counter() - t0
    assert result.success
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--history-days", type=int, default=365)
    ap.add_argument("--per-day", type=int, default=100)
    ap.add_argument("--bom-lines", type=int, default=200_000)
    ap.add_argument("--new-days", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    os.environ.update(
        {
            "DAGSTER_HOME": str(tmp / "home"),
            "RADAR_REPORT_DIR": str(tmp / "reports"),
            "RADAR_OUTBOX_DIR": str(tmp / "outbox"),
            "RADAR_HISTORY_START": FIRST.isoformat(),
        }
    )
    from bench.synthetic import company
    from radar_pipeline.config import get_settings
    from radar_pipeline.orchestration.runner import RANGE_END, RANGE_START, _instance

    bom = company(args.bom_lines, products=500, parts=20_000, assemblies=2000)
    empty_url, empty = _database(tmp, "empty", bom)
    year_url, year = _database(tmp, "year", bom)
    last = FIRST + timedelta(days=args.history_days - 1)
    land_year(year, bom, args.history_days, args.per_day, FIRST)
    os.environ["RADAR_DATABASE_URL"] = year_url
    from radar_pipeline.definitions import defs

    instance = _instance(get_settings())
    job = defs.resolve_job_def("process_landing_events")
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    t0 = time.perf_counter()
    job.execute_in_process(
        instance=instance, tags={RANGE_START: str(FIRST), RANGE_END: str(last)}, run_config=quiet
    )
    backfill_s = time.perf_counter() - t0
    backfill_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    defs.resolve_job_def("refresh_exposure_report").execute_in_process(instance=instance, run_config=quiet)
    report_s = time.perf_counter() - t0
    times: dict[str, list[float]] = {"empty": [], "year": []}
    for i in range(args.new_days):
        day = last + timedelta(days=1 + i)
        for side, engine, url in (("empty", empty, empty_url), ("year", year, year_url)):
            land_year(engine, bom, 1, args.per_day, day, first_index=args.history_days + i)
            times[side].append(_run_day(job, instance, url, day, quiet))
    empty_s, year_s = statistics.median(times["empty"]), statistics.median(times["year"])
    print(
        json.dumps(
            {
                "bom_lines": len(bom.bom),
                "history_notices": args.history_days * args.per_day,
                "new_day_notices": args.per_day,
                "new_days_each_side": args.new_days,
                "day_run_s_empty_history": [round(t, 2) for t in times["empty"]],
                "day_run_s_year_history": [round(t, 2) for t in times["year"]],
                "median_s_empty_history": round(empty_s, 2),
                "median_s_year_history": round(year_s, 2),
                "ratio_year_over_empty": round(year_s / empty_s, 2),
                "year_backfill_single_run_s": round(backfill_s, 1),
                "report_of_all_open_notices_s": round(report_s, 1),
                "peak_rss_mb_through_backfill": round(backfill_rss),
                "peak_rss_mb_through_report": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                ),
                "goal": "year <= 1.25 x empty and <= 2 s; backfill <= 180 s",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
