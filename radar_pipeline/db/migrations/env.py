"""Alembic environment: runs on the connection handed over by ``radar_pipeline.db.migrate``."""

from alembic import context

from radar_pipeline.db.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only used by `alembic revision --autogenerate`
    from radar_pipeline.config import get_settings
    from radar_pipeline.db.engine import make_engine

    connection = make_engine(get_settings().database_url).connect()

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
