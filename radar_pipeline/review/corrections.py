"""Analysts' corrections and review decisions: records of their own, applied on top of every extraction.

A correction is stored as a ``review_decisions`` row (who, when, what, why) and is
never folded into the extraction: every later extraction of the notice — a replay,
a backfill, a better extractor — gets the corrections re-applied in the order they
were made, so the later analyst wins on a field both changed and both are kept.
``accept`` closes a review item without changes.

Bad input (an unknown notice, a malformed date, an empty part) raises
``CorrectionError`` before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import get_args

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from radar_pipeline.bom.mpn import normalize_mpn
from radar_pipeline.db.schema import documents, extractions, landing_events, notices, review_decisions
from radar_pipeline.db.values import as_date
from radar_pipeline.notices.model import (
    AffectedPart,
    Change,
    ChangeCategory,
    Notice,
    NoticeType,
    manufacturer_key,
)

ACTIONS = ("correct", "accept")
CHANGE_CATEGORIES = get_args(ChangeCategory)


class CorrectionError(ValueError):
    """A correction that cannot be taken: the message says why; nothing was written."""


# The most one decision stores (the desk's forms state the same limits): no text a person types is
# kept, shown to every analyst or mailed at any size.
MAX_NOTE = 1000  # characters of the "why"
MAX_NAME = 256  # who decided; a manufacturer
MAX_NUMBER = 128  # a notice number; a part number
MAX_PARTS = 1000  # parts one correction adds or removes


def said(value, limit: int = 40) -> str:
    """``value`` as an error message quotes it: its first ``limit`` characters, so a huge input is
    never echoed back whole."""
    text = str(value)
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}… ({len(text):,} characters)"


def check_lengths(number: str | None, by: str, note: str | None, manufacturer: str | None) -> None:
    """``CorrectionError`` for a text over its limit (before anything is looked up or written)."""
    for what, value, limit in (
        ("the notice number", number, MAX_NUMBER),
        ("the name of who decided", by, MAX_NAME),
        ("the manufacturer", manufacturer, MAX_NAME),
        ("the note", note, MAX_NOTE),
    ):
        if value and len(value) > limit:
            raise CorrectionError(f"{what} has {len(value):,} characters; at most {limit:,} are kept")


def parse_day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise CorrectionError(f"{what} {said(value)} is not a date (YYYY-MM-DD)") from None


def parse_part(value: str) -> AffectedPart:
    """``MPN`` or ``MPN=REPLACEMENT``, spelled as the notice spells it."""
    mpn, _, replacement = value.partition("=")
    if not mpn.strip():
        raise CorrectionError(f"--part {said(value)} names no part number")
    if len(mpn.strip()) > MAX_NUMBER or len(replacement.strip()) > MAX_NUMBER:
        raise CorrectionError(f"--part {said(value)}: a part number has at most {MAX_NUMBER} characters")
    return AffectedPart(mpn=mpn.strip(), replacement_mpn=replacement.strip() or None)


@dataclass
class Changes:
    """What one correction changes; empty fields change nothing."""

    add_parts: list[AffectedPart] = field(default_factory=list)
    remove_parts: list[str] = field(default_factory=list)
    last_time_buy_date: date | None = None
    last_ship_date: date | None = None
    issue_date: date | None = None
    notice_type: NoticeType | None = None
    replace_parts: bool = False  # --from-json: the given parts are the whole list
    # what a change notice changes (``--category``, repeatable: the whole list) and its dates
    categories: list[str] = field(default_factory=list)
    effective_date: date | None = None
    response_deadline: date | None = None

    def empty(self) -> bool:
        return not (
            self.categories
            or self.effective_date
            or self.response_deadline
            or self.add_parts
            or self.remove_parts
            or self.last_time_buy_date
            or self.last_ship_date
            or self.issue_date
            or self.notice_type
            or self.replace_parts
        )

    def to_json(self) -> dict:
        out: dict = {}
        if self.add_parts:
            out["parts"] = [p.model_dump() for p in self.add_parts]
        if self.remove_parts:
            out["remove_parts"] = list(self.remove_parts)
        for name in (
            "last_time_buy_date",
            "last_ship_date",
            "issue_date",
            "effective_date",
            "response_deadline",
        ):
            if getattr(self, name):
                out[name] = getattr(self, name).isoformat()
        if self.categories:
            out["categories"] = list(self.categories)
        if self.notice_type:
            out["notice_type"] = self.notice_type.value
        if self.replace_parts:
            out["replace_parts"] = True
        return out

    @classmethod
    def from_json(cls, data: dict) -> Changes:
        return cls(
            add_parts=[AffectedPart(**p) for p in data.get("parts", [])],
            remove_parts=list(data.get("remove_parts", [])),
            last_time_buy_date=as_date(data.get("last_time_buy_date")),
            last_ship_date=as_date(data.get("last_ship_date")),
            issue_date=as_date(data.get("issue_date")),
            notice_type=NoticeType(data["notice_type"]) if data.get("notice_type") else None,
            replace_parts=bool(data.get("replace_parts")),
            categories=list(data.get("categories", [])),
            effective_date=as_date(data.get("effective_date")),
            response_deadline=as_date(data.get("response_deadline")),
        )

    def describe(self) -> str:
        words = []
        if self.replace_parts:
            words.append(f"parts set to {', '.join(p.mpn for p in self.add_parts) or 'none'}")
        elif self.add_parts:
            words.append("parts " + ", ".join(p.mpn for p in self.add_parts))
        if self.remove_parts:
            words.append("removed " + ", ".join(self.remove_parts))
        for name, label in (
            ("last_time_buy_date", "LTB"),
            ("last_ship_date", "last ship"),
            ("issue_date", "issued"),
        ):
            if getattr(self, name):
                words.append(f"{label} {getattr(self, name)}")
        if self.notice_type:
            words.append(f"type {self.notice_type.value}")
        if self.categories:
            words.append("categories " + ", ".join(self.categories))
        for name, label in (("effective_date", "first shipment"), ("response_deadline", "respond by")):
            if getattr(self, name):
                words.append(f"{label} {getattr(self, name)}")
        return "; ".join(words) or "no change"


def changes_from_options(
    parts: tuple[str, ...],
    remove: tuple[str, ...],
    ltb: str | None,
    last_ship: str | None,
    notice_type: str | None,
    categories: tuple[str, ...] = (),
    effective: str | None = None,
    response_deadline: str | None = None,
) -> Changes:
    removed = [r.strip() for r in remove]
    unknown = [c for c in categories if c not in CHANGE_CATEGORIES]
    if unknown:
        raise CorrectionError(f"--category {said(unknown[0])} is not one of {', '.join(CHANGE_CATEGORIES)}")
    if any(not r for r in removed):
        raise CorrectionError("--remove-part names no part number")
    too_long = next((r for r in removed if len(r) > MAX_NUMBER), None)
    if too_long:
        raise CorrectionError(
            f"--remove-part {said(too_long)}: a part number has at most {MAX_NUMBER} characters"
        )
    try:
        kind = NoticeType(notice_type) if notice_type else None
    except ValueError:
        raise CorrectionError(
            f"--type {said(notice_type)} is not one of {', '.join(t.value for t in NoticeType)}"
        ) from None
    return Changes(
        add_parts=[parse_part(p) for p in parts],
        remove_parts=removed,
        last_time_buy_date=parse_day(ltb, "--ltb") if ltb else None,
        last_ship_date=parse_day(last_ship, "--last-ship") if last_ship else None,
        notice_type=kind,
        categories=list(dict.fromkeys(categories)),
        effective_date=parse_day(effective, "--effective") if effective else None,
        response_deadline=parse_day(response_deadline, "--response-deadline") if response_deadline else None,
    )


def changes_from_json_file(path: str) -> tuple[Changes, dict]:
    """A canonical notice (CONTRACT §4) as a whole correction; returns the changes and the notice JSON."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorrectionError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise CorrectionError(f"{path} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise CorrectionError(f"{path}: expected one canonical notice (a JSON object)")
    try:
        notice = Notice.model_validate(
            {"extractor": "rules", "confidence": 1.0, "manufacturer": "?", "notice_number": "?"} | data
        )
    except ValueError as exc:
        raise CorrectionError(f"{path} is not a canonical notice: {str(exc).splitlines()[0:3]}") from None
    for p in data.get("parts") or []:
        if not isinstance(p, dict) or not str(p.get("mpn") or "").strip():
            raise CorrectionError(f"{path}: a part without an mpn")
    changes = Changes(
        add_parts=list(notice.parts),
        last_time_buy_date=notice.last_time_buy_date,
        last_ship_date=notice.last_ship_date,
        issue_date=notice.issue_date,
        notice_type=notice.notice_type if "notice_type" in data else None,
        replace_parts=True,
        categories=list(notice.change.categories) if notice.change else [],
        effective_date=notice.change.effective_date if notice.change else None,
        response_deadline=notice.change.response_deadline if notice.change else None,
    )
    return changes, data


