"""``POST /webhooks/{source}`` straight on ASGI: only what durability and security need.

Per request: the header caps (431), ``admit`` (404/429), the content type (415), the
body read once and counted against the limit (413), then ``accept``: signature on the
raw bytes (401), JSON check (422; off the event loop for a large body), group commit
(503), and a pre-encoded answer. The checks are the ones in ``routes/webhooks.py``,
whose FastAPI route also documents this endpoint in OpenAPI; what is skipped is the
framework work around them (FastAPI's per-request telemetry look-up, routing, middleware stack,
dependency solving, Request/Response objects), which under load cost more CPU than
verifying and committing the event (see BENCHMARKS.md, a).
"""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from radar_pipeline.gateway.body import check_content_type, check_declared_length, too_large
from radar_pipeline.gateway.errors import ApiError
from radar_pipeline.gateway.limits import HEADERS_TOO_LARGE, headers_too_large
from radar_pipeline.gateway.metrics import requests_of
from radar_pipeline.gateway.routes.webhooks import accept, admit
from radar_pipeline.sources import ADAPTERS

log = logging.getLogger("radar.gateway")
PREFIX = "/webhooks/"
_WANTED = {
    b"content-type": "content-type",
    b"content-length": "content-length",
    b"webhook-id": "webhook-id",
    b"webhook-timestamp": "webhook-timestamp",
    b"webhook-signature": "webhook-signature",
}
_JSON_HEADERS = [(b"content-type", b"application/json")]


class ClientGone(Exception):
    """The client disconnected before its body arrived: nothing to answer."""


def is_webhook(scope: Scope) -> bool:
    """A POST to ``/webhooks/{source}`` (one path segment, as the FastAPI route matches)."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return False
    path: str = scope["path"]
    return path.startswith(PREFIX) and len(path) > len(PREFIX) and "/" not in path[len(PREFIX) :]


async def _read_body(receive: Receive, limit: int) -> bytes:
    first = await receive()
    if first["type"] == "http.disconnect":
        raise ClientGone
    body = first.get("body", b"")
    if len(body) > limit:
        raise too_large(limit)
    if not first.get("more_body", False):
        return body  # the common case: the whole body in one message
    chunks, size = [body], len(body)
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _respond(send: Send, status: int, body: bytes, extra: dict[str, str] | None = None) -> None:
    headers = [*_JSON_HEADERS, (b"content-length", str(len(body)).encode())]
    if extra:
        headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def serve_webhook(app: FastAPI, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer one ``POST /webhooks/{source}`` (``is_webhook(scope)`` is true)."""
    source = scope["path"][len(PREFIX) :]
    status, extra = 500, None
    try:
        raw_headers = scope["headers"]
        if headers_too_large(raw_headers):
            status, body = 431, json.dumps(HEADERS_TOO_LARGE, separators=(",", ":")).encode()
        else:
            headers: dict[str, str] = {}
            for name, value in raw_headers:  # the first of repeated headers, as Starlette reads them
                key = _WANTED.get(name)
                if key is not None and key not in headers:
                    headers[key] = value.decode("latin-1")
            state = app.state
            settings = state.settings
            secrets = admit(settings, state.rate_limiter, source)
            content_type = check_content_type(headers.get("content-type", ""), "application/json", "+json")
            check_declared_length(headers.get("content-length"), settings.max_body_bytes)
            payload = await _read_body(receive, settings.max_body_bytes)
            landed = await accept(
                state.committer, state.parse_pool, source, secrets, headers, content_type, payload
            )
            status = 202
            body = b'{"event_id":%d,"duplicate":%s}' % (
                landed.event_id,
                b"true" if landed.duplicate else b"false",
            )
    except ApiError as exc:
        status, extra = exc.status, exc.headers
        body = json.dumps({"error": exc.code, "detail": exc.detail}, separators=(",", ":")).encode()
    except ClientGone:
        return
    except Exception as exc:  # never a traceback (or a body) in the answer or the log
        log.error("unexpected error: %s", type(exc).__name__)
        status, body = 500, b'{"error":"internal_error","detail":"unexpected server error"}'
    await _respond(send, status, body, extra)
    requests_of(source if source in ADAPTERS else "unknown", status).inc()
