"""Coercions for values read back from either backend (SQLite returns text for dates)."""

from __future__ import annotations

from datetime import date


def as_date(value) -> date | None:
    """A ``date`` from a date, ISO text or a missing value."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def frame_of(result, columns: list[str]):
    """A DataFrame from a SQLAlchemy result, through plain tuples (pandas probes ``Row`` objects
    as mappings cell by cell, which made loading a 200,000-line BOM take seconds)."""
    import pandas as pd

    return pd.DataFrame([tuple(r) for r in result], columns=columns)
