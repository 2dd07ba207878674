"""Standard Webhooks verification (https://www.standardwebhooks.com/).

Verified on the raw bytes before anything is parsed; every configured secret is
tried so secrets can be rotated; signatures compared in constant time; any
malformed header is a 401, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping, Sequence

from radar_pipeline.gateway.errors import ApiError, unauthorized

TOLERANCE_SECONDS = 5 * 60
HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def _secret_key(secret: str) -> bytes | None:
    raw = secret[len("whsec_") :] if secret.startswith("whsec_") else secret
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        return None


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of a message (used by ``radar send-test-webhook``)."""
    key = _secret_key(secret)
    if key is None:
        raise ValueError("webhook secret is not valid base64 (expected whsec_<base64>)")
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def verify(secrets: Sequence[str], headers: Mapping[str, str], body: bytes, now: float | None = None) -> str:
    """Check a delivery; returns its ``webhook-id`` or raises a 401 ``ApiError``."""
    msg_id = headers.get("webhook-id")
    ts_text = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not ts_text or not signatures:
        raise unauthorized(
            "missing_signature", "webhook-id, webhook-timestamp and webhook-signature headers are required"
        )
    if len(msg_id) > 256:
        raise unauthorized("invalid_signature", "webhook-id is longer than 256 characters")
    try:
        timestamp = int(ts_text.strip())
    except ValueError:
        raise unauthorized("invalid_signature", "webhook-timestamp is not an integer of seconds") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise unauthorized(
            "stale_timestamp", "webhook-timestamp is more than 5 minutes from the server's clock"
        )
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = [
        hmac.new(key, signed, hashlib.sha256).digest() for key in filter(None, map(_secret_key, secrets))
    ]
    if not expected:
        raise ApiError(500, "misconfigured_secret", "no configured secret of this source is valid base64")
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version != "v1" or not value:
            continue
        try:
            given = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            continue
        if any(hmac.compare_digest(given, mac) for mac in expected):
            return msg_id
    raise unauthorized("invalid_signature", "no v1 signature matches a configured secret of this source")
