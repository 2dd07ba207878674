"""The desk's overview, a search, the CSV and the Excel export at N stored notices (issue 31: ≤ 300 ms
server time), and the first page after a notice is written (the snapshot computed again, web/snapshot.py).

Run: ``.venv/bin/python -m bench.bench_desk [--notices 2000 10000] [--repeat 5]``. The demo company's
BOM (``radar_pipeline/demo/company.py``) and N notices naming its parts again and again, of every type,
stored in a fresh SQLite database; each page is asked in process (FastAPI's TestClient: the time is the
server's, no network), the median of ``--repeat`` after one warm-up.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def history(count: int, mpns: list[str], today: date) -> list:
    from radar_pipeline.notices import AffectedPart, Notice

    rng = random.Random(31)
    out = []
    for i in range(count):
        kind = rng.choice(["discontinuance"] * 6 + ["nrnd", "change"])
        ltb = today + timedelta(days=rng.randrange(20, 600)) if kind == "discontinuance" else None
        parts = [AffectedPart(mpn=m) for m in rng.sample(mpns, rng.randint(0, 3))]
        out.append(
            Notice(
                notice_number=f"PDN-{i:05d}",
                manufacturer=rng.choice(["Texas Instruments", "Microchip", "NXP", "onsemi"]),
                notice_type=kind,
                last_time_buy_date=ltb,
                parts=parts,
                extractor="provider",
                confidence=1.0,
            )
        )
    return out


def measure(count: int, repeat: int) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from radar_pipeline.bom.importer import read_bom
    from radar_pipeline.bom.store import replace_bom
    from radar_pipeline.clock import utc_today
    from radar_pipeline.config import Settings
    from radar_pipeline.db import open_database
    from radar_pipeline.demo.company import PARTS, write_company
    from radar_pipeline.notices.store import write_notice
    from radar_pipeline.web.app import create_app
    from radar_pipeline.web.auth import hash_password

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/radar.db"
        engine = open_database(url)
        replace_bom(engine, read_bom(write_company(Path(tmp) / "bom")))
        today = utc_today()
        with engine.begin() as conn:
            for i, n in enumerate(history(count, [p[1] for p in PARTS], today), start=1):
                write_notice(conn, n, source_event_id=i, partition_day=today - timedelta(days=i % 300))
        users = f"bench:reader:{hash_password('bench')}"
        client = TestClient(create_app(Settings(database_url=url, web_secret="k" * 32, web_users=users)))
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        client.post(
            "/login", data={"username": "bench", "password": "bench", "csrf_token": token, "next": "/"}
        )
        pages = {
            "overview": ("/", {}),
            "search": ("/", {"q": "P-1002", "sort": "ltb_cost", "dir": "desc"}),
            "export": ("/export.csv", {"type": "discontinuance"}),
            "excel": ("/export.xlsx", {"type": "discontinuance"}),
        }
        out = {}
        for name, (path, params) in pages.items():
            assert client.get(path, params=params).status_code == 200  # warm-up
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                assert client.get(path, params=params).status_code == 200
                times.append(time.perf_counter() - started)
            out[name] = statistics.median(times)
        times = []
        for n in history(repeat, [p[1] for p in PARTS], today):  # a notice read again: a new snapshot
            with engine.begin() as conn:
                write_notice(conn, n, source_event_id=1, partition_day=today)
            started = time.perf_counter()
            assert client.get("/").status_code == 200
            times.append(time.perf_counter() - started)
        out["overview after a write"] = statistics.median(times)
        return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for count in args.notices:
        times = measure(count, args.repeat)
        print(f"{count:>6} notices: " + ", ".join(f"{k} {v * 1000:,.0f} ms" for k, v in times.items()))


if __name__ == "__main__":
    main()
