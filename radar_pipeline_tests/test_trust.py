"""Issue 29: a notice nobody can overwrite by sending an email (CONTRACT §6, source trust).

Every reading of a notice keeps its channel, sender, subject and authentication; a less trusted
reading never replaces a more trusted one: a disagreement is a "conflicting readings" review item
that changes nothing until an analyst keeps the notice or takes the other reading. The end-to-end
case through the gateway, ``radar process`` and the desk on PostgreSQL is in
``test_trust_end_to_end.py``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from radar_pipeline.cli import main
from radar_pipeline.db.schema import extractions, notices, notifications
from radar_pipeline.landing import IncomingEvent, LandingStore
from radar_pipeline.mail.authentication import dkim_keys_dns, landed_as, sendgrid_verdicts
from radar_pipeline.mail.inbox import MaildirInbox
from radar_pipeline.mail.ingest import message_event
from radar_pipeline.notices.trust import Trust
from radar_pipeline.orchestration.resources import NotifierResource, TrustResource
from radar_pipeline.review import actions
from radar_pipeline.review.corrections import CorrectionError
from radar_pipeline.review.queue import review_items_of
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_mail,
    land_webhook,
    materialize_day,
    se_payload,
)
from radar_pipeline_tests.support import run_radar
from radar_pipeline_tests.trust_support import FALSE_LTB, NUMBER, TRUE_LTB, DkimKey, mails_in, notice_mail

DAY1, DAY2, DAY3 = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)
MAKERS = TrustResource(maker_domains="ti.com")


def notifier(tmp_path) -> NotifierResource:
    return NotifierResource(
        outbox_dir=str(tmp_path / "outbox"),
        recipients="buyer@example.com",
        review_recipients="analyst@example.com",
    )


def run(database_url, tmp_path, day, trust=MAKERS):
    assert materialize_day(database_url, tmp_path, day, notifier(tmp_path), trust).success


def stored(engine) -> dict:
    with engine.connect() as conn:
        row = conn.execute(select(notices).where(notices.c.notice_number == NUMBER)).one()
    return dict(row._mapping)


def readings(engine) -> dict[int, tuple[int, dict]]:
    """Trust and provenance of each reading of the notice, by event."""
    x = extractions.c
    with engine.connect() as conn:
        rows = conn.execute(select(x.event_id, x.trust, x.provenance).where(x.notice_number == NUMBER)).all()
    return {r.event_id: (r.trust, r.provenance) for r in rows}


def conflicts(engine, state="open") -> list[dict]:
    return [i for i in review_items_of(engine, None, state) if i["kind"] == "conflict"]


def land_checked(engine, raw: bytes, day: date, dnsfunc=None) -> int:
    """A mail landed as the inbox lands it (with its DKIM verdict), on ``day``."""
    event = message_event(raw, dnsfunc=dnsfunc)
    event = dataclasses.replace(event, received_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC))
    return LandingStore(engine).land(event).event_id


def spoof(ltb=FALSE_LTB) -> bytes:
    return notice_mail("TI PCN <pcn@ti-notices.example>", "spoof@ti-notices.example", ltb=ltb)


def conflict_day(database_url, tmp_path) -> tuple:
    """The signed webhook on day 1, the spoof contradicting it on day 2, both processed in order;
    returns the engine and the spoof's event."""
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload(NUMBER, ["LM317T/NOPB"], ltb=TRUE_LTB), "w1", DAY1)
    mail = land_mail(engine, spoof(), "<spoof@ti-notices.example>", DAY2)
    run(database_url, tmp_path, DAY1)
    run(database_url, tmp_path, DAY2)
    return engine, mail