def changes_from_reading(notice: dict) -> Changes:
    """A correction taking what a reading (CONTRACT §4 JSON) states: its type, its dates, its parts
    as the whole list when it names any; what it leaves out stays as it is."""
    change = notice.get("change") or {}
    return Changes(
        add_parts=[AffectedPart(**p) for p in notice.get("parts") or []],
        replace_parts=bool(notice.get("parts")),
        last_time_buy_date=as_date(notice.get("last_time_buy_date")),
        last_ship_date=as_date(notice.get("last_ship_date")),
        issue_date=as_date(notice.get("issue_date")),
        notice_type=NoticeType(notice["notice_type"]) if notice.get("notice_type") else None,
        effective_date=as_date(change.get("effective_date")),
        response_deadline=as_date(change.get("response_deadline")),
    )


# -- finding what a decision is about --------------------------------------------------------------
@dataclass
class Target:
    notice_number: str
    manufacturer: str | None
    manufacturer_key: str | None
    event_id: int | None
    partition_day: date
    exists: bool


def _event_day(conn: Connection, event_id: int) -> date:
    row = conn.execute(select(landing_events.c.partition_day).where(landing_events.c.id == event_id)).first()
    if row is None:
        raise CorrectionError(f"unknown event {event_id} (see `radar events`)")
    return as_date(row.partition_day)


