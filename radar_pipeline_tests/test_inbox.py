"""Inbox readers: Maildir, and IMAP against a real Dovecot server (issue 6)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import func, select

from radar_pipeline.db import open_database
from radar_pipeline.db.schema import landing_events
from radar_pipeline.landing import LandingStore
from radar_pipeline.mail.inbox import ImapInbox, InboxError, MaildirInbox
from radar_pipeline.orchestration.resources import InboxResource, RadarDatabase
from radar_pipeline.orchestration.sensors import inbox_sensor
from radar_pipeline_tests.support import Dovecot, TcpProxy, simple_mail


def count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(landing_events)).scalar_one()


def drop(maildir, name: str, raw: bytes, sub: str = "new") -> None:
    for s in ("new", "cur", "tmp"):
        (maildir / s).mkdir(parents=True, exist_ok=True)
    (maildir / sub / name).write_bytes(raw)


def test_maildir_first_sync_new_mail_batches_and_restart(database_url, tmp_path):
    engine = open_database(database_url)
    box = tmp_path / "Maildir"
    for i in range(5):
        drop(box, f"17000{i}.M1P1.host", simple_mail(i), "new" if i % 2 else "cur")
    drop(box, "17000a.M1P1.host:2,S", simple_mail(0))  # the same message twice: one event
    first = MaildirInbox(box, engine, batch=4).poll()
    assert (first.landed, first.more_waiting) == (4, True)
    second = MaildirInbox(box, engine, batch=4).poll()  # a restarted reader continues
    assert (second.landed, second.duplicates, second.more_waiting) == (1, 1, False)
    assert MaildirInbox(box, engine).poll().landed == 0
    drop(box, "17001.M1P1.host", simple_mail(9))
    assert MaildirInbox(box, engine).poll().landed == 1
    assert count(engine) == 6
    assert len(os.listdir(box / "new")) == 4 and len(os.listdir(box / "cur")) == 3  # nothing moved or deleted
    assert {e["source"] for e in LandingStore(engine).list_events()} == {"mail"}
    with pytest.raises(InboxError, match="not a Maildir"):
        MaildirInbox(tmp_path / "nothing", engine).poll()


def test_inbox_sensor_idles_without_an_inbox_and_lands_with_one(sqlite_url, tmp_path):
    def run(inbox):
        ctx = dg.build_sensor_context(
            instance=dg.DagsterInstance.ephemeral(),
            resources={"database": RadarDatabase(url=sqlite_url), "inbox": inbox},
        )
        return inbox_sensor(ctx)

    idle = run(InboxResource())
    assert isinstance(idle, dg.SkipReason) and "no inbox configured" in idle.skip_message
    drop(tmp_path / "md", "1.M1.h", simple_mail(1))
    busy = run(InboxResource(maildir=str(tmp_path / "md")))
    assert "1 new message" in busy.skip_message
    assert count(open_database(sqlite_url)) == 1


@pytest.fixture
def dovecot():
    # Dovecot's unprivileged auth and mail processes must reach the folder: not under pytest's 0700 tmp
    root = Path(tempfile.mkdtemp(prefix="radar-dovecot-"))
    root.chmod(0o755)
    server = Dovecot(root)
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def flags(server: Dovecot, mailbox: str = "INBOX") -> list[bytes]:
    conn = server.client()
    conn.select(mailbox, readonly=True)
    _, data = conn.fetch("1:*", "(FLAGS)")
    conn.logout()
    return data


def test_imap_sync_new_mail_restart_uidvalidity_and_drops(dovecot, postgres_url):
    engine = open_database(postgres_url)
    for i in range(3):
        dovecot.append(simple_mail(i))
    dovecot.append(simple_mail(3, with_id=False))
    first = ImapInbox(dovecot.url(), engine, batch=3).poll()
    assert (first.landed, first.more_waiting) == (3, True)
    assert (
        ImapInbox(dovecot.url(), engine, batch=3).poll().landed == 1
    )  # restarted reader resumes at the cursor
    assert ImapInbox(dovecot.url(), engine).poll().landed == 0
    assert all(b"\\Seen" not in f for f in flags(dovecot)), "BODY.PEEK must leave messages unread"

    dovecot.append(simple_mail(4))
    assert ImapInbox(dovecot.url(), engine).poll().landed == 1
    assert count(engine) == 5

    # UIDVALIDITY changes: the mailbox is recreated holding old and new mail
    conn = dovecot.client()
    assert conn.create("Notices")[0] == "OK"
    conn.logout()
    dovecot.append(simple_mail(0), "Notices")
    assert ImapInbox(dovecot.url("Notices"), engine).poll().duplicates == 1
    conn = dovecot.client()
    assert conn.delete("Notices")[0] == "OK" and conn.create("Notices")[0] == "OK"
    conn.logout()
    for i in (0, 1, 5):
        dovecot.append(simple_mail(i), "Notices")
    resync = ImapInbox(dovecot.url("Notices"), engine).poll()
    assert (resync.landed, resync.duplicates) == (1, 2)
    assert count(engine) == 6

    # the connection drops: the poll fails loudly, the cursor stays, the next poll goes on
    proxy = TcpProxy(dovecot.port)
    via = dovecot.url(port=proxy.port)
    dovecot.append(simple_mail(6))
    proxy.stop()
    with pytest.raises(OSError):
        ImapInbox(via, engine).poll()
    proxy.start()
    assert ImapInbox(via, engine).poll().landed == 1
    # and a server restart
    dovecot.stop()
    dovecot.start()
    dovecot.append(simple_mail(7))
    assert ImapInbox(dovecot.url(), engine).poll().landed == 1
    assert count(engine) == 8
