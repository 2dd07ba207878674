"""The landing table: the one durable queue that every channel writes to first."""

from radar_pipeline.landing.committer import GroupCommitter
from radar_pipeline.landing.days import BeforeHistory, landing_instant
from radar_pipeline.landing.store import EventStatus, IncomingEvent, Landed, LandingStore

__all__ = [
    "BeforeHistory",
    "EventStatus",
    "GroupCommitter",
    "IncomingEvent",
    "Landed",
    "LandingStore",
    "landing_instant",
]
