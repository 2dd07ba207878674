"""Fixtures: every database-backed test runs on SQLite and on a fresh PostgreSQL database."""

from __future__ import annotations

import os

import pytest

from radar_pipeline_tests.support import fresh_postgres_database, postgres_available

BACKENDS = ["sqlite", "postgres"]


def _postgres_or_skip() -> None:
    if not postgres_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("PostgreSQL is not reachable; with CI=true the PostgreSQL tests must run")
        pytest.skip("PostgreSQL is not reachable")


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh, empty business database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/radar.db"
        return
    _postgres_or_skip()
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def postgres_url():
    _postgres_or_skip()
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path}/radar.db"
