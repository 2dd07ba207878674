"""Every reading of a notice, and the notice they settle on (CONTRACT §6: a notice that arrives again).

A notice (manufacturer and number) is read from several sources over time: a provider's webhook,
the maker's mail, a distributor's relay, a file. Each reading is kept (an ``extractions`` row with
the notice's key, its trust and its provenance) and the stored notice is a function of all of them,
settled again whenever one is written, by whichever day's run writes it — so the order in which
days are processed changes nothing:

- in use: the most trusted reading, the newest among equals (a provider's update replaces its own
  earlier notice; a signed webhook and a maker's authenticated mail are equals), with the analysts'
  corrections on top;
- a less trusted reading that disagrees with the notice in use on its type, dates or parts, and
  came after a more trusted reading was known, is a *conflict*: a review item "conflicting readings"
  naming both, which changes nothing (no date, no mail) until an analyst keeps the notice as it is
  or takes the other reading's values — a decision that sticks across re-reads;
- a less trusted reading that came first is simply replaced by the more trusted one that followed;
- a reading that agrees is a further source of the values it states (the notice page lists them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, and_, delete, insert, select, update

from radar_pipeline.bom.mpn import normalize_mpn
from radar_pipeline.db.schema import extractions, landing_events, notices, review_items
from radar_pipeline.db.values import as_date
from radar_pipeline.notices.model import Notice
from radar_pipeline.notices.store import write_notice

CONFLICT = "conflict"
# the values a reading is compared on, and how people call them
COMPARED = {
    "notice_type": "type",
    "issue_date": "issued",
    "last_time_buy_date": "last-time buy",
    "last_ship_date": "last ship",
    "parts": "parts",
    "effective_date": "first shipment",
    "response_deadline": "respond by",
}
_CHANGE_FIELDS = ("effective_date", "response_deadline")


def stated(notice: dict, name: str):
    """What a notice (CONTRACT §4 JSON) says of one compared value; ``None`` when it says nothing."""
    if name == "parts":
        mpns = [p.get("mpn") or "" for p in notice.get("parts") or []] + list(notice.get("patterns") or [])
        found = frozenset(normalize_mpn(m) for m in mpns if m.strip())
        return found or None
    if name in _CHANGE_FIELDS:
        return (notice.get("change") or {}).get(name) or None
    value = notice.get(name)
    return str(value) if value not in (None, "") else None


def shown(notice: dict, name: str) -> str:
    """One compared value in words (parts as the notice spells them)."""
    if name == "parts":
        mpns = [p.get("mpn") for p in notice.get("parts") or []] + list(notice.get("patterns") or [])
        return ", ".join(m for m in mpns if m) or "none"
    return str(stated(notice, name) or "not stated")


def disagreements(in_use: dict, other: dict) -> list[str]:
    """The compared values ``other`` states otherwise than ``in_use`` (a value it leaves out is no
    disagreement; one the notice in use lacks is: a less trusted source would set it)."""
    return [name for name in COMPARED if (v := stated(other, name)) is not None and v != stated(in_use, name)]


@dataclass(frozen=True)
class Reading:
    """One stored reading of a notice, with where it came from."""

    extraction_id: int
    event_id: int
    position: int
    partition_day: date
    received_at: datetime | None
    notice: dict
    warnings: list[str]
    trust: int
    provenance: dict

    @property
    def rank(self) -> tuple[int, int, int]:
        return (self.trust, self.event_id, -self.position)

    def label(self) -> str:
        """``unauthenticated mail from x@y (event 7)``: the reading as a reason names it."""
        p = self.provenance or {}
        who = p.get("sender") or p.get("subject") or p.get("channel") or "unknown source"
        return f"{p.get('trust') or 'reading'} from {who} (event {self.event_id})"

    def as_notice(self) -> Notice:
        return Notice.model_validate({**self.notice, "warnings": list(self.warnings or [])})


def readings_of(conn: Connection, key: tuple[str, str]) -> list[Reading]:
    """The live readings of the notice ``key`` (events not dead-lettered), oldest event first: one
    index probe on the notice's key (``ix_extractions_notice_key``) and one per event."""
    x, e = extractions.c, landing_events.c
    q = (
        select(
            x.id,
            x.event_id,
            x.position,
            x.partition_day,
            e.received_at,
            x.notice,
            x.warnings,
            x.trust,
            x.provenance,
        )
        .join(landing_events, e.id == x.event_id)
        .where(and_(x.manufacturer_key == key[0], x.notice_number == key[1], e.status != "dead_letter"))
        .order_by(x.event_id, x.position)
    )
    return [
        Reading(
            int(r.id),
            int(r.event_id),
            int(r.position),
            as_date(r.partition_day),
            r.received_at,
            r.notice or {},
            list(r.warnings or []),
            int(r.trust or 1),
            r.provenance or {},
        )
        for r in conn.execute(q)
    ]


