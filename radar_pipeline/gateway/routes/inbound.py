"""``POST /inbound/sendgrid``: SendGrid Inbound Parse, raw and parsed modes.

SendGrid retries only 5xx (for three days): a 4xx here drops the mail, so 4xx is
returned only for what is really not a SendGrid post or not authorised.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from radar_pipeline.gateway.body import read_body, require_content_type
from radar_pipeline.gateway.errors import ApiError
from radar_pipeline.gateway.landing import commit, settings_of
from radar_pipeline.landing import IncomingEvent
from radar_pipeline.mail.messages import message_dedup_key
from radar_pipeline.mail.sendgrid_parse import FormError, message_from_form, parse_form

router = APIRouter(tags=["inbound mail"])
SOURCE = "sendgrid"


def _check_basic_auth(request: Request, expected: str | None) -> None:
    challenge = {"WWW-Authenticate": 'Basic realm="radar-inbound"'}
    if not expected:
        raise ApiError(
            401, "unauthorized", "inbound mail is disabled: RADAR_INBOUND_BASIC_AUTH is not set", challenge
        )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        given = base64.b64decode(token, validate=True) if scheme.lower() == "basic" else b""
    except (binascii.Error, ValueError):
        given = b""
    if not hmac.compare_digest(given, expected.encode()):
        raise ApiError(401, "unauthorized", "missing or wrong HTTP Basic credentials", challenge)


@router.post(
    "/inbound/sendgrid",
    summary="Receive an email from SendGrid Inbound Parse",
    responses={401: {}, 413: {}, 415: {}, 422: {}, 429: {}, 503: {}},
)
async def receive_sendgrid(request: Request) -> JSONResponse:
    settings = settings_of(request)
    _check_basic_auth(request, settings.inbound_basic_auth)
    request.app.state.rate_limiter.check(SOURCE)
    content_type = require_content_type(request, "multipart/form-data", "application/x-www-form-urlencoded")
    body = await read_body(request, settings.max_body_bytes)
    try:
        message = message_from_form(parse_form(content_type, body))
    except FormError as exc:
        raise ApiError(422, "unprocessable_body", str(exc)) from None
    event = IncomingEvent(SOURCE, message_dedup_key(message), "message/rfc822", message)
    landed = await commit(request, event)
    return JSONResponse({"event_id": landed.event_id, "duplicate": landed.duplicate}, status_code=200)
