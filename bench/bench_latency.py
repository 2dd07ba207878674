"""Webhook -> exposure line with the real dagster-daemon, and where the seconds go (issues 8b, 22, 30).

The gateway, the daemon (landing sensor, queued runs launched as processes) and both databases on
PostgreSQL, as in ``docker-compose.yml``. Each signed webhook is posted and timed until its exposure
line exists; then the run's Dagster event log gives its breakdown: landed -> sensor tick -> run
created -> run launched -> run process started -> each step -> exposure row.

Two conditions in one run: deliveries while the first start's quiet-days catch-up runs
(``RADAR_HISTORY_START`` ``--catch-up-days`` ago), then, once the daemon is idle, steady state. In
steady state each delivery is followed by a run of ``bench/floor_location.py``, a code location
with nothing of Radar's, through the same daemon: Dagster's floor on this box, side by side.

Run: ``.venv/bin/python -m bench.bench_latency [--events 6] [--catch-up-days 365] [--gap 3]``.
The code measured is the checkout the bench is run from (``python -m`` puts it first on the path).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, select

import radar_pipeline
from radar_pipeline.clock import utc_today
from radar_pipeline.db import normalize_url
from radar_pipeline.db.schema import exposure_lines, landing_events
from radar_pipeline.demo.company import write_company
from radar_pipeline.demo.webhooks import SAMPLE, send_webhook
from radar_pipeline.harness.postgres import postgres_deployment
from radar_pipeline.harness.processes import TEST_SECRET, radar_env, run_radar, running_gateway

CODE = Path(radar_pipeline.__file__).resolve().parents[1]
DAGSTER_BIN = Path(sys.executable).parent
STEPS = ["landing_events", "parsed_documents", "notice_extractions", "bom_matches", "exposure"]
ACTIVE = ("QUEUED", "NOT_STARTED", "STARTING", "STARTED")


def _workspace(tmp: Path) -> Path:
    path = tmp / "workspace.yaml"
    path.write_text(
        "load_from:\n"
        f"  - python_module:\n      module_name: radar_pipeline.definitions\n      working_directory: {CODE}\n"
        f"  - python_file:\n      relative_path: {CODE / 'bench' / 'floor_location.py'}\n"
        f"      working_directory: {CODE}\n      location_name: floor\n"
    )
    return path


class Clock:
    """The daemon's records read back: ticks, runs and event logs, as seconds since the epoch."""

    def __init__(self) -> None:
        import dagster as dg

        self.dg = dg
        self.instance = dg.DagsterInstance.get()

    def active_runs(self, **tags: str) -> int:
        statuses = [self.dg.DagsterRunStatus[s] for s in ACTIVE]
        return len(self.instance.get_run_records(self.dg.RunsFilter(statuses=statuses, tags=tags), limit=50))

    def run(self, run_key: str, timeout: float = 120):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            records = self.instance.get_run_records(
                self.dg.RunsFilter(tags={"dagster/run_key": run_key}), limit=1
            )
            if records:
                return records[0]
            time.sleep(0.1)
        raise TimeoutError(f"no run with run key {run_key}")

    def finished(self, run_id: str, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.instance.get_run_by_id(run_id).is_finished:
                return
            time.sleep(0.1)

    def tick_of(self, sensor: str, run_id: str) -> float | None:
        for state in self.instance.all_instigator_state():
            if state.instigator_name == sensor:
                for tick in self.instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=200):
                    if run_id in tick.run_ids:  # the tick's end: a tick may keep looking for events
                        return tick.end_timestamp or tick.timestamp
        return None

    def marks(self, run_id: str, steps: list[str]) -> dict[str, float]:
        first: dict[tuple[str, str | None], float] = {}
        for entry in self.instance.all_logs(run_id):
            event = entry.dagster_event
            if event is None:
                continue
            kind = event.event_type.name  # RUN_START, not its stored value PIPELINE_START
            if kind == "ENGINE_EVENT" and (entry.user_message or "").startswith("Started process for run"):
                kind = "PROCESS"
            first.setdefault((kind, event.step_key), entry.timestamp)
        marks = {
            "run launched": first.get(("RUN_STARTING", None)),
            "process started": first.get(("PROCESS", None)),  # Dagster imported, the instance open
            "run started": first.get(("RUN_START", None)),  # the code location loaded, the job planned
        }
        for step in steps:
            marks[f"{step} start"] = first.get(("STEP_START", step))
            marks[f"{step} done"] = first.get(("STEP_SUCCESS", step))
        marks["run done"] = first.get(("RUN_SUCCESS", None))
        return marks


def _segments(times: dict[str, float | None]) -> dict[str, float]:
    """Consecutive marks (in order of time) as durations."""
    known = sorted(((t, name) for name, t in times.items() if t is not None))
    return {f"{a} -> {b}": tb - ta for (ta, a), (tb, b) in zip(known, known[1:], strict=False)}