def _sender_maker(conn: Connection, event_id: int) -> str | None:
    from radar_pipeline.notices.manufacturers import from_domain

    row = conn.execute(select(documents.c.content).where(documents.c.event_id == event_id)).first()
    sender = (row.content or {}).get("sender") if row else None
    return from_domain(sender) if sender else None


def find_target(
    engine: Engine, number: str | None, manufacturer: str | None = None, event_id: int | None = None
) -> Target:
    """The notice (or the document, by event) a decision is about; ``CorrectionError`` if unknown."""
    number = (number or "").strip()
    with engine.connect() as conn:
        rows = []
        if number:
            q = select(notices).where(notices.c.notice_number == number)
            if manufacturer:
                q = q.where(notices.c.manufacturer_key == manufacturer_key(manufacturer))
            rows = conn.execute(q).all()
        if len(rows) > 1:
            makers = ", ".join(sorted(r.manufacturer for r in rows))
            raise CorrectionError(
                f"notice {number} exists for several manufacturers ({makers}): give --manufacturer"
            )
        if rows:
            (row,) = rows
            if event_id is not None:
                _event_day(conn, event_id)  # must exist
            # the newest reading the analyst could see: a decision covers the conflicts it settles
            x = extractions.c
            newest = conn.execute(
                select(func.max(x.event_id)).where(
                    x.manufacturer_key == row.manufacturer_key, x.notice_number == row.notice_number
                )
            ).scalar()
            return Target(
                number,
                row.manufacturer,
                row.manufacturer_key,
                max(row.source_event_id, newest or 0, event_id or 0),
                as_date(row.partition_day),
                True,
            )
        if event_id is None:
            raise CorrectionError(
                f"unknown notice {said(number)}"
                + (f" of {manufacturer}" if manufacturer else "")
                + "; for a document without a notice give --event EVENT_ID (see `radar review`)"
            )
        day = _event_day(conn, event_id)
        maker = manufacturer or _sender_maker(conn, event_id)
    return Target(number, maker, manufacturer_key(maker) if maker else None, event_id, day, False)


