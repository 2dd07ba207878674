"""Telling analysts about new review items: one mail per (item, analyst), exactly once.

Uses the claim-before-send rows of ``notifications`` (key ``review:…``), so a replay,
a re-run or a backfill of the same document never repeats the mail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import Engine

from radar_pipeline.notify.dispatch import _claim, _finish, _send_with_retries
from radar_pipeline.notify.message import Links
from radar_pipeline.notify.senders import Mail, Sender
from radar_pipeline.review.queue import item_key


def compose_review(item: dict, recipient: str, links: Links, key: str) -> Mail:
    what = (
        f"notice {item['notice_number']}" + (f" from {item['manufacturer']}" if item["manufacturer"] else "")
        if item["notice_number"]
        else f"a document (event {item['event_id']}) that gave no notice"
    )
    received = item["received_at"].isoformat() if item["received_at"] else "unknown"
    lines = [
        f"Radar could not read {what} completely. A person needs to look:",
        "",
        *(f"  - {r}" for r in item["reasons"]),
        "",
        f"Received: {received}; landing event {item['event_id']}.",
        "",
        "To add what is missing (it sticks across replays and re-extractions):",
        f"  radar correct {item['notice_number'] or 'NOTICE_NUMBER --event ' + str(item['event_id'])}"
        " --part MPN[=REPLACEMENT] --ltb YYYY-MM-DD --by YOUR_NAME",
        "If it is right as it is:",
        f"  radar review accept {item['notice_number'] or '--event ' + str(item['event_id'])} --by YOUR_NAME",
        "",
        *(
            [f"Correct or accept it on its page: {links.notice(item['manufacturer'], item['notice_number'])}"]
            if links.notice(item["manufacturer"], item["notice_number"])
            else []
        ),
        (
            f"Open items: {links.public_url}/review"
            if links.public_url
            else f"Open items: `radar review`; report: {links.report_path}"
        ),
    ]
    subject = f"[radar review] {what}: " + (item["reasons"][0] if item["reasons"] else "needs review")
    return Mail(to=recipient, subject=subject[:200], text="\n".join(lines) + "\n", key=f"{key}:{recipient}")


def notify_review(
    engine: Engine,
    sender: Sender,
    recipients: Sequence[str],
    items: list[dict],
    links: Links,
    attempts: int = 3,
    backoff: float = 0.5,
) -> dict:
    """Send one mail per new open review item and analyst; items already told are skipped."""
    counts = Counter()
    for item in items:
        key = item_key(item)
        for recipient in recipients:
            row = {"notice_id": item["notice_id"], "source_event_id": item["event_id"]}
            if _claim(engine, key, recipient, row, item["partition_day"]) is None:
                counts["review_already_sent"] += 1
                continue
            mail = compose_review(item, recipient, links, key)
            provider_id, reason, tries = _send_with_retries(sender, mail, attempts, backoff)
            status = "sent" if reason is None else "dead_letter"
            _finish(engine, key, recipient, status, tries, provider_id, reason)
            counts[f"review_{status}"] += 1
    return dict(counts)
