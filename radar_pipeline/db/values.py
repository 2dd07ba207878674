"""Coercions for values read back from either backend (SQLite returns text for dates)."""

from __future__ import annotations

import re
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


# What a text column cannot hold (NUL), or UTF-8 cannot encode (a lone surrogate, e.g. from a JSON
# "\ud800" escape), and control characters no reader needs. Form feed and vertical tab end a line.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_REPLACEMENT = {"\x0b": "\n", "\x0c": "\n"}


def _replace(match: re.Match) -> str:
    char = match.group()
    return _REPLACEMENT.get(char, "\ufffd" if char >= "\ud800" else "")


def storable(value):
    """``value`` with every string in it (dict keys too) cleaned of what the database cannot store.

    Applied where outside text is first written (a document's row, an event's reason): everything
    downstream reads that row, so a hostile byte cannot fail a later step's write.
    """
    if isinstance(value, str):
        return _UNSTORABLE.sub(_replace, value) if _UNSTORABLE.search(value) else value
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value
