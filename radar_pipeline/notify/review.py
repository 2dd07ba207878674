"""Telling analysts about new review items: one mail per (item, analyst), exactly once.

Uses the claim-before-send rows of ``notifications`` (key ``review:…``), so a replay,
a re-run or a backfill of the same document never repeats the mail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import partial

from sqlalchemy import Engine

from radar_pipeline.notify.dispatch import _claim, deliver
from radar_pipeline.notify.message import Links
from radar_pipeline.notify.senders import Mail, Sender
from radar_pipeline.review.commands import decision_commands
from radar_pipeline.review.queue import item_key


def compose_review(item: dict, recipient: str, links: Links, key: str) -> Mail:
    what = (
        f"notice {item['notice_number']}" + (f" from {item['manufacturer']}" if item["manufacturer"] else "")
        if item["notice_number"]
        else f"a document (event {item['event_id']}) that gave no notice"
    )
    received = item["received_at"].isoformat() if item["received_at"] else "unknown"
    conflict = item.get("kind") == "conflict"
    if conflict:
        head = f"Readings of {what} disagree; the less trusted one changed nothing. A person decides:"
    else:
        head = f"Radar could not read {what} completely. A person needs to look:"
    page = links.notice(item["manufacturer"], item["notice_number"])
    how = _on_the_desk(conflict) if page else _on_the_command_line(item, conflict)
    lines = [
        head,
        "",
        *(f"  - {r}" for r in item["reasons"]),
        "",
        f"Received: {received}; landing event {item['event_id']}.",
        "",
        *how,
        "",
        *([f"Decide on its page: {page}"] if page else []),
        (
            f"Open items: {links.public_url}/review"
            if links.public_url
            else f"Open items: `radar review`; report: {links.report_path}"
        ),
    ]
    subject = f"[radar review] {what}: " + (item["reasons"][0] if item["reasons"] else "needs review")
    return Mail(to=recipient, subject=subject, text="\n".join(lines) + "\n", key=f"{key}:{recipient}")


def _on_the_desk(conflict: bool) -> list[str]:
    """What the analyst does on the notice's page (the mail links it): the desk's buttons, no command."""
    if conflict:
        return ["On its page, Keep the notice as it is, or Take the other reading's values."]
    return [
        "On its page, Correct adds what is missing (it sticks across re-readings);",
        "Accept closes the item if the notice is right as it is.",
    ]


def _on_the_command_line(item: dict, conflict: bool) -> list[str]:
    """Without a desk (no RADAR_PUBLIC_URL), the commands that decide: each value quoted for the shell."""
    commands = decision_commands(item)
    if conflict:
        return [
            "To keep the notice as it is:",
            f"  {commands['keep']}",
            "To take the other reading's values instead:",
            f"  {commands['take']}",
        ]
    return [
        "To add what is missing (it sticks across replays and re-extractions):",
        f"  {commands['correct']}",
        "If it is right as it is:",
        f"  {commands['accept']}",
    ]


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
            make = partial(compose_review, item, recipient, links, key)
            counts[f"review_{deliver(engine, sender, [(key, recipient)], make, attempts, backoff)}"] += 1
    return dict(counts)
