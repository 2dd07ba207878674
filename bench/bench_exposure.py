"""Matching + where-used + exposure: 1,000,000 BOM lines x 10,000 affected parts.

Run: ``.venv/bin/python -m bench.bench_exposure [--repeat 5]``. Each repeat runs in a
fresh child process so peak memory (max RSS) is that of one computation.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def one_run(lines: int, notice_count: int, per_notice: int) -> dict:
    from datetime import date

    from bench.synthetic import company, notices
    from radar_pipeline.exposure.model import ExposureInputs, compute_exposure

    bom = company(lines)
    frame, parts = notices(notice_count, per_notice)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    report = compute_exposure(ExposureInputs(frame, parts, bom), 0.10, date(2026, 11, 29))
    seconds = time.perf_counter() - started
    matched = sum(len(n["parts"]) for n in report["notices"])
    return {
        "seconds": seconds,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_mib": rss_before / 1024,
        "bom_lines": len(bom.bom),
        "affected_parts": len(parts),
        "matched_parts": matched,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--notices", type=int, default=100)
    ap.add_argument("--per-notice", type=int, default=100)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(one_run(args.lines, args.notices, args.per_notice)))
        return
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.bench_exposure",
                "--child",
                "--lines",
                str(args.lines),
                "--notices",
                str(args.notices),
                "--per-notice",
                str(args.per_notice),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout))
        print(json.dumps(runs[-1]), file=sys.stderr)
    print(
        json.dumps(
            {
                "bom_lines": runs[0]["bom_lines"],
                "affected_parts": runs[0]["affected_parts"],
                "matched_parts": runs[0]["matched_parts"],
                "repeats": len(runs),
                "median_seconds": round(statistics.median(r["seconds"] for r in runs), 2),
                "max_seconds": round(max(r["seconds"] for r in runs), 2),
                "median_peak_rss_mib": round(statistics.median(r["peak_rss_mib"] for r in runs)),
                "goal": "<= 10 s and <= 2048 MiB peak",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
