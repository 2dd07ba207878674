"""Time is UTC: partition days and "today" on a host whose local date is not UTC's; the first partition.

There is no faketime here, so the host's date is made to differ from UTC's by its zone: a
subprocess runs with ``TZ`` set to a zone whose date, right now, is not the UTC date
(Kiritimati is UTC+14, Etc/GMT+12 is UTC-12: at every hour one of them is a day off).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from radar_pipeline.db import open_database
from radar_pipeline.harness.processes import radar_env, run_radar
from radar_pipeline.landing import LandingStore
from radar_pipeline_tests.pipeline_support import company, land_webhook, materialize_day, se_payload

ZONES = ["America/Los_Angeles", "Pacific/Kiritimati", "Etc/GMT+12"]


def utc_today() -> date:
    return datetime.now(UTC).date()


def other_date_zone() -> str:
    """A zone whose local date differs from the UTC date now (the case the old code got wrong)."""
    return next(z for z in ZONES if datetime.now(ZoneInfo(z)).date() != utc_today())


def python(script: str, database_url: str, cwd: Path | None = None, **env: str) -> dict:
    """Run ``script`` in a fresh interpreter with ``env`` (e.g. ``TZ``); it prints one JSON object."""
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=radar_env(database_url, **env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def mail(date_header: datetime, message_id: str) -> bytes:
    return (
        f"From: pcn@maker.example\r\nTo: radar@example.com\r\nSubject: PCN {message_id}\r\n"
        f"Message-ID: <{message_id}@maker.example>\r\nDate: {format_datetime(date_header)}\r\n\r\n"
        "Notice of discontinuance.\r\n"
    ).encode()


def test_at_every_hour_one_zone_has_another_date():
    assert other_date_zone() in ZONES


SENSOR_AND_AS_OF = """
import json, os
from datetime import date
import dagster as dg
from radar_pipeline.db import open_database
from radar_pipeline.landing import IncomingEvent, LandingStore
from radar_pipeline.orchestration.resources import ExposureSettings, LlmResource, RadarDatabase
from radar_pipeline.orchestration.sensors import landing_sensor

url = os.environ["RADAR_DATABASE_URL"]
LandingStore(open_database(url)).land(IncomingEvent("siliconexpert", "now-1", "application/json", b"{}"))
resources = {"database": RadarDatabase(url=url), "llm": LlmResource()}
with dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral(), resources=resources) as ctx:
    (request,) = landing_sensor(ctx)
print(json.dumps({"partition": request.partition_key, "as_of": ExposureSettings().as_of().isoformat(),
                  "local": date.today().isoformat()}))
"""


@pytest.mark.parametrize("zone", ZONES + ["other-date"])
def test_an_event_received_now_asks_for_the_utc_days_partition(zone, sqlite_url):
    """Received now, an event is in today's UTC partition: the sensor asks for that one (not the host's
    date, which west of UTC is yesterday for hours), and the exposure's as-of date is the UTC date."""
    zone = other_date_zone() if zone == "other-date" else zone
    before = utc_today()
    seen = python(SENSOR_AND_AS_OF, sqlite_url, TZ=zone)
    today = {before.isoformat(), utc_today().isoformat()}  # a run across 00:00 UTC may see either
    assert seen["local"] == datetime.now(ZoneInfo(zone)).date().isoformat()  # the zone took effect
    assert seen["partition"] in today and seen["as_of"] in today


def test_radar_exposure_counts_days_to_ltb_from_the_utc_date(sqlite_url, tmp_path):
    engine = open_database(sqlite_url)
    company(engine, tmp_path)
    today = utc_today()
    ltb = today + timedelta(days=120)
    land_webhook(engine, se_payload("PDN-UTC-1", ["LM317T/NOPB"], ltb=ltb.isoformat()), "utc-1", today)
    assert materialize_day(sqlite_url, tmp_path, today).success
    for zone in [*ZONES, other_date_zone()]:
        before = utc_today()
        out = run_radar(["exposure", "--format", "json"], sqlite_url, tmp_path, TZ=zone)
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        as_of = date.fromisoformat(report["as_of"])
        assert as_of in {before, utc_today()}, zone
        (notice,) = [n for n in report["notices"] if n["notice_number"] == "PDN-UTC-1"]
        assert notice["days_to_ltb"] == (ltb - as_of).days, zone


