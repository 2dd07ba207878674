"""The schema the migrations make is the one ``db/schema.py`` declares, on both backends; migration
0009 gives the readings stored before it their notice's key and a trust (issue 29)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, select

from radar_pipeline.db.engine import make_engine
from radar_pipeline.db.migrate import alembic_config, upgrade
from radar_pipeline.db.schema import extractions, landing_events, metadata
from radar_pipeline.notices.trust import Trust


def test_the_migrations_make_the_declared_schema(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_readings_stored_before_provenance_get_their_key_and_trust(database_url):
    engine = make_engine(database_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    day, now = date(2026, 11, 2), datetime(2026, 11, 2, 12, tzinfo=UTC)
    with engine.begin() as conn:
        for i, source in ((1, "siliconexpert"), (2, "sendgrid")):
            conn.execute(
                insert(landing_events).values(
                    id=i,
                    source=source,
                    dedup_key=f"k{i}",
                    received_at=now,
                    partition_day=day,
                    content_type="application/json",
                    body=b"{}",
                    body_sha256="0" * 64,
                    status="processed",
                )
            )
            conn.execute(
                insert(extractions).values(
                    id=i,
                    event_id=i,
                    partition_day=day,
                    position=0,
                    extractor="rules",
                    warnings=[],
                    notice={"notice_number": "PDN1", "manufacturer": "TI", "notice_type": "discontinuance"},
                )
            )
    upgrade(engine)
    with engine.connect() as conn:
        x = extractions.c
        rows = {
            r.event_id: r
            for r in conn.execute(
                select(x.event_id, x.manufacturer_key, x.notice_number, x.trust, x.provenance)
            )
        }
    assert {(r.manufacturer_key, r.notice_number) for r in rows.values()} == {("texasinstruments", "PDN1")}
    assert rows[1].trust == Trust.AUTHENTICATED and rows[1].provenance["channel"] == "webhook siliconexpert"
    assert (
        rows[2].trust == Trust.OTHER
        and "landed before Radar kept verdicts" in rows[2].provenance["authentication"]
    )
