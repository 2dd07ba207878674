"""Issue 29: one bad field never stops another notice's mail.

A signed webhook whose notice number and manufacturer hold CR/LF (a provider's two-line name) lands on
the same day as a good notice. The day's run sends the good notice's mail; the bad one's is sent with
clean one-line headers, or — where the provider refuses it — ends ``dead_letter`` with the reason.
No notification is left ``sending``.
"""

from __future__ import annotations

import json
from datetime import date

import httpx
from sqlalchemy import select

from radar_pipeline.db.schema import notifications
from radar_pipeline.notify.senders import Mail, header_value
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.pipeline_support import (
    company,
    engine_for,
    land_webhook,
    materialize_day,
    se_payload,
)
from radar_pipeline_tests.support import ScriptedHttpServer, run_radar, running_gateway
from radar_pipeline_tests.test_gateway import signed
from radar_pipeline_tests.trust_support import mails_in

DAY = date(2026, 11, 2)
BAD_NUMBER = "PDN-9\r\nBcc: victim@example.com"


def bad_payload() -> dict:
    return se_payload(BAD_NUMBER, ["LM317T/NOPB"]) | {"Manufacturer": "Texas\r\nInstruments"}


def test_header_values_are_one_clean_line():
    mail = Mail(
        to="buyer@example.com\r\n", subject="[radar] Texas\r\nInstruments PDN-9\u2028x\x00\ty", text="a\r\nb"
    )
    assert mail.subject == "[radar] Texas Instruments PDN-9 x y" and mail.to == "buyer@example.com"
    assert mail.text == "a\r\nb"  # the body keeps its lines
    long = header_value("word " * 200)
    assert len(long) == 250 and long.endswith("…")


def statuses(engine) -> dict[str, str]:
    n = notifications.c
    with engine.connect() as conn:
        return {f"{k}|{r}": s for k, r, s in conn.execute(select(n.notice_key, n.recipient, n.status))}


def test_a_crlf_notice_and_a_good_one_on_the_same_day_are_both_mailed_with_clean_headers(
    database_url, tmp_path
):
    engine = engine_for(database_url)
    company(engine, tmp_path)
    land_webhook(engine, bad_payload(), "bad", DAY)
    land_webhook(engine, se_payload("PDN-GOOD", ["LM317T/NOPB"]), "good", DAY)
    assert materialize_day(database_url, tmp_path, DAY).success
    mails = [m for m in mails_in(tmp_path / "outbox") if m["to"] == "buyer@example.com"]
    subjects = sorted(m["subject"] for m in mails)
    assert any("PDN-GOOD" in s for s in subjects)
    (bad,) = [m for m in mails if "PDN-9" in m["subject"]]
    assert "Texas Instruments PDN-9 Bcc: victim@example.com" in bad["subject"]
    assert "Bcc" not in bad["header_names"] and "victim" not in bad["to"]
    assert all(not line.startswith("Bcc") for line in bad["head"].splitlines())
    assert set(statuses(engine).values()) == {"sent"}


def test_a_mail_the_provider_refuses_is_a_dead_letter_and_the_good_one_goes_out_in_the_same_run(
    postgres_url, tmp_path
):
    refused = (400, {}, b'{"errors":[{"message":"The subject is not valid."}]}')
    sendgrid = ScriptedHttpServer(
        [(202, {"X-Message-Id": "sg-ok"}, b"")],
        answer=lambda request: refused if b"PDN-9" in request["body"] else None,
    )
    env = {
        "DAGSTER_HOME": str(tmp_path / "home"),
        "RADAR_REPORT_DIR": str(tmp_path / "reports"),
        "RADAR_NOTIFY_TO": "buyer@example.com",
        "SENDGRID_API_KEY": "SG.test-key",
        "RADAR_SENDGRID_HOST": sendgrid.url,
    }
    assert (
        run_radar(
            ["bom", "import", str(write_bom(tmp_path / "bom"))], postgres_url, tmp_path, **env
        ).returncode
        == 0
    )
    try:
        with running_gateway(postgres_url, tmp_path, **env) as base:
            for name, payload in (("bad", bad_payload()), ("good", se_payload("PDN-GOOD", ["LM317T/NOPB"]))):
                body = json.dumps(payload).encode()
                r = httpx.post(f"{base}/webhooks/siliconexpert", content=body, headers=signed(body, name))
                assert r.status_code == 202
        done = run_radar(["process"], postgres_url, tmp_path, **env)  # one run of the day
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    finally:
        sendgrid.close()
    posted = [json.loads(r["body"]) for r in sendgrid.requests]
    assert all("\n" not in p["subject"] and "\r" not in p["subject"] for p in posted)
    assert any("PDN-GOOD" in p["subject"] for p in posted)
    engine = engine_for(postgres_url)
    n = notifications.c
    with engine.connect() as conn:
        rows = conn.execute(select(n.notice_key, n.recipient, n.status, n.reason, n.attempts)).all()
    assert not [r for r in rows if r.status == "sending"], rows
    good = [r for r in rows if r.notice_key.endswith("PDN-GOOD")]
    bad = [r for r in rows if "PDN-9" in r.notice_key]
    assert good and all(r.status == "sent" for r in good)
    assert bad and all(
        r.status == "dead_letter" and "SendGrid answered 400" in r.reason and r.attempts == 1 for r in bad
    )
