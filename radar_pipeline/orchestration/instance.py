"""The Dagster instance: ``DAGSTER_HOME`` and its ``dagster.yaml``.

SQLite under ``.radar/dagster_home`` by default; PostgreSQL (dagster-postgres, through
:class:`~radar_pipeline.orchestration.storage.RadarPostgresStorage`) when ``DAGSTER_PG_URL`` is set,
as a plain ``postgresql://…`` URL or one naming its driver. Runs are queued, with at most one LLM-heavy
run at a time (tag ``radar/llm``), and one run of the notice pipeline at a time (tag ``radar/writes``): a
correction, a nightly re-extraction and new events of the same day never rewrite its rows concurrently.
Fresh runs go first (``dagster/priority``); the background lane (``radar/lane: background``: report
refreshes, quiet-days catch-up, re-extraction) and UI backfills run one at a time (see ``lanes.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

SQLITE_YAML = """\
# Written by radar: SQLite storage in this folder (set DAGSTER_PG_URL for PostgreSQL).
telemetry:
  enabled: false
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 4
    dequeue_interval_seconds: 1
    tag_concurrency_limits:
      - key: radar/llm
        value: "true"
        limit: 1
      - key: radar/writes
        value: notices
        limit: 1
      - key: radar/lane
        value: background
        limit: 1
      - key: dagster/backfill
        limit: 1
sensors:
  use_threads: true
  num_workers: 4
"""

POSTGRES_STORAGE = """\
storage:
  custom:
    module: radar_pipeline.orchestration.storage
    class: RadarPostgresStorage
    config:
      postgres_url:
        env: DAGSTER_PG_URL
"""


def instance_yaml(postgres: bool) -> str:
    return (
        SQLITE_YAML.replace(
            "SQLite storage in this folder (set DAGSTER_PG_URL for PostgreSQL)",
            "PostgreSQL storage from DAGSTER_PG_URL",
        )
        + POSTGRES_STORAGE
        if postgres
        else SQLITE_YAML
    )


def dagster_pg_url(url: str) -> str:
    """``postgresql://…`` → ``postgresql+psycopg2://…``: dagster-postgres speaks psycopg2, and SQLAlchemy 2.1
    would pick psycopg 3 for a plain URL. A URL naming its driver is left as it is."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg2://" + url[len(plain) :]
    return url


def ensure_dagster_home(home: str) -> Path:
    """Make ``home`` absolute, write its ``dagster.yaml`` and export ``DAGSTER_HOME``."""
    path = Path(home).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    wanted = instance_yaml(bool(os.environ.get("DAGSTER_PG_URL")))
    config = path / "dagster.yaml"
    if not config.exists() or config.read_text() != wanted:
        config.write_text(wanted)
    os.environ["DAGSTER_HOME"] = str(path)
    return path
