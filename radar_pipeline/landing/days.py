"""Which day an event lands on (UTC): the partition rule, shared by the channels and the asset graph."""

from __future__ import annotations

from datetime import UTC, date, datetime


class BeforeHistory(ValueError):
    """An event dated before the first daily partition: no run would ever read it, so it is not landed.

    Moving it to another day would hide where it belongs; the message names the setting that makes
    its day a partition.
    """

    def __init__(self, day: date, first_day: date) -> None:
        self.day, self.first_day = day, first_day
        super().__init__(
            f"dated {day.isoformat()}, before the first daily partition {first_day.isoformat()}; "
            f"set RADAR_HISTORY_START={day.isoformat()} (or earlier) to land it"
        )


def landing_instant(when: datetime | None, first_day: date) -> datetime:
    """When an event dated ``when`` (a mail's own date) lands: at that instant, in UTC.

    Undated, or dated in the future (the sender's clock is ahead): now. Dated before ``first_day``:
    ``BeforeHistory``, never a silent move to another day.
    """
    now = datetime.now(UTC)
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # a date without a zone is read as UTC, never as the host's
    instant = now if when is None else min(when.astimezone(UTC), now)
    if instant.date() < first_day:
        raise BeforeHistory(instant.date(), first_day)
    return instant
