"""Scratch PostgreSQL databases on the local server (trust auth), created and dropped per use."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg

PG_URL_VARIABLE = "RADAR_TEST_PG_ADMIN_URL"
DEFAULT_PG_ADMIN_URL = "postgresql://root@127.0.0.1:5432/test"


def pg_admin_url() -> str:
    """Read when used, not at import: a test session may point it at a cluster it started."""
    return os.environ.get(PG_URL_VARIABLE, DEFAULT_PG_ADMIN_URL)


def postgres_available() -> bool:
    try:
        with psycopg.connect(pg_admin_url(), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def fresh_postgres_database():
    """A brand-new PostgreSQL database, dropped afterwards; yields its SQLAlchemy URL."""
    name = "radar_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = pg_admin_url().rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def postgres_deployment(folder: Path, driver_in_url: bool = False):
    """A deployment's storage: a fresh business database, a fresh one for Dagster's storage, and a
    ``DAGSTER_HOME`` in ``folder`` whose dagster.yaml reads ``DAGSTER_PG_URL``. Yields the business URL
    and Dagster's environment (``DAGSTER_PG_URL`` plain, as people write it, or naming psycopg2)."""
    from radar_pipeline.orchestration.instance import dagster_pg_url, instance_yaml

    with fresh_postgres_database() as business, fresh_postgres_database() as dagster_db:
        home = folder / "dagster_home"
        home.mkdir(parents=True, exist_ok=True)
        (home / "dagster.yaml").write_text(instance_yaml(postgres=True))
        url = dagster_pg_url(dagster_db) if driver_in_url else dagster_db
        yield business, {"DAGSTER_HOME": str(home), "DAGSTER_PG_URL": url}
