"""The ingestion gateway as a real server process, on SQLite and PostgreSQL (CONTRACT §3)."""

from __future__ import annotations

import base64
import concurrent.futures
import json
import re
import time
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import sendgrid
from python_http_client import Client
from sqlalchemy import create_engine, func, select
from standardwebhooks import Webhook

from radar_pipeline.db import normalize_url
from radar_pipeline.db.schema import landing_events
from radar_pipeline.gateway.signatures import sign
from radar_pipeline_tests.support import (
    ROTATED_SECRET,
    TEST_SECRET,
    RadarProcess,
    TcpProxy,
    free_port,
    radar_env,
    run_radar,
    running_gateway,
    wait_http,
)

SAMPLES = Path(sendgrid.__file__).parent / "helpers" / "inbound" / "sample_data"
AUTH = {"Authorization": "Basic " + base64.b64encode(b"sendgrid:s3cret").decode()}

ACCURIS = {
    "noticeId": "20261014003",
    "manufacturer": "Texas Instruments",
    "alertType": "DISCONTINUED",
    "publishedDate": "2026-10-14",
    "lastTimeBuyDate": "2027-03-31",
    "lastShipDate": "2027-09-30",
    "parts": [{"mpn": "TPS7A4501DCQR", "replacementMpn": "TPS7A4501DCQRQ1"}],
}


def signed(body: bytes, msg_id: str, secret: str = TEST_SECRET, timestamp: float | None = None) -> dict:
    """Headers made by the Standard Webhooks reference library."""
    from datetime import UTC, datetime

    ts = datetime.fromtimestamp(timestamp if timestamp is not None else time.time(), tz=UTC)
    try:
        signature = Webhook(secret).sign(msg_id, ts, body.decode())
    except UnicodeDecodeError:  # the reference signer takes text only
        signature = sign(secret, msg_id, int(ts.timestamp()), body)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(ts.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }


def rows(database_url: str) -> list:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(landing_events).order_by(landing_events.c.id)))
    finally:
        engine.dispose()


@pytest.fixture
def gateway(database_url, tmp_path):
    with running_gateway(database_url, tmp_path) as base:
        yield base


def test_signed_webhook_is_stored_and_deduplicated(gateway, database_url):
    body = json.dumps(ACCURIS).encode()
    first = httpx.post(f"{gateway}/webhooks/accuris", content=body, headers=signed(body, "msg_1"))
    assert first.status_code == 202, first.text
    again = httpx.post(f"{gateway}/webhooks/accuris", content=body, headers=signed(body, "msg_1"))
    assert again.status_code == 202
    assert first.json() == {"event_id": first.json()["event_id"], "duplicate": False}
    assert again.json() == {"event_id": first.json()["event_id"], "duplicate": True}
    stored = rows(database_url)
    assert len(stored) == 1
    assert stored[0].body == body and stored[0].source == "accuris" and stored[0].dedup_key == "msg_1"
    assert stored[0].status == "received" and len(stored[0].body_sha256) == 64


def test_rotated_secrets_are_all_accepted(gateway):
    body = json.dumps(ACCURIS).encode()
    for i, secret in enumerate([ROTATED_SECRET, TEST_SECRET]):
        r = httpx.post(f"{gateway}/webhooks/accuris", content=body, headers=signed(body, f"rot{i}", secret))
        assert r.status_code == 202, r.text
    wrong = "whsec_" + base64.b64encode(b"another secret entirely!").decode()
    r = httpx.post(f"{gateway}/webhooks/accuris", content=body, headers=signed(body, "rot9", wrong))
    assert r.status_code == 401 and r.json()["error"] == "invalid_signature"


