"""Helpers for the asset-graph tests: landing events of given days, resources on a test database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from radar_pipeline.bom.importer import read_bom
from radar_pipeline.bom.store import replace_bom
from radar_pipeline.db import open_database
from radar_pipeline.landing import IncomingEvent, LandingStore
from radar_pipeline.orchestration.resources import (
    ExposureSettings,
    LlmResource,
    NotifierResource,
    RadarDatabase,
    TrustResource,
)
from radar_pipeline_tests.bom_fixture import write_bom


def se_payload(
    number: str, mpns: list[str], ltb: str | None = "2027-03-15", kind: str = "Obsolescence"
) -> dict:
    return {
        "PCNNumber": number,
        "Manufacturer": "Texas Instruments",
        "TypeOfChange": kind,
        "NotificationDate": "2026-11-02",
        "LastTimeBuyDate": ltb,
        "LastShipDate": "2027-09-15",
        "AffectedParts": [{"PartNumber": m, "Replacement": None} for m in mpns],
    }


def land_webhook(
    engine, payload: dict | bytes, webhook_id: str, day: date, source: str = "siliconexpert"
) -> int:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return (
        LandingStore(engine).land(IncomingEvent(source, webhook_id, "application/json", body, when)).event_id
    )


def land_mail(engine, raw: bytes, key: str, day: date) -> int:
    when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return LandingStore(engine).land(IncomingEvent("mail", key, "message/rfc822", raw, when)).event_id


def company(engine, tmp_path: Path) -> None:
    replace_bom(engine, read_bom(write_bom(tmp_path / "bom")))


def resources(database_url: str, tmp_path: Path) -> dict:
    return {
        "database": RadarDatabase(url=database_url),
        "llm": LlmResource(),
        "notifier": NotifierResource(outbox_dir=str(tmp_path / "outbox"), recipients="buyer@example.com"),
        "settings": ExposureSettings(report_dir=str(tmp_path / "reports")),
        "trust": TrustResource(),
    }


def engine_for(database_url: str):
    return open_database(database_url)


def materialize_day(database_url: str, tmp_path: Path, day: date, notifier=None, trust=None):
    """The partitioned assets for one day, with the test resources (optionally another notifier or
    trust policy)."""
    import dagster as dg

    from radar_pipeline.orchestration.assets import PIPELINE_ASSETS

    res = resources(database_url, tmp_path)
    if notifier is not None:
        res["notifier"] = notifier
    if trust is not None:
        res["trust"] = trust
    return dg.materialize(
        PIPELINE_ASSETS, partition_key=day.isoformat(), resources=res, instance=dg.DagsterInstance.ephemeral()
    )
