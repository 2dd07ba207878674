"""``POST /webhooks/{source}``: signed provider webhooks (Standard Webhooks).

The checks live here, once: ``admit`` (source, secret, rate, content type) before
the body is read, ``accept`` (signature, JSON, durable commit) after. In the
running gateway the requests are served by ``gateway.hot_path`` straight on ASGI,
which calls these same functions; the FastAPI route below documents the endpoint
in OpenAPI and serves it wherever the hot path is not in front (e.g. under a root path).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from radar_pipeline.config import Settings
from radar_pipeline.gateway import signatures
from radar_pipeline.gateway.api_schema import WEBHOOK_REQUEST, Acknowledgement, refusals
from radar_pipeline.gateway.body import read_body, require_content_type
from radar_pipeline.gateway.deps import CommitterDep, ParsePoolDep, RateLimiterDep, SettingsDep
from radar_pipeline.gateway.errors import ApiError
from radar_pipeline.gateway.landing import land
from radar_pipeline.gateway.limits import RateLimiter
from radar_pipeline.gateway.offload import INLINE_BYTES, off_loop
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


def _verify_and_check(secrets: list[str], headers: Mapping[str, str], body: bytes) -> str:
    webhook_id = signatures.verify(secrets, headers, body)
    check_json(body)
    return webhook_id


async def accept(
    committer: GroupCommitter,
    pool: Executor,
    source: str,
    secrets: list[str],
    headers: Mapping[str, str],
    content_type: str,
    body: bytes,
) -> Landed:
    """Verify the signature on the raw bytes (401), check the JSON (422), commit (503).

    A body over ``INLINE_BYTES`` is verified and parsed on ``pool``, off the event loop.
    """
    if len(body) <= INLINE_BYTES:
        webhook_id = _verify_and_check(secrets, headers, body)
    else:  # only the signature headers cross to the worker process
        signed = {name: headers[name] for name in signatures.HEADERS if name in headers}
        webhook_id = await off_loop(pool, _verify_and_check, secrets, signed, body)
    return await land(committer, IncomingEvent(source, webhook_id, content_type, body))


Source = Annotated[
    str,
    Path(description="the provider (one adapter each)", json_schema_extra={"enum": sorted(ADAPTERS)}),
]


@router.post(
    "/webhooks/{source}",
    status_code=202,
    response_model=Acknowledgement,
    summary="Receive a signed lifecycle notice from a provider",
    description="Answered 202 only once the event is committed to the landing table.",
    responses=refusals(400, 401, 404, 413, 415, 422, 429, 431, 503),
    openapi_extra=WEBHOOK_REQUEST,
)
async def receive_webhook(
    source: Source,
    request: Request,
    settings: SettingsDep,
    limiter: RateLimiterDep,
    committer: CommitterDep,
    pool: ParsePoolDep,
) -> JSONResponse:
    secrets = admit(settings, limiter, source)
    content_type = require_content_type(request, "application/json", "+json")
    body = await read_body(request, settings.max_body_bytes)
    landed = await accept(committer, pool, source, secrets, request.headers, content_type, body)
    return JSONResponse({"event_id": landed.event_id, "duplicate": landed.duplicate}, status_code=202)
