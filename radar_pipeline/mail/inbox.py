"""The mail inbox: Maildir and IMAP readers that land new messages and remember where they stopped.

Two steps with different costs. ``check()`` is the sensor tick's cheap look: IMAP
``STATUS (UIDNEXT UIDVALIDITY MESSAGES)`` against the stored cursor, bounded by a
short deadline, or the names in a Maildir's ``new/`` and ``cur/``; it fetches
nothing. ``poll()`` fetches and lands, in the ``inbox`` job's run.

Nothing is marked read (``BODY.PEEK[]``, mailbox selected read-only), deleted or
moved unless ``RADAR_IMAP_MOVE_TO`` says so. The IMAP cursor is (mailbox,
UIDVALIDITY, last UID) in the database; a new UIDVALIDITY resyncs from the
start, and the landing table's dedup (Message-ID, else SHA-256) keeps that
from duplicating anything. Each poll lands at most ``batch`` messages.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from sqlalchemy import Engine, delete, insert, select

from radar_pipeline.db.schema import inbox_cursors, inbox_seen
from radar_pipeline.landing import LandingStore
from radar_pipeline.mail.authentication import DnsFunc, dkim_keys_dns
from radar_pipeline.mail.ingest import message_event

log = logging.getLogger("radar.inbox")


@dataclass
class PollResult:
    mailbox: str
    landed: int = 0
    duplicates: int = 0
    more_waiting: bool = False

    def __str__(self) -> str:
        more = "; more waiting" if self.more_waiting else ""
        return f"{self.mailbox}: {self.landed} new message(s), {self.duplicates} already landed{more}"


@dataclass(frozen=True)
class MailCheck:
    """What a look at the mailbox saw: whether messages wait past what was landed, in words."""

    mailbox: str
    waiting: bool
    detail: str

    def __str__(self) -> str:
        return f"{self.mailbox}: {self.detail}"


class InboxError(RuntimeError):
    pass


def _land(store: LandingStore, raws: list[bytes], result: PollResult, dnsfunc: DnsFunc | None) -> None:
    if not raws:
        return
    for landed in store.land_many([message_event(raw, dnsfunc=dnsfunc) for raw in raws]):
        result.duplicates += landed.duplicate
        result.landed += not landed.duplicate


class MaildirInbox:
    """A Maildir (``new/`` and ``cur/``); messages already landed are remembered by file key."""

    def __init__(
        self, path: str | Path, engine: Engine, batch: int = 100, dnsfunc: DnsFunc | None = None
    ) -> None:
        self.path, self.engine, self.batch, self.dnsfunc = Path(path), engine, batch, dnsfunc
        self.name = f"maildir:{self.path.resolve()}"

    def _keys(self) -> dict[str, Path]:
        found = {}
        for sub in ("new", "cur"):
            folder = self.path / sub
            if folder.is_dir():
                for f in folder.iterdir():
                    if f.is_file() and not f.name.startswith("."):
                        found[f.name.split(":2,")[0]] = f
        return found

    def _fresh(self) -> list[tuple[str, Path]]:
        """Messages not landed yet, oldest name first."""
        if not (self.path / "new").is_dir() and not (self.path / "cur").is_dir():
            raise InboxError(f"{self.path} is not a Maildir (no new/ or cur/ folder)")
        with self.engine.connect() as conn:
            seen = {
                r[0]
                for r in conn.execute(
                    select(inbox_seen.c.message_key).where(inbox_seen.c.mailbox == self.name)
                )
            }
        return sorted((k, p) for k, p in self._keys().items() if k not in seen)

    def check(self) -> MailCheck:
        """The names in ``new/`` and ``cur/`` against those landed; no message is read."""
        fresh = self._fresh()
        return MailCheck(self.name, bool(fresh), f"{len(fresh)} message(s) not landed yet")

    def poll(self) -> PollResult:
        result = PollResult(self.name)
        fresh = self._fresh()
        result.more_waiting = len(fresh) > self.batch
        fresh = fresh[: self.batch]
        raws = []
        for _, path in fresh:
            try:
                raws.append(path.read_bytes())
            except FileNotFoundError:  # moved by another client between listing and reading
                continue
        _land(LandingStore(self.engine), raws, result, self.dnsfunc)
        if fresh:
            with self.engine.begin() as conn:
                conn.execute(insert(inbox_seen), [{"mailbox": self.name, "message_key": k} for k, _ in fresh])
        return result


@dataclass(frozen=True)
class ImapAddress:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    mailbox: str

    @classmethod
    def parse(cls, url: str) -> ImapAddress:
        u = urlparse(url)
        if u.scheme not in ("imap", "imaps") or not u.hostname or not u.username:
            raise InboxError("RADAR_IMAP_URL must look like imaps://user:password@host:993/INBOX")
        secure = u.scheme == "imaps"
        return cls(
            secure,
            u.hostname,
            u.port or (993 if secure else 143),
            unquote(u.username),
            unquote(u.password or ""),
            unquote(u.path.lstrip("/")) or "INBOX",
        )

    @property
    def name(self) -> str:
        return f"imap://{self.user}@{self.host}:{self.port}/{self.mailbox}"


class ImapInbox:
    """An IMAP mailbox read with UID FETCH BODY.PEEK[] past the stored cursor."""

    def __init__(
        self,
        url: str,
        engine: Engine,
        batch: int = 100,
        timeout: float = 30.0,
        move_to: str | None = None,
        check_timeout: float = 5.0,
        dnsfunc: DnsFunc | None = None,
    ) -> None:
        self.address, self.engine, self.batch, self.timeout = ImapAddress.parse(url), engine, batch, timeout
        self.move_to, self.check_timeout, self.dnsfunc = move_to, check_timeout, dnsfunc
        self.name = self.address.name

    def _open(self, timeout: float) -> imaplib.IMAP4:
        a = self.address
        cls = imaplib.IMAP4_SSL if a.secure else imaplib.IMAP4
        return cls(a.host, a.port, timeout=timeout)

    def _connect(self) -> imaplib.IMAP4:
        conn = self._open(self.timeout)
        conn.login(self.address.user, self.address.password)
        status, _ = conn.select(_quote(self.address.mailbox), readonly=self.move_to is None)
        if status != "OK":
            raise InboxError(f"mailbox {self.address.mailbox!r} cannot be selected")
        return conn

    def check(self) -> MailCheck:
        """``STATUS (UIDNEXT UIDVALIDITY MESSAGES)`` against the stored cursor, within ``check_timeout``.

        The mailbox is not selected and no message is fetched; a server slower than the deadline
        makes the check fail (InboxError) rather than hold the sensor tick.
        """
        deadline = time.monotonic() + self.check_timeout
        conn = None
        try:
            conn = self._open(self.check_timeout / 2)  # waits twice: for the greeting, for CAPABILITY
            _until(conn, deadline)
            conn.login(self.address.user, self.address.password)
            _until(conn, deadline)
            status, data = conn.status(_quote(self.address.mailbox), "(UIDNEXT UIDVALIDITY MESSAGES)")
        except (imaplib.IMAP4.error, OSError) as exc:
            if conn is not None:
                with contextlib.suppress(OSError):
                    conn.shutdown()  # no LOGOUT: the server already missed its deadline
            raise InboxError(
                f"cannot check {self.name} within {self.check_timeout:g} s: {type(exc).__name__}: {exc}"
            ) from exc
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            _until(conn, deadline + 1.0)
            conn.logout()
        if status != "OK":
            raise InboxError(f"STATUS of {self.name} failed: {data!r}")
        counts = _status_items(data[0])
        uidnext, uidvalidity, messages = counts["UIDNEXT"], counts["UIDVALIDITY"], counts["MESSAGES"]
        cursor = self._cursor()
        if cursor is None or cursor[0] != uidvalidity:
            return MailCheck(self.name, messages > 0, f"{messages} message(s), UIDVALIDITY {uidvalidity} new")
        waiting = messages > 0 and uidnext - 1 > cursor[1]
        return MailCheck(self.name, waiting, f"UIDNEXT {uidnext}, landed up to UID {cursor[1]}")

    def _cursor(self) -> tuple[int, int] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(inbox_cursors).where(inbox_cursors.c.mailbox == self.name)).first()
        return (row.uidvalidity, row.last_uid) if row else None

    def _save_cursor(self, uidvalidity: int, last_uid: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(inbox_cursors).where(inbox_cursors.c.mailbox == self.name))
            conn.execute(
                insert(inbox_cursors).values(
                    mailbox=self.name,
                    uidvalidity=uidvalidity,
                    last_uid=last_uid,
                    updated_at=datetime.now(UTC),
                )
            )

    def poll(self) -> PollResult:
        """One batch; a dropped connection is retried once from the stored cursor."""
        try:
            return self._poll_once()
        except (imaplib.IMAP4.abort, OSError) as exc:
            log.warning(
                "IMAP connection to %s dropped (%s); reconnecting", self.address.host, type(exc).__name__
            )
            return self._poll_once()

    def _poll_once(self) -> PollResult:
        result = PollResult(self.name)
        conn = self._connect()
        try:
            uidvalidity = int(conn.response("UIDVALIDITY")[1][0])
            cursor = self._cursor()
            last = cursor[1] if cursor and cursor[0] == uidvalidity else 0
            if cursor and cursor[0] != uidvalidity:
                log.warning(
                    "UIDVALIDITY of %s changed (%s -> %s): resyncing", self.name, cursor[0], uidvalidity
                )
            uidnext = conn.response("UIDNEXT")[1][0]
            status, data = conn.uid("SEARCH", "UID", f"{last + 1}:*")
            if status != "OK":
                raise InboxError(f"UID SEARCH failed: {data!r}")
            uids = sorted(
                u for u in map(int, (data[0] or b"").split()) if u > last
            )  # n:* always returns the highest
            result.more_waiting = len(uids) > self.batch
            store = LandingStore(self.engine)
            batch = uids[: self.batch]
            for uid in batch:
                status, parts = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
                raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
                if status == "OK" and raw is not None:
                    _land(store, [raw], result, self.dnsfunc)
                    if self.move_to:
                        _move(conn, uid, self.move_to)
                self._save_cursor(uidvalidity, uid)  # after each landing: a crash re-lands at most one
                cursor = (uidvalidity, uid)
            # Once the search reached the end of the mailbox, every UID below UIDNEXT has been seen: the
            # cursor moves up to it, so mail another client deleted or moved away never looks new to check().
            searched_to = last if cursor is None or cursor[0] != uidvalidity else cursor[1]
            if uidnext and not result.more_waiting:
                searched_to = max(searched_to, int(uidnext) - 1)
            if cursor != (uidvalidity, searched_to):
                self._save_cursor(uidvalidity, searched_to)
            if self.move_to and batch:
                conn.expunge()
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()
        return result


def _quote(mailbox: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", mailbox) + '"'


def _until(conn: imaplib.IMAP4, deadline: float) -> None:
    """Let the next command wait only for what is left of ``deadline``."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    conn.sock.settimeout(left)


