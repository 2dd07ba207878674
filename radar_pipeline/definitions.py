"""The Dagster code location (loaded by ``workspace.yaml``): assets, checks, jobs, sensors, resources.

Resources are configured from the one ``Settings`` object (environment, then
``.env``). Secrets — the database URL, the IMAP URL, the OpenAI and SendGrid
keys — reach the resources as ``dg.EnvVar`` naming their variable, so the
Dagster UI and the snapshots it stores show the name, never the value.
"""

from __future__ import annotations

import os

import dagster as dg

from radar_pipeline.config import Settings, get_settings
from radar_pipeline.orchestration import assets, inbox, jobs, sensors
from radar_pipeline.orchestration.empty_days import empty_days_sensor
from radar_pipeline.orchestration.resources import (
    ExposureSettings,
    InboxResource,
    LlmResource,
    NotifierResource,
    RadarDatabase,
    TrustResource,
)


def _secret(settings: Settings, field: str):
    """A set secret as an ``EnvVar``; the default (nothing secret in it) as its value.

    A value read from ``.env`` is put into this process's environment under its own name, where the
    ``EnvVar`` is resolved, here and in the run workers started from this process.
    """
    value = getattr(settings, field)
    if field not in settings.model_fields_set or not value:
        return value
    name = settings.env_name(field)
    os.environ.setdefault(name, value)
    return dg.EnvVar(name)


def resources(s: Settings) -> dict:
    """The resources of the code location, from ``s``."""
    return {
        "database": RadarDatabase(url=_secret(s, "database_url")),
        "llm": LlmResource(
            api_key=_secret(s, "openai_api_key"),
            base_url=s.openai_base_url,
            model=s.llm_model,
            when=s.llm_when,
        ),
        "notifier": NotifierResource(
            sendgrid_api_key=_secret(s, "sendgrid_api_key"),
            sendgrid_host=s.sendgrid_host,
            sender=s.notify_from,
            recipients=s.notify_to or "",
            review_recipients=s.review_notify_to or "",
            engineering_recipients=s.engineering_to or "",
            change_digest=s.change_digest,
            outbox_dir=s.outbox_dir,
        ),
        "settings": ExposureSettings(
            safety_stock=s.safety_stock,
            report_dir=s.report_dir,
            public_url=s.public_base,
            currency=s.currency,
        ),
        "trust": TrustResource(maker_domains=s.maker_domains, authserv_ids=s.authserv_id),
        "inbox": InboxResource(
            maildir=s.maildir,
            imap_url=_secret(s, "imap_url"),
            move_to=s.imap_move_to,
            check_timeout=s.inbox_check_timeout,
            dkim_keys=s.dkim_keys,
        ),
    }


defs = dg.Definitions(
    assets=[assets.bom, *assets.PIPELINE_ASSETS, assets.exposure_report],
    jobs=[jobs.process_landing_events, jobs.refresh_exposure_report, inbox.inbox],
    schedules=[jobs.daily_report, jobs.reextract_stale_days],
    sensors=[
        sensors.landing_sensor,
        sensors.report_after_processing,
        sensors.bom_import_sensor,
        sensors.run_failure_alert,
        sensors.inbox_sensor,
        sensors.review_decision_sensor,
        empty_days_sensor,
    ],
    resources=resources(get_settings()),
)