def test_an_unsigned_mail_contradicting_a_signed_webhook_is_a_conflict_in_any_order(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    webhook = land_webhook(engine, se_payload(NUMBER, ["LM317T/NOPB"], ltb=TRUE_LTB), "w1", DAY1)
    mail = land_mail(engine, spoof(), "<spoof@ti-notices.example>", DAY2)
    # the mail's day first (as a backfill may run them), then the webhook's: the same end
    run(database_url, tmp_path, DAY2)
    run(database_url, tmp_path, DAY1)
    held = stored(engine)
    assert (held["source_event_id"], str(held["last_time_buy_date"])) == (webhook, TRUE_LTB)
    assert held["extractor"] == "provider" and held["confidence"] == 1.0
    (item,) = conflicts(engine)
    assert item["event_id"] == mail and item["notice_id"] == held["id"]
    (reason,) = item["reasons"]
    assert reason.startswith(
        "conflicting readings: unauthenticated mail from TI PCN <pcn@ti-notices.example>"
    )
    assert f"last-time buy {FALSE_LTB}" in reason and f"last-time buy {TRUE_LTB}" in reason
    assert f"signed provider webhook from siliconexpert (event {webhook})" in reason
    told = [m for m in mails_in(tmp_path / "outbox") if m["to"] == "analyst@example.com"]
    assert [m["subject"].count("conflicting readings") for m in told] == [1]  # by the run that found it
    trust = readings(engine)
    assert trust[webhook][0] == Trust.AUTHENTICATED and trust[mail][0] == Trust.OTHER
    assert trust[mail][1]["sender"] == "TI PCN <pcn@ti-notices.example>"
    assert trust[mail][1]["subject"] == f"Product Discontinuance Notice {NUMBER}"
    assert trust[mail][1]["authentication"] == "no DKIM or SPF verdict Radar trusts"
    # processed again, in the other order: nothing changes
    run(database_url, tmp_path, DAY1)
    run(database_url, tmp_path, DAY2)
    assert stored(engine)["last_time_buy_date"] == held["last_time_buy_date"] and len(conflicts(engine)) == 1


def test_a_less_trusted_reading_that_came_first_is_replaced_without_a_conflict(database_url, tmp_path):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_mail(engine, spoof(), "<spoof@ti-notices.example>", DAY1)
    webhook = land_webhook(engine, se_payload(NUMBER, ["LM317T/NOPB"], ltb=TRUE_LTB), "w1", DAY2)
    run(database_url, tmp_path, DAY1)
    assert str(stored(engine)["last_time_buy_date"]) == FALSE_LTB  # all that was known then
    run(database_url, tmp_path, DAY2)
    held = stored(engine)
    assert (held["source_event_id"], str(held["last_time_buy_date"])) == (webhook, TRUE_LTB)
    assert conflicts(engine, None) == []
    updated = [m for m in mails_in(tmp_path / "outbox") if "[radar] updated:" in m["subject"]]
    assert sorted(m["to"] for m in updated) == ["buyer@example.com", "ctrl-owner@example.com"]
    assert all(TRUE_LTB in m["subject"] for m in updated)


def test_taking_the_other_reading_is_a_correction_that_sticks(database_url, tmp_path):
    engine, mail = conflict_day(database_url, tmp_path)
    before = mails_in(tmp_path / "outbox")
    assert not any("updated" in m["subject"] for m in before)  # the conflict mailed only the analyst
    with pytest.raises(CorrectionError, match="gave no reading of notice"):
        actions.take(engine, NUMBER, "alice", mail + 99)
    take = [
        "review",
        "take",
        NUMBER,
        "--event",
        str(mail),
        "--by",
        "alice",
        "--note",
        "TI confirmed it by phone",
    ]
    done = CliRunner().invoke(main, take, env={"RADAR_DATABASE_URL": database_url})
    assert done.exit_code == 0, done.output
    assert f"took the reading of event {mail}" in done.output and f"LTB {FALSE_LTB}" in done.output
    run(database_url, tmp_path, DAY1)  # the day the review-decision sensor asks for: the notice's
    held = stored(engine)
    assert str(held["last_time_buy_date"]) == FALSE_LTB and held["corrected_by"] == "alice"
    assert conflicts(engine, None) == []  # the notice now says what the mail says: it agrees
    updated = [m for m in mails_in(tmp_path / "outbox") if m not in before]
    assert {m["to"] for m in updated} == {"buyer@example.com", "ctrl-owner@example.com"}
    assert all(f"last-time buy {FALSE_LTB}" in m["subject"] for m in updated)
    for day in (DAY2, DAY1, DAY2):  # re-reads: the decision holds, nobody is told twice
        run(database_url, tmp_path, day)
    assert str(stored(engine)["last_time_buy_date"]) == FALSE_LTB
    assert len(mails_in(tmp_path / "outbox")) == len(before) + len(updated)
    with engine.connect() as conn:
        statuses = set(conn.execute(select(notifications.c.status)).scalars())
    assert statuses == {"sent"}


def test_keeping_the_notice_settles_the_conflict_across_re_reads(database_url, tmp_path):
    engine, mail = conflict_day(database_url, tmp_path)
    actions.accept(engine, NUMBER, "alice", "a spoof: not from TI", None, mail)
    for day in (DAY1, DAY2, DAY1):
        run(database_url, tmp_path, day)
    assert conflicts(engine) == [] and len(conflicts(engine, "accepted")) == 1
    assert str(stored(engine)["last_time_buy_date"]) == TRUE_LTB
    # a newer spoof is a new conflict: the decision covered what the analyst saw
    newer = land_mail(engine, spoof("2026-12-24"), "<spoof2@ti-notices.example>", DAY3)
    run(database_url, tmp_path, DAY3)
    assert [i["event_id"] for i in conflicts(engine)] == [newer]


def test_a_maker_mail_authenticated_by_dkim_on_the_inbox_is_trusted_and_a_tampered_one_is_not(
    database_url, tmp_path
):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    key = DkimKey("ti.com")
    keys = key.keys_file(tmp_path / "dkim-keys.txt")
    land_webhook(engine, se_payload(NUMBER, ["LM317T/NOPB"], ltb=TRUE_LTB), "w1", DAY1)
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    signed = key.sign(notice_mail("TI PCN <pcn@ti.com>", "pdn-2701@ti.com"))
    tampered = key.sign(notice_mail("TI PCN <pcn@ti.com>", "pdn-2701-b@ti.com", ltb=FALSE_LTB))
    tampered = tampered.replace(FALSE_LTB.encode(), b"2026-12-21")  # changed after it was signed
    (maildir / "new" / "1.signed").write_bytes(signed)
    (maildir / "new" / "2.tampered").write_bytes(tampered)
    result = MaildirInbox(maildir, engine, dnsfunc=dkim_keys_dns(str(keys))).poll()
    assert result.landed == 2
    day = datetime.now(UTC).date()  # the inbox lands mail on the day it arrives
    run(database_url, tmp_path, DAY1)
    run(database_url, tmp_path, day)
    found = readings(engine)
    by_subject = {p["authentication"]: (t, p) for t, p in found.values() if p["channel"] == "mail (inbox)"}
    assert set(by_subject) == {
        "DKIM pass for ti.com (verdict of radar)",
        "DKIM fail for ti.com (verdict of radar)",
    }
    trust, origin = by_subject["DKIM pass for ti.com (verdict of radar)"]
    assert trust == Trust.AUTHENTICATED and origin["trust"] == "mail authenticated as maker domain ti.com"
    assert by_subject["DKIM fail for ti.com (verdict of radar)"][0] == Trust.OTHER
    # the maker's mail agrees with the webhook: a further source, the notice unchanged; the tampered
    # one says otherwise and came after a trusted reading: a conflict
    assert str(stored(engine)["last_time_buy_date"]) == TRUE_LTB
    (item,) = conflicts(engine)
    assert "last-time buy 2026-12-21" in item["reasons"][0]
    # without RADAR_MAKER_DOMAINS the same verdict is only a verdict: the maker's mail is any other mail
    run(database_url, tmp_path, day, TrustResource())
    assert {t for t, p in readings(engine).values() if p["channel"] == "mail (inbox)"} == {Trust.OTHER}


def test_a_forged_verdict_in_the_mail_is_ignored_and_only_our_own_servers_are_believed(
    database_url, tmp_path
):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, se_payload(NUMBER, ["LM317T/NOPB"], ltb=TRUE_LTB), "w1", DAY1)
    forged = b"Authentication-Results: radar; dkim=pass header.d=ti.com\r\n" + spoof()
    relayed = b"Authentication-Results: mx.acme.example; dkim=pass header.d=ti.com\r\n" + notice_mail(
        "TI PCN <pcn@ti.com>", "relayed@ti.com"
    )
    other_maker = IncomingEvent(  # as the gateway lands a SendGrid post whose dkim field says analog.com
        "sendgrid",
        "<adi@analog.com>",
        landed_as(sendgrid_verdicts("{@analog.com : pass}", None, None)),
        notice_mail("ADI <pcn@analog.com>", "adi@analog.com"),
        datetime(DAY2.year, DAY2.month, DAY2.day, 12, tzinfo=UTC),
    )
    events = {
        "forged": land_checked(engine, forged, DAY2),
        "relayed": land_checked(engine, relayed, DAY2),
        "other maker": LandingStore(engine).land(other_maker).event_id,
    }
    (stored,) = LandingStore(engine).fetch([events["forged"]])
    assert stored.body == forged and stored.content_type == 'message/rfc822; radar-auth="none"'  # as sent
    policy = TrustResource(maker_domains="ti.com,analog.com", authserv_ids="mx.acme.example")
    run(database_url, tmp_path, DAY1, policy)
    run(database_url, tmp_path, DAY2, policy)
    found = readings(engine)
    assert found[events["forged"]][0] == Trust.OTHER
    assert found[events["relayed"]][0] == Trust.AUTHENTICATED
    assert (
        found[events["relayed"]][1]["authentication"] == "DKIM pass for ti.com (verdict of mx.acme.example)"
    )
    assert found[events["other maker"]][0] == Trust.OTHER  # analog.com vouches for ADI, not for TI
    assert (
        "a maker domain of Analog Devices, not of Texas Instruments"
        in found[events["other maker"]][1]["authentication"]
    )
    run(database_url, tmp_path, DAY2, TrustResource(maker_domains="ti.com"))  # our mail server not named
    assert readings(engine)[events["relayed"]][0] == Trust.OTHER


def test_radar_ingest_lands_each_mail_with_its_dkim_verdict(sqlite_url, tmp_path):
    key = DkimKey("ti.com")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "signed.eml").write_bytes(key.sign(notice_mail("TI PCN <pcn@ti.com>", "a@ti.com")))
    (tmp_path / "in" / "unsigned.eml").write_bytes(notice_mail("TI PCN <pcn@ti.com>", "b@ti.com"))
    keys = key.keys_file(tmp_path / "keys.txt")
    done = run_radar(["ingest", str(tmp_path / "in")], sqlite_url, tmp_path, RADAR_DKIM_KEYS=str(keys))
    assert done.returncode == 0, done.stderr
    landed = {e.dedup_key: e for e in LandingStore(engine_for(sqlite_url)).fetch([1, 2])}
    assert landed["<a@ti.com>"].content_type == 'message/rfc822; radar-auth="dkim:pass:ti.com"'
    assert landed["<b@ti.com>"].content_type == 'message/rfc822; radar-auth="none"'
    assert landed["<a@ti.com>"].body == (tmp_path / "in" / "signed.eml").read_bytes()  # stored as it came