@pytest.mark.parametrize("zone", ZONES + ["other-date"])
def test_ingested_mail_lands_on_its_utc_day_and_future_mail_lands_now(zone, sqlite_url, tmp_path):
    """A mail sent a moment ago lands at its own instant, in its UTC day; a mail dated tomorrow (UTC; the
    sender's clock ahead) lands now, in today's partition, never in one that does not exist yet, even
    where the host's date is already tomorrow."""
    zone = other_date_zone() if zone == "other-date" else zone
    now = datetime.now(UTC).replace(microsecond=0)
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "recent.eml").write_bytes(mail(now - timedelta(seconds=1), "recent"))
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
    (folder / "skewed.eml").write_bytes(mail(tomorrow + timedelta(minutes=1), "skewed"))  # east: local today
    out = run_radar(["ingest", str(folder)], sqlite_url, tmp_path, TZ=zone)
    assert out.returncode == 0, out.stderr
    after = datetime.now(UTC)
    events = {e["dedup_key"]: e for e in LandingStore(open_database(sqlite_url)).list_events()}
    recent = datetime.fromisoformat(events["<recent@maker.example>"]["received_at"])
    skewed = datetime.fromisoformat(events["<skewed@maker.example>"]["received_at"])
    assert recent == now - timedelta(seconds=1)
    assert now <= skewed <= after
    assert f"(day {recent.date()})" in out.stdout and f"(day {skewed.date()})" in out.stdout


def test_ingest_refuses_mail_older_than_the_first_partition_and_names_the_setting(sqlite_url, tmp_path):
    today = utc_today()
    start, old_day = today - timedelta(days=30), today - timedelta(days=60)
    folder = tmp_path / "old"
    folder.mkdir()
    old = datetime(old_day.year, old_day.month, old_day.day, 9, tzinfo=UTC)
    (folder / "old.eml").write_bytes(mail(old, "old"))
    history = {"RADAR_HISTORY_START": start.isoformat()}
    out = run_radar(["ingest", str(folder)], sqlite_url, tmp_path, **history)
    assert out.returncode == 1
    assert f"RADAR_HISTORY_START={old_day.isoformat()}" in out.stderr and "not landed" in out.stderr
    assert LandingStore(open_database(sqlite_url)).list_events() == []
    # with a mail inside the partitions beside it, that one lands (exit 0) and the old one is still named
    recent_day = today - timedelta(days=10)
    (folder / "recent.eml").write_bytes(mail(datetime(*recent_day.timetuple()[:3], 9, tzinfo=UTC), "in"))
    out = run_radar(["ingest", str(folder)], sqlite_url, tmp_path, **history)
    assert out.returncode == 0, out.stderr
    assert "old.eml: not landed" in out.stderr
    (event,) = LandingStore(open_database(sqlite_url)).list_events()
    assert event["dedup_key"] == "<in@maker.example>"
    assert datetime.fromisoformat(event["received_at"]).date() == recent_day
    # moving the first partition back lands it on its own day
    out = run_radar(["ingest", str(folder)], sqlite_url, tmp_path, RADAR_HISTORY_START=old_day.isoformat())
    assert out.returncode == 0 and f"(day {old_day.isoformat()})" in out.stdout


PARTITIONS = """
import json
from radar_pipeline.orchestration.partitions import daily
keys = daily.get_partition_keys()
print(json.dumps({"first": keys[0], "last": keys[-1], "count": len(keys)}))
"""


