"""The exposure model against numbers computed by hand (CONTRACT §6)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from radar_pipeline.bom.importer import read_bom
from radar_pipeline.bom.where_used import where_used
from radar_pipeline.exposure.model import (
    NOTICE_COLUMNS,
    ExposureInputs,
    compute_exposure,
    ltb_quantity,
    money,
)
from radar_pipeline_tests.bom_fixture import write_bom

AS_OF = date(2026, 12, 1)


def notices_frame(rows: list[dict]) -> pd.DataFrame:
    base = {c: None for c in NOTICE_COLUMNS} | {
        "extractor": "provider",
        "confidence": 1.0,
        "manufacturer": "TI",
    }
    return pd.DataFrame([base | r for r in rows], columns=NOTICE_COLUMNS)


@pytest.fixture
def bom(tmp_path):
    return read_bom(write_bom(tmp_path / "bom")).data


def run(bom, notices: list[dict], parts: list[tuple], safety=0.10) -> dict:
    frame = notices_frame(notices)
    parts_frame = pd.DataFrame(parts, columns=["notice_id", "mpn", "replacement_mpn"])
    return compute_exposure(ExposureInputs(frame, parts_frame, bom), safety, AS_OF)


def by_number(report: dict) -> dict:
    return {n["notice_number"]: n for n in report["notices"]}


def test_where_used_sums_every_path_and_shared_subassemblies(bom):
    wu = where_used(bom.bom, ["U1", "U2", "U3"], bom.products["product_id"])
    got = {(r.part_id, r.product_id): r.extended_qty for r in wu.itertuples()}
    assert got == {("U1", "P1"): 13.0, ("U1", "P2"): 6.0, ("U2", "P3"): 4.0, ("U3", "P2"): 1.0}


def test_discontinuance_with_two_paths_shared_subassembly_and_end_of_life(bom):
    n = by_number(
        run(
            bom,
            [
                {
                    "notice_id": 1,
                    "notice_number": "PDN1",
                    "notice_type": "discontinuance",
                    "last_time_buy_date": date(2027, 3, 15),
                    "source_event_id": 7,
                }
            ],
            [(1, "LM317T/NOPB", "LM317T")],
        )
    )["PDN1"]
    # P1: Apr..Dec 2027 = 9 x 100 = 900; P2: Apr..Jun (end of life 2027-06) = 3 x 50 = 150.
    # need = 900 x 13 + 150 x 6 = 12600; ltb = ceil(12600 x 1.1) - 500 = 13360; cost = 13360 x 1.25.
    (part,) = n["parts"]
    assert part["match_type"] == "exact" and part["part_id"] == "U1"
    assert part["need"] == 12600.0 and part["on_hand"] == 500
    assert part["ltb_qty"] == 13360 and part["ltb_cost"] == 16700.0
    assert part["products"] == [
        {"product_id": "P1", "extended_qty": 13.0, "window_demand": 900, "revenue_at_risk": 450000.0},
        {"product_id": "P2", "extended_qty": 6.0, "window_demand": 150, "revenue_at_risk": 150000.0},
    ]
    assert n["total_ltb_cost"] == 16700.0 and n["total_revenue_at_risk"] == 600000.0
    assert n["days_to_ltb"] == (date(2027, 3, 15) - AS_OF).days and n["source_event_id"] == 7


def test_inventory_above_need_and_family_match_listed_not_totalled(bom):
    n = by_number(
        run(
            bom,
            [
                {
                    "notice_id": 2,
                    "notice_number": "PDN2",
                    "notice_type": "discontinuance",
                    "manufacturer": "Analog Devices",
                    "last_time_buy_date": date(2027, 6, 1),
                }
            ],
            [(2, "MAX3232CSE+T", None)],
        )
    )["PDN2"]
    exact, family = n["parts"]
    assert (exact["part_id"], exact["match_type"], family["part_id"], family["match_type"]) == (
        "U2",
        "exact",
        "U3",
        "family",
    )
    assert exact["need"] == 240.0 and exact["ltb_qty"] == 0 and exact["ltb_cost"] == 0.0
    assert family["counted"] is False and family["products"][0]["product_id"] == "P2"
    # Only P3 (through the exact match) counts: Jul..Dec = 60 x 200.
    assert n["total_revenue_at_risk"] == 12000.0 and n["total_ltb_cost"] == 0.0
    assert exact["manufacturer_agrees"] is True  # Maxim is part of Analog Devices


def test_nrnd_change_and_missing_ltb_are_where_used_only(bom):
    report = run(
        bom,
        [
            {
                "notice_id": 3,
                "notice_number": "NRND3",
                "notice_type": "nrnd",
                "last_time_buy_date": date(2027, 1, 1),
            },
            {"notice_id": 4, "notice_number": "PDN4", "notice_type": "discontinuance"},
            {"notice_id": 5, "notice_number": "PCN5", "notice_type": "change"},
        ],
        [(3, "LM317T/NOPB", None), (4, "lm317t/nopb", None), (5, "XYZ-NOT-IN-BOM", None)],
    )
    n = by_number(report)
    for key in ("NRND3", "PDN4"):
        (part,) = n[key]["parts"]
        assert part["need"] is None and part["ltb_qty"] is None and part["ltb_cost"] is None
        assert [(u["product_id"], u["extended_qty"], u["window_demand"]) for u in part["products"]] == [
            ("P1", 13.0, None),
            ("P2", 6.0, None),
        ]
        assert n[key]["total_ltb_cost"] is None and n[key]["total_revenue_at_risk"] is None
    assert n["PDN4"]["days_to_ltb"] is None and n["NRND3"]["days_to_ltb"] == 31
    assert n["PCN5"]["parts"] == []


def test_package_codes_are_not_packaging(bom):
    n = by_number(
        run(
            bom,
            [
                {
                    "notice_id": 6,
                    "notice_number": "PDN6",
                    "notice_type": "discontinuance",
                    "last_time_buy_date": date(2027, 1, 1),
                }
            ],
            [(6, "PIC16F1509-I/SN", None)],
        )
    )
    assert n["PDN6"]["parts"] == []


def test_manufacturer_disagreement_is_shown_not_blocking(bom):
    n = by_number(
        run(
            bom,
            [
                {
                    "notice_id": 7,
                    "notice_number": "PDN7",
                    "notice_type": "discontinuance",
                    "manufacturer": "Intel",
                    "last_time_buy_date": date(2027, 1, 1),
                },
                {
                    "notice_id": 8,
                    "notice_number": "PDN8",
                    "notice_type": "discontinuance",
                    "manufacturer": "Texas Instruments",
                    "last_time_buy_date": date(2027, 1, 1),
                },
            ],
            [(7, "EP4CE10E22C8", None), (8, "EP4CE10E22C8", None)],
        )
    )
    assert n["PDN7"]["parts"][0]["manufacturer_agrees"] is True  # Altera is Intel
    assert n["PDN8"]["parts"][0]["manufacturer_agrees"] is False
    assert n["PDN8"]["parts"][0]["counted"] is True


@pytest.mark.parametrize(
    "need, safety, on_hand, expected",
    [
        (10, 0.10, 0, 11),  # 11.000000000000002 must not become 12
        (100, 0.10, 0, 110),
        (10.01, 0.10, 0, 12),  # 11.011 -> 12
        (0, 0.10, 5, 0),
        (1000, 0.0, 1500, 0),  # inventory above need
        (3, 0.15, 1, 3),  # ceil(3.45) - 1
    ],
)
def test_ltb_quantity_rounding(need, safety, on_hand, expected):
    assert ltb_quantity(need, safety, on_hand) == expected


def test_money_rounds_half_up_to_the_cent():
    assert money(0.125) == 0.13 and money(2.675) == 2.68 and money(1.005) == 1.01 and money(3) == 3.0


def test_report_renderings(bom, tmp_path):
    from radar_pipeline.exposure import report as render

    result = run(
        bom,
        [
            {
                "notice_id": 1,
                "notice_number": "PDN1",
                "notice_type": "discontinuance",
                "last_time_buy_date": date(2027, 3, 15),
            }
        ],
        [(1, "LM317T/NOPB", None)],
    )
    csv_text = render.to_csv(result)
    assert csv_text.count("\n") == 3 and "PDN1" in csv_text
    assert "| PDN1 | TI | 2027-03-15 | 104 | 16,700.00 | 600,000.00 |" in render.to_markdown(result)
    paths = render.write_reports(result, tmp_path / "r", "exposure")
    html = paths["html"].read_text()
    assert 'id="exposure-chart"' in html and 'class="bar ltb-cost"' in html and "PDN1" in html
    json.dumps(result)  # serializable as is
