"""Time is UTC everywhere: partition days and "today" never depend on the host's time zone.

``date.today()`` is the host's local date: west of UTC it is still yesterday for hours
after 00:00 UTC, when today's events already land in today's (UTC) partition.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_today() -> date:
    """Today's date in UTC: the newest daily partition, and the default as-of date."""
    return datetime.now(UTC).date()
