"""Gateway vs the seed's design (``bench/reference_app.py``) under the same wrk load (issue 14).

Three loads, each run side by side against both servers, alternating, in one run:
- ``fresh``: every request a new pre-signed ``webhook-id``;
- ``duplicates``: a retry storm, every id already in the landing table (landed before the runs);
- ``mixed``: 10 % of the requests are such duplicates.
Every run starts a new server process (one for each app, ``--workers N``), so no in-memory
state carries over from one run to the next: a duplicate storm meets a cold gateway, as after
an outage. Radar commits to PostgreSQL on the same host. After each Radar run every event id it
acknowledged must be in the table, a duplicate storm must add no row, and non-2xx must be 0.

Run: ``.venv/bin/python -m bench.bench_gateway [--repeat 3] [--workers 1]``
Needs ``wrk`` (Debian: ``apt-get install wrk``) and PostgreSQL (``RADAR_TEST_PG_ADMIN_URL``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
import psycopg

from radar_pipeline.gateway.signatures import sign
from radar_pipeline.harness.postgres import fresh_postgres_database
from radar_pipeline.harness.processes import TEST_SECRET, free_port

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
SOURCE = "siliconexpert"
SCENARIOS = ("fresh", "duplicates", "mixed")
APPS = ("reference", "radar")
STORM_IDS = 150_000  # ids landed before the runs; a run never sends one twice
PER_RUN = 100_000  # pre-signed deliveries per run (more than 8 s can use at this box's speed)


def deliveries(scenario: str, run_tag: str, count: int) -> list[str]:
    """The webhook-ids of one run, in the order wrk sends them."""
    if scenario == "fresh":
        return [f"{run_tag}-{i}" for i in range(count)]
    if scenario == "duplicates":
        return [f"storm-{i}" for i in range(count)]
    return [f"storm-{i}" if i % 10 == 9 else f"{run_tag}-{i}" for i in range(count)]


def lua_script(path: Path, ids: list[str], acked_path: Path) -> None:
    """A wrk script sending ``ids`` in order, pre-signed, and writing every 202 body to ``acked_path``."""
    ts = int(time.time())
    sigs = [sign(TEST_SECRET, i, ts, BODY.encode()) for i in ids]
    lines = [
        "local ids = {" + ",".join(f'"{i}"' for i in ids) + "}",
        "local sigs = {" + ",".join(f'"{s}"' for s in sigs) + "}",
        f"local body = [[{BODY}]]",
        f'local ts = "{ts}"',
        "local threads = {}",
        "function setup(thread) table.insert(threads, thread) end",
        "function init(args) n = 0; acked = {} end",
        f"function request() local i = n % {len(ids)} + 1; n = n + 1\n"
        "  return wrk.format('POST', nil, {['content-type']='application/json', ['webhook-id']=ids[i],"
        " ['webhook-timestamp']=ts, ['webhook-signature']=sigs[i]}, body) end",
        "function response(status, headers, body) if status == 202 then acked[#acked + 1] = body end end",
        "function done(summary, latency, requests)\n"
        f'  local f = io.open("{acked_path}", "w")\n'
        "  for _, t in ipairs(threads) do for _, b in ipairs(t:get('acked')) do f:write(b, '\\n') end end\n"
        "  f:close()\n"
        "  io.write(string.format('P99_MS %.3f\\nP50_MS %.3f\\n', latency:percentile(99)/1000,"
        " latency:percentile(50)/1000)) end",
    ]
    path.write_text("\n".join(lines))


def run_wrk(url: str, script: Path, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": total,
        "non_2xx": non2xx,
        "socket_errors": errors,
        "p99_ms": float(re.search(r"P99_MS ([\d.]+)", out).group(1)),
        "p50_ms": float(re.search(r"P50_MS ([\d.]+)", out).group(1)),
    }


def serve(args: list[str], env: dict, port: int, cwd: str | None = None) -> subprocess.Popen:
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            time.sleep(0.5)  # every worker up, not just the first
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (uvicorn's workers)."""
    procs = [psutil.Process(pid)]
    procs += procs[0].children(recursive=True)
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def database_cpu_seconds(pg_url: str) -> dict[int, float]:
    """CPU time of each PostgreSQL backend serving this database (other than this look-up)."""
    with psycopg.connect(pg_url) as conn:
        pids = [
            r[0]
            for r in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ]
    times = {}
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            times[pid] = t.user + t.system
        except psutil.Error:
            pass
    return times


