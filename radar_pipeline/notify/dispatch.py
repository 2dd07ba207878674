"""One email per (notice, recipient) for each notice that touches the BOM, routed by type and risk.

Exactly once: a row in ``notifications`` is claimed before sending (unique on
notice and recipient) and marked ``sent`` after; re-runs, retries and
backfills skip what was sent. A send that keeps failing is retried with
backoff, then dead-lettered with the reason; the next run of the partition
tries it again. A claim left ``sending`` by a crash is retried after
``STALE_CLAIM`` (at-least-once in that one case, never silently lost).

One mail never stops another: whatever goes wrong composing or sending one (a
provider's refusal, a bug, a value no mail can carry) ends that claim
``dead_letter`` with the reason, and the run goes on to the next mail.

Each sent row keeps a fingerprint of what the mail said (type, last-time-buy date,
the BOM parts matched exactly, the approved alternate covering each). When a correction or a better extractor changes
that exposure, the notice is notified again — once per change; a re-run that
changes nothing sends nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

from sqlalchemy import Engine, and_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from radar_pipeline.db.schema import notifications
from radar_pipeline.notices.decisions import current_decisions
from radar_pipeline.notices.model import manufacturer_key
from radar_pipeline.notify.message import Links, compose, compose_digest
from radar_pipeline.notify.senders import Mail, Sender, SendError

STALE_CLAIM = timedelta(minutes=10)
log = logging.getLogger("radar.notify")


def fingerprint(notice: dict, impact: dict | None = None) -> str:
    """What a notification says that matters: a change of it is worth a new mail. For a change or
    NRND notice that includes what changes, the risk and the dates (``impact``)."""
    parts = sorted(  # an alternate covering a part (or no longer) is news; a part without one reads as before
        (p["mpn"], p["part_id"], *([p["covered_by_alternate"]] if p.get("covered_by_alternate") else []))
        for p in notice.get("parts", [])
        if p.get("match_type") == "exact"
    )
    data = [notice.get("notice_type"), notice.get("last_time_buy_date"), parts]
    if impact is not None:
        data += [
            impact.get(k)
            for k in ("categories", "form_fit_function", "risk", "effective_date", "response_deadline")
        ]
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Routing:
    """Who hears of what: discontinuances go to procurement, changes and NRND to engineering, and
    every notice to the owners of the products it touches. ``digest_low``: low-risk changes wait
    for the day's digest mail."""

    procurement: Sequence[str] = ()
    engineering: Sequence[str] = ()
    digest_low: bool = False

    def recipients(self, notice_type: str, products: set[str], owners: dict[str, str]) -> list[str]:
        team = self.procurement if notice_type == "discontinuance" else self.engineering
        return list(dict.fromkeys([*team, *(owners[p] for p in sorted(products) if owners.get(p))]))


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
        except Exception as exc:  # a mail the sender cannot take: trying again changes nothing
            return None, f"could not send: {type(exc).__name__}: {exc}"[:500], attempt
        time.sleep(wait)
    return None, "not sent", attempts


def deliver(
    engine: Engine,
    sender: Sender,
    claims: Sequence[tuple[str, str]],
    make: Callable[[], Mail],
    attempts: int = 3,
    backoff: float = 0.5,
) -> str:
    """Make and send one mail for the claimed ``(key, recipient)`` rows, and finish them: ``sent``, or
    ``dead_letter`` with the reason whatever failed. Returns the status."""
    try:
        provider_id, reason, tries = _send_with_retries(sender, make(), attempts, backoff)
    except Exception as exc:  # composing failed: that mail alone is a dead letter
        log.exception("composing the mail for %s failed", claims[0][0] if claims else "?")
        provider_id, reason, tries = None, f"could not be composed: {type(exc).__name__}: {exc}"[:500], 0
    status = "sent" if reason is None else "dead_letter"
    for key, recipient in claims:
        _finish(engine, key, recipient, status, tries, provider_id, reason)
    return status


def _notice_mail(notice, recipient, links, key, impact, as_of, print_: str, claim: str) -> Mail:
    mail = compose(notice, recipient, links, key, updated=claim == "changed", impact=impact, as_of=as_of)
    if claim == "changed":  # its own idempotency key (and outbox file) per exposure
        mail = dataclasses.replace(mail, key=f"{mail.key}:{print_[:12]}")
    return mail


def notify(
    engine: Engine,
    sender: Sender,
    routing: Routing,
    report: dict,
    day_of: dict,
    links: Links,
    owners: dict[str, str],
    impacts: dict[int, dict] | None = None,
    as_of: date | None = None,
    attempts: int = 3,
    backoff: float = 0.5,
) -> dict:
    """Send what is due for the notices of ``report`` that touch the BOM.

    ``day_of`` maps notice id to its partition day; ``owners`` product id to its owner's address;
    ``impacts`` notice id to its ``change_impact`` row (a change or NRND notice without one is not sent).
    """
    counts = Counter()
    impacts = impacts or {}
    decided = current_decisions(engine) if report["notices"] else {}
    digests: dict[str, list[tuple[dict, dict, str, bool]]] = {}
    for notice in report["notices"]:
        kind = notice["notice_type"]
        impact = impacts.get(notice["notice_id"]) if kind != "discontinuance" else None
        if not notice["parts"] or (kind != "discontinuance" and impact is None):
            continue
        counts["notices"] += 1
        products = {u["product_id"] for p in notice["parts"] for u in p["products"]}
        key = f"{manufacturer_key(notice['manufacturer'])}:{notice['notice_number']}"
        print_ = fingerprint(notice, impact)
        in_digest = routing.digest_low and kind == "change" and impact["risk"] == "low"
        for recipient in routing.recipients(kind, products, owners):
            claim = _claim(engine, key, recipient, notice, day_of[notice["notice_id"]], print_)
            if claim is None:
                counts["already_sent"] += 1
                continue
            counts["updates"] += claim == "changed"
            if in_digest:
                digests.setdefault(recipient, []).append((notice, impact, key, claim == "changed"))
                continue
            told = notice | {
                "decisions": decided.get((manufacturer_key(notice["manufacturer"]), notice["notice_number"]))
            }
            make = partial(_notice_mail, told, recipient, links, key, impact, as_of, print_, claim)
            counts[deliver(engine, sender, [(key, recipient)], make, attempts, backoff)] += 1
    for recipient, items in digests.items():
        claims = [(key, recipient) for _, _, key, _ in items]
        make = partial(compose_digest, items, recipient, links, as_of)
        counts["digest_" + deliver(engine, sender, claims, make, attempts, backoff)] += 1
    return dict(counts)


def sent_notifications(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(notifications).order_by(notifications.c.id))
        return [dict(r._mapping) for r in rows]