def _status_items(line: bytes) -> dict[str, int]:
    """``"INBOX" (MESSAGES 3 UIDNEXT 9 UIDVALIDITY 1)`` -> ``{"MESSAGES": 3, ...}``."""
    items = re.search(rb"\(([^()]*)\)\s*$", line)
    words = items.group(1).split() if items else []
    return {k.decode().upper(): int(v) for k, v in zip(words[::2], words[1::2], strict=True)}


def _move(conn: imaplib.IMAP4, uid: int, folder: str) -> None:
    if conn.uid("COPY", str(uid), _quote(folder))[0] == "OK":
        conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")


def inbox_from(
    maildir: str | None,
    imap_url: str | None,
    engine: Engine,
    batch: int = 100,
    move_to: str | None = None,
    check_timeout: float = 5.0,
    dkim_keys: str | None = None,
) -> ImapInbox | MaildirInbox | None:
    """The configured inbox, or ``None`` (the inbox sensor then idles). ``dkim_keys``: a file of DKIM
    keys answering before DNS (``RADAR_DKIM_KEYS``)."""
    dnsfunc = dkim_keys_dns(dkim_keys)
    if imap_url:
        return ImapInbox(
            imap_url, engine, batch, move_to=move_to, check_timeout=check_timeout, dnsfunc=dnsfunc
        )
    if maildir:
        return MaildirInbox(maildir, engine, batch, dnsfunc)
    return None
