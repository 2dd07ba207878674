"""Issue 29, the spoofing case on the real services: gateway, ``radar process``, the desk, PostgreSQL.

A signed webhook announces PDN-2701 (last-time buy 2027-05-15) and procurement is told. A mail from an
unknown domain, through SendGrid Inbound Parse, says the last-time buy is in 13 days: a review item
"conflicting readings" naming both, and nothing else changes — no date, no mail. TI's own mail,
DKIM-valid for ti.com (``RADAR_MAKER_DOMAINS``), agrees: a further source. On the desk the notice page
shows each value's source and both readings side by side; the analyst keeps the notice, and the
decision holds when the day is read again.
"""

from __future__ import annotations

import html
import json
import re

import httpx

from radar_pipeline.clock import utc_today
from radar_pipeline.web.auth import hash_password
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.pipeline_support import se_payload
from radar_pipeline_tests.support import run_radar, running_desk, running_gateway
from radar_pipeline_tests.test_gateway import signed
from radar_pipeline_tests.trust_support import FALSE_LTB, NUMBER, TRUE_LTB, mails_in, notice_mail

PASSWORD = "correct horse"


def signed_in(base: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token, "next": "/"})
    assert r.status_code == 303, r.text
    return client


def post_webhook(base: str, payload: dict, webhook_id: str) -> None:
    body = json.dumps(payload).encode()
    assert (
        httpx.post(
            f"{base}/webhooks/siliconexpert", content=body, headers=signed(body, webhook_id)
        ).status_code
        == 202
    )


def post_mail(base: str, raw: bytes, dkim: str, envelope_from: str) -> None:
    """SendGrid Inbound Parse in raw mode, with the verdicts SendGrid posts beside the message."""
    fields = {
        "dkim": dkim,
        "SPF": "pass",
        "envelope": json.dumps({"to": ["pcn@acme.example"], "from": envelope_from}),
    }
    r = httpx.post(
        f"{base}/inbound/sendgrid",
        data=fields,
        files={"email": (None, raw)},
        auth=("sendgrid", "s3cret"),
    )
    assert r.status_code == 200, r.text


