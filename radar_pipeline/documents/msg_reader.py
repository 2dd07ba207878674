"""Outlook ``.msg`` files (extract-msg): subject, sender, body and every attachment.

A buyer who forwards a notice from Outlook by dragging it out of the mailbox sends a
``.msg``: an OLE compound file of MAPI properties. The body is read as the email
reader reads one (HTML when it carries tables, else the plain text); attachments go
through the same dispatch as email attachments, and an embedded message (a forward
of a forward) is read in place, its sender and subject taking over as with a
forwarded ``.eml``.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime

from radar_pipeline.documents.html_text import html_to_text
from radar_pipeline.documents.model import Document, Section

MAX_ATTACHMENTS = 200


def _quiet() -> None:
    # extract-msg logs every oddity of a file at WARNING; what matters comes back as a warning here.
    logging.getLogger("extract_msg").setLevel(logging.ERROR)


def read_msg(data: bytes, name: str = "message.msg", *, depth: int = 0) -> Document:
    """A ``Document`` from the bytes of a ``.msg`` file; unreadable files give warnings, never raise."""
    _quiet()
    doc = Document(name=name, kind="email")
    try:
        import extract_msg
        from extract_msg.enums import ErrorBehavior

        msg = extract_msg.openMsg(
            data,
            strict=False,
            delayAttachments=True,
            errorBehavior=ErrorBehavior.ATTACH_NOT_IMPLEMENTED
            | ErrorBehavior.ATTACH_BROKEN
            | ErrorBehavior.RTFDE_MALFORMED
            | ErrorBehavior.RTFDE_UNKNOWN_ERROR
            | ErrorBehavior.STANDARDS_VIOLATION
            | ErrorBehavior.OLE_DEFECT_INCORRECT,
        )
    except Exception as exc:
        doc.warnings.append(
            f"{name}: not a readable Outlook .msg file: {type(exc).__name__}: {str(exc)[:200]}"
        )
        return doc
    try:
        doc.sender, doc.subject, doc.date = _sender(msg), _get(msg, "subject"), _date(msg)
        _read_message(msg, name, doc, depth)
    except RecursionError:
        doc.warnings.append(f"{name}: the .msg file nests too deeply to read")
    except Exception as exc:  # a damaged file: keep what was read, say what broke
        doc.warnings.append(
            f"{name}: part of the .msg file could not be read: {type(exc).__name__}: {str(exc)[:200]}"
        )
    finally:
        with contextlib.suppress(Exception):
            msg.close()
    if not doc.sections and not doc.warnings:
        doc.warnings.append(f"{name}: message has no readable text part or attachment")
    return doc


def msg_date(data: bytes) -> datetime | None:
    """The message's own date (sent, else delivered) in UTC, for landing; ``None`` when unreadable."""
    _quiet()
    try:
        import extract_msg

        msg = extract_msg.openMsg(data, strict=False, delayAttachments=True)
    except Exception:
        return None
    try:
        value = _get(msg, "date")
    finally:
        with contextlib.suppress(Exception):
            msg.close()
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _get(msg, attr: str):
    """A property extract-msg computes on access; a damaged one reads as missing."""
    try:
        value = getattr(msg, attr)
    except Exception:
        return None
    if isinstance(value, str):
        value = value.replace("\x00", "").strip()
    return value or None


def _sender(msg) -> str | None:
    """``Name <address>``: extract-msg's ``sender`` holds only the name when no transport headers exist."""
    sender = _get(msg, "sender")
    if sender and "@" in sender:
        return sender
    address = None
    for stream in ("__substg1.0_5D01", "__substg1.0_0C1F", "__substg1.0_0065", "__substg1.0_5D02"):
        try:
            value = msg.getStringStream(stream)
        except Exception:
            value = None
        if value and "@" in value:
            address = value.strip()
            break
    if sender and address:
        return f"{sender} <{address}>"
    return address or sender


def _date(msg) -> str | None:
    value = _get(msg, "date")
    if value is None:
        return None
    try:
        from email.utils import format_datetime

        return format_datetime(value)
    except Exception:
        return str(value)


def _body(msg, doc: Document) -> None:
    """HTML when it carries a table (rows survive) or there is no plain text, else the plain text."""
    plain = _get(msg, "body") or ""
    html = None
    try:
        raw = msg.htmlBody  # extract-msg may build it from the RTF body (de-encapsulation)
        if raw:
            html = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
    except Exception as exc:
        doc.warnings.append(f"{doc.name}: the HTML body could not be read: {type(exc).__name__}")
    if html and ("<table" in html.lower() or not plain.strip()):
        text, tables = html_to_text(html)
        if text.strip():
            doc.sections.append(Section("body (html)", "html", text, tables))
            return
    if plain.strip():
        doc.sections.append(Section("body", "text", plain))
    elif not html:
        try:
            rtf = msg.rtfBody
        except Exception:
            rtf = None
        if rtf:
            _rtf_body(rtf, doc, "body")


def _rtf_body(rtf: bytes, doc: Document, label: str) -> None:
    """A body kept only as RTF (rich-text Outlook mail), read as text and tables."""
    from radar_pipeline.documents.rtf_reader import rtf_to_text

    try:
        text, tables = rtf_to_text(rtf)
    except Exception as exc:
        doc.warnings.append(
            f"{doc.name}: the RTF body could not be read: {type(exc).__name__}: {str(exc)[:200]}"
        )
        return
    if text.strip():
        doc.sections.append(Section(label, "rtf", text, tables))


def _read_message(msg, name: str, doc: Document, depth: int) -> None:
    from radar_pipeline.documents.read import MAX_DEPTH, read_attachment

    _body(msg, doc)
    try:
        attachments = list(msg.attachments)
    except Exception as exc:
        doc.warnings.append(
            f"{name}: attachments could not be listed: {type(exc).__name__}: {str(exc)[:200]}"
        )
        return
    if len(attachments) > MAX_ATTACHMENTS:
        doc.warnings.append(
            f"{name}: only the first {MAX_ATTACHMENTS} of {len(attachments)} attachments were read"
        )
        attachments = attachments[:MAX_ATTACHMENTS]
    for att in attachments:
        label = (
            _get(att, "longFilename")
            or _get(att, "shortFilename")
            or _get(att, "displayName")
            or "attachment"
        )
        try:
            data = att.data
        except Exception as exc:
            doc.warnings.append(
                f"{label}: attachment could not be read: {type(exc).__name__}: {str(exc)[:200]}"
            )
            continue
        if data is None:
            doc.warnings.append(
                f"{label}: attachment has no data (a link or an unsupported kind) and was not read"
            )
            continue
        if isinstance(data, bytes | bytearray):
            read_attachment(bytes(data), label, _get(att, "mimetype"), doc, depth=depth)
            continue
        # an embedded message (extract-msg has already parsed it): a forward, read in place
        if depth + 1 > MAX_DEPTH:
            doc.warnings.append(f"{label}: messages nested deeper than {MAX_DEPTH} levels were not read")
            continue
        if not hasattr(data, "attachments"):
            doc.warnings.append(f"{label}: attachment of kind {type(data).__name__} was not read")
            continue
        doc.sender = _sender(data) or doc.sender
        doc.subject = _get(data, "subject") or doc.subject
        _read_message(data, label, doc, depth + 1)
