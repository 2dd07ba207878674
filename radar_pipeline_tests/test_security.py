"""Security: nothing secret in logs, rate limits, header caps, parser fuzzing (issue 9).

The HTTP-level fuzzing (hypothesis and schemathesis against a running gateway) is in
``test_http_fuzz.py``.
"""

from __future__ import annotations

import base64
import contextlib
import json

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from radar_pipeline.documents.email_reader import read_email
from radar_pipeline.documents.html_text import html_to_text
from radar_pipeline.documents.model import Document, Section
from radar_pipeline.extraction.dates import find_dates
from radar_pipeline.extraction.extract import read as extract_rules
from radar_pipeline.mail.sendgrid_parse import FormError, message_from_form, parse_form
from radar_pipeline_tests.pipeline_support import se_payload
from radar_pipeline_tests.support import TEST_SECRET, run_radar, running_gateway
from radar_pipeline_tests.test_gateway import signed

MARKER = "BODY-MARKER-7f3a9c"


def test_secrets_and_bodies_never_reach_the_logs(sqlite_url, tmp_path):
    body = json.dumps(se_payload(MARKER, [MARKER + "X1"])).encode()
    with running_gateway(sqlite_url, tmp_path, RADAR_INBOUND_BASIC_AUTH="sendgrid:" + MARKER + "pw") as base:
        assert (
            httpx.post(f"{base}/webhooks/siliconexpert", content=body, headers=signed(body, "s1")).status_code
            == 202
        )
        bad = signed(body, "s2") | {"webhook-signature": "v1," + base64.b64encode(b"x" * 32).decode()}
        assert httpx.post(f"{base}/webhooks/siliconexpert", content=body, headers=bad).status_code == 401
        httpx.post(
            f"{base}/webhooks/siliconexpert", content=b"{" + MARKER.encode(), headers=signed(b"{", "s3")
        )
        auth = {"Authorization": "Basic " + base64.b64encode(f"sendgrid:{MARKER}wrong".encode()).decode()}
        httpx.post(f"{base}/inbound/sendgrid", data={"email": MARKER}, files={"f": ("a", b"b")}, headers=auth)
    processed = run_radar(["process"], sqlite_url, tmp_path, DAGSTER_HOME=str(tmp_path / "home"))
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("gateway-*.log"))
    logs += processed.stdout + processed.stderr
    assert "Started server process" in logs  # the log is really there
    for secret in (MARKER, TEST_SECRET, TEST_SECRET[6:]):
        assert secret not in logs


def test_rate_limit_per_source_answers_429_with_retry_after(sqlite_url, tmp_path):
    body = json.dumps(se_payload("PDN-R", ["X1"])).encode()
    with running_gateway(
        sqlite_url, tmp_path, RADAR_RATE_LIMIT_PER_SOURCE="0.2", RADAR_RATE_LIMIT_BURST="5"
    ) as base:
        codes = [
            httpx.post(
                f"{base}/webhooks/siliconexpert", content=body, headers=signed(body, f"r{i}")
            ).status_code
            for i in range(12)
        ]
        assert codes[:5] == [202] * 5 and 429 in codes
        r = httpx.post(f"{base}/webhooks/siliconexpert", content=body, headers=signed(body, "r-last"))
        assert (
            r.status_code == 429
            and int(r.headers["Retry-After"]) >= 1
            and r.json()["error"] == "rate_limited"
        )
        other = json.dumps(
            {"noticeId": "1", "manufacturer": "TI", "alertType": "NRND", "parts": [{"mpn": "X"}]}
        ).encode()
        assert (
            httpx.post(f"{base}/webhooks/accuris", content=other, headers=signed(other, "a1")).status_code
            == 202
        )


def test_header_flood_is_refused(sqlite_url, tmp_path):
    body = b"{}"
    with running_gateway(sqlite_url, tmp_path) as base:
        many = signed(body, "h1") | {f"x-pad-{i}": "y" for i in range(150)}
        r = httpx.post(f"{base}/webhooks/siliconexpert", content=body, headers=many)
        assert r.status_code == 431 and r.json()["error"] == "headers_too_large"
        big = signed(body, "h2") | {"x-big": "z" * 40_000}
        assert httpx.post(f"{base}/webhooks/siliconexpert", content=body, headers=big).status_code in (
            400,
            431,
        )
        assert httpx.get(f"{base}/healthz").status_code == 200


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_read_as_email_without_raising(raw):
    doc = read_email(raw)
    assert isinstance(doc.sections, list)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_rules_and_parsers_never_raise_on_text(text):
    html_to_text(text)
    find_dates(text)
    result = extract_rules(Document("t.txt", "text", [Section("t", "text", text)]))
    for notice in result.notices:
        assert notice.notice_number and all(p.mpn.strip() == p.mpn for p in notice.parts)


@settings(max_examples=150, deadline=None)
@given(
    st.binary(max_size=2000),
    st.sampled_from(["multipart/form-data; boundary=xYzZY", "application/x-www-form-urlencoded"]),
)
def test_sendgrid_form_parser_fails_only_with_form_error(body, content_type):
    with contextlib.suppress(FormError):
        message_from_form(parse_form(content_type, body))
