"""``radar ingest``: documents into the landing table as the mail inbox would put them.

Messages (``.eml``, ``mbox``) land as source ``mail`` stamped with their own
``Date``, so a year of old mail lands in its own days; other documents (PDF,
spreadsheets, Word letters, scans, text) land as source ``file``. Outlook ``.msg``
files land as ``file`` events too (their bytes are no RFC 5322 message), named
``.msg`` so the readers open them again, and stamped with the message's own date.
"""

from __future__ import annotations

import hashlib
import mailbox
import mimetypes
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from radar_pipeline.landing import IncomingEvent, clamp_day
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


def message_event(raw: bytes, *, stamp_with_date: bool = True) -> IncomingEvent:
    """A mail landing event; dated by its own ``Date`` header (backfills) or by arrival (the inbox)."""
    when = (message_date(raw) if stamp_with_date else None) or datetime.now(UTC)
    if clamp_day(when.date()) != when.date():
        when = datetime.now(UTC)
    return IncomingEvent("mail", message_dedup_key(raw), "message/rfc822", raw, received_at=when)


def file_event(path: Path) -> IncomingEvent:
    data = path.read_bytes()
    suffix = path.suffix.lower()
    ctype = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    when = None
    if suffix == ".msg":
        from radar_pipeline.documents.msg_reader import msg_date

        when = msg_date(data)
        if when is not None and clamp_day(when.date()) != when.date():
            when = None
    return IncomingEvent(
        "file",
        "sha256:" + hashlib.sha256(data).hexdigest(),
        f'{ctype}; name="{path.name}"',
        data,
        received_at=when or datetime.now(UTC),
    )


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(5) == b"From "


def events_from(paths: list[str]) -> Iterator[tuple[str, IncomingEvent]]:
    """(where it came from, event) for every file, folder entry and mbox message."""
    for name in paths:
        path = Path(name)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            suffix = f.suffix.lower()
            if suffix == ".eml":
                yield str(f), message_event(f.read_bytes())
            elif suffix in (".mbox", "") and _is_mbox(f):
                for i, msg in enumerate(mailbox.mbox(str(f))):
                    yield f"{f}#{i}", message_event(msg.as_bytes())
            elif suffix in DOCUMENT_SUFFIXES:
                yield str(f), file_event(f)
