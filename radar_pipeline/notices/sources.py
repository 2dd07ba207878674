"""Where each value of a notice came from: its readings and corrections, as the notice page shows them.

For every compared value (type, dates, parts) the value in use, its origin (the reading in use, or
the analyst's correction that set it), the readings that state the same, and those that say
otherwise — with what became of them: replaced by a more trusted or newer reading, or in conflict
(kept, taken or still open). Each reading is listed with its channel, sender, subject,
authentication and when it arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from radar_pipeline.notices.readings import (
    COMPARED,
    Reading,
    disagreements,
    in_use,
    is_conflict,
    readings_of,
    shown,
    stated,
)
from radar_pipeline.review.corrections import Changes, Decision

# the compared values a correction sets, by the names of ``Changes``
_SET_BY = {
    "notice_type": ("notice_type",),
    "issue_date": ("issue_date",),
    "last_time_buy_date": ("last_time_buy_date",),
    "last_ship_date": ("last_ship_date",),
    "parts": ("add_parts", "remove_parts", "replace_parts"),
    "effective_date": ("effective_date",),
    "response_deadline": ("response_deadline",),
}


@dataclass
class SourceRow:
    """One reading as the page lists it."""

    reading: Reading
    role: str  # in use | agrees | conflicts | replaced

    @property
    def label(self) -> str:
        return self.reading.label()


@dataclass
class ValueRow:
    name: str
    label: str
    value: str
    origin: str
    same: list[str] = field(default_factory=list)  # readings stating the same value
    other: list[tuple[str, str, str]] = field(default_factory=list)  # (reading, its value, role)


@dataclass
class Conflict:
    reading: Reading
    holder: Reading
    rows: list[tuple[str, str, str]]  # (value, in use, the other reading)
    state: str = "open"


@dataclass
class Trail:
    sources: list[SourceRow]
    values: list[ValueRow]
    conflicts: list[Conflict]


def _origin(name: str, holder: Reading, decisions: list[Decision], applied: set[int]) -> str:
    for d in sorted(decisions, key=lambda d: -d.id):
        if (
            d.id in applied
            and d.changes
            and any(getattr(Changes.from_json(d.changes), a) for a in _SET_BY[name])
        ):
            return f"correction {d.id} by {d.decided_by} ({str(d.decided_at)[:16]})"
    return holder.label()


def trail(
    engine: Engine,
    key: tuple[str, str],
    current: dict,
    decisions: list[Decision],
    applied: list[int],
    states: dict,
) -> Trail | None:
    """The trail of notice ``key`` as it stands (``current``: CONTRACT §4 JSON, corrections applied);
    ``states``: the review state of each conflicting reading's item, by event id."""
    with engine.connect() as conn:
        readings = readings_of(conn, key)
    if not readings:
        return None
    holder = in_use(readings)

    def role(r: Reading) -> str:
        if r is holder:
            return "in use"
        if is_conflict(r, readings, current):
            return "conflicts"
        return "replaced" if disagreements(current, r.notice) else "agrees"

    sources = [SourceRow(r, role(r)) for r in sorted(readings, key=lambda r: -r.event_id)]
    roles = {id(s.reading): s.role for s in sources}
    values = []
    for name, label in COMPARED.items():
        if stated(current, name) is None and all(stated(r.notice, name) is None for r in readings):
            continue  # nobody says anything of it
        row = ValueRow(name, label, shown(current, name), _origin(name, holder, decisions, set(applied)))
        for r in readings:
            said = stated(r.notice, name)
            if r is holder or said is None:
                continue
            if said == stated(current, name):
                row.same.append(r.label())
            else:
                row.other.append((r.label(), shown(r.notice, name), roles[id(r)]))
        values.append(row)
    conflicts = [
        Conflict(
            s.reading,
            holder,
            [
                (COMPARED[n], shown(current, n), shown(s.reading.notice, n))
                for n in disagreements(current, s.reading.notice)
            ],
            states.get(s.reading.event_id, "open"),
        )
        for s in sources
        if s.role == "conflicts"
    ]
    return Trail(sources, values, conflicts)
