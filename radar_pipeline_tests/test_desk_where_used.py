"""Issue 31: where-used pages — a BOM part's and a product's: every notice reaching it with its decision,
and the consolidated last-time buy (part) or revenue at risk (product), the overview's figures.

The history of test_consolidated.py: PDN-A (U1, 2027-03-15), PDN-B (U1 and U2, 2027-01-20), the change
PCN-C (U1) and NRND-D (U5), on the company of bom_fixture.py, through the real desk over HTTP.
"""

from __future__ import annotations

import re
from datetime import date

from radar_pipeline.config import Settings
from radar_pipeline.web.app import create_app
from radar_pipeline_tests.test_consolidated import MPNS, company, notice, store
from radar_pipeline_tests.test_desk_changes import text_of
from radar_pipeline_tests.test_web import USERS, csrf_of, signed_in


def desk(database_url, tmp_path):
    store(
        company(database_url, tmp_path),
        [
            notice("PDN-A", "discontinuance", date(2027, 3, 15), [MPNS["U1"]]),
            notice("PDN-B", "discontinuance", date(2027, 1, 20), [MPNS["U1"], MPNS["U2"]]),
            notice("PCN-C", "change", None, [MPNS["U1"]]),
            notice("NRND-D", "nrnd", None, [MPNS["U5"]]),
        ],
    )
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    return signed_in(app, "alice")


def reaching(page: str) -> list[str]:
    body = page.split('<table id="reaching">')[1].split("</tbody>")[0]
    return re.findall(r'<tr><td><a href="[^"]*">([^<]*)</a>', body)


def test_a_parts_page_lists_every_notice_on_it_its_decision_and_the_one_last_time_buy(database_url, tmp_path):
    alice = desk(database_url, tmp_path)
    overview = alice.get("/", params={"q": "u1"}).text  # a search naming a part offers its page
    link = re.search(r'<a href="(/part\?id=U1)">part U1</a>', overview).group(1)
    page = alice.get(link).text
    assert reaching(page) == ["PDN-B", "PDN-A", "PCN-C"]  # soonest last-time buy first
    assert text_of(page, "part-ltb").startswith(
        "Buy 16,880 units for $21,100.00 by 2027-01-20"
    )  # once, at the earliest date: not 16,700.00 + 21,100.00
    assert "2 notice(s) (PDN-B, PDN-A)" in text_of(page, "part-ltb")
    used = page.split('id="used-in"')[1].split("</table>")[0]
    assert re.findall(r'product\?id=(P\d)">', used) == ["P1", "P2"] and "13" in used and "1,100" in used

    notice_page = alice.get("/notice", params={"manufacturer": "Texas Instruments", "number": "PDN-A"}).text
    r = alice.post(
        "/notice/decide",
        data={
            "number": "PDN-A",
            "manufacturer": "Texas Instruments",
            "state": "ltb_declined",
            "owner": "bob",
            "csrf_token": csrf_of(notice_page),
        },
    )
    assert r.status_code == 303
    page = alice.get(link).text
    row = re.search(r"<tr><td><a[^>]*>PDN-A</a>.*?</tr>", page, re.S).group(0)
    assert "<b>last buy declined</b>, bob" in row
    assert alice.get("/part", params={"id": "U9"}).status_code == 404


def test_a_products_page_answers_what_hits_it(database_url, tmp_path):
    alice = desk(database_url, tmp_path)
    page = alice.get("/product", params={"id": "P3"}).text
    assert reaching(page) == ["PDN-B"]  # through U2 only
    assert text_of(page, "product-risk").startswith(
        "$22,000.00 of $24,000.00: 110 units forecast after 2027-01-20"
    )
    p1 = alice.get("/product", params={"id": "P1"}).text
    assert reaching(p1) == ["PDN-B", "PDN-A", "NRND-D", "PCN-C"]  # undated: by maker, then number
    assert text_of(p1, "product-risk").startswith("$550,000.00 of $600,000.00")
    overview = alice.get("/").text  # the overview's per-product table links the page
    assert '<a href="/product?id=P3">P3</a>' in overview.split('id="by-product"')[1]
    assert alice.get("/product", params={"id": "P9"}).status_code == 404
