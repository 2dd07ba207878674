"""Inbox readers: Maildir, and IMAP against a real Dovecot server (issue 6)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import func, select

from radar_pipeline.db import open_database
from radar_pipeline.db.schema import landing_events
from radar_pipeline.landing import LandingStore
from radar_pipeline.mail.inbox import ImapInbox, InboxError, MaildirInbox
from radar_pipeline.orchestration.inbox import inbox as inbox_job
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


def tick(database_url: str, inbox: InboxResource, instance: dg.DagsterInstance):
    resources = {"database": RadarDatabase(url=database_url), "inbox": inbox}
    with dg.build_sensor_context(instance=instance, resources=resources) as ctx:
        return inbox_sensor(ctx)


def run_inbox(database_url: str, inbox: InboxResource, instance: dg.DagsterInstance):
    resources = {"database": RadarDatabase(url=database_url), "inbox": inbox}
    return inbox_job.execute_in_process(resources=resources, instance=instance, raise_on_error=False)


def test_inbox_sensor_idles_looks_and_asks_the_inbox_job_to_land(sqlite_url, tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    idle = tick(sqlite_url, InboxResource(), instance)
    assert isinstance(idle, dg.SkipReason) and "no inbox configured" in idle.skip_message

    box = InboxResource(maildir=str(tmp_path / "md"), batch=2)
    for i in range(3):
        drop(tmp_path / "md", f"{i}.M1.h", simple_mail(i))
    request = tick(sqlite_url, box, instance)
    assert isinstance(request, dg.RunRequest), request
    assert count(open_database(sqlite_url)) == 0  # the tick looked; it landed nothing

    result = run_inbox(sqlite_url, box, instance)
    assert result.success and count(open_database(sqlite_url)) == 3
    meta = next(e for e in result.all_events if e.event_type_value == "STEP_OUTPUT").step_output_data.metadata
    assert (meta["landed"].value, meta["batches"].value) == (3, 2)  # two batches of at most 2, one run
    again = tick(sqlite_url, box, instance)
    assert isinstance(again, dg.SkipReason) and "0 message(s) not landed" in again.skip_message

    # an inbox run under way: the tick waits for it rather than asking for a second one
    drop(tmp_path / "md", "9.M1.h", simple_mail(9))
    instance.create_run_for_job(inbox_job, status=dg.DagsterRunStatus.STARTED)
    busy = tick(sqlite_url, box, instance)
    assert isinstance(busy, dg.SkipReason) and "still landing" in busy.skip_message


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


def logouts(server: Dovecot, at_least: int) -> list[str]:
    """Dovecot's line per finished IMAP session (bytes in and out, headers and bodies fetched)."""
    deadline = time.monotonic() + 10
    while True:
        lines = [
            line
            for line in (server.root / "dovecot.log").read_text().splitlines()
            if "Disconnected: Logged out" in line
        ]
        if len(lines) >= at_least or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def fetched(session: str) -> int:
    """Message headers and bodies a session fetched, as Dovecot counted them."""
    counts = dict(re.findall(r"\b(hdr_count|body_count)=(\d+)", session))
    return int(counts["hdr_count"]) + int(counts["body_count"])


def test_imap_tick_only_looks_and_the_inbox_run_lands(dovecot, postgres_url):
    instance = dg.DagsterInstance.ephemeral()
    engine = open_database(postgres_url)
    box = InboxResource(imap_url=dovecot.url(), batch=2)
    for i in range(3):
        dovecot.append(simple_mail(i))
    before = len(logouts(dovecot, 3))  # the three APPEND sessions

    assert isinstance(tick(postgres_url, box, instance), dg.RunRequest)
    looked = logouts(dovecot, before + 1)[before:]
    assert len(looked) == 1 and fetched(looked[0]) == 0, looked  # one session, STATUS only: nothing fetched
    assert count(engine) == 0

    assert run_inbox(postgres_url, box, instance).success
    assert count(engine) == 3
    assert sum(fetched(s) for s in logouts(dovecot, before + 3)[before + 1 :]) == 3  # the run fetched them
    idle = tick(postgres_url, box, instance)
    assert isinstance(idle, dg.SkipReason) and "landed up to UID 3" in idle.skip_message

    # a message another client deletes before the run reads it: one run finds nothing, later ticks skip
    dovecot.append(simple_mail(4))
    conn = dovecot.client()
    conn.select("INBOX")
    conn.uid("STORE", "4", "+FLAGS.SILENT", r"(\Deleted)")
    conn.expunge()
    conn.logout()
    assert isinstance(tick(postgres_url, box, instance), dg.RunRequest)
    assert run_inbox(postgres_url, box, instance).success and count(engine) == 3
    assert isinstance(tick(postgres_url, box, instance), dg.SkipReason)

    # a run that fails (the server unreachable) is asked for again, and the next run lands the mail
    dovecot.append(simple_mail(5))
    assert isinstance(tick(postgres_url, box, instance), dg.RunRequest)
    dovecot.stop()
    assert not run_inbox(postgres_url, box, instance).success
    dovecot.start()
    assert isinstance(tick(postgres_url, box, instance), dg.RunRequest)
    assert run_inbox(postgres_url, box, instance).success and count(engine) == 4
    assert isinstance(tick(postgres_url, box, instance), dg.SkipReason)


def test_a_slow_mail_server_cannot_hold_the_tick(sqlite_url):
    """A server that greets late and then says nothing: the whole check stays within its deadline."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def greet_late_then_hang() -> None:
            client, _ = server.accept()
            time.sleep(1.5)
            client.sendall(b"* OK slow server ready\r\n")
            time.sleep(10)
            client.close()

        threading.Thread(target=greet_late_then_hang, daemon=True).start()
        box = InboxResource(imap_url=f"imap://radar:secret@127.0.0.1:{port}/INBOX", check_timeout=2.0)
        open_database(sqlite_url).dispose()  # the schema, created before the clock starts
        started = time.monotonic()
        with pytest.raises(InboxError, match="within 2 s"):
            tick(sqlite_url, box, dg.DagsterInstance.ephemeral())
        assert time.monotonic() - started < 3.0  # greeting 1.5 s + a full timeout for LOGIN would be 3.5 s
