"""``POST /inbound/sendgrid``: SendGrid Inbound Parse, raw and parsed modes.

The message is stored as sent; the ``dkim`` and ``SPF`` verdicts SendGrid posts beside it land with it
(``mail.authentication``): what the pipeline later trusts a maker's mail by.

SendGrid retries only 5xx (for three days): a 4xx here drops the mail, so 4xx is
returned only for what is really not a SendGrid post or not authorised. Parsing a
post (up to 30 MiB, ~2 s) runs on the parse pool, off the event loop.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic

from radar_pipeline.gateway.api_schema import INBOUND_REQUEST, Acknowledgement, refusals
from radar_pipeline.gateway.body import read_body, require_content_type
from radar_pipeline.gateway.deps import CommitterDep, ParsePoolDep, RateLimiterDep, SettingsDep
from radar_pipeline.gateway.errors import ApiError
from radar_pipeline.gateway.landing import land
from radar_pipeline.gateway.offload import off_loop
from radar_pipeline.landing import IncomingEvent
from radar_pipeline.mail.authentication import landed_as, sendgrid_verdicts
from radar_pipeline.mail.messages import message_dedup_key
from radar_pipeline.mail.sendgrid_parse import FormError, field_text, message_from_form, parse_form

router = APIRouter(tags=["inbound mail"])
SOURCE = "sendgrid"
_CHALLENGE = {"WWW-Authenticate": 'Basic realm="radar-inbound"'}


class BasicCredentials(HTTPBasic):
    """HTTP Basic as OpenAPI declares it; yields the decoded ``user:password`` bytes.

    FastAPI's own check would answer in its error format and only for ASCII
    passwords; the comparison (constant time) and the refusal stay ours.
    """

    async def __call__(self, request: Request) -> bytes:  # type: ignore[override]
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return b""
        try:
            return base64.b64decode(token, validate=True)
        except (binascii.Error, ValueError):
            return b""


Credentials = Annotated[bytes, Depends(BasicCredentials(realm="radar-inbound", auto_error=False))]


def _check_basic_auth(given: bytes, expected: str | None) -> None:
    if not expected:
        raise ApiError(
            401, "unauthorized", "inbound mail is disabled: RADAR_INBOUND_BASIC_AUTH is not set", _CHALLENGE
        )
    if not hmac.compare_digest(given, expected.encode()):
        raise ApiError(401, "unauthorized", "missing or wrong HTTP Basic credentials", _CHALLENGE)


def _read_mail(content_type: str, body: bytes) -> tuple[bytes, str, str]:
    """The message to store, its dedup key and the content type it lands with (SendGrid's verdicts
    in it), or 422 saying why the post is unreadable."""
    try:
        fields = parse_form(content_type, body)
        message = message_from_form(fields)
    except FormError as exc:
        raise ApiError(422, "unprocessable_body", str(exc)) from None
    verdicts = sendgrid_verdicts(*(field_text(fields, name) for name in ("dkim", "SPF", "envelope")))
    return message, message_dedup_key(message), landed_as(verdicts)


@router.post(
    "/inbound/sendgrid",
    summary="Receive an email from SendGrid Inbound Parse",
    description="Answered 200 only once the message is committed to the landing table.",
    response_model=Acknowledgement,
    responses=refusals(400, 401, 413, 415, 422, 429, 431, 503),
    openapi_extra=INBOUND_REQUEST,
)
async def receive_sendgrid(
    request: Request,
    credentials: Credentials,
    settings: SettingsDep,
    limiter: RateLimiterDep,
    committer: CommitterDep,
    pool: ParsePoolDep,
) -> JSONResponse:
    _check_basic_auth(credentials, settings.inbound_basic_auth)
    limiter.check(SOURCE)
    content_type = require_content_type(request, "multipart/form-data", "application/x-www-form-urlencoded")
    body = await read_body(request, settings.max_body_bytes)
    message, dedup_key, landed_type = await off_loop(pool, _read_mail, content_type, body)
    landed = await land(committer, IncomingEvent(SOURCE, dedup_key, landed_type, message))
    return JSONResponse({"event_id": landed.event_id, "duplicate": landed.duplicate}, status_code=200)
