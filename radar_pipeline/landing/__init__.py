"""The landing table: the one durable queue that every channel writes to first."""

from radar_pipeline.landing.committer import GroupCommitter
from radar_pipeline.landing.days import clamp_day
from radar_pipeline.landing.store import EventStatus, IncomingEvent, Landed, LandingStore

__all__ = ["EventStatus", "GroupCommitter", "IncomingEvent", "Landed", "LandingStore", "clamp_day"]
