"""One bad event never fails its day (issue 22).

Three hundred signed hostile webhook bodies go through a real gateway process into PostgreSQL,
then ``radar process`` runs their day: the gateway answers no 5xx, every stored event ends
processed or dead-lettered with a reason, the good notice among them reaches the exposure, and
``radar process`` exits 0.
"""

from __future__ import annotations

import json
import random
import time
from datetime import date

import httpx
import pytest

from radar_pipeline.gateway.routes.webhooks import MAX_JSON_DEPTH
from radar_pipeline.gateway.signatures import sign
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.pipeline_support import se_payload
from radar_pipeline_tests.support import TEST_SECRET, run_radar, running_gateway

GOOD = se_payload("PDN-GOOD-1", ["LM317T/NOPB"])
ODD = [
    "\u202eRTL\u202c",
    "zero\u200bwidth",
    "e\u0301\u0301\u0301",
    "\U0001f525",
    "\uff2c\uff2d\uff13\uff11\uff17",
    "line\u2028sep",
    "\ufeffBOM",
    "\x7f\x1b[31m",
]


def _raw(payload: dict, **fields) -> bytes:
    return json.dumps(payload | fields).encode()


def hostile_bodies(count: int = 300) -> dict[str, bytes]:
    """``count`` bodies of the hostile classes, named by class and number (deterministic)."""
    rng = random.Random(22)
    base = se_payload("PDN-H", ["SN74HC00N"])
    classes = {
        "random-bytes": lambda i: rng.randbytes(rng.randint(1, 400)),
        "deep-nesting": lambda i: (
            b'{"PCNNumber": "PDN-D%d", "Manufacturer": "TI", "TypeOfChange": "Obsolescence", "x": ' % i
            + b"[" * (MAX_JSON_DEPTH - 3 + i % 5)
            + b"]" * (MAX_JSON_DEPTH - 3 + i % 5)
            + b"}"
        ),
        "huge-fields": lambda i: _raw(
            base | {"PCNNumber": f"PDN-HUGE-{i}"},
            **[
                {"PCNNumber": "N" * rng.randint(129, 5000)},
                {"Manufacturer": "M" * rng.randint(257, 5000)},
                {"AffectedParts": [{"PartNumber": "P" * rng.randint(129, 20000)}]},
                {"AffectedParts": [{"PartNumber": f"HUGE{n}"} for n in range(rng.randint(500, 3000))]},
                {"LastTimeBuyDate": "2027-01-01" + " " * 100_000},
            ][i % 5],
        ),
        "wrong-types": lambda i: (
            _raw(
                base,
                **[
                    {"PCNNumber": 12345},
                    {"AffectedParts": "LM358DR"},
                    {"AffectedParts": [{"PartNumber": 5}]},
                    {"AffectedParts": [["LM358DR"]]},
                    {"LastTimeBuyDate": ["2027-01-01"]},
                    {"Manufacturer": None},
                    {"TypeOfChange": {"a": 1}},
                    {"NotificationDate": 20261102},
                ][i % 8],
            )
            if i % 9
            else json.dumps([base]).encode()
        ),
        "odd-unicode": lambda i: _raw(
            base,
            PCNNumber=f"PDN-U{i}{ODD[i % len(ODD)]}",
            Manufacturer=f"Texas {ODD[(i + 3) % len(ODD)]}",
            AffectedParts=[{"PartNumber": f"SN74{ODD[(i + 5) % len(ODD)]}HC00N", "Replacement": ODD[i % 3]}],
        ),
        "lone-surrogates": lambda i: (
            b'{"PCNNumber": "PDN-S%d\\ud800", "Manufacturer": "Texas \\udfff", "TypeOfChange": "Obsolescence",'
            b' "AffectedParts": [{"PartNumber": "LM\\udc00358DR"}]}' % i
        ),
        "nul-in-part-number": lambda i: _raw(
            base,
            PCNNumber=f"PDN-NUL-{i}\u0000",
            AffectedParts=[
                {"PartNumber": "SN74HC00N\u0000", "Replacement": "\u0000LM358DR"},
                {"PartNumber": "LM\x01358DR"},
            ],
        ),
        "control-characters": lambda i: _raw(
            base,
            PCNNumber=f"PDN-C{i}\r\nBcc: victim@example.com",
            Manufacturer="Texas\x0cInstruments\x0b",
            AffectedParts=[{"PartNumber": "SN74HC00N\x1b[2J"}],
        ),
    }
    names = list(classes)
    return {f"{names[i % len(names)]}-{i}": classes[names[i % len(names)]](i) for i in range(count)}


