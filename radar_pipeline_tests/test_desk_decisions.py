"""Issue 31: decisions on the desk — a state an analyst sets on a notice or one of its parts (change
accepted or objected, last-time buy placed with quantity, PO and date, …) with owner, due date and note;
the history kept, shown on the notice page and the overview, exported, and kept across a re-read.

The desk of test_desk_changes.py: the packing change PCN-REEL-31 (U1) and the discontinuance PDN1
(MAX3232CSE+T: U2 exact, U3 its family), through the real pipeline and the real desk over HTTP.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from radar_pipeline.db.schema import notice_decisions
from radar_pipeline_tests.pipeline_support import materialize_day
from radar_pipeline_tests.test_desk_changes import DAY, MAKER, NUMBER, desk, text_of
from radar_pipeline_tests.test_web import csrf_of, mail_texts, signed_in

DUE = DAY + timedelta(days=10)


def stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(notice_decisions)).scalar_one()


def decide(client: TestClient, number: str, **fields) -> tuple[int, str]:
    """Post the notice page's decision form; the status and the page it leads to."""
    page = client.get("/notice", params={"manufacturer": MAKER, "number": number}).text
    data = {"number": number, "manufacturer": MAKER, "csrf_token": csrf_of(page)} | fields
    r = client.post("/notice/decide", data=data)
    if r.status_code == 303:
        return 303, client.get(r.headers["location"]).text
    return r.status_code, r.text


def test_a_change_accepted_with_owner_and_due_date_is_shown_kept_and_exported(database_url, tmp_path):
    alice, ctx = desk(database_url, tmp_path)
    status, page = decide(
        alice, NUMBER, state="change_accepted", owner="bob", due=DUE.isoformat(), note="reels fit our feeders"
    )
    assert status == 303
    assert f"decision recorded: change accepted, owner bob, due {DUE}" in html.unescape(page)
    assert text_of(page, "notice-decision") == f"the notice: change accepted · owner bob · due {DUE}"
    status, page = decide(alice, NUMBER, state="change_objected", owner="bob", due=DUE.isoformat())
    history = page.split('id="decision-history"')[1].split("</table>")[0]
    assert history.count("<tr><td>") == 2 and "reels fit our feeders" in history  # the first one is kept
    assert history.index("change objected") < history.index("change accepted")  # newest first
    assert "alice" in history and text_of(page, "notice-decision").startswith("the notice: change objected")

    overview = alice.get("/", params={"decision": "change_objected"}).text
    row = re.search(r"<tr><td><a[^>]*>PCN-REEL-31</a>.*?</tr>", overview, re.S).group(0)
    assert "<b>change objected</b><br>bob<br>due " + DUE.isoformat() in row
    assert "PDN1" not in overview.split('<table id="notices">')[1]  # filtered by its decision
    export = alice.get(re.search(r'id="export-csv" href="([^"]+)"', overview).group(1).replace("&amp;", "&"))
    (line,) = list(csv.DictReader(io.StringIO(export.text)))
    assert (line["notice_number"], line["decision"], line["decision_owner"], line["decision_due"]) == (
        NUMBER,
        "change objected",
        "bob",
        DUE.isoformat(),
    )
    assert line["decided_by"] == "alice"

    # a correction moves the deadline: the day is read again (a new notice row) and engineering is told
    # again, the mail saying what was decided
    page = alice.get("/notice", params={"manufacturer": MAKER, "number": NUMBER}).text
    later = (DAY + timedelta(days=40)).isoformat()
    fields = {
        "number": NUMBER,
        "manufacturer": MAKER,
        "response_deadline": later,
        "csrf_token": csrf_of(page),
    }
    assert alice.post("/notice/correct", data=fields).status_code == 303
    assert materialize_day(ctx["url"], ctx["tmp"], DAY).success
    page = alice.get("/notice", params={"manufacturer": MAKER, "number": NUMBER}).text
    assert text_of(page, "notice-decision").startswith("the notice: change objected")
    updated = [m for m in mail_texts(ctx["tmp"] / "outbox") if "updated:" in m and NUMBER in m]
    assert updated and all(
        f"Already decided on the desk for the notice: change objected (by alice, owner bob, due {DUE})." in m
        for m in updated
    )


def test_a_last_time_buy_placed_per_part_and_what_is_refused(database_url, tmp_path):
    alice, ctx = desk(database_url, tmp_path)
    refused = [
        ({"state": "ltb_placed", "part": "U2"}, "a last-time buy placed needs its quantity"),
        ({"state": "change_accepted"}, "“change accepted” is no decision for a discontinuance notice"),
        ({"state": "ltb_placed", "quantity": "500", "part": "U9"}, "part 'U9' is not a BOM part"),
        ({"state": "ltb_placed", "quantity": "many"}, "quantity 'many' is not a number"),
        ({"state": "redesign", "due": "2027-02-30"}, "due date '2027-02-30' is not a date"),
        ({"state": "alternate_qualified"}, "needs the alternate's part number"),
        ({"state": "ship-it"}, "decision 'ship-it' is not one of"),
    ]
    for fields, message in refused:
        status, page = decide(alice, "PDN1", **fields)
        shown = html.unescape(re.search(r'id="decision-error">(.*?)</p>', page, re.S).group(1))
        assert status == 400 and message in shown and "--" not in shown, (fields, shown)
    assert stored(ctx["engine"]) == 0

    status, page = decide(
        alice,
        "PDN1",
        state="ltb_placed",
        part="U2",
        quantity="1,500",
        po="PO-7781",
        placed_on=DAY.isoformat(),
        owner="carol",
    )
    assert status == 303
    current = text_of(page, "current-decisions")
    assert f"part U2: last-time buy placed: 1,500 units, PO PO-7781, ordered {DAY} · owner carol" in current
    overview = alice.get("/", params={"q": "PDN1"}).text
    assert "1 part decision(s)" in overview
    export = alice.get("/export.csv", params={"q": "PDN1"}).text
    (line,) = list(csv.DictReader(io.StringIO(export)))
    assert line["decision"] == "open" and line["part_decisions"] == "U2: last-time buy placed"

    rob = signed_in(ctx["app"], "rob")  # a reader
    status, _ = decide(rob, "PDN1", state="redesign")
    assert status == 403
    token_less = alice.post(
        "/notice/decide", data={"number": "PDN1", "manufacturer": MAKER, "state": "redesign"}
    )
    assert token_less.status_code == 403 and stored(ctx["engine"]) == 1
