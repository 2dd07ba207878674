"""Signed bodies fuzzed over real HTTP against a running gateway, on SQLite and PostgreSQL.

Two generators, one oracle of what the landing table must hold:
- hypothesis builds hostile bodies and signature headers, signs or mis-signs them with
  the source's secret and POSTs them to ``radar gateway`` (a uvicorn process);
- schemathesis generates requests from the OpenAPI schema (bodies and headers as it
  declares them) and runs its own checks on every answer; a session signs half of the
  webhook bodies it generates so they reach the JSON check and the commit.
Invariants for both: never a 5xx, 202/200 only with the row in the landing table
(queried), 401 for every bad signature, nothing stored for any refusal.
"""

from __future__ import annotations

import itertools
import json
import string
import time
from collections import Counter
from dataclasses import dataclass

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select

from radar_pipeline.config import Settings
from radar_pipeline.db import normalize_url
from radar_pipeline.db.schema import landing_events
from radar_pipeline.gateway.app import create_app
from radar_pipeline.gateway.routes.webhooks import MAX_JSON_DEPTH
from radar_pipeline.gateway.signatures import TOLERANCE_SECONDS, sign
from radar_pipeline_tests.support import (
    ROTATED_SECRET,
    TEST_SECRET,
    fresh_postgres_database,
    require_postgres,
    running_gateway,
)

LIMIT = 64 * 1024  # RADAR_MAX_BODY_BYTES of the fuzzed gateway: bodies around it stay cheap
OTHER_SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MjQy"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples on every run and in CI
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
_ids = itertools.count()

# ---- bodies ---------------------------------------------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and ±Infinity included: the standard library reads them
    | st.text(max_size=20)
)
_values = st.recursive(
    _scalars,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    max_leaves=25,
)
_objects = st.dictionaries(st.text(max_size=10), _values, max_size=6).map(lambda d: json.dumps(d).encode())


def _nested(depth: int, kind: str) -> bytes:
    if kind == "objects":
        return b'{"a":' * depth + b"1" + b"}" * depth
    if kind == "lists":
        return b'{"a":' + b"[" * depth + b"]" * depth + b"}"
    return b"[" * depth + b"]" * (depth - 1)  # unbalanced


def _padded(size: int) -> bytes:
    """A JSON object of exactly ``size`` bytes."""
    return b'{"pad":"' + b"x" * (size - 10) + b'"}'


def _duplicate_keys(pairs: list[tuple[str, int]]) -> bytes:
    return ("{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in pairs) + "}").encode()


BODIES = st.one_of(
    _objects,
    _objects.flatmap(lambda b: st.integers(0, len(b) - 1).map(lambda i: b[:i])),  # cut short
    st.binary(max_size=300),
    _values.map(lambda v: json.dumps(v).encode()),  # JSON, but not always an object
    st.tuples(st.integers(1, 2000), st.sampled_from(["objects", "lists", "unbalanced"])).map(
        lambda t: _nested(*t)
    ),
    st.sampled_from([MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1]).map(
        lambda d: _nested(d, "objects")
    ),
    st.integers(1, 6000).map(lambda n: b'{"n":' + b"9" * n + b"}"),  # past 4300 digits Python refuses
    st.sampled_from([b'{"n":1e999}', b'{"n":-1e-999}', b'{"n":NaN}', b'{"n":Infinity}', b'{"n":1.5e308}']),
    _objects.map(lambda b: b.decode().encode("utf-16")),  # with a BOM: the standard library reads it
    _objects.map(lambda b: b"\xef\xbb\xbf" + b),  # UTF-8 BOM
    st.text(min_size=1, max_size=20).map(
        lambda t: json.dumps({"t": t}, ensure_ascii=False).encode("latin-1", "replace")
    ),
    st.sampled_from([b'{"a":"\\ud800"}', b'{"a":"\xff"}', b'{"a":"\xc3"}', b'{"a":1}\x00']),
    st.lists(st.tuples(st.sampled_from(["a", "b", "a"]), st.integers(0, 9)), min_size=2, max_size=6).map(
        _duplicate_keys
    ),
    st.just(b""),
    st.integers(-3, 3).map(lambda d: _padded(LIMIT + d)),  # at the size limit
    st.integers(8 * 1024 - 2, 8 * 1024 + 2).map(_padded),  # either side of the inline/off-loop split
)


