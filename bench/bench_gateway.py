"""Gateway vs the seed's reference app under the same wrk load (issue 8a).

Both run under uvicorn with the same worker count on this machine, side by side in one
run; wrk -c32 for 8 s, every request a unique pre-signed webhook-id. Radar runs on
PostgreSQL; afterwards the landing table must hold one row per 2xx.

Run: ``.venv/bin/python -m bench.bench_gateway [--repeat 3] [--workers 1]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from radar_pipeline.gateway.signatures import sign
from radar_pipeline_tests.support import TEST_SECRET, free_port, fresh_postgres_database

BODY = json.dumps(
    {
        "PCNNumber": "PDN2401",
        "Manufacturer": "Intel",
        "TypeOfChange": "Obsolescence",
        "NotificationDate": "2026-11-02",
        "LastTimeBuyDate": "2027-05-15",
        "AffectedParts": [{"PartNumber": "EP4CE10E22C8", "Replacement": "EP4CE10E22C8N"}],
    }
)


def lua_script(path: Path, count: int, prefix: str) -> None:
    """A wrk script cycling through ``count`` pre-signed unique deliveries, disjoint per thread."""
    ts = int(time.time())
    sigs = [sign(TEST_SECRET, f"{prefix}-{i}", ts, BODY.encode()) for i in range(count)]
    lines = [
        "local sigs = {" + ",".join(f'"{s}"' for s in sigs) + "}",
        f"local body = [[{BODY}]]",
        f'local ts = "{ts}"',
        f'local prefix = "{prefix}"',
        "local threads = 0",
        "function setup(thread) thread:set('tid', threads); threads = threads + 1 end",
        "function init(args) n = 0 end",
        f"function request() local i = (tonumber(tid) * {count // 8} + n) % {count}; n = n + 1\n"
        "  return wrk.format('POST', nil, {['content-type']='application/json', ['webhook-id']=prefix..'-'..i,"
        " ['webhook-timestamp']=ts, ['webhook-signature']=sigs[i+1]}, body) end",
        "function done(summary, latency, requests)\n"
        "  io.write(string.format('P99_MS %.3f\\nP50_MS %.3f\\n', latency:percentile(99)/1000, latency:percentile(50)/1000)) end",
    ]
    path.write_text("\n".join(lines))


def run_wrk(url: str, script: Path, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {
        "rps": rps,
        "requests": total,
        "non_2xx": non2xx,
        "socket_errors": errors,
        "p99_ms": float(re.search(r"P99_MS ([\d.]+)", out).group(1)),
        "p50_ms": float(re.search(r"P50_MS ([\d.]+)", out).group(1)),
    }


def serve(args: list[str], env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    results: dict[str, list[dict]] = {"reference": [], "radar": []}
    tmp = Path(tempfile.mkdtemp())
    with fresh_postgres_database() as url:
        from sqlalchemy import create_engine, func, select

        from radar_pipeline.db import normalize_url, open_database
        from radar_pipeline.db.schema import landing_events

        open_database(url)
        env = os.environ | {"RADAR_DATABASE_URL": url, "RADAR_WEBHOOK_SECRET_SILICONEXPERT": TEST_SECRET}
        for round_ in range(args.repeat):
            for name in ("reference", "radar"):  # side by side, alternating
                port = free_port()
                app = (
                    ["-m", "uvicorn", "bench.reference_app:app"]
                    if name == "reference"
                    else ["-m", "uvicorn", "--factory", "radar_pipeline.gateway.app:create_app"]
                )
                cmd = [
                    sys.executable,
                    *app,
                    "--port",
                    str(port),
                    "--workers",
                    str(args.workers),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ]
                proc = serve(cmd, env, port)
                script = tmp / f"{name}{round_}.lua"
                lua_script(script, 200_000, f"{name}-{round_}")
                try:
                    results[name].append(
                        run_wrk(
                            f"http://127.0.0.1:{port}/webhooks/siliconexpert",
                            script,
                            args.seconds,
                            args.connections,
                        )
                    )
                finally:
                    proc.terminate()
                    proc.wait(20)
                print(name, round_, results[name][-1], file=sys.stderr)
        engine = create_engine(normalize_url(url))
        with engine.connect() as conn:
            rows = conn.execute(select(func.count()).select_from(landing_events)).scalar_one()
        engine.dispose()
    acked = sum(r["requests"] - r["non_2xx"] for r in results["radar"])
    med = {
        k: {m: statistics.median(r[m] for r in v) for m in ("rps", "p50_ms", "p99_ms")}
        for k, v in results.items()
    }
    print(
        json.dumps(
            {
                "workers": args.workers,
                "connections": args.connections,
                "seconds": args.seconds,
                "repeats": args.repeat,
                "reference_rps_median": round(med["reference"]["rps"]),
                "radar_rps_median": round(med["radar"]["rps"]),
                "ratio": round(med["radar"]["rps"] / med["reference"]["rps"], 3),
                "radar_p50_ms": med["radar"]["p50_ms"],
                "radar_p99_ms": med["radar"]["p99_ms"],
                "reference_p99_ms": med["reference"]["p99_ms"],
                "radar_non_2xx": sum(r["non_2xx"] for r in results["radar"]),
                "radar_socket_errors": sum(r["socket_errors"] for r in results["radar"]),
                "radar_2xx_total": acked,
                "landing_rows": rows,
                "every_2xx_stored": rows >= acked,
                "goal": ">= 0.9x reference rps, p99 <= 50 ms, no non-2xx",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
