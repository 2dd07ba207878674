"""Run every benchmark in turn and print their JSON results (``make bench``)."""

from __future__ import annotations

import subprocess
import sys

BENCHES = [
    "bench_real_notices",
    "bench_exposure",
    "bench_extraction",
    "bench_gateway",
    "bench_ingest_growth",
    "bench_latency",
    "bench_backfill",
    "bench_day_cost",
]


def main() -> None:
    for name in BENCHES:
        print(f"== {name}", flush=True)
        subprocess.run([sys.executable, "-m", f"bench.{name}"], check=True)


if __name__ == "__main__":
    main()
