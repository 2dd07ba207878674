"""A landing event's bytes into a ``Document``: provider JSON, an RFC 5322 message, or a file."""

from __future__ import annotations

import json

from radar_pipeline.documents import Document, read_bytes
from radar_pipeline.landing.store import StoredEvent
from radar_pipeline.mail.authentication import landed_verdicts
from radar_pipeline.sources import ADAPTERS

MAIL_SOURCES = {"sendgrid", "mail"}


class UndecodableEvent(ValueError):
    """The event's body cannot be read at all."""


def content_type_param(content_type: str, name: str) -> str | None:
    """A parameter of a Content-Type value (`name` of `application/pdf; name="x.pdf"`)."""
    for piece in content_type.split(";")[1:]:
        key, _, value = piece.strip().partition("=")
        if key.lower() == name:
            return value.strip('"')
    return None


def decode_event(event: StoredEvent) -> Document:
    if event.source in ADAPTERS:
        try:
            payload = json.loads(event.body)
        except (ValueError, RecursionError):
            raise UndecodableEvent("webhook body is not valid JSON") from None
        if not isinstance(payload, dict):
            raise UndecodableEvent("webhook body is not a JSON object")
        return Document(
            name=f"{event.source} webhook {event.dedup_key}",
            kind="provider",
            payload=payload,
            source=event.source,
        )
    if event.source in MAIL_SOURCES or event.content_type.startswith("message/rfc822"):
        doc = read_bytes(event.body, f"event-{event.id}.eml", "message/rfc822")
        if doc.origin is not None:  # Radar's verdicts, recorded when the mail landed
            verdicts = landed_verdicts(event.content_type)
            doc.origin["verdicts"] = [v.to_json() for v in verdicts]
    else:
        name = content_type_param(event.content_type, "name") or f"event-{event.id}"
        doc = read_bytes(event.body, name, event.content_type.split(";")[0])
    if not doc.sections and doc.warnings and not doc.subject:
        raise UndecodableEvent("; ".join(doc.warnings)[:500])
    return doc
