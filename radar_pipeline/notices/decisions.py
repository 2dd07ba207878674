"""What analysts decided about a notice or one of its BOM parts: the work the commercial portals track.

A decision is a state (``STATES``) with who owns the next step, by when, and a note; a last-time buy
placed carries its quantity, purchase order and date, an alternate qualified says which. Decisions are
never updated: each is a new row, so the history stays, and the newest per (notice, part) is current.
A notice is named as people name it (maker and number), so a decision outlives a re-read of its day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, insert, select

from radar_pipeline.db.schema import notice_decisions
from radar_pipeline.db.values import as_date
from radar_pipeline.notices.model import manufacturer_key

# state → what the desk calls it, and the notice types it applies to
STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "open": ("open", ("discontinuance", "nrnd", "change")),
    "ltb_placed": ("last-time buy placed", ("discontinuance",)),
    "ltb_declined": ("last buy declined", ("discontinuance",)),
    "alternate_qualified": ("alternate qualified", ("discontinuance", "nrnd", "change")),
    "redesign": ("redesign", ("discontinuance", "nrnd", "change")),
    "change_accepted": ("change accepted", ("change",)),
    "change_objected": ("change objected", ("change",)),
}
MAX_OWNER, MAX_PO, MAX_ALTERNATE, MAX_NOTE = 256, 64, 128, 1000


class DecisionError(ValueError):
    """A decision that cannot be recorded, said in the words of the desk's form; nothing is stored."""


def state_label(state: str | None) -> str:
    return STATES[state][0] if state in STATES else "open"


@dataclass(frozen=True)
class Decision:
    state: str
    owner: str | None = None
    due_date: date | None = None
    note: str | None = None
    part_id: str | None = None
    quantity: float | None = None
    po: str | None = None
    placed_on: date | None = None
    alternate: str | None = None


def _day(value: str | None, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DecisionError(f"{what} {value[:40]!r} is not a date (YYYY-MM-DD)") from None


def _text(value: str | None, what: str, limit: int) -> str | None:
    value = (value or "").strip() or None
    if value and len(value) > limit:
        raise DecisionError(f"{what} has {len(value):,} characters; at most {limit:,} are kept")
    return value


def read_decision(fields: dict[str, str | None], notice_type: str, parts: set[str]) -> Decision:
    """A decision from what a person typed (the form's fields), checked against the notice: its type
    (a change is accepted or objected, a discontinuance bought) and its BOM parts."""
    state = fields.get("state") or ""
    if state not in STATES:
        raise DecisionError(f"decision {state[:40]!r} is not one of {', '.join(STATES)}")
    if notice_type not in STATES[state][1]:
        raise DecisionError(f"“{STATES[state][0]}” is no decision for a {notice_type} notice")
    part = (fields.get("part") or "").strip() or None
    if part is not None and part not in parts:
        raise DecisionError(f"part {part[:40]!r} is not a BOM part this notice reaches")
    quantity = None
    if (fields.get("quantity") or "").strip():
        try:
            quantity = float(str(fields["quantity"]).replace(",", ""))
        except ValueError:
            raise DecisionError(f"quantity {str(fields['quantity'])[:40]!r} is not a number") from None
        if not 0 < quantity < 1e12:
            raise DecisionError("quantity must be more than 0")
    if state == "ltb_placed" and quantity is None:
        raise DecisionError("a last-time buy placed needs its quantity")
    alternate = _text(fields.get("alternate"), "alternate", MAX_ALTERNATE)
    if state == "alternate_qualified" and not alternate:
        raise DecisionError("an alternate qualified needs the alternate's part number")
    return Decision(
        state=state,
        owner=_text(fields.get("owner"), "owner", MAX_OWNER),
        due_date=_day(fields.get("due"), "due date"),
        note=_text(fields.get("note"), "note", MAX_NOTE),
        part_id=part,
        quantity=quantity if state == "ltb_placed" else None,
        po=_text(fields.get("po"), "purchase order", MAX_PO) if state == "ltb_placed" else None,
        placed_on=_day(fields.get("placed_on"), "order date") if state == "ltb_placed" else None,
        alternate=alternate if state == "alternate_qualified" else None,
    )


def record_decision(engine: Engine, manufacturer: str, number: str, decision: Decision, by: str) -> int:
    """Store ``decision`` as the newest about the notice (or its part); returns the row id."""
    row = {
        "manufacturer_key": manufacturer_key(manufacturer),
        "notice_number": number,
        "manufacturer": manufacturer,
        "decided_by": by,
        "decided_at": datetime.now(UTC),
    } | decision.__dict__
    with engine.begin() as conn:
        return conn.execute(insert(notice_decisions).values(row)).inserted_primary_key[0]


def _entry(r) -> dict:
    d = dict(r._mapping)
    d["due_date"], d["placed_on"] = as_date(d["due_date"]), as_date(d["placed_on"])
    d["label"] = state_label(d["state"])
    at = d["decided_at"]
    d["decided_at"] = (
        (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat(timespec="seconds")
    )
    return d


def decisions_about(engine: Engine, manufacturer: str, number: str) -> list[dict]:
    """Every decision about the notice and its parts, newest first."""
    c = notice_decisions.c
    q = (
        select(notice_decisions)
        .where(c.manufacturer_key == manufacturer_key(manufacturer), c.notice_number == number)
        .order_by(c.id.desc())
    )
    with engine.connect() as conn:
        return [_entry(r) for r in conn.execute(q)]


def current_decisions(engine: Engine) -> dict[tuple[str, str], dict[str | None, dict]]:
    """The current decision of every decided notice: (maker key, number) → part (``None``: the notice)
    → its newest decision."""
    out: dict[tuple[str, str], dict[str | None, dict]] = {}
    with engine.connect() as conn:
        for r in conn.execute(select(notice_decisions).order_by(notice_decisions.c.id)):
            d = _entry(r)
            out.setdefault((d["manufacturer_key"], d["notice_number"]), {})[d["part_id"]] = d
    return out
