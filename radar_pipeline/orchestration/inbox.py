"""The ``inbox`` job: fetch new mail and land it, in a run rather than in a sensor tick.

The inbox sensor only looks (``check()``); fetching can take minutes on a slow
server or a full mailbox, which would hold up every other sensor's tick. A run
lands batch after batch until nothing waits; the cursor is saved after each
message, so a run that dies is safe to run again (the landing dedup drops what
was landed twice). The landing sensor then processes what arrived, as for any
channel.
"""

import dagster as dg

from radar_pipeline.orchestration.lanes import FRESH
from radar_pipeline.orchestration.resources import InboxResource, RadarDatabase


@dg.op(description="Land every message waiting in the inbox (Maildir or IMAP), batch by batch.")
def land_new_mail(context: dg.OpExecutionContext, database: RadarDatabase, inbox: InboxResource) -> dg.Output:
    mailbox = inbox.inbox(database.engine())
    if mailbox is None:
        raise dg.Failure("no inbox configured (set RADAR_MAILDIR or RADAR_IMAP_URL)")
    landed = duplicates = batches = 0
    while True:
        result = mailbox.poll()
        context.log.info(str(result))
        landed, duplicates, batches = landed + result.landed, duplicates + result.duplicates, batches + 1
        if not result.more_waiting:
            break
    return dg.Output(
        None,
        metadata={"mailbox": mailbox.name, "landed": landed, "duplicates": duplicates, "batches": batches},
    )


@dg.job(
    executor_def=dg.in_process_executor,
    tags=FRESH,
    description="Fetch new mail and land it (the inbox sensor asks).",
)
def inbox() -> None:
    land_new_mail()
