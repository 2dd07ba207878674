"""Scratch PostgreSQL databases on the local server (trust auth), created and dropped per use."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

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
