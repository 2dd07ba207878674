"""Days read by an older extractor: what the nightly re-extraction brings up to date, oldest first."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, select

from radar_pipeline.db.schema import documents, extraction_days
from radar_pipeline.db.values import as_date


def stale_days(engine: Engine, version: str, limit: int | None = None) -> list[date]:
    """Days holding documents whose extraction was made by another version (or never), oldest first."""
    with engine.connect() as conn:
        have = {as_date(d) for (d,) in conn.execute(select(documents.c.partition_day).distinct())}
        read = {
            as_date(d): v
            for d, v in conn.execute(
                select(extraction_days.c.partition_day, extraction_days.c.extractor_version)
            )
        }
    days = sorted(d for d in have if read.get(d) != version)
    return days[:limit] if limit else days


def contiguous_ranges(days: list[date], longest: int | None = None) -> list[tuple[date, date]]:
    """``[d1, d2, d3, d7]`` → ``[(d1, d3), (d7, d7)]``: each range is one single-run backfill;
    with ``longest``, no range holds more days than that."""
    out: list[tuple[date, date]] = []
    for day in sorted(days):
        if (
            out
            and day == out[-1][1] + timedelta(days=1)
            and (longest is None or (day - out[-1][0]).days < longest)
        ):
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out