def _depth(value: object) -> int:
    stack, deepest = [(value, 1)], 0
    while stack:
        node, d = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, d)
            stack.extend((c, d + 1) for c in (node.values() if isinstance(node, dict) else node))
    return deepest


def json_acceptable(body: bytes) -> bool:
    """The oracle: the standard library reads a JSON object nesting at most MAX_JSON_DEPTH levels."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) and _depth(value) <= MAX_JSON_DEPTH


# ---- signatures -----------------------------------------------------------------------------

VALID_KINDS = ("valid", "rotated_secret", "one_of_several")
KINDS = VALID_KINDS + (
    "other_secret",
    "other_body",
    "other_id",
    "other_timestamp",
    "v2_prefix",
    "no_prefix",
    "truncated",
    "bad_base64",
    "garbage",
    "empty",
    "missing_signature",
    "missing_id",
    "missing_timestamp",
)
_header_text = st.text(alphabet=string.ascii_letters + string.digits + "_-.:/+=,", min_size=1, max_size=300)


@dataclass(frozen=True)
class Delivery:
    source: str
    msg_id: str
    offset: int  # webhook-timestamp relative to now, in seconds
    timestamp_text: str | None  # sent instead of the number when set (malformed)
    kind: str
    garbage: str
    chunked: bool


DELIVERIES = st.builds(
    Delivery,
    source=st.sampled_from(["accuris", "siliconexpert"]),
    msg_id=st.one_of(st.from_regex(r"msg_[A-Za-z0-9]{1,24}", fullmatch=True), _header_text),
    offset=st.one_of(  # seconds from now; the window's edges are ±TOLERANCE_SECONDS
        st.integers(-290, 290),
        st.sampled_from([0, -299, 299, -TOLERANCE_SECONDS, TOLERANCE_SECONDS, -301, 301]),
        st.integers(-(10**7), 10**7),
    ),
    timestamp_text=st.none() | st.none() | st.none() | st.sampled_from(["yesterday", "", "1.5", "0x10", "-"]),
    kind=st.sampled_from(VALID_KINDS) | st.sampled_from(KINDS),  # half of them signed right
    garbage=st.text(alphabet=string.printable.strip(), max_size=120),
    chunked=st.booleans(),
)


_SIGNED_RIGHT = Delivery("siliconexpert", "msg_x", 0, None, "valid", "", False)


def signature_headers(d: Delivery, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The webhook-* headers for ``d``: signed, mis-signed or missing as ``d.kind`` says."""
    secret = TEST_SECRET if d.source == "siliconexpert" or d.kind != "rotated_secret" else ROTATED_SECRET
    good = sign(secret, msg_id, timestamp, body)
    signature = {
        "valid": good,
        "rotated_secret": good,
        "one_of_several": f"v1,AAAA v1a,xyz {good}",
        "other_secret": sign(OTHER_SECRET, msg_id, timestamp, body),
        "other_body": sign(secret, msg_id, timestamp, body + b" "),
        "other_id": sign(secret, msg_id + "x", timestamp, body),
        "other_timestamp": sign(secret, msg_id, timestamp + 1, body),
        "v2_prefix": "v2," + good[3:],
        "no_prefix": good[3:],
        "truncated": good[:-4],
        "bad_base64": "v1,!" + good[4:],
        "garbage": d.garbage,
        "empty": "",
    }.get(d.kind, good)
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": d.timestamp_text if d.timestamp_text is not None else str(timestamp),
        "webhook-signature": signature,
    }
    for name in ("signature", "id", "timestamp"):
        if d.kind == f"missing_{name}":
            del headers[f"webhook-{name}"]
    return headers


