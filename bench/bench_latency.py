"""Webhook -> exposure line with the real dagster-daemon (issues 8b, 22): p50 and p95 over ten events.

The gateway, the daemon (landing sensor, in-process runs) and both databases on
PostgreSQL, as in production; each event is posted signed and timed until its
exposure line exists. ``--history-start`` sets RADAR_HISTORY_START: by default a week ago (a
deployment past its first days); the first of January makes the deliveries meet the catch-up of
the year's quiet days.

Run: ``.venv/bin/python -m bench.bench_latency [--events 10] [--history-start YYYY-MM-DD]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, select

from radar_pipeline.clock import utc_today
from radar_pipeline.db import normalize_url
from radar_pipeline.db.schema import exposure_lines
from radar_pipeline.demo.company import write_company
from radar_pipeline.demo.webhooks import SAMPLE, send_webhook
from radar_pipeline.harness.postgres import fresh_postgres_database
from radar_pipeline.harness.processes import (
    TEST_SECRET,
    DagsterServices,
    radar_env,
    run_radar,
    running_gateway,
)
from radar_pipeline.orchestration.instance import dagster_pg_url, instance_yaml


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10)
    ap.add_argument("--history-start", default=(utc_today() - timedelta(days=7)).isoformat())
    ap.add_argument("--gap", type=float, default=3.0, help="seconds between events")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    with fresh_postgres_database() as business, fresh_postgres_database() as dagster_plain:
        home = tmp / "home"
        home.mkdir()
        (home / "dagster.yaml").write_text(instance_yaml(postgres=True))
        extra = {
            "DAGSTER_HOME": str(home),
            "DAGSTER_PG_URL": dagster_pg_url(dagster_plain),
            "RADAR_REPORT_DIR": str(tmp / "reports"),
            "RADAR_OUTBOX_DIR": str(tmp / "outbox"),
            "RADAR_HISTORY_START": args.history_start,
        }
        assert (
            run_radar(["bom", "import", str(write_company(tmp / "bom"))], business, tmp, **extra).returncode
            == 0
        )
        services = DagsterServices(tmp, radar_env(business, **extra), webserver=False)
        engine = create_engine(normalize_url(business))
        latencies = []
        try:
            with running_gateway(business, tmp) as gateway:
                time.sleep(10)  # let the daemon load the code location and start its sensor loop
                for i in range(args.events):
                    source, payload = SAMPLE
                    t0 = time.monotonic()
                    r = send_webhook(
                        gateway, source, payload | {"PCNNumber": f"PDN-LAT-{i}"}, TEST_SECRET, f"lat-{i}"
                    )
                    event_id = r.json()["event_id"]
                    while time.monotonic() - t0 < 120:
                        with engine.connect() as conn:
                            hit = conn.execute(
                                select(exposure_lines.c.id)
                                .where(exposure_lines.c.source_event_id == event_id)
                                .limit(1)
                            ).first()
                        if hit:
                            break
                        time.sleep(0.05)
                    latencies.append(time.monotonic() - t0)
                    print(f"event {i}: {latencies[-1]:.2f}s", flush=True)
                    time.sleep(args.gap)
        finally:
            services.stop()
            engine.dispose()
    q = statistics.quantiles(latencies, n=20, method="inclusive")  # never beyond the slowest
    print(
        json.dumps(
            {
                "events": len(latencies),
                "history_start": args.history_start,
                "p50_s": round(statistics.median(latencies), 2),
                "p95_s": round(q[18], 2),
                "max_s": round(max(latencies), 2),
                "goal": "p50 <= 10 s",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
