"""Where outgoing mail goes: SendGrid's v3 API through the ``sendgrid`` client, or ``.eml`` files.

Every header value of an outgoing mail is made here, once, by ``header_value``: one clean line, however
the notice it speaks of is spelled (a maker's two-line name, a notice number with CR/LF in it). A
``Mail`` cleans its recipient, subject and key when it is made, so no sender ever sees a line break
where a header goes (the stdlib refuses one, and a mail server would read it as a new header).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parsedate_to_datetime
from pathlib import Path
from typing import Protocol

# what may not stand in a header line: C0 and C1 controls (CR, LF, TAB, NUL, ESC…), DEL, and the
# Unicode line and paragraph separators
_NOT_IN_A_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
HEADER_LIMIT = 250  # characters of one header value (RFC 5322 lines stay under 998 once encoded)


def header_value(value: str, limit: int = HEADER_LIMIT) -> str:
    """``value`` as one header line: every control character and line break a space, runs of white
    space one space, at most ``limit`` characters (cut with "…")."""
    text = " ".join(_NOT_IN_A_HEADER.sub(" ", str(value)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Mail:
    """One outgoing mail; its header values (``to``, ``subject``, ``key``) are cleaned on creation."""

    to: str
    subject: str
    text: str
    html: str | None = None
    key: str = ""  # idempotency key, e.g. "notice:42:buyer@example.com"

    def __post_init__(self) -> None:
        for name in ("to", "subject", "key"):
            object.__setattr__(self, name, header_value(getattr(self, name)))


MAX_RETRY_AFTER = 60.0  # seconds: a longer wait asked for is left to the next run, not slept in this one


class SendError(RuntimeError):
    """A failed send; ``retry_after`` is the wait (seconds) the provider asked for before trying again."""

    def __init__(self, message: str, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds, from delta-seconds or an HTTP date (RFC 9110); None when absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Sender(Protocol):
    def send(self, mail: Mail) -> str:
        """Deliver ``mail``; returns a provider message id or file path."""


class FileOutbox:
    """One ``.eml`` file per message: what runs when no SendGrid key is configured."""

    def __init__(self, directory: str | Path, sender: str) -> None:
        self.directory, self.sender = Path(directory), header_value(sender)

    def send(self, mail: Mail) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, mail.to, mail.subject
        msg["Date"], msg["Message-ID"] = formatdate(localtime=False), make_msgid(domain="radar.local")
        if mail.key:
            msg["X-Radar-Key"] = mail.key
        msg.set_content(mail.text)
        if mail.html:
            msg.add_alternative(mail.html, subtype="html")
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", mail.key or mail.subject)[:80]
        digest = hashlib.sha256((mail.key or mail.subject + mail.to).encode()).hexdigest()[:8]
        path = self.directory / f"{stem}-{digest}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(msg))
        tmp.replace(path)  # atomic: a reader never sees half a message
        return str(path)


class SendGridSender:
    """SendGrid v3 ``mail/send`` through the official client; ``host`` is overridable for tests."""

    def __init__(self, api_key: str, sender: str, host: str = "https://api.sendgrid.com") -> None:
        from sendgrid import SendGridAPIClient

        self.client = SendGridAPIClient(api_key=api_key, host=host)
        self.sender = header_value(sender)

    def send(self, mail: Mail) -> str:
        from python_http_client.exceptions import HTTPError
        from sendgrid.helpers.mail import CustomArg
        from sendgrid.helpers.mail import Mail as SgMail

        message = SgMail(
            from_email=self.sender,
            to_emails=mail.to,
            subject=mail.subject,
            plain_text_content=mail.text,
            html_content=mail.html,
        )
        if mail.key:
            message.custom_arg = CustomArg("radar_key", mail.key)
        try:
            response = self.client.send(message)
        except HTTPError as exc:
            status = getattr(exc, "status_code", 0)
            headers = getattr(exc, "headers", None)
            wait = retry_after_seconds(headers.get("Retry-After") if headers is not None else None)
            text = f"SendGrid answered {status}: {str(getattr(exc, 'body', b''))[:200]}"
            if wait is not None and wait > MAX_RETRY_AFTER:  # not slept here: the next run sends it
                raise SendError(
                    f"{text}; it asked to retry after {wait:.0f} s (more than {MAX_RETRY_AFTER:g} s)",
                    retryable=False,
                ) from None
            raise SendError(text, retryable=status == 429 or status >= 500, retry_after=wait) from None
        except OSError as exc:
            raise SendError(f"SendGrid unreachable: {exc}", retryable=True) from None
        return response.headers.get("X-Message-Id", "") if hasattr(response, "headers") else ""


def sender_from_settings(settings) -> Sender:
    if settings.sendgrid_api_key:
        return SendGridSender(settings.sendgrid_api_key, settings.notify_from, settings.sendgrid_host)
    return FileOutbox(settings.outbox_dir, settings.notify_from)
