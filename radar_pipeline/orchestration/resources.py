"""Resources, each a ``ConfigurableResource`` configured from the environment.

The real implementations serve tests and the demo as well: the database may
be a SQLite file, the LLM any OpenAI-compatible server, the notifier a folder.
"""

from __future__ import annotations

from datetime import date

import dagster as dg
from pydantic import Field, PrivateAttr
from sqlalchemy import Engine


class RadarDatabase(dg.ConfigurableResource):
    """The business database (landing table, notices, BOM, exposure).

    Each run or sensor tick opens its own engine (schema checked) at setup and disposes of it at
    teardown, so no pool outlives the work that used it.
    """

    url: str = Field(description="SQLAlchemy URL; plain postgresql:// works")
    _engine: Engine | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        from radar_pipeline.db import open_database

        self._engine = open_database(self.url)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def engine(self) -> Engine:
        """The engine of this run or tick (opened on first use when called outside Dagster)."""
        if self._engine is None:
            from radar_pipeline.db import open_database

            self._engine = open_database(self.url)
        return self._engine


class LlmResource(dg.ConfigurableResource):
    """LLM extraction; without an API key the rule extractor works alone."""

    api_key: str | None = None
    base_url: str | None = None
    model: str = "gpt-4o-mini"
    when: str = Field(
        default="unsure", description='"unsure": only documents the rules cannot read completely; "always"'
    )

    def extractor(self, engine: Engine):
        if not self.api_key:
            return None
        from openai import OpenAI

        from radar_pipeline.extraction.llm import LlmExtractor

        client = OpenAI(api_key=self.api_key, base_url=self.base_url, timeout=60.0, max_retries=4)
        return LlmExtractor(client, self.model, engine)


class TrustResource(dg.ConfigurableResource):
    """Source trust (CONTRACT §6): the maker domains whose authenticated mail is trusted as a signed
    webhook is, and the authserv-ids of our own mail servers whose verdicts are believed."""

    maker_domains: str = Field(default="", description="RADAR_MAKER_DOMAINS, comma-separated")
    authserv_ids: str = Field(default="", description="RADAR_AUTHSERV_ID, comma-separated")

    def policy(self):
        from radar_pipeline.notices.trust import TrustPolicy

        return TrustPolicy.from_text(self.maker_domains, self.authserv_ids)


class NotifierResource(dg.ConfigurableResource):
    """SendGrid when a key is set, else ``.eml`` files in the outbox folder."""

    sendgrid_api_key: str | None = None
    sendgrid_host: str = "https://api.sendgrid.com"
    sender: str = "radar@localhost"
    recipients: str = ""
    review_recipients: str = ""
    engineering_recipients: str = ""
    change_digest: str = ""  # "low": low-risk changes as one mail a day
    outbox_dir: str = ".radar/outbox"

    def client(self):
        from radar_pipeline.notify.senders import FileOutbox, SendGridSender

        if self.sendgrid_api_key:
            return SendGridSender(self.sendgrid_api_key, self.sender, self.sendgrid_host)
        return FileOutbox(self.outbox_dir, self.sender)

    def recipient_list(self) -> list[str]:
        return [r.strip() for r in self.recipients.split(",") if r.strip()]

    def routing(self):
        """Who hears of which notice (``notify.dispatch.Routing``)."""
        from radar_pipeline.notify.dispatch import Routing

        return Routing(
            procurement=self.recipient_list(),
            engineering=[r.strip() for r in self.engineering_recipients.split(",") if r.strip()],
            digest_low=self.change_digest == "low",
        )

    def review_recipient_list(self) -> list[str]:
        """The analysts told about new review items (the notice recipients when none are set)."""
        own = [r.strip() for r in self.review_recipients.split(",") if r.strip()]
        return own or self.recipient_list()


class ExposureSettings(dg.ConfigurableResource):
    safety_stock: float = 0.10
    report_dir: str = ".radar/reports"
    # RADAR_PUBLIC_URL: the analysts' desk, linked from the report and the mails
    public_url: str | None = None
    # RADAR_CURRENCY: the ISO 4217 code written beside amounts
    currency: str = "USD"

    def as_of(self) -> date:
        """Today in UTC, the day the partitions are cut by: days to last-time buy count from it."""
        from radar_pipeline.clock import utc_today

        return utc_today()


class InboxResource(dg.ConfigurableResource):
    """The mail inbox: a Maildir folder or an IMAP URL (``imaps://user:pass@host:993/INBOX``)."""

    maildir: str | None = None
    imap_url: str | None = None
    move_to: str | None = Field(default=None, description="IMAP folder landed messages are moved to")
    batch: int = 100
    check_timeout: float = Field(default=5.0, description="seconds a sensor tick waits for the server")
    dkim_keys: str | None = Field(default=None, description="RADAR_DKIM_KEYS: DKIM keys answering before DNS")

    def inbox(self, engine: Engine):
        from radar_pipeline.mail.inbox import inbox_from

        return inbox_from(
            self.maildir, self.imap_url, engine, self.batch, self.move_to, self.check_timeout, self.dkim_keys
        )
