"""Which day an event belongs to: the partition rule, shared by landing and the asset graph."""

from __future__ import annotations

from datetime import date

#: The first day of the daily partitions; about 4,000 days to now, well under Dagster's advice.
FIRST_DAY = date(2015, 1, 1)


def clamp_day(day: date) -> date:
    """Days outside the partitions (a mail dated 1999, or tomorrow) land on the nearest valid one."""
    return min(max(day, FIRST_DAY), date.today())
