"""Kill it, starve it, duplicate it: nothing acknowledged is lost (issue 9).

Real processes and a real throwaway PostgreSQL cluster (initdb/pg_ctl); loads are
bounded in count and time and target loopback only.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select

from radar_pipeline.db import normalize_url
from radar_pipeline.db.schema import landing_events
from radar_pipeline_tests.pipeline_support import se_payload
from radar_pipeline_tests.provision import ThrowawayPostgres
from radar_pipeline_tests.support import RadarProcess, free_port, radar_env, wait_http
from radar_pipeline_tests.test_gateway import signed

pytestmark = [pytest.mark.slow, pytest.mark.chaos]


def stored_ids(url: str) -> set[str]:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            return {r[0] for r in conn.execute(select(landing_events.c.dedup_key))}
    finally:
        engine.dispose()


class Load:
    """Threads posting unique signed webhooks until stopped; every outcome is recorded with its time."""

    def __init__(self, base: str, threads: int = 8, prefix: str = "load") -> None:
        self.base, self.prefix = base, prefix
        self.outcomes: list[tuple[str, int | None, float, float]] = []  # id, status, started, ended
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]
        for t in self._threads:
            t.start()

    def _run(self, n: int) -> None:
        body = json.dumps(se_payload("PDN-LOAD", ["LM317T/NOPB"])).encode()
        with httpx.Client(timeout=10) as client:
            i = 0
            while not self._stop.is_set() and i < 20_000:
                msg_id = f"{self.prefix}-{n}-{i}"
                i += 1
                started = time.monotonic()
                try:
                    status = client.post(
                        f"{self.base}/webhooks/siliconexpert", content=body, headers=signed(body, msg_id)
                    ).status_code
                except httpx.HTTPError:
                    status = None
                with self._lock:
                    self.outcomes.append((msg_id, status, started, time.monotonic()))
                if status is None:
                    time.sleep(0.02)

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(15)

    def acknowledged(self) -> set[str]:
        return {i for i, s, _, _ in self.outcomes if s is not None and 200 <= s < 300}


def test_kill_9_under_load_loses_no_acknowledged_webhook(postgres_url, tmp_path):
    port = free_port()
    args = ["gateway", "--port", str(port), "--workers", "2"]
    gw = RadarProcess(args, radar_env(postgres_url), tmp_path, "gw1.log")
    wait_http(f"http://127.0.0.1:{port}/healthz", proc=gw.proc)
    load = Load(f"http://127.0.0.1:{port}")
    time.sleep(3)
    os.killpg(gw.proc.pid, signal.SIGKILL)  # the whole process group: master and workers
    time.sleep(1)
    load.stop()
    gw.proc.wait(10)
    acked = load.acknowledged()
    assert len(acked) > 100, "the load did not get going"
    assert acked <= stored_ids(postgres_url)
    gw2 = RadarProcess(args, radar_env(postgres_url), tmp_path, "gw2.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc=gw2.proc)
        body = json.dumps(se_payload("PDN-AFTER", ["X1"])).encode()
        assert (
            httpx.post(
                f"http://127.0.0.1:{port}/webhooks/siliconexpert",
                content=body,
                headers=signed(body, "after-restart"),
            ).status_code
            == 202
        )
    finally:
        gw2.stop()


@pytest.mark.pg_cluster
def test_postgres_stopped_under_load_only_503_then_recovers(tmp_path):
    pg = ThrowawayPostgres()
    try:
        from radar_pipeline_tests.support import running_gateway

        with running_gateway(pg.url, tmp_path) as base:
            load = Load(base, threads=6, prefix="pg")
            time.sleep(2)
            pg.stop()
            down_from = time.monotonic()
            time.sleep(3)
            down_until = time.monotonic()
            pg.start()
            recovered = time.monotonic()
            time.sleep(4)
            load.stop()
        during = [o for o in load.outcomes if o[2] > down_from and o[3] < down_until]
        assert during and {s for _, s, _, _ in during} == {503}, {s for _, s, _, _ in during}
        after = [s for _, s, started, _ in load.outcomes if started > recovered + 2]
        assert after and set(after) == {202}, "the gateway must recover by itself"
        assert load.acknowledged() <= stored_ids(pg.url)
    finally:
        pg.remove()


def test_same_delivery_three_times_concurrently_and_later(sqlite_url, tmp_path):
    from radar_pipeline_tests.support import running_gateway

    body = json.dumps(se_payload("PDN-TWICE", ["LM317T/NOPB"])).encode()
    with running_gateway(sqlite_url, tmp_path) as base:
        headers = signed(body, "dup-1")
        results: list[httpx.Response] = []
        threads = [
            threading.Thread(
                target=lambda: results.append(
                    httpx.post(f"{base}/webhooks/siliconexpert", content=body, headers=headers)
                )
            )
            for _ in range(3)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        later = httpx.post(f"{base}/webhooks/siliconexpert", content=body, headers=signed(body, "dup-1"))
    ids = {r.json()["event_id"] for r in [*results, later]}
    assert len(ids) == 1 and {r.status_code for r in [*results, later]} == {202}
    assert stored_ids(sqlite_url) == {"dup-1"}
    from radar_pipeline_tests.bom_fixture import write_bom
    from radar_pipeline_tests.support import run_radar

    env = {
        "RADAR_OUTBOX_DIR": str(tmp_path / "outbox"),
        "RADAR_NOTIFY_TO": "buyer@example.com",
        "DAGSTER_HOME": str(tmp_path / "home"),
        "RADAR_REPORT_DIR": str(tmp_path / "reports"),
    }
    assert (
        run_radar(["bom", "import", str(write_bom(tmp_path / "bom"))], sqlite_url, tmp_path, **env).returncode
        == 0
    )
    for _ in range(2):
        assert run_radar(["process"], sqlite_url, tmp_path, **env).returncode == 0
    assert (
        run_radar(
            ["backfill", "--from", date.today().isoformat(), "--to", date.today().isoformat()],
            sqlite_url,
            tmp_path,
            **env,
        ).returncode
        == 0
    )
    to_buyer = [p for p in (tmp_path / "outbox").glob("*.eml") if "To: buyer@example.com" in p.read_text()]
    assert len(to_buyer) == 1


KILL_DAY = date(2026, 11, 2)
KILL_WEBHOOKS = 1000  # extracted and written in chunks: seconds of writing to kill into
BUSINESS_TABLES = (
    "documents",
    "extractions",
    "notices",
    "notice_parts",
    "notice_matches",
    "exposure_lines",
    "notifications",
)


def prepare_kill_partition(url: str, where: Path) -> dict:
    """A BOM and one day of events (two PDF mails, many webhooks) in a fresh database; the run's env."""
    from radar_pipeline.db import open_database
    from radar_pipeline.demo.corpus import ti_pdn_email
    from radar_pipeline_tests.bom_fixture import write_bom
    from radar_pipeline_tests.pipeline_support import land_mail, land_webhook
    from radar_pipeline_tests.support import run_radar

    env = {
        "RADAR_OUTBOX_DIR": str(where / "outbox"),
        "RADAR_NOTIFY_TO": "buyer@example.com",
        "DAGSTER_HOME": str(where / "home"),
        "RADAR_REPORT_DIR": str(where / "reports"),
    }
    assert run_radar(["bom", "import", str(write_bom(where / "bom"))], url, where, **env).returncode == 0
    engine = open_database(url)
    for i in range(2):
        raw = (
            ti_pdn_email()
            .data.replace(b"pdn2026-1104@ti.com", f"pdn{i}@ti.com".encode())
            .replace(b"PDN2026-1104", f"PDN2026-110{i}".encode())
        )
        land_mail(engine, raw, f"<pdn{i}>", KILL_DAY)
    for i in range(KILL_WEBHOOKS):
        parts = ["LM317T/NOPB", "MAX3232CSE+T"] if i % 3 else [f"NOT-IN-BOM-{i}"]
        land_webhook(engine, se_payload(f"PDN-K{i}", parts), f"k{i}", KILL_DAY)
    engine.dispose()
    return env


