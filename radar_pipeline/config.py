"""One settings object for every process (CONTRACT §2).

Values come from the environment, and from a ``.env`` file in the working
directory. Webhook secrets are per source (``RADAR_WEBHOOK_SECRET_<SOURCE>``), so
they are looked up by name rather than declared as fields.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_PREFIX = "RADAR_WEBHOOK_SECRET_"


class Settings(BaseSettings):
    """Radar configuration; field ``x`` is read from ``RADAR_X`` unless aliased."""

    model_config = SettingsConfigDict(
        env_prefix="RADAR_", env_file=".env", extra="ignore", populate_by_name=True
    )

    database_url: str = "sqlite:///.radar/radar.db"
    inbound_basic_auth: str | None = None
    max_body_bytes: int = 31_457_280
    maildir: str | None = None
    imap_url: str | None = None
    # IMAP folder landed messages are moved to; unset: nothing is moved or deleted.
    imap_move_to: str | None = None
    # How long the inbox sensor's tick waits for the mail server (seconds); fetching runs in a job.
    inbox_check_timeout: float = 5.0
    # How long the landing sensor's tick keeps looking for a new event (seconds). Dagster's daemon evaluates
    # sensors every 5 s at most; a tick that looks again every 0.2 s for 3.5 s (ending before the next
    # round, which skips a sensor whose tick still runs) sees an event within a fraction of a second
    # instead of 2.5 s on average. 0: one look per tick.
    landing_wait: float = 3.5
    llm_model: str = "gpt-4o-mini"
    # Which documents go to the LLM: "unsure" (those the rules cannot read completely) or "always".
    llm_when: Literal["unsure", "always"] = "unsure"
    # Source trust (CONTRACT §6): mail authenticated (DKIM/SPF pass) as one of these domains, sub-domains
    # included, is trusted as a signed provider webhook is (comma-separated, e.g. "ti.com,analog.com").
    maker_domains: str = ""
    # Authserv-ids of our own mail servers whose Authentication-Results headers are believed besides
    # Radar's own verdict (comma-separated; every other such header is ignored: anyone can write one).
    authserv_id: str = ""
    # DKIM public keys to use instead of DNS (a file: "selector._domainkey.domain TXT-record" per line).
    dkim_keys: str | None = None
    # Analysts told about new review items (default: RADAR_NOTIFY_TO).
    review_notify_to: str | None = None
    # Nightly re-extraction of days read by an older extractor version: when, and how many days a night.
    reextract_cron: str = "0 2 * * *"
    reextract_days: int = 31
    # Appended to the extractor version ("+TAG"): every day turns stale and is read again.
    extractor_tag: str = ""
    # The first daily partition (UTC); default: 1 January of the current year. Mail dated earlier is refused.
    history_start: date | None = None
    openai_api_key: str | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    sendgrid_api_key: str | None = Field(default=None, validation_alias="SENDGRID_API_KEY")
    sendgrid_host: str = "https://api.sendgrid.com"
    notify_from: str = "radar@localhost"
    notify_to: str | None = None
    # Engineering: told about change and NRND notices touching the BOM (comma-separated).
    engineering_to: str | None = None
    # "low": low-risk change notices go out as one digest mail per recipient and day; "" (default): each alone.
    change_digest: Literal["", "low"] = ""
    outbox_dir: str = ".radar/outbox"
    report_dir: str = ".radar/reports"
    safety_stock: float = 0.10
    # The currency of unit costs and prices (ISO 4217 code): written beside every amount, desk and mails.
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    dagster_home: str = Field(default=".radar/dagster_home", validation_alias="DAGSTER_HOME")
    # Limits of the sandboxed PDF parser (RADAR_PDF_*), read for each document.
    pdf_wall_seconds: float = 90
    pdf_cpu_seconds: float = 60
    pdf_memory_mb: int = 1536
    pdf_max_pages: int = 300
    # OCR of scans and images: pages and seconds per file; pictures on text pages (off: slow, mostly charts).
    pdf_ocr_pages: int = 20
    pdf_ocr_seconds: float = 45
    pdf_ocr_pictures: int = 0
    # Group commit: rows gathered into one transaction, and how long to wait for them.
    commit_batch_size: int = 256
    commit_batch_wait_ms: float = 0.3
    # Batches committing at once: while one waits for its WAL flush and its thread hop, others are on
    # their way (4: measured side by side, BENCHMARKS a, run E).
    commit_inflight: int = 4
    # Per-source rate limit of the gateway (requests per second, burst); 0 turns it off.
    rate_limit_per_source: float = 5000.0
    rate_limit_burst: float = 10000.0
    # The analysts' desk (`radar web`): its address as readers reach it (links in notifications),
    # who may sign in (`name:role:hash`, comma-separated), or the reverse proxy's identity header,
    # and the key its session cookies are signed with.
    public_url: str | None = None
    web_users: str = ""
    web_trusted_header: str | None = None
    web_secret: str | None = None
    # Failed sign-ins allowed per name and per client address in the window (then 429 with Retry-After).
    web_login_attempts_per_name: int = 5
    web_login_attempts_per_address: int = 20
    web_login_window_seconds: float = 900

    @cached_property
    def _dotenv(self) -> dict[str, str | None]:
        path = Path(".env")
        return dotenv_values(path) if path.is_file() else {}

    @cached_property
    def _secrets(self) -> dict[str, list[str]]:
        return {}

    def webhook_secrets(self, source: str) -> list[str]:
        """The accepted secrets of ``source`` (several during a rotation); read once per process."""
        if source not in self._secrets:
            name = SECRET_PREFIX + source.upper().replace("-", "_")
            raw = os.environ.get(name) or self._dotenv.get(name) or ""
            self._secrets[source] = [s.strip() for s in raw.split(",") if s.strip()]
        return self._secrets[source]

    @classmethod
    def env_name(cls, field: str) -> str:
        """The environment variable ``field`` is read from (``RADAR_<FIELD>`` or its alias)."""
        alias = cls.model_fields[field].validation_alias
        return alias if isinstance(alias, str) else f"RADAR_{field.upper()}"

    @property
    def first_day(self) -> date:
        """The first day of the daily partitions (``RADAR_HISTORY_START``)."""
        return self.history_start or date(datetime.now(UTC).year, 1, 1)

    @property
    def public_base(self) -> str | None:
        """``RADAR_PUBLIC_URL`` without its trailing slash; ``None`` when unset."""
        return self.public_url.rstrip("/") if self.public_url and self.public_url.strip() else None

    @property
    def trust_policy(self):
        """``RADAR_MAKER_DOMAINS`` and ``RADAR_AUTHSERV_ID`` as the pipeline judges readings by them."""
        from radar_pipeline.notices.trust import TrustPolicy

        return TrustPolicy.from_text(self.maker_domains, self.authserv_id)

    @property
    def notify_recipients(self) -> list[str]:
        return [r.strip() for r in (self.notify_to or "").split(",") if r.strip()]


def get_settings() -> Settings:
    """A fresh settings object (cheap; reads the environment each time)."""
    return Settings()
