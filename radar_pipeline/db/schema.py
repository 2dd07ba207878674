"""Table definitions of the business database.

Every channel writes ``landing_events`` first; everything downstream reads it.
The BOM tables are replaced as a whole by ``radar bom import``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants BIGINT.
Id = BigInteger().with_variant(Integer(), "sqlite")

landing_events = Table(
    "landing_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False),
    Column("dedup_key", String(512), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("partition_day", Date, nullable=False),
    Column("content_type", String(255), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("status", String(16), nullable=False, server_default="received", index=True),
    Column("reason", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("updated_at", DateTime(timezone=True)),
    UniqueConstraint("source", "dedup_key", name="uq_landing_events_source_dedup_key"),
)

notices = Table(
    "notices",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("manufacturer_key", String(128), nullable=False),
    Column("notice_number", String(128), nullable=False),
    Column("manufacturer", String(256), nullable=False),
    Column("notice_type", String(16), nullable=False),
    Column("issue_date", Date),
    Column("last_time_buy_date", Date),
    Column("last_ship_date", Date),
    Column("extractor", String(16), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("source_event_id", BigInteger, nullable=False, index=True),
    Column("extraction_id", BigInteger),
    Column("partition_day", Date, nullable=False, index=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Analysts' corrections applied on top of the extraction (lineage): ids and the last corrector.
    Column("correction_ids", JSON),
    Column("corrected_by", String(256)),
    Column("change", JSON),  # what a change notice changes (CONTRACT §4 ``change``), corrections applied
    UniqueConstraint("manufacturer_key", "notice_number", name="uq_notices_manufacturer_key_number"),
)

notice_parts = Table(
    "notice_parts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("notice_id", BigInteger, ForeignKey("notices.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("mpn", String(128), nullable=False),
    Column("replacement_mpn", String(128)),
    # the notice's partition day: a day's parts are read through this index, not a join
    Column("partition_day", Date, index=True),
)

parts = Table(
    "bom_parts",
    metadata,
    Column("part_id", String(128), primary_key=True),
    Column("mpn", String(128), nullable=False),
    Column("manufacturer", String(256)),
    Column("description", Text),
    Column("unit_cost", Float, nullable=False),
)

# A part's approved MPNs after its first (the first is in ``bom_parts``); ``id`` keeps their order.
part_alternates = Table(
    "bom_part_alternates",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("part_id", String(128), nullable=False, index=True),
    Column("mpn", String(128), nullable=False),
    Column("manufacturer", String(256)),
)

products = Table(
    "bom_products",
    metadata,
    Column("product_id", String(128), primary_key=True),
    Column("name", String(256)),
    Column("unit_price", Float, nullable=False),
    Column("end_of_life", Date),
    Column("owner", String(256)),
)

bom_lines = Table(
    "bom_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("parent_id", String(128), nullable=False, index=True),
    Column("child_id", String(128), nullable=False, index=True),
    Column("qty_per", Float, nullable=False),
)

demand = Table(
    "bom_demand",
    metadata,
    Column("product_id", String(128), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("quantity", Float, nullable=False),
)

inventory = Table(
    "bom_inventory",
    metadata,
    Column("part_id", String(128), primary_key=True),
    Column("on_hand", Float, nullable=False),
)

bom_versions = Table(
    "bom_versions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("counts", JSON, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", BigInteger, nullable=False, unique=True),
    Column("partition_day", Date, nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("content", JSON, nullable=False),
    Column("warnings", JSON, nullable=False),
)

extractions = Table(
    "extractions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", BigInteger, nullable=False, index=True),
    Column("partition_day", Date, nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("extractor", String(16), nullable=False),
    Column("notice", JSON, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("notice_id", BigInteger),
    Column("llm_tokens", Integer, nullable=False, server_default="0"),
    Column("extractor_version", String(64)),
    Column("correction_ids", JSON),  # corrections applied on top of ``notice`` (the raw extraction)
    Column("review_reasons", JSON),  # why the extraction needs a person; empty when complete
    # Provenance of the reading: which notice it is (every reading of a notice, from any day, is found
    # by this key), how far its source is trusted (``notices.trust.Trust``), and the channel, sender,
    # subject, authentication and time it came with (``notices.trust.Provenance``).
    Column("manufacturer_key", String(128)),
    Column("notice_number", String(128)),
    Column("trust", Integer),
    Column("provenance", JSON),
)

notice_matches = Table(
    "notice_matches",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("partition_day", Date, nullable=False, index=True),
    Column("notice_id", BigInteger, nullable=False, index=True),
    Column("mpn", String(128), nullable=False),
    Column("part_id", String(128), nullable=False),
    Column("match_type", String(16), nullable=False),
    Column("bom_version_id", BigInteger),
    Column("replacement_mpn", String(128)),
)

exposure_lines = Table(
    "exposure_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("partition_day", Date, nullable=False, index=True),
    Column("notice_id", BigInteger, nullable=False, index=True),
    Column("source_event_id", BigInteger, nullable=False),
    Column("extraction_id", BigInteger),
    Column("bom_version_id", BigInteger),
    Column("part_id", String(128), nullable=False),
    Column("match_type", String(16), nullable=False),
    Column("product_id", String(128)),
    Column("extended_qty", Float),
    Column("window_demand", Float),
    Column("need", Float),
    Column("ltb_qty", Float),
    Column("ltb_cost", Float),
    Column("revenue_at_risk", Float),
    Column("mpn", String(128)),  # the notice's wording of the part, for the notification
    Column("replacement_mpn", String(128)),
    # another approved MPN of the part, not discontinued: the line is listed, not counted (CONTRACT §6)
    Column("covered_by_alternate", String(128)),
    Column(
        "last_time_buy_date", Date
    ),  # the L the line's numbers use: the notice's or an alternate's earlier one
)

llm_cache = Table(
    "llm_cache",
    metadata,
    Column("cache_key", String(160), primary_key=True),
    Column("model", String(128), nullable=False),
    Column("prompt_version", String(32), nullable=False),
    Column("response", Text, nullable=False),
    Column("prompt_tokens", Integer, nullable=False),
    Column("completion_tokens", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

inbox_cursors = Table(
    "inbox_cursors",
    metadata,
    Column("mailbox", String(512), primary_key=True),
    Column("uidvalidity", BigInteger, nullable=False),
    Column("last_uid", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

inbox_seen = Table(
    "inbox_seen",
    metadata,
    Column("mailbox", String(512), primary_key=True),
    Column("message_key", String(512), primary_key=True),
)

# One row per change or NRND notice of a day touching the BOM (``change_impact``): risk, deadline,
# the products carrying the changed parts with their forecast units, and why a person must look.
change_impacts = Table(
    "change_impacts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("partition_day", Date, nullable=False, index=True),
    Column("notice_id", BigInteger, nullable=False, index=True),
    Column("notice_type", String(16), nullable=False),
    Column("categories", JSON, nullable=False),
    Column("form_fit_function", JSON, nullable=False),
    Column("risk", String(8)),
    Column("effective_date", Date),
    Column("response_deadline", Date),
    Column("evidence", Text),
    Column(
        "products", JSON, nullable=False
    ),  # [{product_id, owner, parts: [..], extended_qty, forecast_units}]
    Column("review_reason", Text),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("notice_key", String(300), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("notice_id", BigInteger),
    Column("source_event_id", BigInteger),
    Column("partition_day", Date, nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("provider_id", Text),
    Column("reason", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # What the mail said (matched parts, LTB date): a changed exposure is notified again, once.
    Column("fingerprint", String(64)),
    UniqueConstraint("notice_key", "recipient", name="uq_notifications_notice_recipient"),
)

review_items = Table(
    "review_items",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", BigInteger, nullable=False, index=True),
    Column("partition_day", Date, nullable=False, index=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("notice_id", BigInteger),
    Column("extraction_id", BigInteger),
    Column("notice_number", String(128)),
    Column("manufacturer_key", String(128)),
    Column("manufacturer", String(256)),
    Column("reasons", JSON, nullable=False),
    # "conflict": a less trusted reading contradicts the notice in use (made when the notice is settled,
    # whichever day's run settles it); None: a doubt about the reading of the item's own event
    Column("kind", String(16)),
)

review_decisions = Table(
    "review_decisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("action", String(16), nullable=False),  # correct | accept
    Column("manufacturer_key", String(128), index=True),
    Column("notice_number", String(128)),
    Column("manufacturer", String(256)),
    Column("event_id", BigInteger, index=True),
    Column("partition_day", Date, nullable=False),
    Column("decided_by", String(256), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("note", Text),
    Column("changes", JSON),
    Column("applied_at", DateTime(timezone=True)),
)

# What analysts decided about a notice (``part_id`` null) or one of its BOM parts: an append-only history,
# the newest row per (notice, part) being the current decision. The notice is named as people name it
# (maker key and number): a re-read day gives it a new row id, never another decision.
notice_decisions = Table(
    "notice_decisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("manufacturer_key", String(128), nullable=False),
    Column("notice_number", String(128), nullable=False),
    Column("manufacturer", String(256), nullable=False),
    Column("part_id", String(128)),
    Column("state", String(32), nullable=False),  # open | ltb_placed | ltb_declined | alternate_qualified | …
    Column("quantity", Float),  # LTB placed: units ordered
    Column("po", String(64)),  # LTB placed: the purchase order
    Column("placed_on", Date),  # LTB placed: the order's date
    Column("alternate", String(128)),  # alternate qualified: which
    Column("owner", String(256)),
    Column("due_date", Date),
    Column("note", Text),
    Column("decided_by", String(256), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Index("ix_notice_decisions_notice", "manufacturer_key", "notice_number", "id"),
)

# Signed-in sessions of the analysts' desk: the cookie carries a random id, the row says whose it is
# and until when. Signing out deletes the row, so a copied cookie reads nothing afterwards.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_sha256", String(64), primary_key=True),  # the id itself is only in the cookie
    Column("user_name", String(256), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

extraction_days = Table(
    "extraction_days",
    metadata,
    Column("partition_day", Date, primary_key=True),
    Column("extractor_version", String(64), nullable=False),
    Column("extracted_at", DateTime(timezone=True), nullable=False),
)

Index("ix_bom_lines_parent_child", bom_lines.c.parent_id, bom_lines.c.child_id)
# every reading of one notice, and its conflict items: index probes by the notice's key (migration 0009)
Index("ix_extractions_notice_key", extractions.c.manufacturer_key, extractions.c.notice_number)
Index("ix_review_items_notice_key", review_items.c.manufacturer_key, review_items.c.notice_number)
Index("ix_review_items_kind", review_items.c.kind)
# a day's events, of one status or all: one index probe in any plan (migration 0007)
Index("ix_landing_events_partition_day_status", landing_events.c.partition_day, landing_events.c.status)
