"""``radar bom import``: validation with file and line, atomic replacement, both backends."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from radar_pipeline.bom.importer import BomImportError, read_bom
from radar_pipeline.bom.store import current_version, load_bom, replace_bom
from radar_pipeline.db import open_database
from radar_pipeline.db.schema import bom_lines
from radar_pipeline.notices import AffectedPart, Notice
from radar_pipeline.notices.store import write_notice
from radar_pipeline_tests.bom_fixture import FILES, write_bom
from radar_pipeline_tests.support import run_radar


def problems(tmp_path, **overrides) -> list[str]:
    with pytest.raises(BomImportError) as err:
        read_bom(write_bom(tmp_path / "bad", **overrides))
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"bom_csv": FILES["bom.csv"] + "A2,U9,1\n"}, "bom.csv:11: child_id 'U9' is not a known part"),
        # a part on two rows is a part with an approved alternate (CONTRACT §5); the same MPN twice is not
        (
            {"parts_csv": FILES["parts.csv"] + "U1,lm317t/nopb,x,y,1\n"},
            "parts.csv:7: duplicate key: part_id 'U1', mpn 'LM317T/NOPB'",
        ),
        (
            {"parts_csv": FILES["parts.csv"] + "U1,LM317T,ST,alternate,cheap\n"},
            "parts.csv:7: unit_cost 'cheap' is not a number",
        ),
        (
            {"bom_csv": FILES["bom.csv"] + "P1,U1,2\n"},
            "bom.csv:11: duplicate key: parent_id 'P1', child_id 'U1'",
        ),
        ({"bom_csv": FILES["bom.csv"] + "P3,U3,-2\n"}, "bom.csv:11: qty_per -2 must be greater than zero"),
        ({"bom_csv": FILES["bom.csv"] + "P3,U3,two\n"}, "bom.csv:11: qty_per 'two' is not a number"),
        (
            {"parts_csv": FILES["parts.csv"] + "U6,ABC,x,y,-1\n"},
            "parts.csv:7: unit_cost -1 must be zero or more",
        ),
        (
            {"products_csv": FILES["products.csv"] + "P4,X,10,2027-13-01,\n"},
            "products.csv:5: end_of_life '2027-13-01' is not a date",
        ),
        (
            {"demand_csv": "product_id,month,quantity\nP1,2027-1,5\n"},
            "demand.csv:2: month '2027-1' is not a month",
        ),
        (
            {"demand_csv": "product_id,month,quantity\nP9,2027-01,5\n"},
            "demand.csv:2: product_id 'P9' is not a known product",
        ),
        ({"inventory_csv": "part_id,on_hand\nU1,abc\n"}, "inventory.csv:2: on_hand 'abc' is not a number"),
        ({"bom_csv": FILES["bom.csv"] + "U1,U2,1\n"}, "bom.csv:11: parent_id 'U1' is a part"),
        (
            {"bom_csv": FILES["bom.csv"] + "A2,A3,1\nA3,A1,1\n"},
            "bom.csv: cycle in the BOM: A1 -> A2 -> A3 -> A1",
        ),
        ({"bom_csv": "parent_id,child\nP1,U1\n"}, "bom.csv:1: missing column(s): child_id, qty_per"),
        ({"parts_csv": None, "bom_csv": "parent_id,child_id,qty_per\nP1,U1,1\n"}, "bom.csv:1:"),
    ],
)
def test_each_kind_of_problem_is_named_with_file_and_line(tmp_path, overrides, expected):
    if overrides.get("parts_csv", "") is None:
        write_bom(tmp_path / "bad")
        (tmp_path / "bad" / "parts.csv").unlink()
        with pytest.raises(BomImportError) as err:
            read_bom(tmp_path / "bad")
        assert "parts.csv: file is missing" in str(err.value)
        return
    found = problems(tmp_path, **overrides)
    assert any(p.startswith(expected) for p in found), found


def test_xlsx_workbook_with_the_same_sheets(tmp_path):
    src = write_bom(tmp_path / "csv")
    book = tmp_path / "bom.xlsx"
    with pd.ExcelWriter(book) as xw:
        for name in ("parts", "products", "bom", "demand", "inventory"):
            pd.read_csv(src / f"{name}.csv", dtype=str, keep_default_na=False).to_excel(
                xw, sheet_name=name, index=False
            )
    data = read_bom(book).data
    assert data.counts() == read_bom(src).data.counts()
    assert data.bom["qty_per"].sum() == read_bom(src).data.bom["qty_per"].sum()


def test_failed_import_loads_nothing_and_good_import_replaces(database_url, tmp_path):
    engine = open_database(database_url)
    good = read_bom(write_bom(tmp_path / "good"))
    replace_bom(engine, good)
    first = current_version(engine)
    out = run_radar(
        ["bom", "import", str(write_bom(tmp_path / "bad", bom_csv=FILES["bom.csv"] + "A2,U9,1\n"))],
        database_url,
        tmp_path,
    )
    assert out.returncode == 1 and "bom.csv:11" in out.stderr and "nothing was loaded" in out.stderr
    assert current_version(engine)["id"] == first["id"]
    smaller = FILES["bom.csv"].replace("P3,U4,1\n", "")
    out = run_radar(
        ["bom", "import", str(write_bom(tmp_path / "v2", bom_csv=smaller))], database_url, tmp_path
    )
    assert out.returncode == 0, out.stderr
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(bom_lines)).scalar_one() == 8
    version = current_version(engine)
    assert version["id"] > first["id"] and version["content_sha256"] != first["content_sha256"]
    assert load_bom(engine).products.set_index("product_id")["end_of_life"]["P2"].isoformat() == "2027-06-30"


def test_exposure_command_on_the_stored_bom(database_url, tmp_path):
    from datetime import date

    engine = open_database(database_url)
    assert (
        run_radar(["bom", "import", str(write_bom(tmp_path / "bom"))], database_url, tmp_path).returncode == 0
    )
    notice = Notice(
        notice_number="PDN1",
        manufacturer="Texas Instruments",
        notice_type="discontinuance",
        last_time_buy_date=date(2027, 3, 15),
        parts=[AffectedPart(mpn="LM317T/NOPB")],
        extractor="provider",
        confidence=1.0,
    )
    with engine.begin() as conn:
        write_notice(conn, notice, source_event_id=3, partition_day=date(2026, 11, 2))
    out = run_radar(["exposure", "--as-of", "2026-12-01", "--format", "json"], database_url, tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    (n,) = report["notices"]
    assert (
        n["source_event_id"] == 3
        and n["total_ltb_cost"] == 16700.0
        and n["total_revenue_at_risk"] == 600000.0
    )
    table = run_radar(["exposure", "--as-of", "2026-12-01"], database_url, tmp_path).stdout
    assert "PDN1" in table and "16,700.00" in table
    csv_out = run_radar(
        ["exposure", "--as-of", "2026-12-01", "--format", "csv"], database_url, tmp_path
    ).stdout
    assert csv_out.splitlines()[0].startswith("notice_number,") and len(csv_out.splitlines()) == 3
