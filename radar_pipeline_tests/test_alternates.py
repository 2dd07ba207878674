"""Approved alternates (CONTRACT §5, §6): a part with several approved MPNs, numbers worked by hand.

The company of bom_fixture.py, with U1 (LM317T/NOPB, $1.25, 500 on hand) given a second approved
source LM317TG. U1 is in P1 (13 per unit, 100 a month, $500, no end of life) and P2 (6 per unit,
50 a month, $1000, end of life 2027-06); the forecast runs 2027-01 … 2027-12. Safety stock 10%.

    L = 2027-03-15: P1 Apr..Dec 9 × 100 = 900, P2 Apr..Jun 3 × 50 = 150
        need 900 × 13 + 150 × 6 = 12,600; ltb_qty ceil(13,860) − 500 = 13,360; cost × 1.25 = 16,700.00
        revenue 900 × 500 + 150 × 1000 = 600,000.00
    L = 2027-01-20: P1 Feb..Dec 11 × 100 = 1,100, P2 Feb..Jun 5 × 50 = 250
        need 1,100 × 13 + 250 × 6 = 15,800; ltb_qty ceil(17,380) − 500 = 16,880; cost × 1.25 = 21,100.00
        revenue 1,100 × 500 + 250 × 1000 = 800,000.00
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from radar_pipeline.bom.importer import read_bom
from radar_pipeline.config import Settings
from radar_pipeline.db import open_database
from radar_pipeline.exposure.model import unreconciled
from radar_pipeline.exposure.report import to_html
from radar_pipeline.exposure.service import current_exposure
from radar_pipeline.notices import AffectedPart, Notice
from radar_pipeline.notices.store import write_notice
from radar_pipeline.web.app import create_app
from radar_pipeline.web.paths import notice_path
from radar_pipeline_tests.bom_fixture import FILES, write_bom
from radar_pipeline_tests.pipeline_support import engine_for, land_webhook, materialize_day, se_payload
from radar_pipeline_tests.support import run_radar
from radar_pipeline_tests.test_exposure import by_number, run
from radar_pipeline_tests.test_web import USERS, mail_texts, signed_in

SECOND_SOURCE = "U1,LM317TG,onsemi,Adjustable regulator (second source),\n"
AT_MARCH = {"need": 12600.0, "ltb_qty": 13360, "ltb_cost": 16700.0, "revenue": 600000.0}
AT_JANUARY = {"need": 15800.0, "ltb_qty": 16880, "ltb_cost": 21100.0, "revenue": 800000.0}


@pytest.fixture
def bom(tmp_path):
    return read_bom(write_bom(tmp_path / "bom", parts_csv=FILES["parts.csv"] + SECOND_SOURCE)).data


def pdn(notice_id: int, number: str, ltb: date | None, kind: str = "discontinuance") -> dict:
    return {"notice_id": notice_id, "notice_number": number, "notice_type": kind, "last_time_buy_date": ltb}


def u1(notice: dict) -> dict:
    (part,) = [p for p in notice["parts"] if p["part_id"] == "U1"]
    return part


def assert_counted_at(notice: dict, figures: dict, ltb: str) -> None:
    part = u1(notice)
    assert part["covered_by_alternate"] is None and part["counted"] is True
    assert part["last_time_buy_date"] == ltb
    assert (part["need"], part["ltb_qty"], part["ltb_cost"]) == (
        figures["need"],
        figures["ltb_qty"],
        figures["ltb_cost"],
    )
    assert (notice["total_ltb_cost"], notice["total_revenue_at_risk"]) == (
        figures["ltb_cost"],
        figures["revenue"],
    )


def test_the_import_keeps_each_part_once_and_its_other_approved_mpns_in_order(bom):
    assert bom.parts["part_id"].tolist() == ["U1", "U2", "U3", "U4", "U5"]
    assert bom.parts.set_index("part_id").at["U1", "unit_cost"] == 1.25
    assert bom.alternates.to_dict("records") == [
        {"part_id": "U1", "mpn": "LM317TG", "manufacturer": "onsemi"}
    ]
    approved = bom.approved_mpns()
    assert approved.loc[approved["part_id"] == "U1", "mpn"].tolist() == ["LM317T/NOPB", "LM317TG"]


def test_an_active_alternate_covers_the_part_listed_not_counted(bom):
    n = by_number(run(bom, [pdn(1, "PDN1", date(2027, 3, 15))], [(1, "LM317T/NOPB", None)]))["PDN1"]
    part = u1(n)
    assert part["covered_by_alternate"] == "LM317TG" and part["counted"] is False
    assert (part["need"], part["ltb_qty"], part["ltb_cost"], part["last_time_buy_date"]) == (None,) * 4
    # still listed with its where-used, the products' money left out
    assert [
        (u["product_id"], u["extended_qty"], u["window_demand"], u["revenue_at_risk"])
        for u in part["products"]
    ] == [
        ("P1", 13.0, None, None),
        ("P2", 6.0, None, None),
    ]
    assert (n["total_ltb_cost"], n["total_revenue_at_risk"]) == (0.0, 0.0)


def test_a_notice_finds_the_part_through_its_alternate(bom):
    n = by_number(run(bom, [pdn(1, "PDN7", date(2027, 3, 15))], [(1, "lm317tg", None)]))["PDN7"]
    part = u1(n)
    assert (part["mpn"], part["match_type"], part["covered_by_alternate"]) == (
        "lm317tg",
        "exact",
        "LM317T/NOPB",
    )


def test_both_mpns_discontinued_count_at_the_earlier_last_time_buy(bom):
    report = run(
        bom,
        [pdn(1, "PDN1", date(2027, 3, 15)), pdn(2, "PDN9", date(2027, 1, 20))],
        [(1, "LM317T/NOPB", None), (2, "LM317TG", None)],
    )
    n = by_number(report)
    # each notice's line counts U1 at the earliest of its two MPNs' last-time buys, 2027-01-20
    assert_counted_at(n["PDN1"], AT_JANUARY, "2027-01-20")
    assert_counted_at(n["PDN9"], AT_JANUARY, "2027-01-20")
    assert [u["window_demand"] for u in u1(n["PDN1"])["products"]] == [1100, 250]
    assert unreconciled(report) == []


def test_the_alternate_discontinued_later_leaves_the_notice_at_its_own_date(bom):
    n = by_number(
        run(
            bom,
            [pdn(1, "PDN1", date(2027, 3, 15)), pdn(2, "PDN9", date(2027, 5, 10))],
            [(1, "LM317T/NOPB", None), (2, "LM317TG", None)],
        )
    )
    assert_counted_at(n["PDN1"], AT_MARCH, "2027-03-15")
    assert_counted_at(n["PDN9"], AT_MARCH, "2027-03-15")  # the earlier: PDN1's


def test_only_a_discontinuance_takes_an_alternate_away(bom):
    # an NRND of the alternate leaves it sold; a discontinuance without a date still ends it
    nrnd = run(
        bom,
        [pdn(1, "PDN1", date(2027, 3, 15)), pdn(2, "NRND2", date(2027, 1, 1), "nrnd")],
        [(1, "LM317T/NOPB", None), (2, "LM317TG", None)],
    )
    assert u1(by_number(nrnd)["PDN1"])["covered_by_alternate"] == "LM317TG"
    assert u1(by_number(nrnd)["NRND2"])["covered_by_alternate"] is None  # where-used only, as before
    undated = run(
        bom,
        [pdn(1, "PDN1", date(2027, 3, 15)), pdn(2, "PDN2", None)],
        [(1, "LM317T/NOPB", None), (2, "LM317TG", None)],
    )
    n = by_number(undated)
    assert_counted_at(n["PDN1"], AT_MARCH, "2027-03-15")
    assert n["PDN2"]["total_ltb_cost"] is None and u1(n["PDN2"])["need"] is None


def test_the_first_active_alternate_in_the_bom_order_covers(tmp_path):
    parts = FILES["parts.csv"] + SECOND_SOURCE + "U1,LM317KCS,Texas Instruments,third source,1.25\n"
    bom = read_bom(write_bom(tmp_path / "bom", parts_csv=parts)).data
    both = [pdn(1, "PDN1", date(2027, 3, 15)), pdn(2, "PDN9", date(2027, 1, 20))]
    n = by_number(run(bom, both, [(1, "LM317T/NOPB", None), (2, "LM317TG", None)]))
    assert u1(n["PDN1"])["covered_by_alternate"] == "LM317KCS"
    assert u1(n["PDN9"])["covered_by_alternate"] == "LM317KCS"
    all_three = both + [pdn(3, "PDN3", date(2027, 2, 10))]
    n = by_number(
        run(bom, all_three, [(1, "LM317T/NOPB", None), (2, "LM317TG", None), (3, "LM317KCS", None)])
    )
    assert_counted_at(n["PDN3"], AT_JANUARY, "2027-01-20")


def test_a_family_line_is_covered_by_another_mpn_than_the_one_it_resembles(bom):
    n = by_number(run(bom, [pdn(1, "PDN5", date(2027, 3, 15))], [(1, "LM317TG-REEL", None)]))["PDN5"]
    part = u1(n)
    assert part["match_type"] == "family" and part["covered_by_alternate"] == "LM317T/NOPB"


def test_a_part_with_one_mpn_is_as_before(tmp_path):
    bom = read_bom(write_bom(tmp_path / "bom")).data
    n = by_number(run(bom, [pdn(1, "PDN1", date(2027, 3, 15))], [(1, "LM317T/NOPB", None)]))["PDN1"]
    assert_counted_at(n, AT_MARCH, "2027-03-15")


def store(engine, number: str, mpn: str, ltb: date, event: int) -> None:
    notice = Notice(
        notice_number=number,
        manufacturer="Texas Instruments",
        notice_type="discontinuance",
        last_time_buy_date=ltb,
        parts=[AffectedPart(mpn=mpn)],
        extractor="provider",
        confidence=1.0,
    )
    with engine.begin() as conn:
        write_notice(conn, notice, source_event_id=event, partition_day=date(2026, 11, event))


def test_radar_exposure_shows_the_alternate_in_json_table_and_csv(database_url, tmp_path):
    engine = open_database(database_url)
    bom_dir = write_bom(tmp_path / "bom", parts_csv=FILES["parts.csv"] + SECOND_SOURCE)
    out = run_radar(["bom", "import", str(bom_dir)], database_url, tmp_path)
    assert out.returncode == 0 and "1 alternates" in out.stdout, out.stdout + out.stderr
    store(engine, "PDN1", "LM317T/NOPB", date(2027, 3, 15), 1)
    store(engine, "PDN2", "MAX3232CSE+T", date(2027, 6, 1), 2)

    def exposure(fmt: str) -> str:
        result = run_radar(["exposure", "--as-of", "2026-12-01", "--format", fmt], database_url, tmp_path)
        assert result.returncode == 0, result.stderr
        return result.stdout

    n = by_number(json.loads(exposure("json")))
    assert u1(n["PDN1"])["covered_by_alternate"] == "LM317TG" and n["PDN1"]["total_ltb_cost"] == 0.0
    rows = list(csv.DictReader(io.StringIO(exposure("csv"))))
    assert {r["covered_by_alternate"] for r in rows if r["notice_number"] == "PDN1"} == {"LM317TG"}
    assert {r["covered_by_alternate"] for r in rows if r["notice_number"] == "PDN2"} == {""}
    table = exposure("table")
    assert "by_alternate" in table.splitlines()[1]
    pdn1 = next(line for line in table.splitlines() if line.startswith("PDN1"))
    cells = pdn1.split("discontinuance")[1].split()
    assert cells[2:5] == ["1", "0", "1"]  # after the date and days left: parts, review, by_alternate

    # the alternate discontinued too, earlier: counted at its date, in every view
    store(engine, "PDN9", "LM317TG", date(2027, 1, 20), 3)
    n = by_number(json.loads(exposure("json")))
    assert_counted_at(n["PDN1"], AT_JANUARY, "2027-01-20")
    rows = [r for r in csv.DictReader(io.StringIO(exposure("csv"))) if r["notice_number"] == "PDN1"]
    assert {(r["covered_by_alternate"], r["part_last_time_buy_date"]) for r in rows} == {("", "2027-01-20")}
    # one notice asked alone (the desk's notice page) still weighs every listed notice, in any chunk
    notice_id = n["PDN1"]["notice_id"]
    alone = current_exposure(engine, 0.10, date(2026, 12, 1), chunk=1, notice_ids=[notice_id])
    assert_counted_at(alone["notices"][0], AT_JANUARY, "2027-01-20")


def test_the_pipeline_stores_and_mails_the_alternate(database_url, tmp_path):
    """Day 1: PDN1 discontinues LM317T/NOPB, LM317TG covers it. Day 2: PDN9 discontinues LM317TG with a
    later last-time buy; its stored lines and mail count U1 at PDN1's earlier date."""
    engine = engine_for(database_url)
    from radar_pipeline.bom.store import replace_bom

    replace_bom(engine, read_bom(write_bom(tmp_path / "bom", parts_csv=FILES["parts.csv"] + SECOND_SOURCE)))
    day1, day2 = date(2026, 11, 2), date(2026, 11, 3)
    land_webhook(engine, se_payload("PDN1", ["LM317T/NOPB"], "2027-03-15"), "w1", day1)
    assert materialize_day(database_url, tmp_path, day1).success
    mails = mail_texts(tmp_path / "outbox")
    (mail,) = [m for m in mails if "PDN1" in m and "buyer@example.com" in m]
    assert "covered by alternate LM317TG (still sold): no last-time buy, not totalled" in mail
    assert "LTB cost (this notice):        $0.00" in mail
    # the desk's notice page and the static report say which alternate covers the part
    app = create_app(Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS))
    page = signed_in(app, "rob").get(notice_path("Texas Instruments", "PDN1")).text
    assert "covered by alternate LM317TG: still sold, not totalled" in page
    report = to_html(current_exposure(engine, 0.10, date(2026, 11, 2)))
    assert "covered by alternate LM317TG" in report

    land_webhook(engine, se_payload("PDN9", ["LM317TG"], "2027-05-10"), "w9", day2)
    assert materialize_day(database_url, tmp_path, day2).success
    mails = mail_texts(tmp_path / "outbox")
    (mail,) = [m for m in mails if "PDN9" in m and "buyer@example.com" in m]
    assert "Last-time-buy date: 2027-05-10" in mail and "600,000.00" in mail
    assert (
        "buy 13,360 units, cost $16,700.00, counted at last-time buy 2027-03-15 (every approved MPN" in mail
    )

    from radar_pipeline.exposure.lines import report_from_lines, stored_lines
    from radar_pipeline.notices.store import load_notices

    frame, _ = load_notices(engine, [day1, day2])
    stored = by_number(report_from_lines(frame, stored_lines(engine, [day1, day2]), date(2026, 11, 3)))
    assert u1(stored["PDN1"])["covered_by_alternate"] == "LM317TG"  # as day 1 computed it
    assert_counted_at(stored["PDN9"], AT_MARCH, "2027-03-15")
