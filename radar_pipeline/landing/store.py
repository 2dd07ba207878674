"""Durable landing of raw events, deduplicated on (source, dedup key).

``land_many`` commits a whole batch in one transaction: that is what lets the
gateway acknowledge only after a durable commit and still serve thousands of
requests a second (see ``committer.py``).
"""

from __future__ import annotations

import hashlib
import select as _select
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import Engine, bindparam, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from radar_pipeline.db.schema import landing_events
from radar_pipeline.db.values import as_date, storable


class EventStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    DEAD_LETTER = "dead_letter"


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class IncomingEvent:
    """What a channel received, before it is committed."""

    source: str
    dedup_key: str
    content_type: str
    body: bytes
    received_at: datetime = field(default_factory=utcnow)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.dedup_key)


@dataclass(frozen=True)
class Landed:
    event_id: int
    duplicate: bool


@dataclass(frozen=True)
class StoredEvent:
    id: int
    source: str
    dedup_key: str
    received_at: datetime
    partition_day: date
    content_type: str
    body: bytes
    status: str
    reason: str | None
    attempts: int


_PG_COLUMNS = ("source", "dedup_key", "received_at", "partition_day", "content_type", "body", "body_sha256")
# The landing statements read the table only through its unique index, whatever the statistics:
# psycopg prepares a statement after five executions, and PostgreSQL may keep a generic plan made
# while the table was empty (with autovacuum off nothing re-plans it). A join of the batch with
# the table was such a plan: a hash join over a sequential scan, ever slower as the table grew.
# So each key of the batch is looked up by a LATERAL subquery with LIMIT, which cannot be turned
# into a join: one index probe per key, in any plan. Only the keys not found are inserted, so a
# retry storm writes nothing (no row, no sequence value: nextval would give the transaction an xid
# and a WAL flush at commit). ON CONFLICT guards against a concurrent insert of the same key by
# another worker; such keys come back from neither branch and are read afterwards (PG_LANDED).
# Arrays are sent in binary (%b): one round trip and one plan for any batch size.
PG_LAND = """
WITH batch AS (
    SELECT * FROM unnest(%b::varchar[], %b::varchar[], %b::timestamptz[], %b::date[], %b::varchar[],
                         %b::bytea[], %b::varchar[])
        AS b(source, dedup_key, received_at, partition_day, content_type, body, body_sha256)
), already AS (
    SELECT e.id, b.source, b.dedup_key
    FROM batch b
    CROSS JOIN LATERAL (
        SELECT id FROM landing_events WHERE source = b.source AND dedup_key = b.dedup_key LIMIT 1
    ) e
), landed AS (
    INSERT INTO landing_events (source, dedup_key, received_at, partition_day, content_type, body,
                                body_sha256, status, attempts, updated_at)
    SELECT source, dedup_key, received_at, partition_day, content_type, body, body_sha256,
           'received', 0, now()
    FROM batch b
    WHERE NOT EXISTS (SELECT 1 FROM already a WHERE a.source = b.source AND a.dedup_key = b.dedup_key)
    ON CONFLICT (source, dedup_key) DO NOTHING
    RETURNING id, source, dedup_key
)
SELECT id, source, dedup_key, true FROM landed
UNION ALL
SELECT id, source, dedup_key, false FROM already
"""
PG_LANDED = """
SELECT e.id, e.source, e.dedup_key
FROM unnest(%b::varchar[], %b::varchar[]) AS k(source, dedup_key)
CROSS JOIN LATERAL (
    SELECT id, source, dedup_key FROM landing_events
    WHERE source = k.source AND dedup_key = k.dedup_key LIMIT 1
) e
"""


