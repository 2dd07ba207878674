"""What ``radar correct`` and ``radar review accept`` do, for the command line and the analysts' desk.

One code path for both faces: the same validation, the same ``CorrectionError`` messages, the
same stored decision and the same sentence about what happens next.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine

from radar_pipeline.review.corrections import (
    CorrectionError,
    changes_from_json_file,
    changes_from_options,
    changes_from_reading,
    corrections_so_far,
    record_accept,
    record_correction,
    said,
)


def after_decision(day: date, what: str) -> str:
    return (
        f"{what}; day {day} is re-materialized by the sensor while the daemon runs "
        "(or now, in the foreground: `radar process`)"
    )


def correct(
    engine: Engine,
    notice_number: str,
    by: str,
    *,
    parts: Sequence[str] = (),
    remove: Sequence[str] = (),
    ltb: str | None = None,
    last_ship: str | None = None,
    notice_type: str | None = None,
    categories: Sequence[str] = (),
    effective: str | None = None,
    response_deadline: str | None = None,
    note: str | None = None,
    manufacturer: str | None = None,
    event_id: int | None = None,
    from_json: str | None = None,
) -> str:
    """Store a correction; returns what was done. ``CorrectionError`` on bad input, nothing stored."""
    if from_json:
        if parts or remove or ltb or last_ship or notice_type or categories or effective or response_deadline:
            raise CorrectionError("--from-json gives the whole notice: no other field options with it")
        changes, data = changes_from_json_file(from_json)
        number = str(data.get("notice_number") or notice_number)
        if number != notice_number:
            raise CorrectionError(f"{from_json} is notice {number}, not {notice_number}")
        manufacturer = manufacturer or data.get("manufacturer")
    else:
        changes = changes_from_options(
            tuple(parts),
            tuple(remove),
            ltb,
            last_ship,
            notice_type,
            tuple(categories),
            effective,
            response_deadline,
        )
    decision, target = record_correction(engine, notice_number, changes, by, note, manufacturer, event_id)
    made = "" if target.exists else f" (new notice of {target.manufacturer}, from event {target.event_id})"
    count = corrections_so_far(engine, target, decision)
    return after_decision(
        target.partition_day, f"correction {count} of {notice_number}{made}: {changes.describe()}"
    )


def accept(
    engine: Engine,
    notice_number: str | None,
    by: str,
    note: str | None = None,
    manufacturer: str | None = None,
    event_id: int | None = None,
) -> str:
    """Close a review item without changes; returns what was done. ``CorrectionError`` on bad input."""
    decision, target = record_accept(engine, notice_number, by, note, manufacturer, event_id)
    what = notice_number or f"event {event_id}"
    return after_decision(target.partition_day, f"{what} accepted (review decision {decision})")


def take(
    engine: Engine,
    notice_number: str,
    by: str,
    event_id: int,
    note: str | None = None,
    manufacturer: str | None = None,
) -> str:
    """Settle conflicting readings by taking what event ``event_id`` read (its type, dates and parts):
    a correction, so it sticks across re-reads. ``CorrectionError`` when that event has no such reading."""
    from radar_pipeline.notices.model import manufacturer_key
    from radar_pipeline.notices.readings import reading_of_event

    with engine.connect() as conn:
        notice = reading_of_event(
            conn, notice_number, event_id, manufacturer_key(manufacturer) if manufacturer else None
        )
    if notice is None:
        raise CorrectionError(
            f"event {event_id} gave no reading of notice {said(notice_number)} (see `radar review`)"
        )
    changes = changes_from_reading(notice)
    decision, target = record_correction(engine, notice_number, changes, by, note, manufacturer, event_id)
    count = corrections_so_far(engine, target, decision)
    return after_decision(
        target.partition_day,
        f"correction {count} of {notice_number}: took the reading of event {event_id} ({changes.describe()})",
    )
