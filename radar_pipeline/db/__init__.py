"""The business database: one schema for PostgreSQL and SQLite, under Alembic."""

from radar_pipeline.db.engine import make_engine, normalize_url, open_database
from radar_pipeline.db.migrate import upgrade

__all__ = ["make_engine", "normalize_url", "open_database", "upgrade"]