def _record(
    conn: Connection, action: str, target: Target, by: str, note: str | None, changes: dict | None
) -> int:
    return int(
        conn.execute(
            insert(review_decisions)
            .values(
                action=action,
                manufacturer_key=target.manufacturer_key,
                notice_number=target.notice_number or None,
                manufacturer=target.manufacturer,
                event_id=target.event_id,
                partition_day=target.partition_day,
                decided_by=by,
                decided_at=datetime.now(UTC),
                note=note,
                changes=changes,
            )
            .returning(review_decisions.c.id)
        ).scalar_one()
    )


def record_correction(
    engine: Engine,
    number: str,
    changes: Changes,
    by: str,
    note: str | None = None,
    manufacturer: str | None = None,
    event_id: int | None = None,
) -> tuple[int, Target]:
    """Store a correction; it takes effect when the notice's day is next materialized."""
    if not number or not number.strip():
        raise CorrectionError("a notice number is needed")
    check_lengths(number, by, note, manufacturer)
    if len(changes.add_parts) + len(changes.remove_parts) > MAX_PARTS:
        count = len(changes.add_parts) + len(changes.remove_parts)
        raise CorrectionError(f"{count:,} parts: one correction takes at most {MAX_PARTS:,}")
    if changes.empty():
        raise CorrectionError("nothing to correct (to close the item unchanged: `radar review accept`)")
    target = find_target(engine, number, manufacturer, event_id)
    data = changes.to_json()
    if not target.exists:
        if not target.manufacturer:
            raise CorrectionError(
                f"event {event_id}: the sender names no known manufacturer; give --manufacturer"
            )
        if not changes.add_parts:
            raise CorrectionError("a notice created from a document needs its parts (--part)")
        data["create"] = True
    with engine.begin() as conn:
        return _record(conn, "correct", target, by, note, data), target


def record_accept(
    engine: Engine,
    number: str | None,
    by: str,
    note: str | None = None,
    manufacturer: str | None = None,
    event_id: int | None = None,
) -> tuple[int, Target]:
    """Close a review item without changes (a notice by number, or a document by event)."""
    check_lengths(number, by, note, manufacturer)
    if number:
        target = find_target(engine, number, manufacturer, None)
        if event_id is not None:
            target.event_id = event_id
    elif event_id is not None:
        with engine.connect() as conn:
            target = Target("", None, None, event_id, _event_day(conn, event_id), False)
    else:
        raise CorrectionError("give a notice number or --event EVENT_ID")
    with engine.begin() as conn:
        return _record(conn, "accept", target, by, note, None), target


# -- applying them -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    id: int
    action: str
    manufacturer_key: str | None
    notice_number: str | None
    manufacturer: str | None
    event_id: int | None
    partition_day: date
    decided_by: str
    decided_at: datetime
    note: str | None
    changes: dict | None

    @property
    def key(self) -> tuple[str, str] | None:
        if self.manufacturer_key and self.notice_number:
            return (self.manufacturer_key, self.notice_number)
        return None


def load_decisions(conn_or_engine) -> list[Decision]:
    d = review_decisions.c
    q = select(
        d.id,
        d.action,
        d.manufacturer_key,
        d.notice_number,
        d.manufacturer,
        d.event_id,
        d.partition_day,
        d.decided_by,
        d.decided_at,
        d.note,
        d.changes,
    ).order_by(d.id)
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.connect() as conn:
            rows = conn.execute(q).all()
    else:
        rows = conn_or_engine.execute(q).all()
    return [Decision(*r[:6], as_date(r[6]), *r[7:]) for r in rows]


