"""Our Standard Webhooks verifier against the reference library, both directions."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks import Webhook

from radar_pipeline.gateway.errors import ApiError
from radar_pipeline.gateway.signatures import sign, verify
from radar_pipeline_tests.support import ROTATED_SECRET, TEST_SECRET


def _headers(msg_id: str, ts: int, signature: str) -> dict:
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": signature}


@given(body=st.text(max_size=300), msg_id=st.from_regex(r"msg_[A-Za-z0-9]{1,20}", fullmatch=True))
def test_reference_signatures_verify(body, msg_id):
    now = int(time.time())
    sig = Webhook(TEST_SECRET).sign(msg_id, datetime.fromtimestamp(now, tz=UTC), body)
    assert verify([ROTATED_SECRET, TEST_SECRET], _headers(msg_id, now, sig), body.encode()) == msg_id


def test_our_signatures_verify_with_reference():
    now = int(time.time())
    body = b'{"noticeId": "1"}'
    headers = _headers("msg_x", now, sign(TEST_SECRET, "msg_x", now, body))
    assert Webhook(TEST_SECRET).verify(body, headers) == {"noticeId": "1"}


def test_one_of_several_signatures_matches():
    now = int(time.time())
    good = sign(TEST_SECRET, "m", now, b"{}")
    assert verify([TEST_SECRET], _headers("m", now, f"v1,AAAA v1a,xyz {good}"), b"{}") == "m"


@given(garbage=st.text(max_size=200))
def test_malformed_signature_headers_are_401_never_500(garbage):
    now = int(time.time())
    with pytest.raises(ApiError) as err:
        verify([TEST_SECRET], _headers("m", now, garbage), b"{}")
    assert err.value.status == 401


def test_tolerance_is_five_minutes():
    body = b"{}"
    for offset, ok in ((-299, True), (299, True), (-301, False), (301, False)):
        ts = int(time.time()) + offset
        headers = _headers("m", ts, sign(TEST_SECRET, "m", ts, body))
        if ok:
            assert verify([TEST_SECRET], headers, body) == "m"
        else:
            with pytest.raises(ApiError, match="5 minutes"):
                verify([TEST_SECRET], headers, body)
