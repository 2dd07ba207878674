"""A one-year backfill (issue 8c): 365 daily partitions, 36,500 notices, a 200,000-line BOM.

Single-run backfill (the assets' BackfillPolicy.single_run(), one in-process run
over the whole range) against one run per partition, measured side by side on
the same data. Three parts per notice, each in the BOM with probability
``HIT_RATE``. The per-partition side runs a sample of days and is scaled to 365
(it is linear in the number of runs); the sample size is printed.

Run: ``.venv/bin/python -m bench.bench_backfill [--sample-days 15]``
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

HIT_RATE = 0.10  # share of named parts that are in the BOM (most notices touch no part of a given BOM)


def land_year(engine, bom, days: int, per_day: int, first: date, first_index: int = 0) -> int:
    """Land ``days`` × ``per_day`` signed-webhook notices from ``first``; ``first_index`` numbers
    the first day (ids and notice numbers stay unique across calls)."""
    from radar_pipeline.landing import IncomingEvent, LandingStore

    rng = np.random.default_rng(5 + first_index)
    mpns = bom.parts["mpn"].to_numpy()
    events = []
    for d in range(first_index, first_index + days):
        day = first + timedelta(days=d - first_index)
        when = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        for i in range(per_day):
            # three parts per notice; each is one of the BOM's parts with probability HIT_RATE
            parts = [
                {
                    "PartNumber": str(rng.choice(mpns)) if rng.random() < HIT_RATE else f"OTHER-{d}-{i}-{k}",
                    "Replacement": None,
                }
                for k in range(3)
            ]
            payload = {
                "PCNNumber": f"PDN-{d:03d}-{i:03d}",
                "Manufacturer": "Texas Instruments",
                "TypeOfChange": "Obsolescence",
                "NotificationDate": day.isoformat(),
                "LastTimeBuyDate": (day + timedelta(days=180)).isoformat(),
                "AffectedParts": parts,
            }
            events.append(
                IncomingEvent(
                    "siliconexpert", f"bf-{d}-{i}", "application/json", json.dumps(payload).encode(), when
                )
            )
    store = LandingStore(engine)
    for start in range(0, len(events), 5000):
        store.land_many(events[start : start + 5000])
    return len(events)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--per-day", type=int, default=100)
    ap.add_argument("--bom-lines", type=int, default=200_000)
    ap.add_argument("--sample-days", type=int, default=15)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    os.environ.update(
        {
            "RADAR_DATABASE_URL": f"sqlite:///{tmp / 'radar.db'}",
            "DAGSTER_HOME": str(tmp / "home"),
            "RADAR_REPORT_DIR": str(tmp / "reports"),
            "RADAR_OUTBOX_DIR": str(tmp / "outbox"),
        }
    )
    from bench.synthetic import company
    from radar_pipeline.bom.importer import ReadResult
    from radar_pipeline.bom.store import replace_bom
    from radar_pipeline.config import get_settings
    from radar_pipeline.db import open_database
    from radar_pipeline.orchestration.runner import process_days, process_range

    settings = get_settings()
    engine = open_database(settings.database_url)
    bom = company(args.bom_lines, products=500, parts=20_000, assemblies=2000)
    replace_bom(engine, ReadResult(bom, "bench", "bench"))
    first = date(2025, 1, 1)
    last = first + timedelta(days=args.days - 1)
    landed = land_year(engine, bom, args.days, args.per_day, first)
    quiet = lambda _line: None  # noqa: E731

    t0 = time.perf_counter()
    single = process_range(settings, first, last, quiet)
    single_s = time.perf_counter() - t0
    assert not single.failed, single.failed

    sample = [first + timedelta(days=i * (args.days // args.sample_days)) for i in range(args.sample_days)]
    t0 = time.perf_counter()
    per = process_days(settings, sample, quiet)  # re-processing those days, one run each
    per_s = time.perf_counter() - t0
    assert not per.failed, per.failed
    per_day = per_s / args.sample_days
    print(
        json.dumps(
            {
                "days": args.days,
                "notices": landed,
                "bom_lines": len(bom.bom),
                "single_run_backfill_s": round(single_s, 1),
                "per_partition_sample_days": args.sample_days,
                "per_partition_s_per_day": round(per_day, 2),
                "per_partition_365_days_s_estimated": round(per_day * args.days, 1),
                "ratio_per_partition_over_single": round(per_day * args.days / single_s, 1),
                "goal": "single run <= 180 s",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