def in_use(readings: list[Reading]) -> Reading:
    """The reading the notice holds: the most trusted, the newest of those."""
    return max(readings, key=lambda r: r.rank)


def is_conflict(reading: Reading, readings: list[Reading], notice: dict) -> bool:
    """A less trusted reading that came after a more trusted one and says otherwise than ``notice``."""
    top = max(r.trust for r in readings)
    if reading.trust >= top:
        return False
    known = any(o.trust > reading.trust and o.event_id < reading.event_id for o in readings)
    return known and bool(disagreements(notice, reading.notice))


def conflict_reason(reading: Reading, holder: Reading, notice: dict) -> str:
    names = disagreements(notice, reading.notice)
    theirs = "; ".join(f"{COMPARED[n]} {shown(reading.notice, n)}" for n in names)
    ours = "; ".join(f"{COMPARED[n]} {shown(notice, n)}" for n in names)
    return (
        f"conflicting readings: {reading.label()} says {theirs}; the notice in use ({holder.label()}) "
        f"says {ours}. Nothing changes until an analyst keeps it or takes the other reading."
    )


def settle(conn: Connection, key: tuple[str, str], decisions: list) -> int | None:
    """Write the notice ``key`` from its readings and the analysts' ``decisions`` about it, and its
    conflict items; returns its row id (``None`` when no reading is left: the notice is removed)."""
    from radar_pipeline.review.corrections import apply_corrections

    readings = readings_of(conn, key)
    r, n = review_items.c, notices.c
    conn.execute(
        delete(review_items).where(
            and_(r.manufacturer_key == key[0], r.notice_number == key[1], r.kind == CONFLICT)
        )
    )
    if not readings:
        conn.execute(delete(notices).where(and_(n.manufacturer_key == key[0], n.notice_number == key[1])))
        return None
    holder = in_use(readings)
    notice, applied = apply_corrections(holder.as_notice(), decisions)
    by = next((d.decided_by for d in decisions if d.id == applied[-1]), None) if applied else None
    notice_id = write_notice(
        conn, notice, holder.event_id, holder.partition_day, holder.extraction_id, applied, by
    )
    x = extractions.c
    conn.execute(
        update(extractions)
        .where(and_(x.manufacturer_key == key[0], x.notice_number == key[1]))
        .values(notice_id=notice_id)
    )
    current = notice.to_contract()
    items = [
        {
            "event_id": reading.event_id,
            "partition_day": reading.partition_day,
            "received_at": reading.received_at,
            "notice_id": notice_id,
            "extraction_id": reading.extraction_id,
            "notice_number": key[1],
            "manufacturer_key": key[0],
            "manufacturer": notice.manufacturer,
            "reasons": [conflict_reason(reading, holder, current)],
            "kind": CONFLICT,
        }
        for reading in readings
        if is_conflict(reading, readings, current)
    ]
    if items:
        conn.execute(insert(review_items), items)
    return notice_id


def reading_of_event(
    conn: Connection, number: str, event_id: int, maker_key: str | None = None
) -> dict | None:
    """What event ``event_id`` read of notice ``number`` (of ``maker_key`` when given), or ``None``."""
    x = extractions.c
    q = select(x.notice).where(and_(x.event_id == event_id, x.notice_number == number))
    if maker_key:
        q = q.where(x.manufacturer_key == maker_key)
    return conn.execute(q.order_by(x.position)).scalar()
