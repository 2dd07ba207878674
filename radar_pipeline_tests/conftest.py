"""Fixtures, and markers taken from fixtures so that a test's markers say what it needs.

Every database-backed test runs on SQLite and on a fresh PostgreSQL database. The
``provision`` plugin meets the chosen tests' needs (or stops the session naming what is
missing) and the ``no_skips`` plugin turns any skip into a failure.
"""

from __future__ import annotations

import os

import pytest

from radar_pipeline_tests.support import fresh_postgres_database, require_postgres

# The tests land events on fixed days of 2026; the default first partition (1 January of the current
# year) would refuse them from 2027 on. The default itself is tested where it matters
# (test_utc_days, the browser test), which remove this.
os.environ.setdefault("RADAR_HISTORY_START", "2025-01-01")

pytest_plugins = ["pytester", "radar_pipeline_tests.provision", "radar_pipeline_tests.no_skips"]

# A test using one of these fixtures needs what the marker names: marked here, never forgotten.
FIXTURE_MARKERS = {"postgres_url": "postgres", "dovecot": "dovecot"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
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


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in FIXTURE_MARKERS.items():
            if fixture in item.fixturenames:
                item.add_marker(marker)
