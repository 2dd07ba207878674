"""Issue 31: money that adds up (CONTRACT §6, *Consolidated*): one last-time buy per BOM part, one revenue
figure per product, totals that never exceed the forecast revenue.

The company of bom_fixture.py (numbers worked by hand in test_alternates.py, U1 without a second source):
PDN-A names U1 at 2027-03-15; PDN-B names U1 and U2 at 2027-01-20. Per notice, U1 is bought twice
(16,700.00 + 21,100.00) and 1,422,000.00 of revenue is at risk, more than the whole forecast
(P1 1,200 × 500 + P2 600 × 1,000 + P3 120 × 200 = 1,224,000.00). Consolidated:

    U1 at 2027-01-20 (the earliest): need 15,800, ltb_qty 16,880, cost 21,100.00
    U2 at 2027-01-20: need 11 × 10 × 4 = 440, ceil(484) − 10,000 on hand → 0, cost 0.00
    P1 at 2027-01-20: 1,100 × 500 = 550,000.00; P2: 250 × 1,000 = 250,000.00; P3: 110 × 200 = 22,000.00
    totals: 21,100.00 and 822,000.00
"""

from __future__ import annotations

import csv
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine

from radar_pipeline.bom.importer import read_bom
from radar_pipeline.bom.store import replace_bom
from radar_pipeline.config import Settings
from radar_pipeline.db import open_database
from radar_pipeline.exposure.model import money
from radar_pipeline.exposure.service import current_exposure
from radar_pipeline.notices import AffectedPart, Notice
from radar_pipeline.notices.store import write_notice
from radar_pipeline.web.app import create_app
from radar_pipeline_tests.bom_fixture import write_bom
from radar_pipeline_tests.support import run_radar
from radar_pipeline_tests.test_web import USERS, signed_in

AS_OF = date(2026, 12, 1)
MPNS = {
    "U1": "LM317T/NOPB",
    "U2": "MAX3232CSE+T",
    "U3": "MAX3232CSE",
    "U4": "PIC16F1509-I/OT",
    "U5": "EP4CE10E22C8",
}


def notice(number: str, kind: str, ltb: date | None, mpns: list[str]) -> Notice:
    return Notice(
        notice_number=number,
        manufacturer="Texas Instruments",
        notice_type=kind,
        last_time_buy_date=ltb,
        parts=[AffectedPart(mpn=m) for m in mpns],
        extractor="provider",
        confidence=1.0,
    )


def store(engine: Engine, notices: list[Notice]) -> None:
    with engine.begin() as conn:
        for i, n in enumerate(notices, start=1):
            write_notice(conn, n, source_event_id=i, partition_day=date(2026, 11, 1) + timedelta(days=i % 28))


def company(database_url: str, tmp_path: Path) -> Engine:
    engine = open_database(database_url)
    replace_bom(engine, read_bom(write_bom(tmp_path / "bom")))
    return engine


def forecast_revenue(bom_dir: Path) -> dict[str, float]:
    """Each product's whole forecast at its price, read from the BOM files themselves."""
    with (bom_dir / "products.csv").open() as f:
        price = {r["product_id"]: float(r["unit_price"]) for r in csv.DictReader(f)}
    out: dict[str, float] = {}
    with (bom_dir / "demand.csv").open() as f:
        for r in csv.DictReader(f):
            out[r["product_id"]] = (
                out.get(r["product_id"], 0.0) + float(r["quantity"]) * price[r["product_id"]]
            )
    return out


def assert_consolidated(report: dict, forecast: dict[str, float]) -> None:
    """The report's ``by_part``, ``by_product`` and ``totals`` are CONTRACT §6's, worked from its own
    per-notice lines: a part's figures are those of its line with the earliest last-time buy, a product's
    revenue that of its line with the earliest last-time buy among the parts it uses."""
    part_line: dict[str, dict] = {}
    product_line: dict[str, tuple[str, float]] = {}
    for n in report["notices"]:
        for p in n["parts"]:
            if not p["counted"]:
                continue
            ltb = p["last_time_buy_date"]
            if p["part_id"] not in part_line or ltb < part_line[p["part_id"]]["last_time_buy_date"]:
                part_line[p["part_id"]] = p
            for u in p["products"]:
                if u["product_id"] not in product_line or ltb < product_line[u["product_id"]][0]:
                    product_line[u["product_id"]] = (ltb, u["revenue_at_risk"])
    by_part = {p["part_id"]: p for p in report["by_part"]}
    assert set(by_part) == set(part_line) and len(by_part) == len(report["by_part"])
    for part_id, line in part_line.items():
        got = by_part[part_id]
        want = {k: line[k] for k in ("last_time_buy_date", "need", "ltb_qty", "ltb_cost")}
        assert {k: got[k] for k in want} == want, part_id
    by_product = {u["product_id"]: u for u in report["by_product"]}
    assert set(by_product) == set(product_line) and len(by_product) == len(report["by_product"])
    for product_id, (ltb, revenue) in product_line.items():
        got = by_product[product_id]
        assert (got["last_time_buy_date"], got["revenue_at_risk"]) == (ltb, revenue), product_id
        assert got["revenue_at_risk"] <= got["forecast_revenue"] == money(forecast[product_id])
    totals = report["totals"]
    assert totals["ltb_cost"] == money(sum(p["ltb_cost"] for p in part_line.values()))
    assert totals["revenue_at_risk"] == money(sum(r for _, r in product_line.values()))
    assert totals["revenue_at_risk"] <= totals["forecast_revenue"] == money(sum(forecast.values()))


