"""Statements on growing tables stay index probes on a large table nobody analyzed (issue 22).

Autovacuum is off on these machines, so no table is ever analyzed by itself, and psycopg
prepares a statement after five executions: PostgreSQL may then keep a generic plan made
while the table was small. Every statement a day's run, the landing sensor and the gateway
send to the business database is prepared here as the code sends it, with generic plans
forced, once while the tables are nearly empty and once after 200,000 rows were added to
each growing table without ANALYZE; neither plan may read a growing table sequentially.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

import psycopg
from sqlalchemy import Engine, event

from radar_pipeline.db import normalize_url
from radar_pipeline.landing import LandingStore
from radar_pipeline.landing.store import PG_LAND, PG_LANDED
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_webhook,
    materialize_day,
    se_payload,
)

DAY = date(2026, 11, 2)
ROWS = 200_000
GROWING = (
    "landing_events",
    "documents",
    "extractions",
    "notices",
    "notice_parts",
    "notice_matches",
    "exposure_lines",
    "notifications",
    "review_items",
)
# 200,000 rows in each growing table, spread over 400 days, in one statement each (no ANALYZE).
FILL = {
    "landing_events": "INSERT INTO landing_events (source, dedup_key, received_at, partition_day, content_type,"
    " body, body_sha256, status, attempts) SELECT 'siliconexpert', 'fill-' || g, now(),"
    " date '2025-01-01' + g % 400, 'application/json', '\\x7b7d', 'x', 'processed', 1"
    " FROM generate_series(1, {n}) g",
    "documents": "INSERT INTO documents (event_id, partition_day, kind, name, content, warnings)"
    " SELECT 10000000 + g, date '2025-01-01' + g % 400, 'provider', 'n', '{{}}', '[]'"
    " FROM generate_series(1, {n}) g",
    "extractions": "INSERT INTO extractions (event_id, partition_day, position, extractor, notice, warnings)"
    " SELECT 10000000 + g, date '2025-01-01' + g % 400, 0, 'provider', '{{}}', '[]'"
    " FROM generate_series(1, {n}) g",
    "notices": "INSERT INTO notices (manufacturer_key, notice_number, manufacturer, notice_type, extractor,"
    " confidence, warnings, source_event_id, partition_day, updated_at) SELECT 'fill', 'N' || g, 'Fill',"
    " 'discontinuance', 'provider', 1, '[]', 10000000 + g, date '2025-01-01' + g % 400, now()"
    " FROM generate_series(1, {n}) g",
    "notice_parts": "INSERT INTO notice_parts (notice_id, position, mpn)"
    " SELECT id, 0, 'P' || id FROM notices WHERE manufacturer_key = 'fill'",
    "notice_matches": "INSERT INTO notice_matches (partition_day, notice_id, mpn, part_id, match_type)"
    " SELECT date '2025-01-01' + g % 400, 10000000 + g, 'P', 'P', 'exact' FROM generate_series(1, {n}) g",
    "exposure_lines": "INSERT INTO exposure_lines (partition_day, notice_id, source_event_id, part_id, match_type)"
    " SELECT date '2025-01-01' + g % 400, 10000000 + g, 10000000 + g, 'P', 'exact'"
    " FROM generate_series(1, {n}) g",
    "notifications": "INSERT INTO notifications (notice_key, recipient, partition_day, status, updated_at)"
    " SELECT 'fill|N' || g, 'a@example.com', date '2025-01-01' + g % 400, 'sent', now()"
    " FROM generate_series(1, {n}) g",
    "review_items": "INSERT INTO review_items (event_id, partition_day, received_at, reasons)"
    " SELECT 10000000 + g, date '2025-01-01' + g % 400, now(), '[]' FROM generate_series(1, {n}) g",
}
# The asset check ``notices_complete`` lists every open review item, whatever its day: this one
# statement reads the whole review queue (what people still have to look at) on purpose.
WHOLE_REVIEW_QUEUE = re.compile(r"\bFROM review_items ORDER BY\b")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%[sb]")


@contextmanager
def _recorded(url: str):
    """Statements sent to the business database at ``url`` through SQLAlchemy (not Dagster's storage)."""
    seen: list[str] = []
    database = engine_for(url).url.database

    def record(conn, cursor, statement, parameters, context, executemany):
        if conn.engine.url.database == database:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def _numbered(statement: str) -> tuple[str, int]:
    """``statement`` with its driver placeholders turned into ``$1..$n`` (a name keeps its number)."""
    numbers: dict[str, int] = {}

    def number(match: re.Match) -> str:
        name = match.group(1) or f"#{len(numbers)}"
        return f"${numbers.setdefault(name, len(numbers) + 1)}"

    return _PLACEHOLDER.sub(number, statement), len(numbers)


def _reads_a_growing_table(statement: str) -> bool:
    """Names a growing table, and is no plain INSERT … VALUES (which reads nothing)."""
    named = any(re.search(rf"\b{t}\b", statement) for t in GROWING)
    return named and not (
        statement.lstrip().upper().startswith("INSERT") and "SELECT" not in statement.upper()
    )


def _explain(conn: psycopg.Connection, prepared: str, statement: str) -> str:
    """The plan of the prepared statement; its parameters are NULLs (a generic plan ignores them)."""
    count = _numbered(statement)[1]
    args = f"({', '.join(['NULL'] * count)})" if count else ""
    return "\n".join(r[0] for r in conn.execute(f"EXPLAIN EXECUTE {prepared}{args}"))


def _generic_plans(conn: psycopg.Connection, statements: dict[str, str], prefix: str) -> dict[str, str]:
    """The generic plan of each statement, prepared on ``conn`` (kept: a later EXPLAIN reuses it)."""
    plans = {}
    for name, statement in statements.items():
        conn.execute(f"PREPARE {prefix}{name} AS {_numbered(statement)[0]}")
        plans[name] = _explain(conn, prefix + name, statement)
    return plans


def _scans(plan: str, statement: str) -> list[str]:
    allowed = {"review_items"} if WHOLE_REVIEW_QUEUE.search(statement) else set()
    return [t for t in GROWING if re.search(rf"Seq Scan on {t}\b", plan) and t not in allowed]


def test_landing_and_day_statements_probe_indexes_on_a_large_unanalyzed_table(postgres_url, tmp_path):
    engine = engine_for(postgres_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload("PDN-PLAN-1", ["LM317T/NOPB", "OTHER-1"]), "plan-1", DAY)
    with _recorded(postgres_url) as sent:
        assert materialize_day(postgres_url, tmp_path, DAY).success
        store = LandingStore(engine)
        store.pending_days(after_id=0)
        store.events_of_day(DAY, status="received")
        store.day_counts([DAY])
    day_statements = {f"s{i}": s for i, s in enumerate(dict.fromkeys(sent)) if _reads_a_growing_table(s)}
    assert len(day_statements) >= 10, day_statements  # the day's run was recorded
    statements = {"land": PG_LAND, "landed": PG_LANDED, **day_statements}

    with psycopg.connect(normalize_url(postgres_url).replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("SET plan_cache_mode = force_generic_plan")
        small = _generic_plans(conn, statements, "small_")
        for table in GROWING:
            conn.execute(FILL[table].format(n=ROWS))
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in GROWING}
        assert all(n >= ROWS for n in counts.values()), counts
        assert not conn.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL"
        ).fetchall()
        # the plans made while the tables were small, as a long-lived process keeps them
        reused = {n: _explain(conn, f"small_{n}", s) for n, s in statements.items()}
        large = _generic_plans(conn, statements, "large_")

    bad = [
        f"{when}: sequential scan of {', '.join(_scans(plan, statements[n]))} in\n  {' '.join(statements[n].split())[:400]}"
        for when, plans in (
            ("prepared on a small table", small),
            ("reused", reused),
            ("prepared large", large),
        )
        for n, plan in plans.items()
        if _scans(plan, statements[n])
    ]
    assert not bad, "\n".join(bad)
    for table in (
        "landing_events",
        "documents",
        "notices",
        "notice_parts",
        "notice_matches",
        "exposure_lines",
    ):
        # the day's reads of each table go through its partition_day index, in every plan
        by_day = [
            n
            for n, st in day_statements.items()
            if st.lstrip().startswith("SELECT")
            and re.search(rf"FROM {table}\b.*WHERE {table}\.partition_day", st, re.S)
        ]
        assert by_day, f"no day's read of {table} was recorded"
        for plans in (small, reused, large):
            assert all(f"ix_{table}_partition_day" in plans[n] for n in by_day), [plans[n] for n in by_day]
    for plans in (small, reused, large):
        assert "Seq Scan" not in plans["land"] and "Conflict Arbiter Indexes" in plans["land"], plans["land"]
        assert "Index Scan using uq_landing_events_source_dedup_key" in plans["land"], plans["land"]
        assert "Index Scan using uq_landing_events_source_dedup_key" in plans["landed"], plans["landed"]
