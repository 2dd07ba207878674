"""RFC 5322 messages: walk the whole MIME tree, forwarded messages included.

``iter_attachments()`` only looks at the top level and skips the first text
parts, and ``get_content()`` raises on unknown charsets, so the tree is walked
by hand and every text part is decoded with a fallback.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage, Message

from radar_pipeline.documents.html_text import html_to_text
from radar_pipeline.documents.model import Document, Section

MAX_DEPTH = 12
# attachments read per message (real notices carry up to a dozen): each PDF or image costs a parser
# process with its own limits, so a mail of a thousand of them would hold the partition for hours
MAX_ATTACHMENTS = 50


def _decode(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    for charset in (part.get_content_charset(), "utf-8", "cp1252"):
        if not charset:
            continue
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def _header(msg: Message, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # malformed header: keep going without it
        return None
    return str(value).strip() if value else None


def _all(msg: Message, name: str) -> list[str]:
    try:
        return [str(v).strip() for v in msg.get_all(name) or []]
    except Exception:  # malformed header: nothing to read from it
        return []


def read_email(raw: bytes, name: str = "message.eml", *, depth: int = 0) -> Document:
    """A message and everything in it; ``depth`` counts the messages and MIME parts it sits in."""
    msg = message_from_bytes(raw, policy=policy.default)
    doc = Document(
        name=name,
        kind="email",
        sender=_header(msg, "From"),
        subject=_header(msg, "Subject"),
        date=_header(msg, "Date"),
    )
    if depth == 0:
        doc.origin = {
            "from": doc.sender,
            "subject": doc.subject,
            "authentication_results": _all(msg, "Authentication-Results"),
        }
    if msg.defects and not msg.keys():
        doc.warnings.append(
            "message has no readable headers: " + ", ".join(type(d).__name__ for d in msg.defects[:3])
        )
    attachments = {"read": 0, "skipped": 0}
    _walk(msg, doc, depth, attachments)
    if attachments["skipped"]:
        doc.warnings.append(
            f"message has {MAX_ATTACHMENTS + attachments['skipped']} attachments; only the first "
            f"{MAX_ATTACHMENTS} were read: the {MAX_ATTACHMENTS}-attachment limit"
        )
    if not doc.sections and not doc.warnings:
        doc.warnings.append("message has no readable text part or attachment")
    return doc


def _walk(part: Message, doc: Document, depth: int, attachments: dict[str, int]) -> None:
    """Add ``part`` and what it holds to ``doc``; ``attachments`` counts files read and skipped."""
    if depth > MAX_DEPTH:
        doc.warnings.append(
            f"MIME parts nested deeper than the {MAX_DEPTH}-level MIME depth limit were not read"
        )
        return
    ctype = part.get_content_type()
    if ctype == "message/rfc822" or (part.get_filename() or "").lower().endswith(".eml"):
        inner = part.get_payload()
        if isinstance(inner, list) and inner:
            inner = inner[0]
        if isinstance(inner, (bytes, str)) or not isinstance(inner, Message):
            data = part.get_payload(decode=True) or (inner.encode() if isinstance(inner, str) else b"")
            inner = message_from_bytes(data, policy=policy.default)
        _forwarded(inner, doc)
        _walk(inner, doc, depth + 1, attachments)
        return
    if part.is_multipart():
        children = part.get_payload()
        if ctype == "multipart/alternative":
            children = _best_alternative(children)
        for child in children:
            _walk(child, doc, depth + 1, attachments)
        return
    filename = part.get_filename()
    disposition = (part.get_content_disposition() or "").lower()
    if ctype in ("text/plain", "text/html") and not filename and disposition != "attachment":
        text = _decode(part)
        if ctype == "text/html":
            text, tables = html_to_text(text)
            doc.sections.append(Section("body (html)", "html", text, tables))
        elif text.strip():
            doc.sections.append(Section("body", "text", text))
        return
    if attachments["read"] >= MAX_ATTACHMENTS:
        attachments["skipped"] += 1
        return
    attachments["read"] += 1
    from radar_pipeline.documents.read import read_attachment

    data = part.get_payload(decode=True) or b""
    read_attachment(data, filename or f"attachment.{part.get_content_subtype()}", ctype, doc, depth=depth)


def _best_alternative(children: list) -> list:
    """HTML when it carries tables (rows survive), else the plain text."""
    html = [c for c in children if c.get_content_type() == "text/html"]
    plain = [c for c in children if c.get_content_type() == "text/plain"]
    other = [c for c in children if c not in html and c not in plain]
    if other:
        return other[-1:]
    if html and ("<table" in _decode(html[-1]).lower() or not plain or not _decode(plain[-1]).strip()):
        return html[-1:]
    return plain[-1:] or html[-1:]


def _forwarded(inner: Message, doc: Document) -> None:
    """A forwarded notice: its original sender and subject are the ones that matter."""
    if isinstance(inner, EmailMessage | Message):
        doc.sender = _header(inner, "From") or doc.sender
        doc.subject = _header(inner, "Subject") or doc.subject
