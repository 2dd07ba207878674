"""The hand-over from a request to the landing table, shared by every route."""

from __future__ import annotations

import logging
import time

from radar_pipeline.gateway.errors import ApiError
from radar_pipeline.gateway.metrics import COMMIT_SECONDS, duplicates_of
from radar_pipeline.landing import GroupCommitter, IncomingEvent, Landed

log = logging.getLogger("radar.gateway")


async def land(committer: GroupCommitter, event: IncomingEvent) -> Landed:
    """Durably land ``event``; 503 (and nothing acknowledged) when the database fails.

    The committer answers within its commit timeout, with the row's id or with why
    it was not stored; a key this process has already seen committed is answered
    from memory (the database confirmed it earlier).
    """
    started = time.perf_counter()
    try:
        landed = await committer.submit(event)
    except Exception as exc:  # any failure to commit: the sender must retry
        log.error("landing commit failed for source=%s: %s", event.source, type(exc).__name__)
        raise ApiError(
            503,
            "database_unavailable",
            "the event could not be stored; retry later",
            headers={"Retry-After": "5"},
        ) from None
    COMMIT_SECONDS.observe(time.perf_counter() - started)
    if landed.duplicate:
        duplicates_of(event.source).inc()
    return landed