def test_the_daily_partitions_run_from_history_start_to_today_utc(sqlite_url):
    zone = other_date_zone()
    today = utc_today()
    start = today - timedelta(days=45)
    seen = python(PARTITIONS, sqlite_url, TZ=zone, RADAR_HISTORY_START=start.isoformat())
    assert seen["first"] == start.isoformat() and seen["last"] in {today.isoformat(), utc_today().isoformat()}
    default = python(PARTITIONS, sqlite_url, TZ=zone, RADAR_HISTORY_START=None)
    assert default["first"] == date(utc_today().year, 1, 1).isoformat()  # 1 January of the UTC year
    future = subprocess.run(
        [sys.executable, "-c", PARTITIONS],
        env=radar_env(sqlite_url, RADAR_HISTORY_START=(today + timedelta(days=3)).isoformat()),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert future.returncode != 0 and "RADAR_HISTORY_START" in future.stderr and "future" in future.stderr


EMPTY_DAYS = """
import json, os
from datetime import UTC, datetime, timedelta
import dagster as dg
from radar_pipeline.db import open_database
from radar_pipeline.definitions import defs
from radar_pipeline.landing import IncomingEvent, LandingStore
from radar_pipeline.orchestration.assets import PIPELINE_ASSETS
from radar_pipeline.orchestration.empty_days import empty_days_sensor
from radar_pipeline.orchestration.partitions import FIRST_DAY
from radar_pipeline.orchestration.resources import RadarDatabase

url = os.environ["RADAR_DATABASE_URL"]
day = lambda n: (FIRST_DAY + timedelta(days=n)).isoformat()
noon = datetime.combine(FIRST_DAY + timedelta(days=3), datetime.min.time(), UTC) + timedelta(hours=12)
LandingStore(open_database(url)).land(IncomingEvent("siliconexpert", "e", "application/json", b"{}", noon))
instance = dg.DagsterInstance.ephemeral()
for asset in PIPELINE_ASSETS:  # day 1 processed; day 5 only partly (its run stopped after the first asset)
    instance.report_runless_asset_event(dg.AssetMaterialization(asset.key, partition=day(1)))
instance.report_runless_asset_event(dg.AssetMaterialization(PIPELINE_ASSETS[0].key, partition=day(5)))


def tick():
    with dg.build_sensor_context(instance=instance, resources={"database": RadarDatabase(url=url)}) as ctx:
        return empty_days_sensor(ctx)


requests = tick()
again = [r.run_key for r in tick()]
job = defs.resolve_job_def("process_landing_events")
ok = [job.execute_in_process(instance=instance, tags=r.tags).success for r in requests]
done = {a.key.to_user_string(): sorted(instance.get_materialized_partitions(a.key)) for a in PIPELINE_ASSETS}
print(json.dumps({"requests": [{"run_key": r.run_key, "tags": r.tags} for r in requests], "again": again,
                  "ok": ok, "done": done, "after": str(tick().skip_message)}))
"""


def test_quiet_past_days_are_materialized_as_empty_in_contiguous_single_runs(sqlite_url, tmp_path):
    """Past days without events and not fully processed are asked for, one run per contiguous range;
    a day with events is the landing sensor's, today is not over. After those runs every past day but the
    one with events is materialized for every asset, and the next tick asks for nothing."""
    today = utc_today()
    first = today - timedelta(days=20)
    day = lambda n: (first + timedelta(days=n)).isoformat()  # noqa: E731
    seen = python(
        EMPTY_DAYS,
        sqlite_url,
        cwd=tmp_path,
        RADAR_HISTORY_START=first.isoformat(),
        RADAR_OUTBOX_DIR=str(tmp_path / "outbox"),
        RADAR_REPORT_DIR=str(tmp_path / "reports"),
    )
    yesterday = (today - timedelta(days=1)).isoformat()
    # two weeks per run at most: a new event's run never waits behind a long catch-up
    ranges = [(day(0), day(0)), (day(2), day(2)), (day(4), day(17)), (day(18), yesterday)]
    assert [
        (r["tags"]["dagster/asset_partition_range_start"], r["tags"]["dagster/asset_partition_range_end"])
        for r in seen["requests"]
    ] == ranges
    assert all(r["tags"]["radar/trigger"] == "empty-days" for r in seen["requests"])
    assert seen["again"] == [r["run_key"] for r in seen["requests"]]  # a repeated tick asks for the same runs
    assert seen["ok"] == [True] * 4
    past = [day(n) for n in range(20) if n != 3]
    assert all(done == past for done in seen["done"].values()), seen["done"]
    assert "processed or has events" in seen["after"]


def test_the_inbox_dates_mail_by_arrival_so_old_mail_is_never_refused_or_dropped(sqlite_url, tmp_path):
    """The inbox lands what arrives today on today, whatever its Date says: a mail written years before
    the first partition still lands (nothing is left behind in the mailbox unexplained)."""
    from radar_pipeline.mail.inbox import MaildirInbox

    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1.M1P1.test").write_bytes(mail(datetime(2014, 3, 2, 9, tzinfo=UTC), "ancient"))
    before = datetime.now(UTC)
    result = MaildirInbox(maildir, open_database(sqlite_url)).poll()
    assert result.landed == 1
    (event,) = LandingStore(open_database(sqlite_url)).list_events()
    assert before <= datetime.fromisoformat(event["received_at"]) <= datetime.now(UTC)