def apply_corrections(notice: Notice, decisions: list[Decision]) -> tuple[Notice, list[int]]:
    """``notice`` with every correction of it applied in order; returns the ids applied."""
    applied = []
    for d in sorted(decisions, key=lambda d: d.id):
        if d.action != "correct" or not d.changes:
            continue
        ch = Changes.from_json(d.changes)
        parts = [] if ch.replace_parts else list(notice.parts)
        removed = {normalize_mpn(m) for m in ch.remove_parts}
        parts = [p for p in parts if normalize_mpn(p.mpn) not in removed]
        for new in ch.add_parts:
            at = next((i for i, p in enumerate(parts) if p.mpn == new.mpn), None)
            if at is None:
                parts.append(new)
            elif new.replacement_mpn:
                parts[at] = new
        update_ = {"parts": parts}
        for name in ("last_time_buy_date", "last_ship_date", "issue_date", "notice_type"):
            if getattr(ch, name) is not None:
                update_[name] = getattr(ch, name)
        if ch.categories or ch.effective_date or ch.response_deadline:
            update_["change"] = _corrected_change(notice.change, ch)
        notice = notice.model_copy(
            update=update_
            | {"warnings": [*notice.warnings, f"corrected by {d.decided_by} (correction {d.id})"]}
        )
        applied.append(d.id)
    return notice, applied


def _corrected_change(change: Change | None, ch: Changes) -> Change:
    """The notice's change with an analyst's categories (the whole list) and dates on top."""
    fields = {"categories": ch.categories} if ch.categories else {}
    fields |= {k: getattr(ch, k) for k in ("effective_date", "response_deadline") if getattr(ch, k)}
    return (change or Change()).model_copy(update=fields)


def created_notice(decisions: list[Decision], extractor: str = "rules") -> Notice | None:
    """The notice an analyst created for a document that had none (``radar correct --event``)."""
    first = next((d for d in decisions if d.action == "correct" and (d.changes or {}).get("create")), None)
    if first is None:
        return None
    return Notice(
        notice_number=first.notice_number or "",
        manufacturer=first.manufacturer or "Unknown",
        notice_type=NoticeType((first.changes or {}).get("notice_type") or "discontinuance"),
        extractor=extractor,
        confidence=1.0,
    )


def mark_applied(conn: Connection, days: list[date], up_to_id: int) -> None:
    """Decisions about these days, up to ``up_to_id`` (those the run read), have taken effect."""
    d = review_decisions.c
    conn.execute(
        update(review_decisions)
        .where(and_(d.partition_day.in_(days), d.applied_at.is_(None), d.id <= up_to_id))
        .values(applied_at=datetime.now(UTC))
    )


def pending_decision_days(engine: Engine, after_id: int = 0, unapplied_only: bool = True) -> dict[date, int]:
    """Days with decisions newer than ``after_id`` (and not yet materialized), with the highest id."""
    d = review_decisions.c
    q = select(d.partition_day, func.max(d.id)).where(d.id > after_id).group_by(d.partition_day)
    if unapplied_only:
        q = q.where(d.applied_at.is_(None))
    with engine.connect() as conn:
        return {as_date(day): int(m) for day, m in conn.execute(q)}


def corrections_so_far(engine: Engine, target: Target, up_to_id: int) -> int:
    """How many corrections the notice ``target`` names has had, up to decision ``up_to_id``: the counter
    an analyst reads ("correction 2 of PDN-1"), not the table's row id."""
    d = review_decisions.c
    q = select(func.count()).where(
        d.action == "correct",
        d.manufacturer_key.is_not_distinct_from(target.manufacturer_key),
        d.notice_number == target.notice_number,
        d.id <= up_to_id,
    )
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def rereads_pending(engine: Engine) -> dict[tuple[str, str], datetime]:
    """The notices with a decision the pipeline has not re-read yet: (maker key, number) → since when."""
    d = review_decisions.c
    q = (
        select(d.manufacturer_key, d.notice_number, func.min(d.decided_at))
        .where(d.applied_at.is_(None), d.notice_number.is_not(None))
        .group_by(d.manufacturer_key, d.notice_number)
    )
    with engine.connect() as conn:
        return {(key, number): _utc(since) for key, number, since in conn.execute(q)}


def _utc(value) -> datetime:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def decision_history(engine: Engine, number: str | None = None) -> list[dict]:
    out = []
    for d in load_decisions(engine):
        if number and d.notice_number != number:
            continue
        out.append(
            {
                "id": d.id,
                "action": d.action,
                "notice_number": d.notice_number,
                "manufacturer": d.manufacturer,
                "event_id": d.event_id,
                "by": d.decided_by,
                "at": _utc(d.decided_at).isoformat(),
                "note": d.note,
                "changes": Changes.from_json(d.changes).describe() if d.changes else "",
            }
        )
    return out