def test_an_unsigned_mail_changes_nothing_the_makers_mail_is_a_source_and_the_analyst_settles_it(
    postgres_url, tmp_path
):
    users = f"alice:reviewer:{hash_password(PASSWORD)}"
    env = {
        "DAGSTER_HOME": str(tmp_path / "home"),
        "RADAR_OUTBOX_DIR": str(tmp_path / "outbox"),
        "RADAR_REPORT_DIR": str(tmp_path / "reports"),
        "RADAR_NOTIFY_TO": "buyer@example.com",
        "RADAR_REVIEW_NOTIFY_TO": "analyst@example.com",
        "RADAR_MAKER_DOMAINS": "ti.com",
        "RADAR_WEB_USERS": users,
        "RADAR_WEB_SECRET": "k" * 32,
    }

    def radar(*args: str):
        done = run_radar(list(args), postgres_url, tmp_path, **env)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done.stdout

    def notice() -> dict:
        (found,) = [
            n
            for n in json.loads(radar("exposure", "--format", "json"))["notices"]
            if n["notice_number"] == NUMBER
        ]
        return found

    def told(who: str) -> list[str]:
        return [m["subject"] for m in mails_in(tmp_path / "outbox") if m["to"] == who]

    radar("bom", "import", str(write_bom(tmp_path / "bom")))
    with (
        running_gateway(postgres_url, tmp_path, **env) as gateway,
        running_desk(postgres_url, tmp_path, **env) as desk,
    ):
        post_webhook(gateway, se_payload(NUMBER, ["LM317T/NOPB"], ltb=TRUE_LTB), "se-2701")
        radar("process")
        signed = notice()
        assert signed["last_time_buy_date"] == TRUE_LTB
        assert len(told("buyer@example.com")) == len(told("ctrl-owner@example.com")) == 1

        spoof = notice_mail("TI PCN <pcn@ti-notices.example>", "spoof@ti-notices.example", ltb=FALSE_LTB)
        post_mail(gateway, spoof, "{@ti-notices.example : pass}", "bounce@ti-notices.example")
        radar("process")
        same = ("last_time_buy_date", "days_to_ltb", "source_event_id", "total_ltb_cost", "parts")
        after = notice()
        assert {k: after[k] for k in same} == {k: signed[k] for k in same}  # no date moved, the same reading
        assert after["review"] == "open"
        assert len(told("buyer@example.com")) == len(told("ctrl-owner@example.com")) == 1  # no mail
        (item,) = json.loads(radar("review", "--format", "json"))
        (reason,) = item["reasons"]
        assert reason.startswith("conflicting readings: mail not from a configured maker domain from TI PCN")
        assert f"last-time buy {FALSE_LTB}" in reason and f"last-time buy {TRUE_LTB}" in reason
        assert "signed provider webhook from siliconexpert" in reason
        (review_mail,) = told("analyst@example.com")
        assert "conflicting readings" in review_mail
        hints = radar("review")
        assert (
            f"radar review accept {NUMBER} --manufacturer 'Texas Instruments' --event {item['event_id']}"
            in hints
        )
        assert (
            f"radar review take {NUMBER} --manufacturer 'Texas Instruments' --event {item['event_id']}"
            in hints
        )

        maker = notice_mail("TI PCN <pcn@ti.com>", "pdn-2701@ti.com")
        post_mail(gateway, maker, "{@ti.com : pass}", "bounce@ti.com")
        radar("process")
        assert notice()["last_time_buy_date"] == TRUE_LTB
        assert len(told("buyer@example.com")) == 1  # agreeing: nothing new to tell

        alice = signed_in(desk, "alice")
        page = alice.get(f"/notices/{signed['notice_id']}")
        assert page.status_code == 200
        text = html.unescape(page.text)
        sources = text[text.index('id="sources"') : text.index("</table>", text.index('id="sources"'))]
        rows = re.findall(r"<tr class=\"role-([a-z-]+)\">(.*?)</tr>", sources, re.S)
        by_role = {role: row for role, row in rows}
        assert set(by_role) == {"in-use", "agrees", "conflicts"}
        assert (
            "TI PCN <pcn@ti.com>" in by_role["in-use"]
            and "DKIM pass for ti.com (verdict of radar)" in by_role["in-use"]
        )
        assert "mail authenticated as maker domain ti.com" in by_role["in-use"]
        assert (
            "webhook siliconexpert" in by_role["agrees"]
            and "Standard Webhooks signature" in by_role["agrees"]
        )
        assert (
            "pcn@ti-notices.example" in by_role["conflicts"]
            and "not a configured maker domain" not in by_role["in-use"]
        )
        assert str(utc_today()) in by_role["conflicts"]  # when it came
        values = text[text.index('id="value-sources"') :]
        ltb_row = re.search(r'data-value="last_time_buy_date">(.*?)</tr>', values, re.S).group(1)
        assert TRUE_LTB in ltb_row and "signed provider webhook from siliconexpert" in ltb_row
        assert f"{FALSE_LTB} (conflicts)" in ltb_row
        side = re.search(r'<table class="side-by-side">(.*?)</table>', text, re.S).group(1)
        assert re.search(rf"<th>last-time buy</th><td>{TRUE_LTB}</td><td>{FALSE_LTB}</td>", side)

        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        kept = alice.post(
            "/notice/accept",
            data={
                "number": NUMBER,
                "manufacturer": "Texas Instruments",
                "event": str(item["event_id"]),
                "note": "not from TI: ti-notices.example is no TI domain",
                "csrf_token": token,
            },
        )
        assert kept.status_code == 303
        radar("process")
        assert json.loads(radar("review", "--format", "json")) == []
        today = str(utc_today())
        radar("backfill", "--from", today, "--to", today)  # the day read again
        assert json.loads(radar("review", "--format", "json")) == []
        assert notice()["last_time_buy_date"] == TRUE_LTB
        assert len(told("buyer@example.com")) == len(told("ctrl-owner@example.com")) == 1
        settled = html.unescape(alice.get(f"/notices/{signed['notice_id']}").text)
        assert "Conflicting readings — settled (accepted)" in settled
        assert "not from TI: ti-notices.example is no TI domain" in settled
