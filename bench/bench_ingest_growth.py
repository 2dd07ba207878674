"""Gateway ingest against the landing table's size (issue 22).

The same wrk load (fresh ids, ``wrk -t1 -c32``) in three phases, for each server on a database of
its own that is never analyzed (autovacuum is off on these machines, as in a new deployment's
first hours):

1. ``empty``: a new gateway process on an empty table, ``--runs`` loads in a row;
2. ``grown``: the same process, after ``--rows`` landed events were added by one
   ``INSERT … generate_series`` (its prepared statements were planned on the small table);
3. ``fresh-on-big``: a new gateway process on that table, ``--runs`` loads in a row.

Every run is compared with the first run of phase 1. ``radar@DIR`` runs the code checked out in
DIR (e.g. ``git archive <commit> | tar -x -C DIR``), so an older design is measured side by side.

Run: ``.venv/bin/python -m bench.bench_ingest_growth [--servers radar,radar@/tmp/old] [--rows 1000000]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import psycopg

from bench.bench_gateway import BODY, SOURCE, lua_script, run_wrk, serve
from radar_pipeline.harness.postgres import fresh_postgres_database
from radar_pipeline.harness.processes import TEST_SECRET, free_port

PER_RUN = 100_000  # pre-signed ids per run, more than 8 s can use on this box


def grow(url: str, rows: int) -> float:
    """Add ``rows`` landed events in one statement, without ANALYZE; returns the seconds it took."""
    import time

    t0 = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO landing_events (source, dedup_key, received_at, partition_day, content_type, body,"
            " body_sha256, status, attempts, updated_at)"
            " SELECT %s, 'bulk-' || g, now() - g * interval '1 second', (now() - g * interval '1 second')::date,"
            " 'application/json', %s, 'x', 'processed', 1, now() FROM generate_series(1, %s) AS g",
            (SOURCE, BODY.encode(), rows),
        )
    return time.monotonic() - t0


def measure(server: str, args, tmp: Path) -> dict:
    code_dir = server.partition("@")[2] or None
    runs: dict[str, list[dict]] = {"empty": [], "grown": [], "fresh-on-big": []}
    with fresh_postgres_database() as url:
        # the schema as that server's code creates it
        env = os.environ | {
            "RADAR_DATABASE_URL": url,
            "RADAR_WEBHOOK_SECRET_SILICONEXPERT": TEST_SECRET,
            "RADAR_RATE_LIMIT_PER_SOURCE": "0",  # capacity, not policy
        }
        count = 0

        def load(port: int, phase: str) -> None:
            nonlocal count
            count += 1
            tag = f"{server.replace('/', '_')}-{phase}-{count}"
            script = tmp / f"{tag}.lua"
            lua_script(script, [f"{tag}-{i}" for i in range(PER_RUN)], tmp / f"{tag}.acked")
            result = run_wrk(f"http://127.0.0.1:{port}/webhooks/{SOURCE}", script, args.seconds, 32)
            with psycopg.connect(url) as conn:
                result["table_rows"] = conn.execute("SELECT count(*) FROM landing_events").fetchone()[0]
            runs[phase].append(result)
            print(
                server,
                phase,
                {k: result[k] for k in ("rps", "p99_ms", "non_2xx", "table_rows")},
                file=sys.stderr,
            )

        def start() -> tuple:
            port = free_port()
            cmd = [sys.executable, "-m", "uvicorn", "--factory", "radar_pipeline.gateway.app:create_app"]
            cmd += ["--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"]
            return serve(cmd, env, port, cwd=code_dir), port

        proc, port = start()  # the gateway migrates the empty database
        try:
            for _ in range(args.runs):
                load(port, "empty")
            seconds = grow(url, args.rows)
            print(f"{server}: {args.rows} rows added in {seconds:.0f} s", file=sys.stderr)
            for _ in range(args.runs):
                load(port, "grown")
        finally:
            proc.terminate()
            proc.wait(20)
        proc, port = start()
        try:
            for _ in range(args.runs):
                load(port, "fresh-on-big")
        finally:
            proc.terminate()
            proc.wait(20)
    first = runs["empty"][0]["rps"]
    return {
        phase: {
            "rps": [round(r["rps"]) for r in rs],
            "ratio_to_first_empty_run": [round(r["rps"] / first, 2) for r in rs],
            "median_ratio": round(statistics.median(r["rps"] for r in rs) / first, 2),
            "p99_ms": [round(r["p99_ms"], 1) for r in rs],
            "non_2xx": sum(r["non_2xx"] for r in rs),
            "table_rows_after": rs[-1]["table_rows"],
        }
        for phase, rs in runs.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--servers", default="radar", help="comma-separated: radar, radar@DIR")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=8)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("missing tool: wrk (apt-get install wrk)")
    tmp = Path(tempfile.mkdtemp())
    summary = {
        "load": f"wrk -t1 -c32 -d{args.seconds}s, fresh ids",
        "rows_added": args.rows,
        **{s: measure(s, args, tmp) for s in args.servers.split(",")},
    }
    summary["goal"] = "every run >= 0.8x the first empty-table run; p99 <= 50 ms"
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