def business_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of the business tables, comparable across databases: surrogate ids become natural keys
    (a notice is its maker and number, an extraction its event and position), timestamps and the
    outbox folder are left out."""
    from sqlalchemy import MetaData

    engine = create_engine(normalize_url(url))
    tables = MetaData()
    tables.reflect(engine, only=BUSINESS_TABLES)
    with engine.connect() as conn:
        notice = {
            r.id: (r.manufacturer_key, r.notice_number)
            for r in conn.execute(select(tables.tables["notices"]))
        }
        extraction = {
            r.id: (r.event_id, r.position) for r in conn.execute(select(tables.tables["extractions"]))
        }
        rows = {}
        for name in BUSINESS_TABLES:
            found = []
            for r in conn.execute(select(tables.tables[name])).mappings():
                row = {k: v for k, v in r.items() if k not in ("id", "updated_at")}
                if "notice_id" in row:
                    row["notice_id"] = notice.get(row["notice_id"])
                if "extraction_id" in row:
                    row["extraction_id"] = extraction.get(row["extraction_id"])
                if name == "notifications" and row["provider_id"]:
                    row["provider_id"] = Path(row["provider_id"]).name
                found.append(json.dumps(row, sort_keys=True, default=str))
            rows[name] = sorted(found)
    engine.dispose()
    return rows


def extraction_under_way(url: str, proc: subprocess.Popen, events: int, timeout: float = 600) -> dict:
    """Wait until the run has stored the day's documents and is part-way through writing extractions
    (some events processed, others not yet); the counts seen then."""
    from sqlalchemy import func

    from radar_pipeline.db.schema import documents, extractions

    engine = create_engine(normalize_url(url))
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            assert proc.poll() is None, "the run ended before it was seen writing"
            with engine.connect() as conn:
                stored = conn.execute(select(func.count()).select_from(documents)).scalar_one()
                extracted = conn.execute(
                    select(func.count(func.distinct(extractions.c.event_id)))
                ).scalar_one()
            if stored == events and 0 < extracted < events // 2:
                return {"documents": stored, "extracted_events": extracted}
            time.sleep(0.02)
    finally:
        engine.dispose()
    raise AssertionError("the run was never seen part-way through writing extractions")


def test_a_run_killed_while_writing_reruns_to_the_rows_of_an_uninterrupted_run(sqlite_url, tmp_path):
    from radar_pipeline.db.schema import extractions
    from radar_pipeline_tests.support import RADAR, run_radar

    events = KILL_WEBHOOKS + 2
    reference_dir = tmp_path / "reference"
    reference_dir.mkdir()
    reference_url = f"sqlite:///{reference_dir}/radar.db"
    env = prepare_kill_partition(reference_url, reference_dir)
    assert run_radar(["process"], reference_url, reference_dir, **env).returncode == 0
    reference = business_rows(reference_url)
    assert all(reference[name] for name in BUSINESS_TABLES), {k: len(v) for k, v in reference.items()}

    env = prepare_kill_partition(sqlite_url, tmp_path)
    proc = subprocess.Popen(
        RADAR + ["process"],
        env=radar_env(sqlite_url, **env),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        seen = extraction_under_way(sqlite_url, proc, events)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    engine = create_engine(normalize_url(sqlite_url))
    with engine.connect() as conn:
        extracted_then = {r[0] for r in conn.execute(select(extractions.c.event_id))}
        waiting = conn.execute(select(landing_events.c.id).where(landing_events.c.status == "received")).all()
    engine.dispose()
    # killed in the middle of the extraction step: some events written, others not yet
    assert seen["documents"] == events and 0 < seen["extracted_events"] <= len(extracted_then) < events
    assert waiting, "every event was processed before the kill"
    assert not business_rows(sqlite_url)["notifications"]

    assert run_radar(["process"], sqlite_url, tmp_path, **env).returncode == 0
    assert business_rows(sqlite_url) == reference
    mails = [p.read_text() for p in (tmp_path / "outbox").glob("*.eml")]
    keys = [m.split("X-Radar-Key: ")[1].split("\n")[0] for m in mails]
    assert len(keys) == len(set(keys)) == len(reference["notifications"])
