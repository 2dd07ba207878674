"""Sensors: new landing events, finished runs, a new BOM, failed runs.

Sensor ticks do no heavy work: the landing sensor asks one indexed query for
the days holding events newer than its cursor; the inbox sensor looks at the
mailbox and leaves fetching to the ``inbox`` job.
"""

import dagster as dg

from radar_pipeline.clock import utc_today
from radar_pipeline.orchestration.assets import bom
from radar_pipeline.orchestration.inbox import inbox as inbox_job
from radar_pipeline.orchestration.jobs import process_landing_events, refresh_exposure_report
from radar_pipeline.orchestration.lanes import FRESH
from radar_pipeline.orchestration.partitions import FIRST_DAY
from radar_pipeline.orchestration.resources import InboxResource, LlmResource, NotifierResource, RadarDatabase

_ACTIVE = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def _day_runs(
    context: dg.SensorEvaluationContext, pending: dict, key_prefix: str, tags: dict[str, str]
) -> list[dg.RunRequest]:
    """One run per pending day; the cursor moves to the highest id seen.

    Run key = partition + highest id: a retried tick asks for the same run, and Dagster skips it.
    Events on a day before the first partition (``RADAR_HISTORY_START`` moved later after they
    landed) belong to no partition: the tick says so, naming the setting, and asks for no run;
    a day after today (another host's clock ahead) is today's partition.
    """
    before = sorted(day for day in pending if day < FIRST_DAY)
    if before:
        context.log.warning(
            f"landing events on {len(before)} day(s) from {before[0]} to {before[-1]} are before the first "
            f"daily partition {FIRST_DAY}: not processed; set RADAR_HISTORY_START={before[0]} to process them"
        )
    today = utc_today()
    requests = [
        dg.RunRequest(
            partition_key=min(day, today).isoformat(),
            run_key=f"{key_prefix}{day.isoformat()}:{max_id}",
            tags=tags,
        )
        for day, max_id in sorted(pending.items())
        if day >= FIRST_DAY
    ]
    context.update_cursor(str(max(pending.values())))
    return requests


@dg.sensor(
    job=process_landing_events,
    minimum_interval_seconds=2,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="One run per day-partition holding new landing events; cursor = highest landing id seen.",
)
def landing_sensor(context: dg.SensorEvaluationContext, database: RadarDatabase, llm: LlmResource):
    from radar_pipeline.landing import LandingStore

    cursor = int(context.cursor or 0)
    pending = LandingStore(database.engine()).pending_days(after_id=cursor)
    if not pending:
        return dg.SkipReason(f"no landing event after id {cursor}")
    return _day_runs(context, pending, "", {**FRESH, **({"radar/llm": "true"} if llm.api_key else {})})


def _storage_id(cursor: str | None) -> int:
    """The cursor: the storage id of the newest run success the last report covers (0 for none, and for
    the cursor of the run-status sensor this one replaced)."""
    return int(cursor) if cursor and cursor.isdigit() else 0


@dg.sensor(
    job=refresh_exposure_report,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=2,
    description="Once a burst of notice runs is over (none queued or running), refresh the report of all "
    "open notices: one report after the burst, not one per run; cursor = the newest run success seen.",
)
def report_after_processing(context: dg.SensorEvaluationContext):
    """Coalesced: while a notice run is queued or running the tick waits, so the report never takes a core
    from a fresh run and a burst of N runs costs one report."""
    job = process_landing_events.name
    if context.instance.get_run_records(filters=dg.RunsFilter(job_name=job, statuses=_ACTIVE), limit=1):
        return dg.SkipReason("notice runs are queued or running: the report follows once they are done")
    successes = dg.RunStatusChangeRecordsFilter(
        dg.DagsterEventType.RUN_SUCCESS, after_storage_id=_storage_id(context.cursor)
    )
    records = context.instance.fetch_run_status_changes(successes, limit=100, ascending=False).records
    if not records:
        return dg.SkipReason("no run finished since the last report")
    context.update_cursor(str(records[0].storage_id))
    notice_runs = [r for r in records if r.event_log_entry.job_name == job]
    if not notice_runs:
        return dg.SkipReason("no notice run finished since the last report")
    return dg.RunRequest(run_key=f"report-after-{notice_runs[0].run_id}")


@dg.asset_sensor(
    asset_key=bom.key,
    job=refresh_exposure_report,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=5,
    description="A new BOM or forecast makes every open notice's exposure current again.",
)
def bom_import_sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    return dg.RunRequest(run_key=f"bom-{asset_event.run_id}-{asset_event.timestamp}")


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=5,
    description="Failed runs are reported through the notifier.",
)
def run_failure_alert(context: dg.RunFailureSensorContext, notifier: NotifierResource):
    from radar_pipeline.notify.senders import Mail

    run = context.dagster_run
    error = context.failure_event.message if context.failure_event else "unknown error"
    partition = run.tags.get("dagster/partition", "-")
    for recipient in notifier.recipient_list() or ["operators@localhost"]:
        notifier.client().send(
            Mail(
                to=recipient,
                subject=f"[radar] run failed: {run.job_name} (partition {partition})",
                text=f"Run {run.run_id} of job {run.job_name} failed.\nPartition: {partition}\n\n{error}\n",
                key=f"run-failure:{run.run_id}:{recipient}",
            )
        )


@dg.sensor(
    job=inbox_job,
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Looks for new mail (IMAP STATUS, Maildir listing) and asks the inbox job to land it; "
    "the tick fetches nothing.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, database: RadarDatabase, inbox: InboxResource):
    """No run key: a run that failed before landing anything must be asked for again while the mailbox
    looks the same. Overlap is avoided by waiting for the active inbox run; a second run would land nothing
    twice anyway (cursor and landing dedup)."""
    mailbox = inbox.inbox(database.engine())
    if mailbox is None:
        context.log.info("inbox sensor idle: neither RADAR_MAILDIR nor RADAR_IMAP_URL is set")
        return dg.SkipReason("no inbox configured (set RADAR_MAILDIR or RADAR_IMAP_URL)")
    active = dg.RunsFilter(job_name=inbox_job.name, statuses=_ACTIVE)
    if context.instance.get_run_records(filters=active, limit=1):
        return dg.SkipReason("an inbox run is still landing mail")
    check = mailbox.check()  # bounded by RADAR_INBOX_CHECK_TIMEOUT; a slow server fails the tick
    context.log.info(str(check))
    if not check.waiting:
        return dg.SkipReason(str(check))
    return dg.RunRequest(tags={"radar/trigger": "inbox"})  # the inbox job's tags: fresh


@dg.sensor(
    job=process_landing_events,
    minimum_interval_seconds=5,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="An analyst's correction or review decision re-materializes its day (and then the report); "
    "cursor = highest decision id seen.",
)
def review_decision_sensor(context: dg.SensorEvaluationContext, database: RadarDatabase, llm: LlmResource):
    from radar_pipeline.review.corrections import pending_decision_days

    cursor = int(context.cursor or 0)
    pending = pending_decision_days(database.engine(), after_id=cursor, unapplied_only=False)
    if not pending:
        return dg.SkipReason(f"no review decision after id {cursor}")
    tags = {"radar/trigger": "review", **FRESH, **({"radar/llm": "true"} if llm.api_key else {})}
    return _day_runs(context, pending, "review-", tags)
