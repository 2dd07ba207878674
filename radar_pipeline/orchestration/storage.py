"""Dagster's PostgreSQL storage, reading ``DAGSTER_PG_URL`` in the form every other tool takes.

dagster-postgres speaks psycopg2 (it binds ``NOTIFY run_events, %(id)s``), but SQLAlchemy 2.1 picks
psycopg 3 for a plain ``postgresql://`` URL: a daemon given one creates runs that stay NOT_STARTED,
with the error only in its log. ``dagster.yaml`` names this class as its ``custom`` storage, so every
process that loads the instance — webserver, daemon, code server, run workers in their own process or
container — reads the URL through :func:`dagster_pg_url` and connects with psycopg2 whatever form the
URL is given in.
"""

from __future__ import annotations

from dagster._serdes import ConfigurableClassData
from dagster_postgres import DagsterPostgresStorage
from dagster_postgres.utils import get_token_provider_from_config, pg_url_from_config

from radar_pipeline.orchestration.instance import dagster_pg_url


class RadarPostgresStorage(DagsterPostgresStorage):
    """dagster-postgres' storage, on psycopg2 for a plain URL too (same config as ``storage: postgres``)."""

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value) -> RadarPostgresStorage:
        return cls(
            inst_data=inst_data,
            postgres_url=dagster_pg_url(pg_url_from_config(config_value)),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            token_provider=get_token_provider_from_config(config_value),
        )
