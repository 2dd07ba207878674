"""``POST /webhooks/{source}``: signed provider webhooks (Standard Webhooks)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from radar_pipeline.gateway import signatures
from radar_pipeline.gateway.body import read_body, require_content_type
from radar_pipeline.gateway.errors import ApiError
from radar_pipeline.gateway.landing import commit, settings_of
from radar_pipeline.landing import IncomingEvent
from radar_pipeline.sources import ADAPTERS

router = APIRouter(tags=["webhooks"])
MAX_JSON_DEPTH = 64


def _check_json(body: bytes) -> None:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise ApiError(422, "unprocessable_body", "body is not valid UTF-8 JSON") from None
    if not isinstance(value, dict):
        raise ApiError(422, "unprocessable_body", "body must be a JSON object")
    stack, depth = [(value, 1)], 0
    while stack:
        node, d = stack.pop()
        depth = max(depth, d)
        if depth > MAX_JSON_DEPTH:
            raise ApiError(422, "unprocessable_body", f"JSON nests deeper than {MAX_JSON_DEPTH} levels")
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((c, d + 1) for c in children if isinstance(c, dict | list))


@router.post(
    "/webhooks/{source}",
    status_code=202,
    summary="Receive a signed lifecycle notice from a provider",
    responses={401: {}, 404: {}, 413: {}, 415: {}, 422: {}, 429: {}, 503: {}},
)
async def receive_webhook(source: str, request: Request) -> JSONResponse:
    settings = settings_of(request)
    secrets = settings.webhook_secrets(source)
    if source not in ADAPTERS:
        raise ApiError(
            404, "unknown_source", f"no adapter for source {source!r}; known: {', '.join(sorted(ADAPTERS))}"
        )
    if not secrets:
        raise ApiError(
            404,
            "unknown_source",
            f"source {source!r} has no secret configured (RADAR_WEBHOOK_SECRET_{source.upper()})",
        )
    request.app.state.rate_limiter.check(source)
    content_type = require_content_type(request, "application/json", "+json")
    body = await read_body(request, settings.max_body_bytes)
    webhook_id = signatures.verify(secrets, request.headers, body)
    _check_json(body)
    landed = await commit(request, IncomingEvent(source, webhook_id, content_type, body))
    return JSONResponse({"event_id": landed.event_id, "duplicate": landed.duplicate}, status_code=202)
