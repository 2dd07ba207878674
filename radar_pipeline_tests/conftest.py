"""Fixtures: every database-backed test runs on SQLite and on a fresh PostgreSQL database."""

from __future__ import annotations

import pytest

from radar_pipeline_tests.support import fresh_postgres_database, require_postgres

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh, empty business database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/radar.db"
        return
    require_postgres()
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def postgres_url():
    require_postgres()
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path}/radar.db"
