"""Issue 31: find and export on the desk's overview — search by part, notice, maker and product; filters by
type, review state, deadline window and reach; sort by a column; pages; CSV of the selection.

120 notices on the company of bom_fixture.py, stored as a day's reading would store them, read through the
real desk over HTTP (SQLite and PostgreSQL).
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

from radar_pipeline.clock import utc_today
from radar_pipeline.config import Settings
from radar_pipeline.web.app import create_app
from radar_pipeline_tests.test_consolidated import MPNS, company, notice, store
from radar_pipeline_tests.test_web import USERS, signed_in

TODAY = utc_today()
MAKERS = ["Texas Instruments", "Maxim Integrated", "Microchip"]


def history() -> list:
    """PDN-000…119: every third an NRND or change; LTB i×5 days ahead; parts by turn (none every 7th);
    PDN-HOSTILE's number is a spreadsheet formula."""
    out = []
    for i in range(120):
        kind = ["discontinuance", "nrnd", "change"][i % 3] if i % 2 else "discontinuance"
        ltb = TODAY + timedelta(days=5 * i + 1) if kind == "discontinuance" else None
        mpns = [] if i % 7 == 0 else [list(MPNS.values())[i % 5]]
        n = notice(f"PDN-{i:03d}", kind, ltb, mpns)
        out.append(n.model_copy(update={"manufacturer": MAKERS[i % 3]}))
    out.append(
        notice('=HYPERLINK("http://x.example","PDN")', "discontinuance", TODAY + timedelta(days=3), [])
    )
    return out


def desk(database_url, tmp_path):
    store(company(database_url, tmp_path), history())
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    return signed_in(app, "rob")


def listed(page: str) -> list[str]:
    """The notice numbers of the overview's table, in its order."""
    body = page.split('<table id="notices">')[1].split("</tbody>")[0]
    return [html.unescape(n) for n in re.findall(r'<tr><td><a href="[^"]*">([^<]*)</a>', body)]


def test_search_finds_a_notice_by_part_number_maker_and_product(database_url, tmp_path):
    rob = desk(database_url, tmp_path)
    by_part = listed(rob.get("/", params={"q": "lm317t", "per": 200}).text)  # U1, every fifth turn
    want = [f"PDN-{i:03d}" for i in range(120) if i % 7 and i % 5 == 0]
    assert sorted(by_part) == want
    assert sorted(listed(rob.get("/", params={"q": "U1", "per": 200}).text)) == want  # the BOM's part id
    assert listed(rob.get("/", params={"q": "PDN-042"}).text) == ["PDN-042"]
    microchip = listed(rob.get("/", params={"q": "microchip", "per": 200}).text)
    assert len(microchip) == 40 and all(int(n[4:]) % 3 == 2 for n in microchip)
    # P3 (Sensor) uses U2 (MAX3232CSE+T) and U4 (PIC16F1509-I/OT), and MAX3232CSE is U2's family: by its name
    sensor = listed(rob.get("/", params={"q": "sensor", "per": 200}).text)
    assert sorted(sensor) == [f"PDN-{i:03d}" for i in range(120) if i % 7 and i % 5 in (1, 2, 3)]
    page = rob.get("/", params={"q": "no-such-thing"}).text
    assert listed(page) == [] and "No notice matches." in page


def test_filters_sort_and_pages(database_url, tmp_path):
    rob = desk(database_url, tmp_path)
    changes = listed(rob.get("/", params={"type": "change", "per": 200}).text)
    assert sorted(changes) == [f"PDN-{i:03d}" for i in range(120) if i % 2 and i % 3 == 2]
    soon = listed(rob.get("/", params={"within": "30", "type": "discontinuance"}).text)
    formula = '=HYPERLINK("http://x.example","PDN")'
    assert soon == ["PDN-000", formula, "PDN-002", "PDN-003", "PDN-004"]  # 1, 3, 11, 16, 21 days
    on_bom = listed(rob.get("/", params={"on_bom": "1", "per": 200}).text)
    assert len(on_bom) == 120 - 18 and "PDN-007" not in on_bom  # 0, 7, 14 … name no part; and the formula
    assert listed(rob.get("/", params={"review": "open", "per": 200}).text) == []

    by_number = listed(rob.get("/", params={"sort": "notice", "dir": "desc", "per": 25}).text)
    assert by_number[:3] == ["PDN-119", "PDN-118", "PDN-117"] and len(by_number) == 25
    page2 = rob.get("/", params={"sort": "notice", "dir": "desc", "per": 25, "page": 2}).text
    assert listed(page2)[0] == "PDN-094" and "26–50 of 121 notice(s)" in page2
    assert 'rel="next" href="/?sort=notice&amp;dir=desc&amp;page=3&amp;per=25"' in page2
    last = rob.get("/", params={"sort": "notice", "dir": "desc", "per": 25, "page": 99}).text
    assert "page 5 of 5" in last and len(listed(last)) == 21
    # a header sorts by its column, and sorting by it again turns the order around
    page1 = rob.get("/", params={"sort": "notice", "dir": "desc", "per": 25}).text
    assert '<a href="/?sort=notice&amp;per=25">notice ▼</a>' in page1
    costs = rob.get("/", params={"sort": "ltb", "per": 200}).text
    dated = [n for n in listed(costs) if n.startswith("PDN")][:3]
    assert dated == ["PDN-000", "PDN-002", "PDN-003"]
    assert 'aria-sort="ascending"><a href="/?sort=ltb&amp;dir=desc' in costs.replace("\n", "")


def test_the_export_is_the_selection_in_its_order_every_page(database_url, tmp_path):
    rob = desk(database_url, tmp_path)
    query = {"type": "discontinuance", "sort": "ltb", "dir": "desc", "per": 25}
    page = rob.get("/", params=query).text
    link = html.unescape(re.search(r'id="export-csv" href="([^"]+)"', page).group(1))
    r = rob.get(link)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith('attachment; filename="radar-notices-')
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 81 and [row["notice_number"] for row in rows[:25]] == listed(page)
    days = [int(row["days_to_ltb"]) for row in rows]
    assert days == sorted(days, reverse=True)
    quoted = [row["notice_number"] for row in rows if "HYPERLINK" in row["notice_number"]]
    assert quoted == ['\'=HYPERLINK("http://x.example","PDN")']  # a spreadsheet never runs it as a formula
    first = rows[0]
    assert first["notice_type"] == "discontinuance" and first["currency"] == "USD"
    assert {"ltb_cost_this_notice", "revenue_at_risk_this_notice", "review"} <= set(first)


def test_an_empty_desk_says_what_to_do_first(database_url, tmp_path):
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    rob = signed_in(app, "rob")
    assert "First, import your BOM." in rob.get("/").text
    company(database_url, tmp_path)
    page = rob.get("/").text
    assert "First, import your BOM." not in page and "No notice yet." in page