def signature_verdict(d: Delivery, msg_id: str, timestamp: int, sent: float, answered: float) -> bool | None:
    """True/False when the signature must pass/fail; None when the clock edge allows both.

    The server read its clock somewhere between ``sent`` and ``answered``: a timestamp
    inside the window for part of that interval only may go either way.
    """
    if d.kind not in VALID_KINDS or d.timestamp_text is not None or len(msg_id) > 256:
        return False
    early, late = sent - timestamp, answered - timestamp
    if max(abs(early), abs(late)) <= TOLERANCE_SECONDS:
        return True
    if early > TOLERANCE_SECONDS or -late > TOLERANCE_SECONDS:
        return False
    return None


# ---- the landing table ----------------------------------------------------------------------


class LandingTable:
    """Reads the rows the gateway wrote, through a connection of the test's own."""

    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(normalize_url(database_url))

    def row(self, source: str, dedup_key: str):
        with self.engine.connect() as conn:
            return conn.execute(
                select(landing_events.c.id, landing_events.c.body).where(
                    landing_events.c.source == source, landing_events.c.dedup_key == dedup_key
                )
            ).one_or_none()

    def source_of(self, event_id: int) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(landing_events.c.source).where(landing_events.c.id == event_id)
            ).scalar_one_or_none()

    def close(self) -> None:
        self.engine.dispose()


def check_answer(table: LandingTable, source: str, dedup_key: str, body: bytes, response) -> None:
    """The shared invariants: no 5xx; a 2xx only with the row (and these bytes) stored; else none."""
    assert response.status_code < 500, (response.status_code, response.text[:300])
    row = table.row(source, dedup_key)
    if response.status_code in (200, 202):
        answer = response.json()
        assert row is not None, f"{response.status_code} without a row in the landing table"
        assert row.id == answer["event_id"] and bytes(row.body) == body
    else:
        assert row is None, f"{response.status_code} but a row was stored"


# ---- hypothesis over HTTP -------------------------------------------------------------------


def _post(client: httpx.Client, url: str, body: bytes, headers: dict[str, str], chunked: bool):
    def pieces():
        for i in range(0, len(body), 16 * 1024):
            yield body[i : i + 16 * 1024]

    return client.post(url, content=pieces() if chunked else body, headers=headers)


def test_fuzzed_signed_bodies_over_http(database_url, tmp_path):
    table = LandingTable(database_url)
    outcomes: Counter[tuple[str, int]] = Counter()
    with (
        running_gateway(database_url, tmp_path, RADAR_MAX_BODY_BYTES=str(LIMIT)) as base,
        httpx.Client(timeout=30) as client,
    ):

        @FUZZ
        @given(body=BODIES, d=DELIVERIES)
        @example(body=_padded(LIMIT + 1), d=_SIGNED_RIGHT)  # each outcome at least once, whatever
        @example(body=b'{"a":1}', d=_SIGNED_RIGHT)  # the derandomized draw of this hypothesis
        @example(body=b'{"a":', d=_SIGNED_RIGHT)  # version happens to be
        @example(body=b'{"a":1}', d=Delivery("accuris", "msg_x", 0, None, "other_secret", "", False))
        def deliver(body: bytes, d: Delivery) -> None:
            msg_id = f"{next(_ids)}-{d.msg_id}"  # unique per request, so no answer is a duplicate
            timestamp = int(time.time()) + d.offset
            headers = signature_headers(d, msg_id, timestamp, body)
            sent = time.time()
            response = _post(client, f"{base}/webhooks/{d.source}", body, headers, d.chunked)
            answered = time.time()
            check_answer(table, d.source, msg_id, body, response)
            status, verdict = response.status_code, signature_verdict(d, msg_id, timestamp, sent, answered)
            outcomes[(d.kind, status)] += 1
            if len(body) > LIMIT:
                assert status == 413, "over the limit: refused before the signature is even looked at"
            elif verdict is False:
                assert status == 401, f"a bad signature ({d.kind}) must be 401"
            else:
                expected = 202 if json_acceptable(body) else 422
                assert status in ((expected, 401) if verdict is None else (expected,)), (
                    status,
                    response.text[:200],
                    body[:80],
                )
                if status == 202:
                    assert response.json()["duplicate"] is False

        deliver()
    table.close()
    statuses = Counter(status for _, status in outcomes.elements())
    print(
        "\nfuzzed deliveries by status:", dict(statuses), "by signature kind:", dict(sorted(outcomes.items()))
    )
    # the generator reached every outcome (else the invariants above were tested on nothing)
    assert {202, 401, 413, 422} <= set(statuses), statuses


