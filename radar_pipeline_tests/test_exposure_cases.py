"""Exposure cases worked by hand (issue 16, item 5), end to end: `radar bom import`, four provider
notices landed and processed by `radar process`, then read back through `radar exposure`.

The formulas (CONTRACT §6, exposure/model.py):
    window          = forecast months after the LTB month (up to end of life; none is set here)
    window_demand   = Σ demand over the window (a month without a row counts 0, and is warned about)
    need(part)      = Σ_products window_demand × extended_qty
    ltb_qty         = max(0, ceil(round(need × (1 + safety), 6)) − on_hand)
    ltb_cost        = ltb_qty × unit_cost;  revenue_at_risk = window_demand × unit_price (cents)
    days_to_ltb     = LTB − as-of (as-of 2026-11-02 throughout)

The forecast runs 2027-01 … 2027-06 for every product, except PC, which has no row for 2027-04.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from radar_pipeline_tests.pipeline_support import engine_for, land_webhook, se_payload
from radar_pipeline_tests.support import run_radar

DAY = date(2026, 11, 2)
MONTHS = [f"2027-{m:02d}" for m in range(1, 7)]
DEMAND = {
    "PA": dict(zip(MONTHS, [10, 20, 31, 40, 50, 60], strict=True)),
    "PB": dict.fromkeys(MONTHS, 5),
    "PC": {"2027-01": 1, "2027-02": 2, "2027-03": 3, "2027-05": 5, "2027-06": 6},  # 2027-04 missing
    "PD": dict.fromkeys(MONTHS, 7),
}
BOM = {
    "parts.csv": "part_id,mpn,manufacturer,description,unit_cost\n"
    "X1,AAA100-1,Texas Instruments,two parts in one product,2.50\n"
    "X2,AAA200-2,Texas Instruments,two parts in one product,0.40\n"
    "X3,BBB300-3,Texas Instruments,LTB already past,1.10\n"
    "X4,CCC400-4,Texas Instruments,forecast gap,0.05\n"
    "X5,DDD500-5,Texas Instruments,LTB after the forecast,3.00\n",
    "products.csv": "product_id,name,unit_price,end_of_life\n"
    "PA,Alpha,120.00,\nPB,Bravo,75.50,\nPC,Charlie,10.00,\nPD,Delta,9.99,\n",
    "bom.csv": "parent_id,child_id,qty_per\nPA,X1,2\nPA,X2,3\nPB,X3,1\nPC,X4,4\nPD,X5,1\n",
    "inventory.csv": "part_id,on_hand\nX1,25\nX2,100\nX3,0\nX4,0\nX5,40\n",
    "demand.csv": "product_id,month,quantity\n"
    + "".join(f"{p},{m},{q}\n" for p, months in DEMAND.items() for m, q in months.items()),
}
NOTICES = {  # notice number: (parts, last-time-buy date)
    "N-TWO": (["AAA100-1", "AAA200-2"], "2027-02-15"),
    "N-PAST": (["BBB300-3"], "2026-10-01"),
    "N-GAP": (["CCC400-4"], "2027-01-10"),
    "N-LATE": (["DDD500-5"], "2027-08-20"),
}


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """One SQLite database with the BOM imported and the four notices processed (shared: read only)."""
    tmp = tmp_path_factory.mktemp("cases")
    url = f"sqlite:///{tmp}/radar.db"
    for name, text in BOM.items():
        (tmp / "bom").mkdir(exist_ok=True)
        (tmp / "bom" / name).write_text(text)
    out = run_radar(["bom", "import", str(tmp / "bom")], url, tmp)
    assert out.returncode == 0, out.stdout + out.stderr
    engine = engine_for(url)
    for number, (mpns, ltb) in NOTICES.items():
        land_webhook(engine, se_payload(number, mpns, ltb), number, DAY)
    out = run_radar(["process"], url, tmp)
    assert out.returncode == 0, out.stdout + out.stderr
    return url, tmp


def exposure(processed, safety: str | None = None, fmt: str = "json"):
    url, tmp = processed
    env = {"RADAR_SAFETY_STOCK": safety} if safety is not None else {}
    out = run_radar(["exposure", "--as-of", "2026-11-02", "--format", fmt], url, tmp, **env)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout) if fmt == "json" else out.stdout


def by_number(report: dict) -> dict:
    return {n["notice_number"]: n for n in report["notices"]}


def parts(notice: dict) -> dict:
    return {p["part_id"]: p for p in notice["parts"]}


@pytest.mark.parametrize(
    "safety, x1, x2, total",
    [
        # N-TWO, LTB 2027-02-15: PA's window is 2027-03..06 = 31 + 40 + 50 + 60 = 181.
        # need X1 = 181 × 2 = 362; need X2 = 181 × 3 = 543.
        # safety 0:    X1 ceil(362) − 25 = 337, × 2.50 = 842.50;  X2 ceil(543) − 100 = 443, × 0.40 = 177.20
        ("0", (337, 842.50), (443, 177.20), 1019.70),  # 842.50 + 177.20
        # safety 0.10 (the default): X1 ceil(398.2) − 25 = 374, × 2.50 = 935.00;
        #                             X2 ceil(597.3) − 100 = 498, × 0.40 = 199.20
        (None, (374, 935.00), (498, 199.20), 1134.20),  # 935.00 + 199.20
        # safety 0.25: X1 ceil(452.5) − 25 = 428, × 2.50 = 1070.00; X2 ceil(678.75) − 100 = 579, × 0.40 = 231.60
        ("0.25", (428, 1070.00), (579, 231.60), 1301.60),  # 1070.00 + 231.60
    ],
)
def test_two_parts_in_one_product_count_its_revenue_once(processed, safety, x1, x2, total):
    report = exposure(processed, safety)
    assert report["safety_stock"] == (0.10 if safety is None else float(safety))
    n = by_number(report)["N-TWO"]
    got = parts(n)
    assert (got["X1"]["need"], got["X2"]["need"]) == (362.0, 543.0)
    assert (got["X1"]["ltb_qty"], got["X1"]["ltb_cost"]) == x1
    assert (got["X2"]["ltb_qty"], got["X2"]["ltb_cost"]) == x2
    assert n["total_ltb_cost"] == total
    # PA appears under both parts with 181 × 120.00 = 21,720.00; the notice counts PA once: 21,720.00,
    # not 43,440.00
    for part in ("X1", "X2"):
        assert got[part]["products"] == [
            {
                "product_id": "PA",
                "extended_qty": float(int(part[1]) + 1),
                "window_demand": 181,
                "revenue_at_risk": 21720.0,
            }
        ]
    assert n["total_revenue_at_risk"] == 21720.0


def test_a_past_last_time_buy_is_negative_and_listed_first(processed):
    report = exposure(processed)
    # days_to_ltb: N-PAST 2026-10-01 − 2026-11-02 = −32; N-GAP 2027-01-10: 28 (rest of Nov) + 31 + 10 = 69;
    # N-TWO 2027-02-15: 28 + 31 + 31 + 15 = 105; N-LATE 2027-08-20: 105 − 15 + 28 + 31 + 30 + 31 + 30 + 31 + 20 = 291
    assert [(n["notice_number"], n["days_to_ltb"]) for n in report["notices"]] == [
        ("N-PAST", -32),
        ("N-GAP", 69),
        ("N-TWO", 105),
        ("N-LATE", 291),
    ]
    n = by_number(report)["N-PAST"]
    # a past LTB month (2026-10) puts the whole forecast in the window: PB 6 × 5 = 30; need 30 × 1 = 30;
    # ltb_qty = ceil(round(30 × 1.1, 6)) − 0 = 33; cost 33 × 1.10 = 36.30; revenue 30 × 75.50 = 2,265.00
    x3 = parts(n)["X3"]
    assert (x3["need"], x3["ltb_qty"], x3["ltb_cost"]) == (30.0, 33, 36.30)
    assert (n["total_ltb_cost"], n["total_revenue_at_risk"]) == (36.30, 2265.0)


def test_a_last_time_buy_after_the_forecast_has_an_empty_window(processed):
    n = by_number(exposure(processed))["N-LATE"]
    # LTB month 2027-08 is after the last forecast month 2027-06: no month in the window, window_demand 0,
    # need 0 × 1 = 0; ltb_qty = max(0, ceil(0 × 1.1) − 40) = max(0, −40) = 0; cost 0; revenue 0 × 9.99 = 0
    x5 = parts(n)["X5"]
    assert (x5["need"], x5["on_hand"], x5["ltb_qty"], x5["ltb_cost"]) == (0.0, 40, 0, 0)
    assert x5["products"] == [
        {"product_id": "PD", "extended_qty": 1.0, "window_demand": 0, "revenue_at_risk": 0}
    ]
    assert (n["total_ltb_cost"], n["total_revenue_at_risk"]) == (0, 0)


def test_a_missing_demand_month_counts_zero_with_a_warning(processed):
    report = exposure(processed)
    n = by_number(report)["N-GAP"]
    # LTB month 2027-01: window 2027-02..06 = 2 + 3 + (2027-04 missing: 0) + 5 + 6 = 16; need 16 × 4 = 64;
    # ltb_qty = ceil(round(64 × 1.1, 6)) − 0 = ceil(70.4) = 71; cost 71 × 0.05 = 3.55; revenue 16 × 10.00 = 160.00
    x4 = parts(n)["X4"]
    assert (x4["need"], x4["ltb_qty"], x4["ltb_cost"]) == (64.0, 71, 3.55)
    assert x4["products"] == [
        {
            "product_id": "PC",
            "extended_qty": 4.0,
            "window_demand": 16,
            "revenue_at_risk": 160.0,
            "missing_demand_months": ["2027-04"],
        }
    ]
    # the one gap is warned about once, and nothing else is (the empty window of N-LATE is no gap)
    assert report["warnings"] == [
        "N-GAP: product PC has no demand for 2027-04 in the last-time-buy window; counted as 0"
    ]
    assert "warning: N-GAP: product PC has no demand for 2027-04" in exposure(processed, fmt="table")
    csv_lines = exposure(processed, fmt="csv").splitlines()
    assert csv_lines[0].endswith(",revenue_at_risk,missing_demand_months")
    assert [line for line in csv_lines if line.endswith(",2027-04")] == [
        next(line for line in csv_lines if line.startswith("N-GAP,"))
    ]
    url, tmp = processed
    html = (tmp / ".radar" / "reports" / "latest.html").read_text()  # written by `radar process`
    assert 'id="warnings"' in html and "PC has no demand for 2027-04" in html
