"""``radar ingest``: documents into the landing table as the mail inbox would put them.

Messages (``.eml``, ``mbox``) land as source ``mail`` stamped with their own
``Date``, so a year of old mail lands in its own days; other documents (PDF,
spreadsheets, Word letters, scans, text) land as source ``file``. Outlook ``.msg``
files land as ``file`` events too (their bytes are no RFC 5322 message), named
``.msg`` so the readers open them again, and stamped with the message's own date.

Every message lands with Radar's DKIM verdict (``mail.authentication``): its signatures are
verified on the raw message with ``dkimpy``, against DNS or ``RADAR_DKIM_KEYS``.

A message dated before the first daily partition (``RADAR_HISTORY_START``) is not
landed: it comes back as ``NotLanded`` with the reason, so the caller says which
setting to change. A message dated in the future (a sender's clock ahead) lands now.
"""

from __future__ import annotations

import hashlib
import mailbox
import mimetypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from radar_pipeline.landing import BeforeHistory, IncomingEvent, landing_instant
from radar_pipeline.mail.authentication import DnsFunc, dkim_verdicts, landed_as
from radar_pipeline.mail.messages import message_date, message_dedup_key

DOCUMENT_SUFFIXES = {
    ".pdf",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".xlsb",
    ".csv",
    ".txt",
    ".html",
    ".htm",
    ".docx",
    ".rtf",
    ".msg",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
}
CONTENT_TYPES = {
    ".msg": "application/vnd.ms-outlook",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
}


@dataclass(frozen=True)
class NotLanded:
    """A document left out of the landing table, and why, in words that say what to change."""

    reason: str


def message_event(raw: bytes, first_day: date | None = None, dnsfunc: DnsFunc | None = None) -> IncomingEvent:
    """A mail landing event, with its DKIM verdict: dated by its own ``Date`` header when
    ``first_day`` is given (old mail; ``BeforeHistory`` if dated earlier), else by arrival (the inbox).
    ``dnsfunc`` answers the DKIM key lookups (DNS when ``None``).
    """
    when = datetime.now(UTC) if first_day is None else landing_instant(message_date(raw), first_day)
    kind = landed_as(dkim_verdicts(raw, dnsfunc))
    return IncomingEvent("mail", message_dedup_key(raw), kind, raw, received_at=when)


def file_event(path: Path, first_day: date) -> IncomingEvent:
    """A document landing event; an Outlook ``.msg`` is dated like a message, anything else now."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    ctype = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    when = None
    if suffix == ".msg":
        from radar_pipeline.documents.msg_reader import msg_date

        when = msg_date(data)
    return IncomingEvent(
        "file",
        "sha256:" + hashlib.sha256(data).hexdigest(),
        f'{ctype}; name="{path.name}"',
        data,
        received_at=landing_instant(when, first_day),
    )


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(5) == b"From "


def _or_reason(make: Callable[[], IncomingEvent]) -> IncomingEvent | NotLanded:
    try:
        return make()
    except BeforeHistory as exc:
        return NotLanded(str(exc))


def events_from(
    paths: list[str], first_day: date, dnsfunc: DnsFunc | None = None
) -> Iterator[tuple[str, IncomingEvent | NotLanded]]:
    """(where it came from, event or why not) for every file, folder entry and mbox message."""
    for name in paths:
        path = Path(name)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            suffix = f.suffix.lower()
            if suffix == ".eml":
                yield str(f), _or_reason(partial(message_event, f.read_bytes(), first_day, dnsfunc))
            elif suffix in (".mbox", "") and _is_mbox(f):
                for i, msg in enumerate(mailbox.mbox(str(f))):
                    yield f"{f}#{i}", _or_reason(partial(message_event, msg.as_bytes(), first_day, dnsfunc))
            elif suffix in DOCUMENT_SUFFIXES:
                yield str(f), _or_reason(partial(file_event, f, first_day))
