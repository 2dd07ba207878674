"""Stored notices: one row per (manufacturer, notice number), whatever channel brought it.

Which reading a row holds is settled by ``notices.readings`` (trust first, then the newest event),
so re-running an old partition never overwrites a later or a more trusted reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, and_, delete, insert, select, update

from radar_pipeline.db.schema import notice_parts, notices
from radar_pipeline.db.values import as_date, frame_of
from radar_pipeline.notices.model import Notice


def write_notice(
    conn: Connection,
    notice: Notice,
    source_event_id: int,
    partition_day: date,
    extraction_id: int | None = None,
    correction_ids: list[int] | None = None,
    corrected_by: str | None = None,
) -> int:
    """Store ``notice`` as the reading of event ``source_event_id`` (its day's); returns its row id,
    which stays the same however often the notice is written again.

    ``correction_ids`` and ``corrected_by`` name the analysts' corrections applied to it (lineage).
    """
    key = notice.manufacturer_key
    row = conn.execute(
        select(notices.c.id).where(
            and_(notices.c.manufacturer_key == key, notices.c.notice_number == notice.notice_number)
        )
    ).first()
    values = {
        "manufacturer": notice.manufacturer,
        "notice_type": notice.notice_type.value,
        "issue_date": notice.issue_date,
        "last_time_buy_date": notice.last_time_buy_date,
        "last_ship_date": notice.last_ship_date,
        "extractor": notice.extractor,
        "confidence": notice.confidence,
        "warnings": list(notice.warnings),
        "source_event_id": source_event_id,
        "extraction_id": extraction_id,
        "partition_day": partition_day,
        "updated_at": datetime.now(UTC),
        "correction_ids": list(correction_ids) if correction_ids else None,
        "corrected_by": corrected_by,
        "change": notice.change.model_dump(mode="json") if notice.change else None,
    }
    if row is None:
        notice_id = conn.execute(
            insert(notices)
            .values(manufacturer_key=key, notice_number=notice.notice_number, **values)
            .returning(notices.c.id)
        ).scalar_one()
    else:
        notice_id = row.id
        conn.execute(update(notices).where(notices.c.id == notice_id).values(**values))
        conn.execute(delete(notice_parts).where(notice_parts.c.notice_id == notice_id))
    rows = [(p.mpn, p.replacement_mpn) for p in notice.parts] + [(x, None) for x in notice.patterns]
    if rows:  # patterns are stored as parts with wildcards; matching gives them family matches only
        conn.execute(
            insert(notice_parts),
            [
                {
                    "notice_id": notice_id,
                    "position": i,
                    "mpn": mpn,
                    "replacement_mpn": replacement,
                    "partition_day": partition_day,
                }
                for i, (mpn, replacement) in enumerate(rows)
            ],
        )
    return int(notice_id)


def load_notices(engine: Engine, days: Sequence[date] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The notices of ``days`` (every stored notice when ``None``) and their parts, as DataFrames.

    One query per table, filtered in SQL: a day's run reads its day, never the history.
    """
    n = notices.c
    q = select(
        n.id.label("notice_id"),
        n.notice_number,
        n.manufacturer,
        n.notice_type,
        n.issue_date,
        n.last_time_buy_date,
        n.last_ship_date,
        n.source_event_id,
        n.extractor,
        n.confidence,
        n.extraction_id,
        n.partition_day,
        n.corrected_by,
        n.correction_ids,
    ).order_by(n.id)
    p = notice_parts.c
    parts_q = select(p.notice_id, p.mpn, p.replacement_mpn).order_by(p.notice_id, p.position)
    if days is not None:
        q = q.where(n.partition_day.in_(list(days)))
        parts_q = parts_q.where(p.partition_day.in_(list(days)))
    with engine.connect() as conn:
        frame = frame_of(conn.execute(q), list(q.selected_columns.keys()))
        parts = frame_of(conn.execute(parts_q), ["notice_id", "mpn", "replacement_mpn"])
    for col in ("issue_date", "last_time_buy_date", "last_ship_date", "partition_day"):
        frame[col] = frame[col].map(as_date).astype(object)
    from radar_pipeline.review.queue import notice_review_states, review_state

    states = notice_review_states(engine, days)
    corrected = frame.pop("correction_ids").map(bool) if len(frame) else pd.Series([], dtype=bool)
    frame["review"] = (
        [review_state(i, c, states) for i, c in zip(frame["notice_id"], corrected, strict=True)]
        if len(frame)
        else []
    )
    return frame, parts


def load_discontinued(engine: Engine) -> pd.DataFrame:
    """``mpn, last_time_buy_date`` of every part named by a stored discontinuance notice: whether a
    part's approved alternate is still sold (exposure/alternates.py) asks every notice, not a day's."""
    n, p = notices.c, notice_parts.c
    q = (
        select(p.mpn, n.last_time_buy_date)
        .select_from(notice_parts.join(notices, notices.c.id == p.notice_id))
        .where(n.notice_type == "discontinuance")
    )
    with engine.connect() as conn:
        frame = frame_of(conn.execute(q), ["mpn", "last_time_buy_date"])
    frame["last_time_buy_date"] = frame["last_time_buy_date"].map(as_date).astype(object)
    return frame
