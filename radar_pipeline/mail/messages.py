"""Facts about a raw RFC 5322 message that landing needs: its dedup key and date."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime


def _headers(raw: bytes):
    # compat32 never raises on malformed headers; only the header block is read.
    head, _, _ = raw.partition(b"\n\n") if b"\r\n\r\n" not in raw[:65536] else raw.partition(b"\r\n\r\n")
    return message_from_bytes(head + b"\n\n", policy=policy.compat32)


def message_dedup_key(raw: bytes) -> str:
    """The message's ``Message-ID``, else the SHA-256 of the stored bytes."""
    msg_id = _headers(raw).get("Message-ID")
    if msg_id and str(msg_id).strip():
        return str(msg_id).strip()[:500]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def message_date(raw: bytes) -> datetime | None:
    """The message's own ``Date`` in UTC, so a historical mail lands in its own day."""
    return header_date(_headers(raw).get("Date"))


def header_date(value: object) -> datetime | None:
    """A ``Date`` header's value in UTC (a value without a zone is taken as UTC); None when it does not
    parse."""
    if not value:
        return None
    try:
        dt = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
