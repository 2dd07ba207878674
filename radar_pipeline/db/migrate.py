"""Apply the Alembic migrations; every command that touches the database calls this."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"
_ADVISORY_LOCK = 734_215_001  # any constant: serialises concurrent upgrades on PostgreSQL
# Databases this process has seen at the newest revision: every run and sensor tick opens the
# database, and a long-lived process (the daemon's code server) need not check again.
_AT_HEAD: set[str] = set()


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest revision: files are named after their number, and the newest file states its id
    (``revision = "0009"``, or with a suffix while a branch's migration awaits its number)."""
    newest = max((MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"), key=lambda p: p.name)
    found = re.search(r'^revision = "([^"]+)"', newest.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1) if found else newest.name.split("_", 1)[0]


def _at_head(engine: Engine) -> bool:
    """One query instead of Alembic (its import and script loading cost a run ~0.5 s of CPU)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    except Exception:  # no version table yet: Alembic creates it
        return False


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is already there)."""
    key = engine.url.render_as_string(hide_password=False)
    if key in _AT_HEAD or _at_head(engine):
        _AT_HEAD.add(key)
        return
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    _AT_HEAD.add(key)
