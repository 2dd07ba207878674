"""One email per (notice, recipient) for each discontinuance notice that touches the BOM.

Exactly once: a row in ``notifications`` is claimed before sending (unique on
notice and recipient) and marked ``sent`` after; re-runs, retries and
backfills skip what was sent. A send that keeps failing is retried with
backoff, then dead-lettered with the reason; the next run of the partition
tries it again. A claim left ``sending`` by a crash is retried after
``STALE_CLAIM`` (at-least-once in that one case, never silently lost).

Each sent row keeps a fingerprint of what the mail said (type, last-time-buy date,
the BOM parts matched exactly). When a correction or a better extractor changes
that exposure, the notice is notified again — once per change; a re-run that
changes nothing sends nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, and_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from radar_pipeline.db.schema import notifications
from radar_pipeline.notices.model import manufacturer_key
from radar_pipeline.notify.message import Links, compose
from radar_pipeline.notify.senders import Mail, Sender, SendError

STALE_CLAIM = timedelta(minutes=10)


def fingerprint(notice: dict) -> str:
    """What a notification says that matters: a change of it is worth a new mail."""
    parts = sorted(
        (p["mpn"], p["part_id"]) for p in notice.get("parts", []) if p.get("match_type") == "exact"
    )
    data = [notice.get("notice_type"), notice.get("last_time_buy_date"), parts]
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()[:32]


def _claim(
    engine: Engine, key: str, recipient: str, notice: dict, day: date, fingerprint: str | None = None
) -> str | None:
    """Take the right to send: ``"new"``, ``"changed"`` (sent before, the exposure has changed),
    ``"retry"``; ``None`` when it is sent, or being sent by someone else."""
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    now = datetime.now(UTC)
    with engine.begin() as conn:
        inserted = conn.execute(
            insert(notifications)
            .values(
                notice_key=key,
                recipient=recipient,
                notice_id=notice.get("notice_id"),
                source_event_id=notice.get("source_event_id"),
                partition_day=day,
                status="sending",
                attempts=0,
                updated_at=now,
                fingerprint=fingerprint,
            )
            .on_conflict_do_nothing(index_elements=["notice_key", "recipient"])
            .returning(notifications.c.id)
        ).first()
        if inserted:
            return "new"
        mine = and_(notifications.c.notice_key == key, notifications.c.recipient == recipient)
        if fingerprint is not None:
            # rows sent before fingerprints existed learn theirs without a new mail
            conn.execute(
                update(notifications)
                .where(mine, notifications.c.fingerprint.is_(None), notifications.c.status == "sent")
                .values(fingerprint=fingerprint)
            )
            changed = conn.execute(
                update(notifications)
                .where(
                    mine,
                    notifications.c.status == "sent",
                    notifications.c.fingerprint != fingerprint,
                )
                .values(status="sending", updated_at=now, fingerprint=fingerprint)
                .returning(notifications.c.id)
            ).first()
            if changed:
                return "changed"
        retaken = conn.execute(
            update(notifications)
            .where(
                and_(
                    notifications.c.notice_key == key,
                    notifications.c.recipient == recipient,
                    (notifications.c.status == "dead_letter")
                    | (
                        (notifications.c.status == "sending")
                        & (notifications.c.updated_at < now - STALE_CLAIM)
                    ),
                )
            )
            .values(status="sending", updated_at=now)
            .returning(notifications.c.id)
        ).first()
        return "retry" if retaken is not None else None


def _finish(
    engine: Engine, key: str, recipient: str, status: str, attempts: int, provider_id=None, reason=None
) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(notifications)
            .where(and_(notifications.c.notice_key == key, notifications.c.recipient == recipient))
            .values(
                status=status,
                attempts=notifications.c.attempts + attempts,
                provider_id=provider_id,
                reason=reason,
                updated_at=datetime.now(UTC),
            )
        )


def _send_with_retries(
    sender: Sender, mail: Mail, attempts: int, backoff: float
) -> tuple[str | None, str | None, int]:
    """(provider id, failure reason, attempts made)."""
    for attempt in range(1, attempts + 1):
        wait = backoff * 2 ** (attempt - 1)
        try:
            return sender.send(mail), None, attempt
        except SendError as exc:
            if not exc.retryable or attempt == attempts:
                return None, str(exc), attempt
            wait = max(wait, exc.retry_after or 0.0)  # the provider's Retry-After, when it gave one
        except OSError as exc:
            if attempt == attempts:
                return None, f"could not send: {exc}", attempt
        time.sleep(wait)
    return None, "not sent", attempts


def notify(
    engine: Engine,
    sender: Sender,
    recipients: Sequence[str],
    report: dict,
    day_of: dict,
    links: Links,
    owners: dict[str, str],
    attempts: int = 3,
    backoff: float = 0.5,
) -> dict:
    """Send what is due for the notices of ``report``.

    ``day_of`` maps notice id to its partition day; ``owners`` product id to its owner's address.
    """
    counts = Counter()
    for notice in report["notices"]:
        if notice["notice_type"] != "discontinuance" or not notice["parts"]:
            continue
        counts["notices"] += 1
        products = {u["product_id"] for p in notice["parts"] for u in p["products"]}
        to = list(dict.fromkeys([*recipients, *(owners[p] for p in sorted(products) if owners.get(p))]))
        key = f"{manufacturer_key(notice['manufacturer'])}:{notice['notice_number']}"
        print_ = fingerprint(notice)
        for recipient in to:
            claim = _claim(engine, key, recipient, notice, day_of[notice["notice_id"]], print_)
            if claim is None:
                counts["already_sent"] += 1
                continue
            mail = compose(notice, recipient, links, key, updated=claim == "changed")
            if claim == "changed":  # its own idempotency key (and outbox file) per exposure
                mail = dataclasses.replace(mail, key=f"{mail.key}:{print_[:12]}")
            counts["updates"] += claim == "changed"
            provider_id, reason, tries = _send_with_retries(sender, mail, attempts, backoff)
            status = "sent" if reason is None else "dead_letter"
            _finish(engine, key, recipient, status, tries, provider_id, reason)
            counts[status] += 1
    return dict(counts)


def sent_notifications(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(notifications).order_by(notifications.c.id))
        return [dict(r._mapping) for r in rows]