# ---- schemathesis ---------------------------------------------------------------------------

SIGNED = ("webhook-id", "webhook-timestamp", "webhook-signature")


class SigningSession(requests.Session):
    """Signs the webhook requests schemathesis generates whose ``webhook-id`` has an even length.

    The id gets a unique prefix (so an answer is never about an earlier delivery) and
    the body is signed as it goes on the wire (after schemathesis serialised it), with a
    fresh timestamp; the other half keep the signature schemathesis made up (401).
    """

    def send(self, request, **kwargs):
        msg_id = request.headers.get("webhook-id")
        if "/webhooks/" in request.url and msg_id is not None:
            msg_id = msg_id.decode("latin-1") if isinstance(msg_id, bytes) else msg_id
            msg_id = request.headers["webhook-id"] = f"{next(_ids)}-{msg_id}".strip()
            if len(msg_id) % 2 == 0 and all(h in request.headers for h in SIGNED):
                body = request.body or b""
                body = body.encode() if isinstance(body, str) else body
                now = int(time.time())
                request.headers["webhook-timestamp"] = str(now)
                request.headers["webhook-signature"] = sign(TEST_SECRET, msg_id, now, body)
        return super().send(request, **kwargs)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzzed_gateway(request, tmp_path_factory):
    """One gateway per backend for every operation schemathesis tests."""
    tmp = tmp_path_factory.mktemp(f"schemathesis-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp}/radar.db"
        with running_gateway(url, tmp) as base:
            yield base, url
        return
    require_postgres()
    with fresh_postgres_database() as url, running_gateway(url, tmp) as base:
        yield base, url


@pytest.fixture(scope="module")
def calls(fuzzed_gateway):
    """Per operation: calls made, calls with a non-empty body, and answers by status."""
    seen: dict[str, Counter] = {}
    yield seen
    summary = {op: dict(c) for op, c in sorted(seen.items())}
    print("\nschemathesis calls:", json.dumps(summary, indent=1))
    for op in ("POST /webhooks/{source}", "POST /inbound/sendgrid"):
        assert seen[op]["with_body"] >= 20, (op, seen[op])
    assert seen["POST /webhooks/{source}"]["202"] >= 5, seen["POST /webhooks/{source}"]
    assert seen["POST /inbound/sendgrid"]["200"] >= 5, seen["POST /inbound/sendgrid"]


# The schema the gateway serves at /openapi.json (checked equal in the test), loaded at
# collection so each operation becomes a test of its own.
SCHEMA = create_app(Settings(database_url="sqlite://")).openapi()
schema = schemathesis.openapi.from_dict(SCHEMA)
schema.config.update(basic_auth=("sendgrid", "s3cret"))  # RADAR_INBOUND_BASIC_AUTH of running_gateway


@schema.parametrize()
@settings(
    max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_schemathesis_with_its_checks(case, fuzzed_gateway, calls):
    base, url = fuzzed_gateway
    with SigningSession() as session:
        response = case.call_and_validate(base_url=base, session=session)  # every check schemathesis has
    seen = calls.setdefault(f"{case.operation.method.upper()} {case.operation.path}", Counter())
    if not seen:
        assert httpx.get(f"{base}/openapi.json").json() == SCHEMA
    body = response.request.body or b""
    body = body.encode() if isinstance(body, str) else body
    seen["calls"] += 1
    seen["with_body"] += bool(body)
    seen[str(response.status_code)] += 1
    table = LandingTable(url)
    try:
        if case.path == "/webhooks/{source}" and "webhook-id" in response.request.headers:
            msg_id = response.request.headers["webhook-id"]
            check_answer(table, case.path_parameters["source"], msg_id, body, response)
        elif response.status_code == 200 and case.path == "/inbound/sendgrid":
            assert table.source_of(response.json()["event_id"]) == "sendgrid"
    finally:
        table.close()