@pytest.mark.slow
def test_hostile_webhooks_end_processed_or_dead_lettered_and_the_good_notice_reaches_the_exposure(
    postgres_url, tmp_path
):
    env = {
        "DAGSTER_HOME": str(tmp_path / "home"),
        "RADAR_OUTBOX_DIR": str(tmp_path / "outbox"),
        "RADAR_REPORT_DIR": str(tmp_path / "reports"),
        "RADAR_NOTIFY_TO": "buyer@example.com",
    }
    bom = run_radar(["bom", "import", str(write_bom(tmp_path / "bom"))], postgres_url, tmp_path, **env)
    assert bom.returncode == 0, bom.stderr
    bodies = hostile_bodies() | {"good": json.dumps(GOOD).encode()}
    statuses = {}
    with running_gateway(postgres_url, tmp_path) as base, httpx.Client(timeout=60) as client:
        for name, body in bodies.items():
            ts = int(time.time())
            headers = {
                "webhook-id": name,
                "webhook-timestamp": str(ts),
                "webhook-signature": sign(TEST_SECRET, name, ts, body),
                "content-type": "application/json",
            }
            statuses[name] = client.post(
                f"{base}/webhooks/siliconexpert", content=body, headers=headers
            ).status_code
    assert all(s < 500 for s in statuses.values()), {n: s for n, s in statuses.items() if s >= 500}
    assert statuses["good"] == 202
    accepted = {n for n, s in statuses.items() if s == 202}
    assert len(accepted) > 200, statuses  # the hostile classes mostly got in: the pipeline sees them

    processed = run_radar(["process"], postgres_url, tmp_path, **env)
    assert processed.returncode == 0, processed.stdout[-3000:] + processed.stderr[-3000:]

    listed = run_radar(["events", "--format", "json"], postgres_url, tmp_path, **env)
    events = {e["dedup_key"]: e for e in json.loads(listed.stdout)}
    assert set(events) == accepted
    unsettled = {k: e["status"] for k, e in events.items() if e["status"] not in ("processed", "dead_letter")}
    assert not unsettled, unsettled
    silent = [
        k for k, e in events.items() if e["status"] == "dead_letter" and not (e["reason"] or "").strip()
    ]
    assert not silent, silent
    assert events["good"]["status"] == "processed"
    # the database refused what no cleaning fixes (a notice number over its column's 128 characters):
    # that event alone is a dead letter, with the database's words
    # what no cleaning fixes is a dead letter, with the words of what refused it
    too_long = events["huge-fields-2"]
    assert too_long["status"] == "dead_letter" and "at most 128 characters" in too_long["reason"], too_long
    # text the database cannot hold is cleaned before it is written: such an event is processed
    for name in ("nul-in-part-number-6", "lone-surrogates-5", "control-characters-7"):
        assert events[name]["status"] == "processed", events[name]

    shown = run_radar(["exposure", "--format", "json"], postgres_url, tmp_path, **env)
    assert shown.returncode == 0, shown.stderr
    exposure = json.loads(shown.stdout)
    good = [n for n in exposure["notices"] if n["notice_number"] == "PDN-GOOD-1"]
    assert good and [p["mpn"] for p in good[0]["parts"]] == ["LM317T/NOPB"], good
    numbers = {n["notice_number"] for n in exposure["notices"]}
    assert "PDN-NUL-6" in numbers and not any("\x00" in x for x in numbers)


def test_a_reading_the_database_refuses_is_a_dead_letter_and_its_day_goes_on(
    database_url, tmp_path, monkeypatch
):
    from sqlalchemy import select

    from radar_pipeline.db.schema import extractions, landing_events
    from radar_pipeline.notices import readings
    from radar_pipeline_tests.pipeline_support import company, engine_for, land_webhook, materialize_day

    day = date(2026, 11, 2)
    engine = engine_for(database_url)
    company(engine, tmp_path)
    ids = {
        n: land_webhook(engine, se_payload(n, ["LM317T/NOPB"]), f"w-{n}", day)
        for n in ("PDN-A", "PDN-BAD", "PDN-C")
    }
    real = readings.write_notice

    def refusing(conn, notice, *args, **kwargs):  # after the reading's extraction row was written
        if notice.notice_number == "PDN-BAD":
            raise ValueError("the database refused PDN-BAD")
        return real(conn, notice, *args, **kwargs)

    monkeypatch.setattr(readings, "write_notice", refusing)
    assert materialize_day(database_url, tmp_path, day).success
    with engine.connect() as conn:
        status = dict(conn.execute(select(landing_events.c.id, landing_events.c.status)).all())
        reason = dict(conn.execute(select(landing_events.c.id, landing_events.c.reason)).all())
        extracted = {r for (r,) in conn.execute(select(extractions.c.event_id))}
    assert status[ids["PDN-BAD"]] == "dead_letter"
    assert "ValueError: the database refused PDN-BAD" in reason[ids["PDN-BAD"]]
    assert status[ids["PDN-A"]] == status[ids["PDN-C"]] == "processed"
    assert extracted == {ids["PDN-A"], ids["PDN-C"]}  # the refused reading left nothing half-written