def test_a_part_two_notices_name_is_bought_once_at_the_earliest_date(database_url, tmp_path):
    engine = company(database_url, tmp_path)
    store(
        engine,
        [
            notice("PDN-A", "discontinuance", date(2027, 3, 15), [MPNS["U1"]]),
            notice("PDN-B", "discontinuance", date(2027, 1, 20), [MPNS["U1"], MPNS["U2"]]),
            notice("PCN-C", "change", None, [MPNS["U1"]]),  # where-used only: no money
            notice("NRND-D", "nrnd", None, [MPNS["U5"]]),
        ],
    )
    out = run_radar(["exposure", "--as-of", AS_OF.isoformat(), "--format", "json"], database_url, tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert {"as_of", "notices", "totals", "by_part", "by_product", "warnings", "needs_review"} <= set(report)
    assert [n["total_ltb_cost"] for n in report["notices"] if n["notice_number"] == "PDN-A"] == [16_700.0]
    per_notice = [n for n in report["notices"] if n["total_ltb_cost"] is not None]
    assert sum(n["total_revenue_at_risk"] for n in per_notice) == 1_422_000.0  # the sum that misleads
    assert report["totals"] == {
        "currency": "USD",
        "parts": 2,
        "products": 3,
        "ltb_cost": 21_100.0,
        "revenue_at_risk": 822_000.0,
        "forecast_revenue": 1_224_000.0,
    }
    (u1,) = [p for p in report["by_part"] if p["part_id"] == "U1"]
    assert (u1["last_time_buy_date"], u1["need"], u1["ltb_qty"], u1["ltb_cost"]) == (
        "2027-01-20",
        15800.0,
        16880,
        21100.0,
    )
    assert u1["notices"] == ["PDN-B", "PDN-A"] and u1["days_to_ltb"] == 50
    revenue = {u["product_id"]: u["revenue_at_risk"] for u in report["by_product"]}
    assert revenue == {"P1": 550_000.0, "P2": 250_000.0, "P3": 22_000.0}
    assert_consolidated(report, forecast_revenue(tmp_path / "bom"))

    table = run_radar(["exposure", "--as-of", AS_OF.isoformat()], database_url, tmp_path).stdout
    assert "Consolidated: last-time buys $21,100.00 for 2 part(s)" in table and "$822,000.00" in table
    by_part = run_radar(
        ["exposure", "--as-of", AS_OF.isoformat(), "--by", "part", "--format", "csv"], database_url, tmp_path
    ).stdout
    lines = list(csv.DictReader(by_part.splitlines()))
    assert [(r["part_id"], r["notices"], r["ltb_cost"]) for r in lines] == [
        ("U1", "PDN-B PDN-A", "21100.0"),
        ("U2", "PDN-B", "0.0"),
    ]
    by_product = run_radar(
        ["exposure", "--as-of", AS_OF.isoformat(), "--by", "product"], database_url, tmp_path
    )
    assert by_product.returncode == 0 and "revenue at risk per product" in by_product.stdout
    assert re.search(r"P3\s+Sensor\s+2027-01-20\s+U2\s+110\s+200\s+22000.0\s+24000.0", by_product.stdout)


def test_the_overview_shows_the_consolidated_totals_in_the_currency(database_url, tmp_path):
    engine = company(database_url, tmp_path)
    store(
        engine,
        [
            notice("PDN-A", "discontinuance", date(2027, 3, 15), [MPNS["U1"]]),
            notice("PDN-B", "discontinuance", date(2027, 1, 20), [MPNS["U1"], MPNS["U2"]]),
        ],
    )
    app = create_app(
        Settings(database_url=database_url, web_secret="k" * 32, web_users=USERS, currency="EUR")
    )
    page = signed_in(app, "rob").get("/").text
    assert '<b id="total-ltb-cost">€21,100.00</b>' in page
    assert '<b id="total-revenue">€822,000.00</b>' in page and "€1,224,000.00" in page
    assert "Totals in EUR, consolidated" in page
    by_part = page.split('id="by-part"')[1].split("</table>")[0]
    assert by_part.count("<tr>") == 3 and "PDN-B, PDN-A" in by_part  # header, U1 once, U2
    assert "LTB cost (per notice)" in page and "€16,700.00" in page  # PDN-A's own figure, labelled


def test_a_generated_history_of_2000_notices_adds_up(tmp_path):
    """Notices of every type naming the same few parts again and again, with dates across the forecast."""
    url = f"sqlite:///{tmp_path}/radar.db"
    engine = company(url, tmp_path)
    rng = random.Random(31)
    kinds = ["discontinuance"] * 6 + ["nrnd", "change"]
    notices = []
    for i in range(2000):
        kind = rng.choice(kinds)
        ltb = date(2026, 12, 1) + timedelta(days=rng.randrange(420)) if rng.random() < 0.9 else None
        mpns = rng.sample(sorted(MPNS.values()), rng.randint(1, 3))
        notices.append(notice(f"PDN-{i:04d}", kind, ltb, mpns))
    store(engine, notices)
    report = current_exposure(engine, 0.10, AS_OF)
    per_notice = sum(n["total_revenue_at_risk"] or 0.0 for n in report["notices"])
    forecast = forecast_revenue(tmp_path / "bom")
    assert per_notice > 100 * sum(forecast.values())  # what summing the notices would have shown
    assert report["totals"]["parts"] == 5  # every part, however many notices name it
    assert_consolidated(report, forecast)
    # the whole BOM's products, each at the earliest date of any part it uses
    assert {u["product_id"] for u in report["by_product"]} == {"P1", "P2", "P3"}
