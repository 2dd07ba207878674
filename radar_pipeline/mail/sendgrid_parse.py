"""SendGrid Inbound Parse posts, turned into the RFC 5322 message we store.

Raw mode sends the whole message in the form field ``email``: it is stored as
sent. Parsed mode splits it into fields; the message is rebuilt from the
original ``headers`` block, the ``text``/``html`` bodies and every
``attachmentN`` file, so downstream code reads one format whatever the mode.

The form is parsed with the stdlib ``email`` parser on the already size-checked
body: it has no per-part cap (Starlette's 1 MiB part limit would turn a large
raw mail into a 400 that SendGrid never retries) and it accepts the bare-LF
bodies of SendGrid's own sample data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from urllib.parse import parse_qsl

_BODY_HEADERS = {"content-type", "content-transfer-encoding", "mime-version"}


class FormError(ValueError):
    """The post is not a SendGrid Inbound Parse form we can read."""


@dataclass(frozen=True)
class FormPart:
    name: str
    data: bytes
    filename: str | None = None
    content_type: str | None = None


# The fields a post is read by (the message, its charsets, SendGrid's verdicts, the addresses); others
# are ignored, whatever they hold.
READ_FIELDS = {
    "email",
    "headers",
    "text",
    "html",
    "from",
    "to",
    "subject",
    "charsets",
    "dkim",
    "SPF",
    "envelope",
}


def _refuse_repeated(names: Iterable[str]) -> None:
    """SendGrid sends each field once; a field it is read by twice is not its post, and which copy to read
    would be a guess."""
    seen: set[str] = set()
    for name in names:
        if name in seen and (name in READ_FIELDS or name.startswith("attachment")):
            raise FormError(f"form field {name!r} is sent more than once")
        seen.add(name)


def parse_form(content_type: str, body: bytes) -> dict[str, FormPart]:
    """Fields of a multipart/form-data or urlencoded body, by name."""
    if content_type.lower().startswith("application/x-www-form-urlencoded"):
        # latin-1 maps every byte to one character and back: percent-decoded values keep their bytes
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
        _refuse_repeated(k for k, _ in pairs)
        return {k: FormPart(k, v.encode("latin-1")) for k, v in pairs}
    head = b"MIME-Version: 1.0\r\nContent-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
    msg = BytesParser(policy=policy.compat32).parsebytes(head + body)
    if not msg.is_multipart() or msg.defects and not msg.get_payload():
        raise FormError("body is not a readable multipart/form-data message (check the boundary)")
    named = [(str(p.get_param("name", header="content-disposition") or ""), p) for p in msg.get_payload()]
    named = [(name, part) for name, part in named if name]
    _refuse_repeated(name for name, _ in named)
    fields: dict[str, FormPart] = {}
    for name, part in named:
        data = part.get_payload(decode=True)
        if data is None:  # a nested multipart part: keep its text as sent
            data = part.as_bytes().split(b"\n\n", 1)[-1]
        fields[name] = FormPart(name, data, part.get_filename(), part.get("Content-Type"))
    if not fields:
        raise FormError("multipart body has no named form fields")
    return fields


def _charsets(fields: dict[str, FormPart]) -> dict[str, str]:
    try:
        value = json.loads(fields["charsets"].data) if "charsets" in fields else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _text(fields: dict[str, FormPart], name: str, charsets: dict[str, str]) -> str | None:
    if name not in fields:
        return None
    charset = charsets.get(name) or "utf-8"
    try:
        return fields[name].data.decode(charset, errors="replace")
    except LookupError:
        return fields[name].data.decode("utf-8", errors="replace")


def field_text(fields: dict[str, FormPart], name: str) -> str | None:
    """A plain text field of the post (``dkim``, ``SPF``, ``envelope``), in its declared charset."""
    return _text(fields, name, _charsets(fields))


def message_from_form(fields: dict[str, FormPart]) -> bytes:
    """The RFC 5322 message a SendGrid post carries (raw or parsed mode)."""
    if "email" in fields:
        if not fields["email"].data.strip():
            raise FormError("raw-mode field 'email' is empty")
        return fields["email"].data
    if not any(k in fields for k in ("headers", "text", "html")):
        raise FormError("neither 'email' (raw mode) nor 'headers', 'text' or 'html' (parsed mode) is present")
    charsets = _charsets(fields)
    body = EmailMessage(policy=policy.default)
    text, html = _text(fields, "text", charsets), _text(fields, "html", charsets)
    if text is not None or html is None:
        body.set_content(text or "")
        if html is not None:
            body.add_alternative(html, subtype="html")
    else:
        body.set_content(html, subtype="html")
    for name in sorted(
        (k for k in fields if k.startswith("attachment") and k[10:].isdigit()), key=lambda k: int(k[10:])
    ):
        part = fields[name]
        maintype, _, subtype = (
            (part.content_type or "application/octet-stream").partition(";")[0].strip().partition("/")
        )
        body.add_attachment(
            part.data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=part.filename or name,
        )
    return _original_headers(fields, charsets) + body.as_bytes(policy=policy.SMTP)


def _original_headers(fields: dict[str, FormPart], charsets: dict[str, str]) -> bytes:
    """The sender's header block, minus the body headers the rebuilt body brings."""
    raw = _text(fields, "headers", charsets)
    if raw is None:
        lines = [f"{h.title()}: {v}" for h in ("from", "to", "subject") if (v := _text(fields, h, charsets))]
        return ("\r\n".join(lines) + "\r\n").encode() if lines else b""
    kept: list[str] = []
    skipping = False
    for line in raw.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        if line[:1] in (" ", "\t"):
            if not skipping:
                kept.append(line)
            continue
        skipping = line.split(":", 1)[0].strip().lower() in _BODY_HEADERS
        if not skipping:
            kept.append(line)
    return ("\r\n".join(kept) + "\r\n").encode("utf-8", errors="replace") if kept else b""
