"""The hand-over from a request to the landing table, shared by every route."""

from __future__ import annotations

import asyncio
import logging
import time

from fastapi import Request

from radar_pipeline.config import Settings
from radar_pipeline.gateway.errors import ApiError
from radar_pipeline.gateway.metrics import COMMIT_SECONDS, DUPLICATES
from radar_pipeline.landing import GroupCommitter, IncomingEvent, Landed

log = logging.getLogger("radar.gateway")
COMMIT_TIMEOUT_SECONDS = 20.0


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


async def commit(request: Request, event: IncomingEvent) -> Landed:
    """Durably land ``event``; 503 (and nothing acknowledged) when the database fails."""
    committer: GroupCommitter = request.app.state.committer
    started = time.perf_counter()
    try:
        async with asyncio.timeout(COMMIT_TIMEOUT_SECONDS):  # no extra task per request, unlike wait_for
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
        DUPLICATES.labels(event.source).inc()
    return landed