@pytest.mark.parametrize(
    "mutate, code",
    [
        (lambda h: h.update({"webhook-signature": "v1,garbage"}), "invalid_signature"),
        (lambda h: h.update({"webhook-signature": "v2," + h["webhook-signature"][3:]}), "invalid_signature"),
        (lambda h: h.pop("webhook-signature"), "missing_signature"),
        (lambda h: h.pop("webhook-id"), "missing_signature"),
        (lambda h: h.update({"webhook-timestamp": "yesterday"}), "invalid_signature"),
        (lambda h: h.update({"webhook-timestamp": str(int(time.time()) - 301)}), "stale_timestamp"),
        (lambda h: h.update({"webhook-timestamp": str(int(time.time()) + 400)}), "stale_timestamp"),
        (lambda h: h.update({"webhook-id": "other"}), "invalid_signature"),
    ],
)
def test_bad_signatures_are_refused(gateway, database_url, mutate, code):
    body = json.dumps(ACCURIS).encode()
    headers = signed(body, "msg_bad")
    mutate(headers)
    r = httpx.post(f"{gateway}/webhooks/accuris", content=body, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"] == code and r.json()["detail"]
    assert rows(database_url) == []


def test_tampered_body_is_refused(gateway):
    body = json.dumps(ACCURIS).encode()
    headers = signed(body, "msg_t")
    r = httpx.post(f"{gateway}/webhooks/accuris", content=body.replace(b"2027", b"2028"), headers=headers)
    assert r.status_code == 401


def test_refusals_name_the_problem(gateway, database_url):
    body = json.dumps(ACCURIS).encode()
    r = httpx.post(f"{gateway}/webhooks/nobody", content=body, headers=signed(body, "x1"))
    assert (r.status_code, r.json()["error"]) == (404, "unknown_source")
    h = signed(body, "x2") | {"content-type": "text/plain"}
    r = httpx.post(f"{gateway}/webhooks/accuris", content=body, headers=h)
    assert (r.status_code, r.json()["error"]) == (415, "unsupported_media_type")
    for bad in (
        b"{not json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        b"[" * 200 + b"]" * 200,
        b'{"a":' * 100 + b"1" + b"}" * 100,
    ):
        r = httpx.post(f"{gateway}/webhooks/accuris", content=bad, headers=signed(bad, "x3"))
        assert (r.status_code, r.json()["error"]) == (422, "unprocessable_body"), bad[:20]
    assert rows(database_url) == []


def test_source_without_secret_is_not_accepted(database_url, tmp_path):
    with running_gateway(database_url, tmp_path, RADAR_WEBHOOK_SECRET_ACCURIS="") as base:
        body = json.dumps(ACCURIS).encode()
        r = httpx.post(f"{base}/webhooks/accuris", content=body, headers=signed(body, "n1"))
        assert r.status_code == 404 and "RADAR_WEBHOOK_SECRET_ACCURIS" in r.json()["detail"]


def test_oversized_body_is_refused_without_reading_it(gateway, database_url):
    big = b'{"x": "' + b"a" * (40 * 1024 * 1024) + b'"}'
    started = time.monotonic()
    r = httpx.post(f"{gateway}/webhooks/accuris", content=big, headers=signed(b"{}", "big1"), timeout=60)
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(40):
            yield b"a" * (1024 * 1024)

    r = httpx.post(f"{gateway}/webhooks/accuris", content=chunks(), headers=signed(b"{}", "big2"), timeout=60)
    assert r.status_code == 413
    assert time.monotonic() - started < 30
    assert rows(database_url) == []


def test_chunked_body_is_read_whole_and_verified(gateway, database_url):
    """A body streamed in pieces (no Content-Length) is joined before the signature is checked."""
    body = json.dumps(ACCURIS | {"pad": "x" * 200_000}).encode()

    def pieces(data: bytes):
        for i in range(0, len(data), 7_000):
            yield data[i : i + 7_000]

    r = httpx.post(f"{gateway}/webhooks/accuris", content=pieces(body), headers=signed(body, "chunked"))
    assert r.status_code == 202, r.text
    tampered = body.replace(b"xxxx", b"xxxy", 1)
    r = httpx.post(f"{gateway}/webhooks/accuris", content=pieces(tampered), headers=signed(body, "chunked2"))
    assert r.status_code == 401
    (stored,) = rows(database_url)
    assert stored.body == body and stored.dedup_key == "chunked"


def test_fifty_concurrent_deliveries_make_one_row(gateway, database_url):
    body = json.dumps(ACCURIS).encode()
    headers = signed(body, "msg_concurrent")
    with httpx.Client() as client, concurrent.futures.ThreadPoolExecutor(50) as pool:
        responses = list(
            pool.map(
                lambda _: client.post(f"{gateway}/webhooks/accuris", content=body, headers=headers), range(50)
            )
        )
    assert {r.status_code for r in responses} == {202}
    assert len({r.json()["event_id"] for r in responses}) == 1
    assert sum(not r.json()["duplicate"] for r in responses) == 1
    assert len(rows(database_url)) == 1


def _send_sample(base: str, name: str):
    """Post a SendGrid sample the way sendgrid/helpers/inbound/send.py does."""
    client = Client(
        host=f"{base}/inbound/sendgrid",
        request_headers={"User-Agent": "SendGrid-Test", "Content-Type": "multipart/form-data; boundary=xYzZY"}
        | AUTH,
    )
    with open(SAMPLES / name, encoding="utf-8") as f:
        return client.post(request_body=f.read())


def test_sendgrid_samples_parsed_and_raw(gateway, database_url):
    parsed = _send_sample(gateway, "default_data.txt")
    assert parsed.status_code == 200
    raw = _send_sample(gateway, "raw_data.txt")
    assert raw.status_code == 200
    raw_att = _send_sample(gateway, "raw_data_with_attachments.txt")
    assert raw_att.status_code == 200
    again = _send_sample(gateway, "raw_data.txt")
    assert json.loads(again.body)["duplicate"] is True
    stored = rows(database_url)
    assert len(stored) == 3 and {r.source for r in stored} == {"sendgrid"}
    msgs = [message_from_bytes(r.body, policy=policy.default) for r in stored]
    assert msgs[0]["Subject"] == "Inbound Parse Test Data"
    assert msgs[0].get_body(("plain",)).get_content().strip() == "Hello Twilio SendGrid!"
    assert "Twilio SendGrid" in msgs[0].get_body(("html",)).get_content()
    assert msgs[1]["Subject"] == "Inbound Parse Test Raw Data"
    attachments = [p.get_filename() for p in msgs[2].iter_attachments()]
    assert attachments, "raw-mode attachments must be stored with the message"


def test_sendgrid_parsed_mode_keeps_every_attachment(gateway, database_url):
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 400
    xlsx = b"PK\x03\x04" + bytes(reversed(range(256))) * 300
    files = {
        "attachment1": ("notice.pdf", pdf, "application/pdf"),
        "attachment2": (
            "parts.xlsx",
            xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }
    data = {
        "headers": "From: pcn@vendor.example\nTo: radar@example.com\nSubject: PDN2401 discontinuance\n"
        "Message-ID: <pdn2401@vendor.example>\nContent-Type: multipart/mixed; boundary=zz\n",
        "text": "Please find the PDN attached. Prüfung: Größe",
        "html": "<p>Please find the PDN attached.</p>",
        "attachments": "2",
        "attachment-info": json.dumps({"attachment1": {"filename": "notice.pdf", "type": "application/pdf"}}),
        "charsets": json.dumps({"text": "UTF-8", "html": "UTF-8"}),
    }
    r = httpx.post(f"{gateway}/inbound/sendgrid", data=data, files=files, headers=AUTH)
    assert r.status_code == 200, r.text
    (stored,) = rows(database_url)
    assert stored.dedup_key == "<pdn2401@vendor.example>"
    msg = message_from_bytes(stored.body, policy=policy.default)
    assert msg["Subject"] == "PDN2401 discontinuance"
    got = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    assert got == {"notice.pdf": pdf, "parts.xlsx": xlsx}
    assert "Größe" in msg.get_body(("plain",)).get_content()


def test_sendgrid_raw_mode_five_megabytes_stored_whole(gateway, database_url):
    attachment = base64.encodebytes(bytes(i % 251 for i in range(3_900_000))).decode()
    email = (
        "From: eol@vendor.example\r\nTo: radar@example.com\r\nSubject: big\r\nMessage-ID: <big@vendor.example>\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
        "Content-Type: text/plain\r\n\r\nsee attached\r\n--b1\r\nContent-Type: application/pdf\r\n"
        'Content-Disposition: attachment; filename="big.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + attachment
        + "\r\n--b1--\r\n"
    ).encode()
    assert len(email) > 5_000_000
    r = httpx.post(
        f"{gateway}/inbound/sendgrid",
        data={"email": email.decode(), "to": "radar@example.com"},
        files={"dummy": ("x.txt", b"x", "text/plain")},
        headers=AUTH,
        timeout=60,
    )
    assert r.status_code == 200, r.text
    (stored,) = rows(database_url)
    assert stored.body == email


def test_sendgrid_refuses_without_auth_and_garbage(gateway, database_url):
    r = httpx.post(f"{gateway}/inbound/sendgrid", data={"email": "x"}, files={"f": ("a", b"b")})
    assert r.status_code == 401
    bad = {"Authorization": "Basic " + base64.b64encode(b"sendgrid:wrong").decode()}
    assert (
        httpx.post(
            f"{gateway}/inbound/sendgrid", data={"email": "x"}, files={"f": ("a", b"b")}, headers=bad
        ).status_code
        == 401
    )
    r = httpx.post(
        f"{gateway}/inbound/sendgrid", content=b"{}", headers=AUTH | {"content-type": "application/json"}
    )
    assert r.status_code == 415
    r = httpx.post(f"{gateway}/inbound/sendgrid", data={"foo": "bar"}, files={"f": ("a", b"b")}, headers=AUTH)
    assert r.status_code == 422 and "raw mode" in r.json()["detail"]
    # a field twice is no SendGrid post, in either encoding: which copy to read would be a guess
    twice = {"email": "From: a@b.example\r\n\r\nhi", "to": ["x@y.example", "z@y.example"]}
    for files in ({"f": ("a", b"b")}, None):
        r = httpx.post(f"{gateway}/inbound/sendgrid", data=twice, files=files, headers=AUTH)
        assert r.status_code == 422 and "'to' is sent more than once" in r.json()["detail"], r.text
    assert rows(database_url) == []


def test_events_command_lists_exactly_the_acknowledged(gateway, database_url, tmp_path):
    acked = []
    for i in range(3):
        body = json.dumps(ACCURIS | {"noticeId": f"N{i}"}).encode()
        r = httpx.post(f"{gateway}/webhooks/accuris", content=body, headers=signed(body, f"ev{i}"))
        acked.append(r.json()["event_id"])
    httpx.post(f"{gateway}/webhooks/accuris", content=b"{}", headers={"content-type": "application/json"})
    out = run_radar(["events", "--format", "json"], database_url, tmp_path)
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert [e["id"] for e in listed] == acked
    assert {tuple(sorted(e)) for e in listed} == {
        ("dedup_key", "id", "reason", "received_at", "source", "status")
    }
    assert {e["status"] for e in listed} == {"received"}


def test_health_readiness_metrics(gateway):
    assert httpx.get(f"{gateway}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{gateway}/readyz").status_code == 200
    body = json.dumps(ACCURIS).encode()
    httpx.post(f"{gateway}/webhooks/accuris", content=body, headers=signed(body, "m1"))
    httpx.post(f"{gateway}/webhooks/accuris", content=body, headers=signed(body, "m1"))
    text = httpx.get(f"{gateway}/metrics").text
    assert 'radar_gateway_requests_total{source="accuris",status="202"} 2.0' in text
    assert 'radar_gateway_duplicates_total{source="accuris"} 1.0' in text
    assert "radar_gateway_commit_seconds_bucket" in text
    assert "/webhooks/{source}" in httpx.get(f"{gateway}/openapi.json").text


@pytest.mark.postgres
def test_database_down_gives_503_then_recovers(postgres_url, tmp_path):
    port = urlsplit(postgres_url).port  # 5432, or the session's throwaway cluster
    proxy = TcpProxy(port)
    via_proxy = postgres_url.replace(f"127.0.0.1:{port}", f"127.0.0.1:{proxy.port}")
    with running_gateway(via_proxy, tmp_path) as base:
        body = json.dumps(ACCURIS).encode()
        assert (
            httpx.post(f"{base}/webhooks/accuris", content=body, headers=signed(body, "up")).status_code
            == 202
        )
        proxy.stop()
        down = httpx.post(
            f"{base}/webhooks/accuris", content=body, headers=signed(body, "while-down"), timeout=30
        )
        assert down.status_code == 503 and down.json()["error"] == "database_unavailable"
        assert httpx.get(f"{base}/readyz", timeout=30).status_code == 503
        assert len(rows(postgres_url)) == 1
        proxy.start()
        again = httpx.post(
            f"{base}/webhooks/accuris", content=body, headers=signed(body, "while-down"), timeout=30
        )
        assert again.status_code == 202 and again.json()["duplicate"] is False
        assert httpx.get(f"{base}/readyz").status_code == 200
    with create_engine(normalize_url(postgres_url)).connect() as conn:
        assert conn.execute(select(func.count()).select_from(landing_events)).scalar_one() == 2


def _deliver(base: str, msg_id: str, body: bytes, client: httpx.Client | None = None) -> dict:
    post = client.post if client else httpx.post
    r = post(f"{base}/webhooks/accuris", content=body, headers=signed(body, msg_id))
    assert r.status_code == 202, r.text
    return r.json()


def test_redelivery_after_a_restart_answers_the_first_id(database_url, tmp_path):
    """A fresh process knows nothing in memory: the database answers, with the first id."""
    body = json.dumps(ACCURIS).encode()
    with running_gateway(database_url, tmp_path) as base:
        first = {f"r{i}": _deliver(base, f"r{i}", body) for i in range(5)}
    assert all(not a["duplicate"] for a in first.values())
    with running_gateway(database_url, tmp_path) as base:
        for _ in range(2):  # the second time from the gateway's memory of the first answer
            for msg_id, answer in first.items():
                assert _deliver(base, msg_id, body) == {"event_id": answer["event_id"], "duplicate": True}
        # a batch mixing new and landed ids: each answered for itself
        with httpx.Client() as client, concurrent.futures.ThreadPoolExecutor(16) as pool:
            ids = [f"r{i}" for i in range(10)]
            answers = dict(zip(ids, pool.map(lambda i: _deliver(base, i, body, client), ids), strict=True))
    for msg_id, answer in answers.items():
        if msg_id in first:
            assert answer == {"event_id": first[msg_id]["event_id"], "duplicate": True}
        else:
            assert answer["duplicate"] is False
    stored = rows(database_url)
    assert len(stored) == 10
    assert {r.dedup_key: r.id for r in stored} == {k: a["event_id"] for k, a in answers.items()}


def _request_counts(base: str, scrapes: int = 60) -> dict[str, float]:
    """The accuris 202 counter of each worker, by its process id, as seen by whichever worker answers
    each scrape."""
    seen: dict[str, float] = {}
    for _ in range(scrapes):
        with httpx.Client() as client:  # a new connection each time: any worker may take it
            text = client.get(f"{base}/metrics").text
        pid = re.search(r'^radar_gateway_worker\{pid="(\d+)"\}', text, re.M).group(1)
        count = re.search(r'^radar_gateway_requests_total\{source="accuris",status="202"\} (\S+)', text, re.M)
        seen[pid] = float(count.group(1)) if count else 0.0
    return seen


@pytest.mark.postgres
def test_duplicates_across_two_workers_answer_the_first_id(postgres_url, tmp_path):
    port = free_port()
    proc = RadarProcess(
        ["gateway", "--port", str(port), "--workers", "2"],
        radar_env(postgres_url),
        tmp_path,
        "gateway-2w.log",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/healthz", proc=proc.proc)
        body = json.dumps(ACCURIS).encode()

        def deliver(msg_id: str) -> dict:
            with httpx.Client() as client:  # a new connection per delivery, so both workers take some
                return _deliver(base, msg_id, body, client)

        ids = [f"w{i % 20}" for i in range(200)]  # 20 ids, ten deliveries each, racing
        with concurrent.futures.ThreadPoolExecutor(24) as pool:
            answers = list(pool.map(deliver, ids))
        counts = _request_counts(base)
        assert len(counts) == 2 and sum(counts.values()) == 200, f"both workers must have served: {counts}"
    finally:
        proc.stop()
    stored = {r.dedup_key: r.id for r in rows(postgres_url)}
    assert len(stored) == 20
    for msg_id in set(ids):
        got = [a for i, a in zip(ids, answers, strict=True) if i == msg_id]
        assert {a["event_id"] for a in got} == {stored[msg_id]}
        assert sum(not a["duplicate"] for a in got) == 1


def _big_mail() -> tuple[bytes, bytes]:
    """A raw-mode SendGrid post of ~27 MiB (about 2 s of parsing on the 2-core box), and its message."""
    attachment = base64.encodebytes(bytes(i % 251 for i in range(20_000_000)))
    email = (
        b"From: eol@vendor.example\r\nTo: radar@example.com\r\nSubject: huge\r\n"
        b"Message-ID: <huge@vendor.example>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: application/pdf\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + attachment + b"\r\n--b1--\r\n"
    )
    post = (
        b'--xYzZY\r\nContent-Disposition: form-data; name="to"\r\n\r\nradar@example.com\r\n'
        b'--xYzZY\r\nContent-Disposition: form-data; name="email"\r\n\r\n' + email + b"\r\n--xYzZY--\r\n"
    )
    return post, email


def _big_json() -> bytes:
    """A 4 MiB JSON object of half a million small lists: seconds of parsing and depth checking."""
    return json.dumps({"noticeId": "big", "rows": [[i % 10] for i in range(500_000)]}).encode()


@pytest.mark.parametrize("large", ["inbound_mail", "deep_json"])
def test_large_body_is_parsed_off_the_event_loop(gateway, database_url, large):
    """While one large body is parsed, small webhooks keep being acknowledged, each promptly.

    Before the parsing moved off the event loop, a small webhook sent during it waited
    for the whole parse (seconds); now small ones are answered while it runs.
    """
    if large == "inbound_mail":
        payload, stored = _big_mail()
        url = f"{gateway}/inbound/sendgrid"
        headers = AUTH | {"content-type": "multipart/form-data; boundary=xYzZY"}
    else:
        payload = stored = _big_json()
        url = f"{gateway}/webhooks/accuris"
        headers = signed(payload, "large-json")
    uploaded = concurrent.futures.Future()

    def upload():  # the body in 1 MiB pieces; the future is set once the last one is sent
        for i in range(0, len(payload), 1 << 20):
            yield payload[i : i + (1 << 20)]
        uploaded.set_result(time.monotonic())

    small = json.dumps(ACCURIS).encode()
    with concurrent.futures.ThreadPoolExecutor(1) as pool, httpx.Client(timeout=120) as client:
        big = pool.submit(lambda: httpx.post(url, content=upload(), headers=headers, timeout=120))
        upload_done = uploaded.result(timeout=60)
        acks: list[tuple[float, float]] = []  # (sent, answered) of each small webhook
        while not big.done() and time.monotonic() - upload_done < 60:
            sent = time.monotonic()
            r = client.post(
                f"{gateway}/webhooks/accuris", content=small, headers=signed(small, f"s{len(acks)}")
            )
            assert r.status_code == 202, r.text
            acks.append((sent, time.monotonic()))
        answer = big.result()
        big_done = time.monotonic()
    assert answer.status_code in (200, 202), answer.text
    window = big_done - upload_done
    during = [(s, a) for s, a in acks if a < big_done]
    slowest = max(a - s for s, a in during) if during else window
    # The large body was worked on for a while (inline, it held every other request for ~1 s
    # or more: the slowest small one waited most of the window, and few were answered).
    # Off the loop, small webhooks are answered all through it, none waiting for it.
    assert window > 0.5, f"the large body took only {window:.2f} s: nothing to measure against"
    assert len(during) >= 10 and slowest < window / 3, (len(during), round(slowest, 3), round(window, 3))
    by_id = {r.id: r for r in rows(database_url)}
    assert bytes(by_id[answer.json()["event_id"]].body) == stored
    assert len(by_id) == len(acks) + 1
