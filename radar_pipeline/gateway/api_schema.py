"""What the OpenAPI schema declares: request bodies, answers and their shapes.

The routes read their bodies raw (signatures are checked on the exact bytes, and
size limits apply while the body streams in), so FastAPI cannot infer the bodies
from a model: they are declared here, as the routes enforce them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Acknowledgement(BaseModel):
    """The answer once the event is durably in the landing table."""

    event_id: int = Field(description="the landing row's id (the first delivery's, for a duplicate)")
    duplicate: bool = Field(description="true when this delivery was already landed; no new row")


class ErrorBody(BaseModel):
    """Every refusal: a stable code and a sentence that says what to change."""

    error: str = Field(description="machine-readable code, e.g. invalid_signature")
    detail: str = Field(description="what was wrong, in words")


_RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before retrying",
        "required": True,
        "schema": {"type": "string"},
    }
}
_REFUSALS: dict[int, dict[str, Any]] = {
    400: {"description": "Content-Length is not a number"},
    401: {"description": "missing or wrong signature/credentials, or a stale webhook-timestamp"},
    404: {"description": "unknown source, or a source with no secret configured"},
    413: {"description": "body over RADAR_MAX_BODY_BYTES (refused without reading it whole)"},
    415: {"description": "content type not accepted"},
    422: {"description": "body unreadable (not a JSON object / not an Inbound Parse form)"},
    429: {"description": "over the source's rate limit", "headers": _RETRY_AFTER},
    431: {"description": "too many or too large request headers"},
    503: {
        "description": "the database did not confirm the commit; nothing was stored",
        "headers": _RETRY_AFTER,
    },
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for the given refusal statuses, each with the error body."""
    return {status: {"model": ErrorBody, **_REFUSALS[status]} for status in statuses}


def _header(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": True,
        "description": description,
        "schema": {"type": "string", **schema},
    }


# Missing or wrong, any of them is a 401 (missing_signature, invalid_signature, stale_timestamp).
SIGNATURE_HEADERS = [
    _header("webhook-id", "Standard Webhooks message id: the dedup key of the delivery", maxLength=256),
    _header(
        "webhook-timestamp", "Unix seconds when it was signed; refused beyond 5 minutes of the server's clock"
    ),
    _header(
        "webhook-signature",
        'space-separated "v1,<base64 HMAC-SHA256 of {id}.{timestamp}.{body}>"; one must match a secret of the source',
    ),
]
WEBHOOK_REQUEST: dict[str, Any] = {
    "parameters": SIGNATURE_HEADERS,
    "requestBody": {
        "required": True,
        "description": "The provider's event as sent; the signature covers these exact bytes.",
        "content": {
            "application/json": {
                "schema": {"type": "object", "description": "any JSON object nesting at most 64 levels"}
            }
        },
    },
}

_FORM_FIELDS = {
    "type": "object",
    "description": "Raw mode: the whole message in `email`. Parsed mode: `headers`, `text` and/or "
    "`html`, and the files `attachment1`..`attachmentN`.",
    "properties": {
        # bytes.strip() must leave something: a raw mail of only white space is refused (422)
        "email": {"type": "string", "pattern": "[^ \\t\\n\\r\\x0b\\x0c]", "description": "raw mode"},
        "headers": {"type": "string", "description": "the original header block"},
        "text": {"type": "string"},
        "html": {"type": "string"},
        "from": {"type": "string"},
        "to": {"type": "string"},
        "subject": {"type": "string"},
        "envelope": {"type": "string", "description": "JSON"},
        "charsets": {"type": "string", "description": "JSON: field name to charset"},
        "attachments": {"type": "string", "description": "number of attachment files"},
        "attachment-info": {"type": "string", "description": "JSON"},
        "attachment1": {"type": "string", "format": "binary"},
    },
    "anyOf": [
        {"required": ["email"]},
        {"required": ["headers"]},
        {"required": ["text"]},
        {"required": ["html"]},
    ],
}
INBOUND_REQUEST: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A SendGrid Inbound Parse post (any size up to RADAR_MAX_BODY_BYTES).",
        "content": {
            "multipart/form-data": {"schema": _FORM_FIELDS},
            "application/x-www-form-urlencoded": {"schema": _FORM_FIELDS},
        },
    }
}
