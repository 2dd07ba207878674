"""Fresh events first: the tags the sensors and schedules put on their runs, the run queue's limits from
``dagster.yaml``, and one report refresh after a burst of notice runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
from dagster._utils.tags import TagConcurrencyLimitsCounter

from radar_pipeline.orchestration.empty_days import empty_days_sensor
from radar_pipeline.orchestration.inbox import inbox
from radar_pipeline.orchestration.instance import instance_yaml
from radar_pipeline.orchestration.jobs import (
    process_landing_events,
    reextract_stale_days,
    refresh_exposure_report,
)
from radar_pipeline.orchestration.resources import InboxResource, LlmResource, RadarDatabase
from radar_pipeline.orchestration.sensors import inbox_sensor, landing_sensor, report_after_processing
from radar_pipeline.pipeline.steps import decode_days
from radar_pipeline_tests.pipeline_support import engine_for, land_webhook, se_payload
from radar_pipeline_tests.support import simple_mail

PRIORITY, LANE = "dagster/priority", "radar/lane"


def run_tags(job: dg.JobDefinition, request: dg.RunRequest) -> dict[str, str]:
    """The tags of the run a request makes: the job's, then the request's (as Dagster merges them)."""
    return {**job.tags, **request.tags}


def requests_of(sqlite_url: str, tmp_path: Path) -> dict[str, list[dict[str, str]]]:
    """Every kind of run the radar asks for, with the tags its run would carry."""
    engine = engine_for(sqlite_url)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", date(2026, 11, 2))
    decode_days(engine, [date(2026, 11, 2)])  # read by no extractor yet: stale for the nightly schedule
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1.M1.test").write_bytes(simple_mail(1))
    database = RadarDatabase(url=sqlite_url)
    resources = {"database": database, "llm": LlmResource(), "inbox": InboxResource(maildir=str(maildir))}
    instance = dg.DagsterInstance.ephemeral()
    got = {}
    for name, sensor, job in (
        ("landing", landing_sensor, process_landing_events),
        ("inbox", inbox_sensor, inbox),
        ("quiet days", empty_days_sensor, process_landing_events),
    ):
        with dg.build_sensor_context(instance=instance, resources=resources) as context:
            result = sensor(context)
        requests = result if isinstance(result, list) else [result]
        assert requests and all(isinstance(r, dg.RunRequest) for r in requests), (name, result)
        got[name] = [run_tags(job, r) for r in requests]
    with dg.build_schedule_context(
        scheduled_execution_time=None, resources={"database": database}
    ) as context:
        got["re-extraction"] = [run_tags(process_landing_events, r) for r in reextract_stale_days(context)]
    got["report"] = [dict(refresh_exposure_report.tags)]
    return got


def test_fresh_runs_carry_the_highest_priority_and_history_the_background_lane(sqlite_url, tmp_path):
    got = requests_of(sqlite_url, tmp_path)
    priority = {name: {int(tags[PRIORITY]) for tags in runs} for name, runs in got.items()}
    lane = {name: {tags[LANE] for tags in runs} for name, runs in got.items()}
    assert priority["landing"] == priority["inbox"] == {10}
    assert lane["landing"] == lane["inbox"] == {"fresh"}
    # below fresh runs and below a UI backfill's default priority (0): the report first, then history
    assert priority["report"] == {-5}
    assert priority["quiet days"] == priority["re-extraction"] == {-10}
    assert lane["report"] == lane["quiet days"] == lane["re-extraction"] == {"background"}
    assert len(got["quiet days"]) > 1  # a catch-up of many ranges, every one of them in the background lane


def queue_limits(tmp_path: Path) -> list[dict]:
    """The tag concurrency limits of the run queue, as Dagster loads them from our ``dagster.yaml``."""
    (tmp_path / "dagster.yaml").write_text(instance_yaml(postgres=False))
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        return list(instance.run_coordinator.get_run_queue_config().tag_concurrency_limits)


def dequeue(limits: list[dict], in_progress: list[dg.DagsterRun], queued: list[dg.DagsterRun]) -> list[str]:
    """The runs the queue daemon launches now, in its way: highest priority first, a run blocked by a tag
    limit left queued (Dagster's own counter of in-progress runs per tag)."""
    counter = TagConcurrencyLimitsCounter(limits, in_progress)
    launched = []
    for run in sorted(queued, key=lambda r: int(r.tags.get(PRIORITY, "0")), reverse=True):
        if not counter.is_blocked(run):
            counter.update_counters_with_launched_item(run)
            launched.append(run.run_id)
    return launched


def test_the_run_queue_keeps_the_background_lane_to_one_run_and_puts_fresh_runs_first(sqlite_url, tmp_path):
    got = requests_of(sqlite_url, tmp_path / "requests")
    limits = queue_limits(tmp_path)
    assert {"key": "radar/lane", "value": "background", "limit": 1} in limits
    assert {"key": "dagster/backfill", "limit": 1} in limits

    def run(name: str, job: str, tags: dict[str, str]) -> dg.DagsterRun:
        return dg.DagsterRun(job_name=job, run_id=name, tags=tags)

    catch_up = [run(f"quiet-{i}", "process_landing_events", tags) for i, tags in enumerate(got["quiet days"])]
    report = run("report", "refresh_exposure_report", got["report"][0])
    mail = run("inbox", "inbox", got["inbox"][0])
    landing = run("landing", "process_landing_events", got["landing"][0])
    ui_backfills = [
        run(f"ui-backfill-{i}", "process_landing_events", {"dagster/backfill": str(i)}) for i in (1, 2)
    ]
    queued = [*catch_up[1:], report, landing, mail]  # in the order they were queued
    # a catch-up run is running: history and the report wait, the inbox goes; the landing run is next in line
    # (one notice run at a time: radar/writes)
    assert dequeue(limits, [catch_up[0]], queued) == ["inbox"]
    # it is over: the landing run goes first, one background run (the report, above history) after it
    assert dequeue(limits, [], queued) == ["landing", "inbox", "report"]
    assert dequeue(limits, [], [*catch_up, report]) == ["report"]  # never two background runs at once
    assert dequeue(limits, [], ui_backfills) == ["ui-backfill-1"]  # one UI backfill at a time


def test_the_report_is_refreshed_once_after_a_burst_of_notice_runs():
    instance = dg.DagsterInstance.ephemeral()

    def start(run_id: str, job: str = "process_landing_events") -> None:
        instance.add_run(dg.DagsterRun(job_name=job, run_id=run_id, status=dg.DagsterRunStatus.STARTED))

    def succeed(run_id: str, job: str = "process_landing_events") -> None:
        """What a run's process records when it ends well: the event, and the run's status with it."""
        instance.report_dagster_event(dg.DagsterEvent(dg.DagsterEventType.RUN_SUCCESS.value, job), run_id)

    def tick(cursor):
        context = dg.build_sensor_context(instance=instance, cursor=cursor)
        return report_after_processing(context), context.cursor

    skip, cursor = tick(None)
    assert isinstance(skip, dg.SkipReason) and cursor is None  # nothing processed yet
    for run_id in ("a", "b", "c", "busy"):
        start(run_id)
    for run_id in ("a", "b", "c"):
        succeed(run_id)
    skip, same = tick(cursor)
    assert isinstance(skip, dg.SkipReason) and same is None  # a notice run is running: wait for the burst
    succeed("busy")  # the last of the burst
    start("report-1", job="refresh_exposure_report")
    succeed("report-1", job="refresh_exposure_report")  # not a notice run: no report after it
    request, cursor = tick(cursor)
    assert isinstance(request, dg.RunRequest) and request.run_key == "report-after-busy"
    skip, same = tick(cursor)
    assert isinstance(skip, dg.SkipReason) and same == cursor  # one report for the burst of four
    start("later")
    succeed("later")
    request, _ = tick(cursor)
    assert request.run_key == "report-after-later"
    # the cursor of the run-status sensor this one replaced (JSON) starts it afresh: one report
    request, _ = tick('{"record_id": 7, "update_timestamp": "2026-11-02T00:00:00"}')
    assert request.run_key == "report-after-later"
