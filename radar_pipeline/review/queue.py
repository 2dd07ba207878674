"""The review queue: notices and documents that need a person, and what analysts decided.

Items are rewritten with their partition (delete + insert, like every asset row);
decisions are kept forever in ``review_decisions``. An item is ``open`` until a
decision covers it: a decision about a notice covers the items of that notice from
the event it was made on and earlier ones (a newer version of the notice that is
again unsure opens a new item); a decision made with ``--event`` covers that
document's items. An item of a notice that a newer event has since replaced is
no longer listed. A "conflicting readings" item (``kind`` ``conflict``) is the
notice's, whichever reading it holds: it is made and removed when the notice is
settled (``notices.readings``), and a decision about the notice made after that
reading arrived covers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, select

from radar_pipeline.db.schema import notices, review_items
from radar_pipeline.db.values import as_date
from radar_pipeline.review.corrections import Decision, load_decisions

STATES = ("open", "accepted", "corrected")


def _utc(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def item_state(item: dict, decisions: Sequence[Decision]) -> str:
    """``open``, ``accepted`` or ``corrected`` for one review item."""
    covering = []
    for d in decisions:
        by_event = d.event_id is not None and d.event_id == item["event_id"] and d.key is None
        by_notice = (
            d.key is not None
            and item.get("notice_number") is not None
            and d.key == (item["manufacturer_key"], item["notice_number"])
            and (d.event_id is None or d.event_id >= item["event_id"])
        )
        created = d.event_id == item["event_id"] and (d.changes or {}).get("create")
        if by_event or by_notice or created:
            covering.append(d)
    if not covering:
        return "open"
    return "corrected" if any(d.action == "correct" for d in covering) else "accepted"


def review_items_of(
    engine: Engine,
    days: Sequence[date] | None = None,
    state: str | None = "open",
    with_conflicts: bool = False,
) -> list[dict]:
    """Review items (current ones only), with their state; ``state=None`` lists all. With ``days``, the
    items of those days (and ``with_conflicts``: every conflicting-readings item besides)."""
    r = review_items.c
    # the event whose reading the notice holds now: a probe of the notice's primary key per item
    # (as a join, a plan made on small tables hashes a sequential scan of every notice)
    holder = select(notices.c.source_event_id).where(notices.c.id == r.notice_id).scalar_subquery()
    q = select(
        r.id,
        r.event_id,
        r.partition_day,
        r.received_at,
        r.notice_id,
        r.extraction_id,
        r.notice_number,
        r.manufacturer_key,
        r.manufacturer,
        r.reasons,
        r.kind,
        holder.label("holder"),
    )
    q = q.order_by(r.received_at, r.event_id, r.id)
    # each filter its own statement, so each stays a probe of its index (an OR of the two would not)
    queries = [q] if days is None else [q.where(r.partition_day.in_(list(days)))]
    if days is not None and with_conflicts:
        queries.append(q.where(r.kind == "conflict"))
    with engine.connect() as conn:
        found = {x.id: dict(x._mapping) for query in queries for x in conn.execute(query)}
        decisions = load_decisions(conn)
    rows = sorted(found.values(), key=lambda i: (str(i["received_at"]), i["event_id"], i["id"]))
    out = []
    for item in rows:
        held_by = item.pop("holder")
        if held_by != item["event_id"] and item["notice_number"] is not None and item["kind"] is None:
            continue  # a doubt about a reading the notice no longer holds
        item["state"] = item_state(item, decisions)
        if state is not None and item["state"] != state:
            continue
        item["partition_day"] = as_date(item["partition_day"])
        item["received_at"] = _utc(item["received_at"])
        out.append(item)
    return out


def public_item(item: dict) -> dict:
    """The JSON shape of ``radar review`` (CONTRACT §5)."""
    return {
        "notice_id": item["notice_id"],
        "notice_number": item["notice_number"],
        "event_id": item["event_id"],
        "manufacturer": item["manufacturer"],
        "received_at": item["received_at"].isoformat() if item["received_at"] else None,
        "reasons": list(item["reasons"]),
    }


def item_key(item: dict) -> str:
    """Stable identity of an item across re-materializations (a notification is sent once per key)."""
    if item["notice_number"] is None:
        return f"review:event:{item['event_id']}"
    kind = f"{item['kind']}:" if item.get("kind") else ""
    return f"review:{kind}{item['manufacturer_key']}:{item['notice_number']}:{item['event_id']}"


def notice_review_states(engine: Engine, days: Sequence[date] | None = None) -> dict[int, str]:
    """The review state of each notice of ``days`` (all when ``None``) that has an item
    (``open``/``accepted``/``corrected``); notices corrected without an item are marked by their loader."""
    states: dict[int, str] = {}
    for item in review_items_of(engine, days, state=None):
        if item["notice_id"] is not None and states.get(int(item["notice_id"])) != "open":
            states[int(item["notice_id"])] = item["state"]  # an open item keeps the notice open
    return states


def review_state(notice_id: int, corrected: bool, states: dict[int, str]) -> str | None:
    """A notice's review state: "corrected" once an analyst's correction is applied to it, else its
    items' (``notice_review_states``), else none."""
    return "corrected" if corrected else states.get(int(notice_id))


def write_items(conn: Connection, event_ids: Sequence[int], rows: list[dict]) -> None:
    """Replace the review items of these events (the partition's extraction)."""
    conn.execute(review_items.delete().where(review_items.c.event_id.in_(list(event_ids))))
    if rows:
        conn.execute(review_items.insert(), rows)


def markdown(items: list[dict], limit: int = 50) -> str:
    """The open items as a markdown table (asset-check metadata in the Dagster UI)."""
    lines = ["| notice | manufacturer | event | received | reasons |", "|---|---|---:|---|---|"]
    for i in items[:limit]:
        received = i["received_at"].strftime("%Y-%m-%d %H:%M") if i["received_at"] else ""
        reasons = "; ".join(i["reasons"]).replace("|", "/")
        lines.append(
            f"| {i['notice_number'] or '(no notice)'} | {i['manufacturer'] or ''} | {i['event_id']} "
            f"| {received} | {reasons} |"
        )
    if len(items) > limit:
        lines.append(f"| … {len(items) - limit} more (`radar review`) | | | | |")
    if not items:
        lines.append("| (nothing needs review) | | | | |")
    return "\n".join(lines)
