"""Engine creation for PostgreSQL and SQLite from one URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


def normalize_url(url: str) -> str:
    """Make plain ``postgresql://`` URLs use psycopg 3, as CONTRACT §2 promises."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def make_engine(url: str, *, pool_size: int = 8) -> Engine:
    """An engine with settings fit for a 24/7 process.

    PostgreSQL: pre-ping so a restarted server is noticed, short connect timeout so
    an unreachable database answers 503 quickly. SQLite: WAL and a busy timeout so
    the gateway and the pipeline can share the file.
    """
    url = normalize_url(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=5,
        connect_args={"connect_timeout": 3},
    )


def open_database(url: str) -> Engine:
    """An engine on an up-to-date schema: what every command that needs the database uses."""
    from radar_pipeline.db.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    return engine
