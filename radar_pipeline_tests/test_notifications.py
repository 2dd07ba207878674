"""Notifications: one email per (notice, recipient), exactly once; SendGrid through its real client."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime

from radar_pipeline.demo.corpus import not_a_notice
from radar_pipeline.notify.dispatch import sent_notifications
from radar_pipeline.orchestration.resources import NotifierResource
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_mail,
    land_webhook,
    materialize_day,
    se_payload,
)
from radar_pipeline_tests.support import ScriptedHttpServer
from radar_pipeline_tests.test_llm import timed

DAY = date(2026, 11, 2)


def run(database_url, tmp_path, notifier: NotifierResource | None = None, day=DAY):
    return materialize_day(database_url, tmp_path, day, notifier)


def test_one_mail_per_notice_and_recipient_even_when_run_twice(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)  # P1 (owner) and P2
    land_webhook(engine, se_payload("PDN2", ["NOT-IN-BOM-1"]), "w2", DAY)  # touches nothing
    land_webhook(engine, se_payload("PCN3", ["LM317T/NOPB"], kind="Process change"), "w3", DAY)  # a change
    land_mail(engine, not_a_notice().data, "<qbr>", DAY)
    for _ in range(2):
        assert run(database_url, tmp_path).success
    mails = sorted((tmp_path / "outbox").glob("*.eml"))
    pdn = [m for m in mails if "PDN1" in m.read_text()]
    recipients = sorted(m.read_text().split("To: ")[1].split("\n")[0] for m in pdn)
    assert recipients == ["buyer@example.com", "ctrl-owner@example.com"]  # RADAR_NOTIFY_TO and P1's owner
    text = pdn[0].read_text()
    assert "2027-03-15" in text and "16,700.00" in text and "600,000.00" in text
    rows = sent_notifications(engine)
    # the change goes to engineering (none configured here) and the product owner, not to procurement
    assert sorted(
        (r["notice_key"], r["recipient"], r["status"]) for r in rows if "review:" not in r["notice_key"]
    ) == [
        ("texasinstruments:PCN3", "ctrl-owner@example.com", "sent"),
        ("texasinstruments:PDN1", "buyer@example.com", "sent"),
        ("texasinstruments:PDN1", "ctrl-owner@example.com", "sent"),
    ]


def test_sendgrid_v3_body_retry_and_dead_letter(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)
    server = ScriptedHttpServer(
        [
            (500, {}, b'{"errors":[{"message":"busy"}]}'),
            (202, {"X-Message-Id": "sg-1"}, b""),
            (400, {}, b'{"errors":[{"message":"bad address"}]}'),
        ]
    )
    notifier = NotifierResource(
        sendgrid_api_key="SG.test-key",
        sendgrid_host=server.url,
        sender="radar@acme.example",
        recipients="buyer@example.com",
    )
    try:
        assert run(database_url, tmp_path, notifier).success
        first = {r["recipient"]: r for r in sent_notifications(engine)}
        assert (
            first["buyer@example.com"]["status"] == "sent"
            and first["buyer@example.com"]["provider_id"] == "sg-1"
        )
        owner = first["ctrl-owner@example.com"]
        assert owner["status"] == "dead_letter" and "400" in owner["reason"]
        body = json.loads(server.requests[1]["body"])
        assert server.requests[1]["path"] == "/v3/mail/send"
        assert server.requests[1]["headers"]["authorization"] == "Bearer SG.test-key"
        assert body["from"]["email"] == "radar@acme.example"
        assert body["personalizations"][0]["to"] == [{"email": "buyer@example.com"}]
        assert "PDN1" in body["subject"] and {c["type"] for c in body["content"]} == {
            "text/plain",
            "text/html",
        }
        assert body["custom_args"]["radar_key"] == "texasinstruments:PDN1:buyer@example.com"
        # a re-run sends the dead letter again, and only it
        server.replies = [(202, {"X-Message-Id": "sg-2"}, b"")]
        before = len(server.requests)
        assert run(database_url, tmp_path, notifier).success
        assert len(server.requests) == before + 1
        assert {r["status"] for r in sent_notifications(engine)} == {"sent"}
    finally:
        server.close()


def sendgrid_notifier(server: ScriptedHttpServer) -> NotifierResource:
    return NotifierResource(
        sendgrid_api_key="SG.test-key",
        sendgrid_host=server.url,
        sender="radar@acme.example",
        recipients="buyer@example.com",
    )


def test_sendgrid_429_waits_the_retry_after_it_was_given(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)
    server = timed(
        ScriptedHttpServer(
            [
                (429, {"Retry-After": "2"}, b'{"errors":[{"message":"too many"}]}'),
                (202, {"X-Message-Id": "sg-1"}, b""),
            ]
        )
    )
    try:
        assert run(database_url, tmp_path, sendgrid_notifier(server)).success
    finally:
        server.close()
    waited = server.requests[1]["at"] - server.requests[0]["at"]
    assert 2.0 <= waited < 3.0, waited  # the retry backoff alone would have waited 0.5 s
    assert {r["status"] for r in sent_notifications(engine)} == {"sent"} and len(server.requests) == 3


def test_sendgrid_asking_for_a_long_wait_leaves_the_mail_to_the_next_run(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"]), "w1", DAY)
    soon = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    server = timed(ScriptedHttpServer([(429, {"Retry-After": soon}, b"{}")]))
    started = time.monotonic()
    try:
        assert run(database_url, tmp_path, sendgrid_notifier(server)).success
    finally:
        server.close()
    assert time.monotonic() - started < 30  # nothing slept for an hour
    rows = sent_notifications(engine)
    assert len(server.requests) == len(rows) == 2  # one attempt per recipient, no retry within the run
    for row in rows:
        assert row["status"] == "dead_letter"
        assert re.search(
            r"SendGrid answered 429: .*asked to retry after 3[56]\d\d s \(more than 60 s\)", row["reason"]
        )