def _as_utc(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


class DatabaseUnavailable(Exception):
    """The database could not be reached, or dropped the connection."""


class _AutocommitConnections:
    """PostgreSQL connections in autocommit mode for landing batches.

    The landing statement is a transaction on its own: in autocommit mode a batch
    costs one round trip, where a pooled SQLAlchemy transaction costs four (pre-ping,
    BEGIN, statement, COMMIT). Idle connections are checked without a round trip: a
    socket that has become readable while idle was closed by the server (restart,
    proxy cut), so it is dropped before use.
    """

    def __init__(self, engine: Engine) -> None:
        self.conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._idle: list = []
        self._lock = threading.Lock()

    def _take(self):
        import psycopg

        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                try:
                    return psycopg.connect(self.conninfo, autocommit=True, connect_timeout=3)
                except psycopg.Error as exc:
                    raise DatabaseUnavailable(type(exc).__name__) from None
            if not conn.closed and not _select.select([conn.fileno()], [], [], 0)[0]:
                return conn
            conn.close()

    @contextmanager
    def connection(self) -> Iterator:
        import psycopg

        conn = self._take()
        try:
            yield conn
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            conn.close()
            self.close()  # the others were opened to the same server: do not trust them either
            raise DatabaseUnavailable(type(exc).__name__) from None
        except BaseException:
            conn.close()
            raise
        with self._lock:
            self._idle.append(conn)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class LandingStore:
    """Reads and writes ``landing_events``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writers = _AutocommitConnections(engine) if engine.dialect.name == "postgresql" else None
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        # One statement for every batch: executemany with RETURNING is compiled once and cached
        # (a multi-row VALUES would be compiled anew for each batch size).
        self._insert_stmt = (
            insert(landing_events)
            .on_conflict_do_nothing(index_elements=["source", "dedup_key"])
            .returning(landing_events.c.id, landing_events.c.source, landing_events.c.dedup_key)
        )

    # -- writing ---------------------------------------------------------------------------
    def land(self, event: IncomingEvent) -> Landed:
        return self.land_many([event])[0]

    def land_many(self, events: Sequence[IncomingEvent]) -> list[Landed]:
        """Commit every new event of ``events`` in one transaction.

        Returns, position by position, the event id and whether it was a duplicate
        (already stored, or repeated earlier in the same batch). A duplicate costs no
        more than a new row: on PostgreSQL new and already-landed keys are resolved by
        one statement, in one round trip, through the unique index however large the
        table grows.
        """
        first_of: dict[tuple[str, str], IncomingEvent] = {}
        for ev in events:
            first_of.setdefault(ev.key, ev)
        if self._writers is not None:
            inserted, existing = self._land_postgresql(list(first_of.values()))
        else:
            with self.engine.begin() as conn:
                inserted = self._land_portable(conn, list(first_of.values()))
                missing = [k for k in first_of if k not in inserted]
                existing = {}
                if missing:
                    q = select(
                        landing_events.c.id, landing_events.c.source, landing_events.c.dedup_key
                    ).where(tuple_(landing_events.c.source, landing_events.c.dedup_key).in_(missing))
                    existing = {(r.source, r.dedup_key): r.id for r in conn.execute(q)}
        seen: set[tuple[str, str]] = set()
        result = []
        for ev in events:
            if ev.key in inserted and ev.key not in seen:
                result.append(Landed(inserted[ev.key], duplicate=False))
            else:
                result.append(Landed(inserted.get(ev.key) or existing[ev.key], duplicate=True))
            seen.add(ev.key)
        return result

    @staticmethod
    def _row(ev: IncomingEvent) -> dict:
        received = _as_utc(ev.received_at)
        return {
            "source": ev.source,
            "dedup_key": ev.dedup_key,
            "received_at": received,
            "partition_day": received.date(),
            "content_type": ev.content_type,
            "body": ev.body,
            "body_sha256": hashlib.sha256(ev.body).hexdigest(),
            "status": EventStatus.RECEIVED.value,
            "attempts": 0,
            "updated_at": utcnow(),
        }

    def _land_portable(self, conn, events: list[IncomingEvent]) -> dict[tuple[str, str], int]:
        """SQLite (and any other dialect): executemany insert; conflicts are looked up after."""
        return {
            (r.source, r.dedup_key): r.id
            for r in conn.execute(self._insert_stmt, [self._row(ev) for ev in events])
        }

    def _land_postgresql(self, events: list[IncomingEvent]):
        """One autocommit statement: insert the new keys, read the ids of those already landed.

        The server answers after the commit (and its WAL flush), so what comes back is durable.
        """
        rows = [self._row(ev) for ev in events]
        columns = tuple([r[c] for r in rows] for c in _PG_COLUMNS)
        inserted: dict[tuple[str, str], int] = {}
        existing: dict[tuple[str, str], int] = {}
        with self._writers.connection() as conn:
            for event_id, source, dedup_key, new in conn.execute(PG_LAND, columns):
                (inserted if new else existing)[(source, dedup_key)] = event_id
            missing = [ev.key for ev in events if ev.key not in inserted and ev.key not in existing]
            if missing:  # landed by a concurrent transaction after the statement's snapshot
                keys = ([k[0] for k in missing], [k[1] for k in missing])
                for event_id, source, dedup_key in conn.execute(PG_LANDED, keys):
                    existing[(source, dedup_key)] = event_id
        return inserted, existing

    def close(self) -> None:
        """Close the landing connections (the engine is the caller's)."""
        if self._writers is not None:
            self._writers.close()

    def mark(self, event_ids: Iterable[int], status: EventStatus, reason: str | None = None) -> None:
        """Settle events with one status and reason, in their own transaction."""
        marks = [(i, status, reason) for i in event_ids]
        if marks:
            with self.engine.begin() as conn:
                self.settle(conn, marks)

    @staticmethod
    def settle(conn, marks: Sequence[tuple[int, EventStatus, str | None]]) -> None:
        """Settle many events, each with its own status and reason, inside ``conn``'s transaction
        (one statement for a whole chunk of a step's work)."""
        if not marks:
            return
        c = landing_events.c
        stmt = (
            update(landing_events)
            .where(c.id == bindparam("event_id"))
            .values(
                status=bindparam("new_status"),
                reason=bindparam("new_reason"),
                attempts=c.attempts + 1,
                updated_at=utcnow(),
            )
        )
        rows = [{"event_id": i, "new_status": st.value, "new_reason": storable(r)} for i, st, r in marks]
        conn.execute(stmt, rows)

    def reset_for_replay(self, event_ids: Iterable[int]) -> list[int]:
        """Put dead-lettered events back in the queue; returns the ids that were reset."""
        ids = list(event_ids)
        with self.engine.begin() as conn:
            rows = conn.execute(
                update(landing_events)
                .where(landing_events.c.id.in_(ids), landing_events.c.status == EventStatus.DEAD_LETTER.value)
                .values(status=EventStatus.RECEIVED.value, reason=None, updated_at=utcnow())
                .returning(landing_events.c.id)
            )
            return sorted(r.id for r in rows)

    # -- reading ---------------------------------------------------------------------------
    def list_events(self, status: str | None = None, limit: int | None = None) -> list[dict]:
        """Events without their bodies, oldest first (the ``radar events`` view)."""
        c = landing_events.c
        q = select(c.id, c.source, c.dedup_key, c.received_at, c.status, c.reason).order_by(c.id)
        if status:
            q = q.where(c.status == status)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [
                {
                    "id": r.id,
                    "source": r.source,
                    "dedup_key": r.dedup_key,
                    "received_at": _as_utc(r.received_at).isoformat(),
                    "status": r.status,
                    "reason": r.reason,
                }
                for r in conn.execute(q)
            ]

    def fetch(self, event_ids: Iterable[int]) -> list[StoredEvent]:
        ids = list(event_ids)
        with self.engine.connect() as conn:
            rows = conn.execute(select(landing_events).where(landing_events.c.id.in_(ids)).order_by("id"))
            return [self._stored(r) for r in rows]

    def events_of_day(self, day: date, status: str | None = None) -> list[StoredEvent]:
        q = select(landing_events).where(landing_events.c.partition_day == day).order_by(landing_events.c.id)
        if status:
            q = q.where(landing_events.c.status == status)
        with self.engine.connect() as conn:
            return [self._stored(r) for r in conn.execute(q)]

    def day_counts(self, days: Sequence[date]) -> list[tuple[str, str, int, int]]:
        """``(source, status, events, highest id)`` of the days' events, counted in SQL (no bodies read)."""
        c = landing_events.c
        q = (
            select(c.source, c.status, func.count(), func.max(c.id))
            .where(c.partition_day.in_(list(days)))
            .group_by(c.source, c.status)
        )
        with self.engine.connect() as conn:
            return [(s, st, int(n), int(m)) for s, st, n, m in conn.execute(q)]

    def ids_of_days(self, days: Sequence[date], status: str) -> list[int]:
        c = landing_events.c
        q = select(c.id).where(c.partition_day.in_(list(days)), c.status == status).order_by(c.id)
        with self.engine.connect() as conn:
            return [int(i) for (i,) in conn.execute(q)]

    def pending_days(self, after_id: int = 0) -> dict[date, int]:
        """Days holding unprocessed events (id > ``after_id``), with the highest such id."""
        c = landing_events.c
        q = (
            select(c.partition_day, func.max(c.id))
            .where(c.status == EventStatus.RECEIVED.value, c.id > after_id)
            .group_by(c.partition_day)
        )
        with self.engine.connect() as conn:
            return {as_date(d): int(m) for d, m in conn.execute(q)}

    def days_with_events(self, first: date, last: date) -> set[date]:
        """The days of ``first``..``last`` holding any event, whatever its state (one index range scan)."""
        c = landing_events.c
        q = select(c.partition_day).where(c.partition_day.between(first, last)).distinct()
        with self.engine.connect() as conn:
            return {as_date(d) for (d,) in conn.execute(q)}

    @staticmethod
    def _stored(r) -> StoredEvent:
        return StoredEvent(
            id=r.id,
            source=r.source,
            dedup_key=r.dedup_key,
            received_at=_as_utc(r.received_at),
            partition_day=as_date(r.partition_day),
            content_type=r.content_type,
            body=bytes(r.body),
            status=r.status,
            reason=r.reason,
            attempts=r.attempts,
        )
