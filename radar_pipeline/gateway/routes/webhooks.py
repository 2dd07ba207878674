"""``POST /webhooks/{source}``: signed provider webhooks (Standard Webhooks).

The checks live here, once: ``admit`` (source, secret, rate, content type) before
the body is read, ``accept`` (signature, JSON, durable commit) after. In the
running gateway the requests are served by ``gateway.hot_path`` straight on ASGI,
which calls these same functions; the FastAPI route below documents the endpoint
in OpenAPI and serves it wherever the hot path is not in front (e.g. under a root path).
"""

from __future__ import annotations

import json

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from radar_pipeline.config import Settings
from radar_pipeline.gateway import signatures
from radar_pipeline.gateway.body import read_body, require_content_type
from radar_pipeline.gateway.errors import ApiError
from radar_pipeline.gateway.landing import land
from radar_pipeline.gateway.limits import RateLimiter
from radar_pipeline.landing import GroupCommitter, IncomingEvent, Landed
from radar_pipeline.sources import ADAPTERS

router = APIRouter(tags=["webhooks"])
MAX_JSON_DEPTH = 64


def check_json(body: bytes) -> None:
    """422 unless ``body`` is a JSON object nesting at most ``MAX_JSON_DEPTH`` levels.

    orjson parses valid bodies ~6× faster than ``json``; what orjson refuses is
    judged by ``json`` (the accepted language stays the standard library's:
    NaN, big integers, UTF-16 with a BOM). The depth walk runs only when the body
    has more than ``MAX_JSON_DEPTH`` brackets, the only way to nest that deep.
    """
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        try:
            value = json.loads(body)
        except (ValueError, RecursionError):
            raise ApiError(422, "unprocessable_body", "body is not valid UTF-8 JSON") from None
    if not isinstance(value, dict):
        raise ApiError(422, "unprocessable_body", "body must be a JSON object")
    if body.count(b"{") + body.count(b"[") <= MAX_JSON_DEPTH:
        return
    stack, depth = [(value, 1)], 0
    while stack:
        node, d = stack.pop()
        depth = max(depth, d)
        if depth > MAX_JSON_DEPTH:
            raise ApiError(422, "unprocessable_body", f"JSON nests deeper than {MAX_JSON_DEPTH} levels")
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((c, d + 1) for c in children if isinstance(c, dict | list))


def admit(settings: Settings, limiter: RateLimiter, source: str) -> list[str]:
    """The source's secrets, or 404 (unknown source, no secret) / 429 (over its rate)."""
    if source not in ADAPTERS:
        raise ApiError(
            404, "unknown_source", f"no adapter for source {source!r}; known: {', '.join(sorted(ADAPTERS))}"
        )
    secrets = settings.webhook_secrets(source)
    if not secrets:
        raise ApiError(
            404,
            "unknown_source",
            f"source {source!r} has no secret configured (RADAR_WEBHOOK_SECRET_{source.upper()})",
        )
    limiter.check(source)
    return secrets


async def accept(
    committer: GroupCommitter,
    source: str,
    secrets: list[str],
    headers,
    content_type: str,
    body: bytes,
) -> Landed:
    """Verify the signature on the raw bytes (401), check the JSON (422), commit (503)."""
    webhook_id = signatures.verify(secrets, headers, body)
    check_json(body)
    return await land(committer, IncomingEvent(source, webhook_id, content_type, body))


@router.post(
    "/webhooks/{source}",
    status_code=202,
    summary="Receive a signed lifecycle notice from a provider",
    responses={401: {}, 404: {}, 413: {}, 415: {}, 422: {}, 429: {}, 503: {}},
)
async def receive_webhook(source: str, request: Request) -> JSONResponse:
    state = request.app.state
    secrets = admit(state.settings, state.rate_limiter, source)
    content_type = require_content_type(request, "application/json", "+json")
    body = await read_body(request, state.settings.max_body_bytes)
    landed = await accept(state.committer, source, secrets, request.headers, content_type, body)
    return JSONResponse({"event_id": landed.event_id, "duplicate": landed.duplicate}, status_code=202)
