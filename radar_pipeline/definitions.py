"""The Dagster code location (loaded by ``workspace.yaml``): assets, checks, jobs, sensors, resources.

Resources are configured from the environment (``dg.EnvVar`` where the variable
is set, else the defaults of CONTRACT §2, which also read ``.env``).
"""

from __future__ import annotations

import os

import dagster as dg

from radar_pipeline.config import get_settings
from radar_pipeline.orchestration import assets, jobs, sensors
from radar_pipeline.orchestration.resources import (
    ExposureSettings,
    InboxResource,
    LlmResource,
    NotifierResource,
    RadarDatabase,
)


def _env(name: str, default):
    return dg.EnvVar(name) if os.environ.get(name) else default


def _resources() -> dict:
    s = get_settings()
    return {
        "database": RadarDatabase(url=_env("RADAR_DATABASE_URL", s.database_url)),
        "llm": LlmResource(
            api_key=_env("OPENAI_API_KEY", s.openai_api_key),
            base_url=_env("OPENAI_BASE_URL", s.openai_base_url),
            model=_env("RADAR_LLM_MODEL", s.llm_model),
            when=s.llm_when,
        ),
        "notifier": NotifierResource(
            sendgrid_api_key=_env("SENDGRID_API_KEY", s.sendgrid_api_key),
            sendgrid_host=s.sendgrid_host,
            sender=s.notify_from,
            recipients=s.notify_to or "",
            review_recipients=s.review_notify_to or "",
            outbox_dir=s.outbox_dir,
        ),
        "settings": ExposureSettings(safety_stock=s.safety_stock, report_dir=s.report_dir),
        "inbox": InboxResource(
            maildir=_env("RADAR_MAILDIR", s.maildir), imap_url=_env("RADAR_IMAP_URL", s.imap_url)
        ),
    }


defs = dg.Definitions(
    assets=[assets.bom, *assets.PIPELINE_ASSETS, assets.exposure_report],
    jobs=[jobs.process_landing_events, jobs.refresh_exposure_report],
    schedules=[jobs.daily_report, jobs.reextract_stale_days],
    sensors=[
        sensors.landing_sensor,
        sensors.report_after_processing,
        sensors.bom_import_sensor,
        sensors.run_failure_alert,
        sensors.inbox_sensor,
        sensors.review_decision_sensor,
    ],
    resources=_resources(),
)