def preload_storm(pg_url: str) -> None:
    """Land ``STORM_IDS`` deliveries directly, as if they had arrived before an outage."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO landing_events (source, dedup_key, received_at, partition_day, content_type, body,"
            " body_sha256, status, attempts, updated_at)"
            " SELECT %s, 'storm-' || g, now(), current_date, 'application/json', %s, 'x', 'received', 0, now()"
            " FROM generate_series(0, %s) AS g",
            (SOURCE, BODY.encode(), STORM_IDS - 1),
        )
        conn.execute("VACUUM ANALYZE landing_events")


def check_acked(pg_url: str, acked_path: Path, scenario: str, rows_before: int) -> dict:
    """Every acknowledged event id is a row; a storm adds none; the duplicate flags add up."""
    answers = [json.loads(line) for line in acked_path.read_text().splitlines() if line]
    ids = sorted({a["event_id"] for a in answers})
    dup = sum(a["duplicate"] for a in answers)
    with psycopg.connect(pg_url) as conn:
        found = conn.execute("SELECT count(*) FROM landing_events WHERE id = ANY(%s)", (ids,)).fetchone()[0]
        storm_max = conn.execute(
            "SELECT max(id) FROM landing_events WHERE dedup_key LIKE 'storm-%%'"
        ).fetchone()[0]
        rows_after = conn.execute("SELECT count(*) FROM landing_events").fetchone()[0]
    fresh = len(answers) - dup
    ok = found == len(ids) and rows_after - rows_before >= fresh
    if scenario == "duplicates":
        ok = ok and fresh == 0 and rows_after == rows_before and all(i <= storm_max for i in ids)
    elif scenario == "fresh":
        ok = ok and dup == 0
    return {"acked": len(answers), "acked_duplicate": dup, "acked_ids_stored": found, "acked_ok": ok}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument(
        "--apps",
        default=",".join(APPS),
        help="servers to compare; 'radar+NAME=VALUE' runs Radar with an extra environment variable, "
        "'radar@DIR' runs the Radar code checked out in DIR (e.g. a git worktree of an older commit)",
    )
    ap.add_argument("--py-spy", metavar="DIR", help="record a py-spy profile of each Radar run into DIR")
    args = ap.parse_args()
    py_spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    missing = ["wrk"] * (not shutil.which("wrk")) + ["py-spy"] * bool(args.py_spy and not py_spy)
    if missing:
        sys.exit(
            f"missing tool(s): {', '.join(missing)} (wrk: apt-get install wrk; py-spy: pip install py-spy)"
        )
    scenarios, apps = args.scenarios.split(","), args.apps.split(",")
    results: dict[tuple[str, str], list[dict]] = {(s, a): [] for s in scenarios for a in apps}
    tmp = Path(tempfile.mkdtemp())
    with fresh_postgres_database() as url:
        from radar_pipeline.db import open_database

        open_database(url).dispose()
        preload_storm(url)
        env = os.environ | {
            "RADAR_DATABASE_URL": url,
            "RADAR_WEBHOOK_SECRET_SILICONEXPERT": TEST_SECRET,
            # capacity, not policy: the per-source token bucket (5,000/s by default) is off here
            "RADAR_RATE_LIMIT_PER_SOURCE": "0",
        }
        for round_ in range(args.repeat):
            for scenario in scenarios:
                order = apps if round_ % 2 == 0 else apps[::-1]  # alternate who goes first
                for name in order:
                    port = free_port()
                    radar = name.startswith("radar")
                    extra_env = dict(kv.split("=", 1) for kv in name.split("+")[1:])
                    code_dir = name.split("+")[0].partition("@")[2] or None  # cwd comes first on sys.path
                    app = (
                        ["-m", "uvicorn", "bench.reference_app:app"]
                        if name == "reference"
                        else ["-m", "uvicorn", "--factory", "radar_pipeline.gateway.app:create_app"]
                    )
                    cmd = [sys.executable, *app, "--port", str(port), "--workers", str(args.workers)]
                    cmd += ["--no-access-log", "--log-level", "warning"]
                    tag = re.sub(r"[^A-Za-z0-9_.=-]", "_", f"{name}-{scenario}-{round_}")
                    script, acked = tmp / f"{tag}.lua", tmp / f"{tag}.acked"
                    lua_script(script, deliveries(scenario, tag, PER_RUN), acked)
                    with psycopg.connect(url) as conn:
                        rows_before = conn.execute("SELECT count(*) FROM landing_events").fetchone()[0]
                    proc = serve(cmd, env | extra_env, port, cwd=code_dir)
                    spy = None
                    if args.py_spy and radar:
                        out = Path(args.py_spy) / f"{tag}.txt"  # collapsed stacks
                        spy = subprocess.Popen(
                            [py_spy, "record", "--format", "raw", "-o", str(out), "--pid", str(proc.pid), "--subprocesses",
                             "--duration", str(args.seconds), "--rate", "200", "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        )  # fmt: skip
                    try:
                        cpu_before, db_before = cpu_seconds(proc.pid), database_cpu_seconds(url)
                        wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
                        result = run_wrk(f"http://127.0.0.1:{port}/webhooks/{SOURCE}", script, args.seconds,
                                         args.connections)  # fmt: skip
                        # CPU per request: how much each design costs, whatever else the box runs
                        served = max(1, result["requests"])
                        result["cpu_ms_per_req"] = 1000 * (cpu_seconds(proc.pid) - cpu_before) / served
                        db_after = database_cpu_seconds(url)
                        db = sum(t - db_before.get(pid, 0.0) for pid, t in db_after.items())
                        result["db_cpu_ms_per_req"] = 1000 * db / served
                        wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
                        wrk_cpu = sum(
                            getattr(wrk_after, f) - getattr(wrk_before, f) for f in ("ru_utime", "ru_stime")
                        )
                        result["wrk_cpu_ms_per_req"] = 1000 * wrk_cpu / served
                    finally:
                        proc.terminate()
                        proc.wait(20)
                        if spy:
                            spy.wait(30)
                    if result["requests"] > PER_RUN:
                        print(
                            f"warning: {tag} sent more than {PER_RUN} requests; ids repeated", file=sys.stderr
                        )
                    if radar:
                        result |= check_acked(url, acked, scenario, rows_before)
                    results[(scenario, name)].append(result)
                    print(tag, result, file=sys.stderr)
    metrics = ("rps", "p50_ms", "p99_ms", "cpu_ms_per_req", "db_cpu_ms_per_req", "wrk_cpu_ms_per_req")
    med = {k: {m: statistics.median(r[m] for r in v) for m in metrics} for k, v in results.items()}
    summary: dict = {
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "repeats": args.repeat,
        "load": f"wrk -t1 -c{args.connections} -d{args.seconds}s",
        "scenarios": {},
    }
    for s in scenarios:
        row: dict = {}
        for a in apps:
            m = med[(s, a)]
            row[a] = {
                "rps_median": round(m["rps"]),
                "runs_rps": [round(r["rps"]) for r in results[(s, a)]],
                "p50_ms": m["p50_ms"],
                "p99_ms": m["p99_ms"],
                "cpu_ms_per_req": round(m["cpu_ms_per_req"], 3),
                "db_cpu_ms_per_req": round(m["db_cpu_ms_per_req"], 3),
                "wrk_cpu_ms_per_req": round(m["wrk_cpu_ms_per_req"], 3),
                "non_2xx": sum(r["non_2xx"] for r in results[(s, a)]),
                "socket_errors": sum(r["socket_errors"] for r in results[(s, a)]),
            }
            if "reference" in apps and a != "reference":
                row[a]["ratio_to_reference"] = round(m["rps"] / med[(s, "reference")]["rps"], 3)
            if a.startswith("radar"):
                row[a]["acked"] = sum(r["acked"] for r in results[(s, a)])
                row[a]["every_ack_stored"] = all(r["acked_ok"] for r in results[(s, a)])
        summary["scenarios"][s] = row
    for a in apps:
        if a.startswith("radar") and {"fresh", "duplicates"} <= set(scenarios):
            summary[f"{a} duplicates_vs_fresh"] = round(
                med[("duplicates", a)]["rps"] / med[("fresh", a)]["rps"], 3
            )
    summary["goal"] = (
        "fresh >= 0.9x reference rps, p99 <= 50 ms; duplicates >= 0.9x fresh; no non-2xx; every ack stored"
    )
    print(json.dumps(summary, indent=2))
    print(
        f"\n{'load':<11}{'server':<28}{'req/s':>7}{'ratio':>7}{'p50 ms':>8}{'p99 ms':>8}{'non-2xx':>8}"
        f"{'cpu ms/req':>11}{'+db':>7}{'wrk':>7}{'acks ok':>8}"
    )
    for s in scenarios:
        for a in apps:
            r = summary["scenarios"][s][a]
            print(
                f"{s:<11}{a[:27]:<28}{r['rps_median']:>7}{r.get('ratio_to_reference', 1):>7.3f}{r['p50_ms']:>8.1f}"
                f"{r['p99_ms']:>8.1f}{r['non_2xx']:>8}{r['cpu_ms_per_req']:>11.3f}{r['db_cpu_ms_per_req']:>7.3f}"
                f"{r['wrk_cpu_ms_per_req']:>7.3f}{str(r.get('every_ack_stored', '-')):>8}"
            )


if __name__ == "__main__":
    main()