def deliver(i: int, gateway: str, engine, clock: Clock, label: str) -> dict:
    source, payload = SAMPLE
    background = clock.active_runs(**{"radar/lane": "background"})
    t0 = time.time()
    r = send_webhook(
        gateway, source, payload | {"PCNNumber": f"PDN-LAT-{label}-{i}"}, TEST_SECRET, f"{label}-{i}"
    )
    event_id = r.json()["event_id"]
    t_row = None
    while time.time() - t0 < 120:
        with engine.connect() as conn:
            hit = conn.execute(
                select(exposure_lines.c.id).where(exposure_lines.c.source_event_id == event_id).limit(1)
            ).first()
        if hit:
            t_row = time.time()
            break
        time.sleep(0.05)
    with engine.connect() as conn:
        landed, day = conn.execute(
            select(landing_events.c.received_at, landing_events.c.partition_day).where(
                landing_events.c.id == event_id
            )
        ).one()
    record = clock.run(f"{day.isoformat()}:{event_id}")
    run_id = record.dagster_run.run_id
    clock.finished(run_id)
    marks = clock.marks(run_id, STEPS)
    exposure_start = marks.pop("exposure start")
    for name in ("exposure done", "run done"):
        marks.pop(name)
    times = {
        "posted": t0,
        "landed": landed.timestamp(),
        "sensor tick done": clock.tick_of("landing_sensor", run_id),
        "run created": record.create_timestamp.timestamp(),
        **marks,
        "exposure start": exposure_start,
        "exposure row": t_row,
    }
    total = (t_row or time.time()) - t0
    print(
        f"{label} {i}: {total:.2f}s"
        + ("" if t_row else " (TIMEOUT)")
        + f" background runs active at POST: {background}; "
        + ", ".join(f"{k} {v - t0:+.2f}" for k, v in times.items() if v is not None and k != "posted"),
        flush=True,
    )
    return {"total": total, "background": background, "segments": _segments(times)}


def floor_run(i: int, trigger: Path, clock: Clock) -> dict:
    token = f"floor-{i}-{time.time()}"
    t0 = time.time()
    trigger.write_text(token)
    record = clock.run(token)
    run_id = record.dagster_run.run_id
    clock.finished(run_id)
    marks = clock.marks(run_id, ["floor_asset"])
    times = {
        "posted": t0,
        "sensor tick done": clock.tick_of("floor_sensor", run_id),
        "run created": record.create_timestamp.timestamp(),
        **marks,
    }
    total = marks["run done"] - t0
    print(
        f"floor {i}: {total:.2f}s " + ", ".join(f"{k} {v - t0:+.2f}" for k, v in times.items() if v),
        flush=True,
    )
    return {"total": total, "segments": _segments(times)}


def summary(rows: list[dict]) -> dict:
    if not rows:
        return {}
    totals = [r["total"] for r in rows]
    names = list(dict.fromkeys(n for r in rows for n in r["segments"]))
    q = statistics.quantiles(totals, n=20, method="inclusive") if len(totals) > 1 else totals * 19
    return {
        "deliveries": len(totals),
        "with_background_runs_active": sum(1 for r in rows if r.get("background")),
        "totals_s": [round(t, 2) for t in totals],
        "p50_s": round(statistics.median(totals), 2),
        "p95_s": round(q[18], 2),
        "max_s": round(max(totals), 2),
        "median_segments_s": {
            n: round(statistics.median(r["segments"][n] for r in rows if n in r["segments"]), 2)
            for n in names
        },
    }


def _wait_idle(clock: Clock, quiet: float, timeout: float) -> None:
    end, idle_since = time.monotonic() + timeout, None
    while time.monotonic() < end:
        if clock.active_runs():
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= quiet:
            return
        time.sleep(1)
    print(f"daemon not idle after {timeout:.0f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=6, help="deliveries per condition")
    ap.add_argument("--catch-up-days", type=int, default=365, help="RADAR_HISTORY_START this many days ago")
    ap.add_argument("--gap", type=float, default=3.0, help="seconds between deliveries")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    history_start = (utc_today() - timedelta(days=args.catch_up_days)).isoformat()
    catch_up, steady, floor = [], [], []
    with postgres_deployment(tmp, driver_in_url=True) as (business, dagster):
        extra = dagster | {
            "RADAR_REPORT_DIR": str(tmp / "reports"),
            "RADAR_OUTBOX_DIR": str(tmp / "outbox"),
            "RADAR_HISTORY_START": history_start,
            "BENCH_FLOOR_TRIGGER": str(tmp / "floor-trigger"),
            "PYTHONPATH": str(CODE),
        }
        assert (
            run_radar(["bom", "import", str(write_company(tmp / "bom"))], business, tmp, **extra).returncode
            == 0
        )
        os.environ.update({k: extra[k] for k in ("DAGSTER_HOME", "DAGSTER_PG_URL")})
        log = open(tmp / "daemon.log", "wb")  # noqa: SIM115 - closed below
        daemon = subprocess.Popen(
            [str(DAGSTER_BIN / "dagster-daemon"), "run", "-w", str(_workspace(tmp))],
            env=radar_env(business, **extra),
            cwd=CODE,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        engine = create_engine(normalize_url(business))
        try:
            with running_gateway(business, tmp, PYTHONPATH=str(CODE)) as gateway:
                clock = Clock()
                end = time.monotonic() + 90
                while not clock.active_runs(**{"radar/lane": "background"}) and time.monotonic() < end:
                    time.sleep(0.5)  # the catch-up has been asked for: deliveries now meet it
                for i in range(args.events):
                    catch_up.append(deliver(i, gateway, engine, clock, "catch-up"))
                    time.sleep(args.gap)
                _wait_idle(clock, quiet=10, timeout=900)
                for i in range(args.events):
                    steady.append(deliver(i, gateway, engine, clock, "steady"))
                    time.sleep(args.gap)
                    floor.append(floor_run(i, tmp / "floor-trigger", clock))
                    time.sleep(args.gap)
        finally:
            os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(30)
            log.close()
            engine.dispose()
    print(
        json.dumps(
            {
                "code": str(CODE),
                "history_start": history_start,
                "during_catch_up": summary(catch_up),
                "steady": summary(steady),
                "dagster_floor": summary(floor),
                "goal": "p50 <= 5 s steady, <= 8 s during the catch-up, max <= 12 s",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
