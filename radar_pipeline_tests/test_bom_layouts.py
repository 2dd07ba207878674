"""``radar bom import FILE...`` on BOMs as companies export them (issue 32): an indented ERP/PLM sheet in
each Level spelling and format under a title block, EDA board BOMs with a product sheet, approved
alternates, ``--map`` and ``--dry-run``; bad rows named with their line; the same company exported
three ways imports to the same exposure, to the cent, on both backends."""

from __future__ import annotations

import csv
import json
import random
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from radar_pipeline.bom.data import BomData
from radar_pipeline.bom.designators import designators
from radar_pipeline.bom.headers import field_of, find_header, month_of, parse_overrides
from radar_pipeline.bom.importer import BomImportError, read_bom
from radar_pipeline.bom.levels import parse_level
from radar_pipeline.bom.mapped import read_any
from radar_pipeline.bom.sheets import number
from radar_pipeline.bom.store import current_version
from radar_pipeline.db import open_database
from radar_pipeline.notices import AffectedPart, Notice
from radar_pipeline.notices.store import write_notice
from radar_pipeline_tests import bom_exports as company
from radar_pipeline_tests.support import run_radar


def same_bom(a: BomData, b: BomData, unread: tuple[str, ...] = ()) -> None:
    """Equal tables, whatever the order their rows were read in (a part's MPNs keep theirs); ``unread``:
    columns an export does not carry (EDA boards rarely describe their parts)."""
    keys = {
        "parts": ["part_id"],
        "products": ["product_id"],
        "bom": ["parent_id", "child_id"],
        "demand": ["product_id", "month"],
        "inventory": ["part_id"],
    }
    for name, key in keys.items():
        left, right = (
            getattr(x, name)
            .drop(columns=list(unread), errors="ignore")
            .sort_values(key)
            .reset_index(drop=True)
            for x in (a, b)
        )
        for col in ("manufacturer", "description", "name", "owner"):
            for frame in (left, right):
                if col in frame:
                    frame[col] = frame[col].replace("", None)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)
    alternates = [(x.alternates["part_id"] + " " + x.alternates["mpn"]).tolist() for x in (a, b)]
    assert alternates[0] == alternates[1]


@pytest.fixture(scope="module")
def five(tmp_path_factory) -> BomData:
    return read_bom(company.five_csvs(tmp_path_factory.mktemp("five"))).data


# -- the words ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header, expected",
    [
        ("Manufacturer Part Number", ("mpn", 1)),
        ("Mfr. Part #", ("mpn", 1)),
        ("MPN2", ("mpn", 2)),
        ("Manufacturer Part Number 2", ("mpn", 2)),
        ("Alternate Manufacturer", ("manufacturer", 2)),
        ("Alt MPN", ("mpn", 2)),
        ("Qty Per", ("qty", 1)),
        ("QPA", ("qty", 1)),
        ("Extended Qty", ("ignore", 1)),
        ("Find No", ("ignore", 1)),
        ("Lvl", ("level", 1)),
        ("BOM Level", ("level", 1)),
        ("Ref Des", ("designator", 1)),
        ("Reference", ("designator", 1)),
        ("Item Number", ("item", 1)),
        ("IPN", ("item", 1)),
        ("Stock Code", ("item", 1)),
        ("Stock", ("on_hand", 1)),
        ("Qty On Hand", ("on_hand", 1)),
        ("Unit Price (USD)", ("price", 1)),
        ("Std Cost", ("unit_cost", 1)),
        ("Sell Price", ("product_price", 1)),
        ("EOL Date", ("end_of_life", 1)),
        ("U/M", ("uom", 1)),
        ("Designation", ("description", 1)),
        ("Comment", None),
        ("Digi-Key Part Number", ("ignore", 1)),
        ("Supplier Part Number", ("supplier_pn", 1)),
    ],
)
def test_header_words(header, expected):
    assert field_of(header) == expected


def test_level_spellings_designators_months_and_numbers():
    assert [parse_level(t).depth for t in ("0", "1", "3", ".1", "..2", "...3", "....")] == [
        0,
        1,
        3,
        1,
        2,
        3,
        4,
    ]
    assert [parse_level(t, outline=True).depth for t in ("1", "1.2", "1.2.3", "10.4.1.7")] == [0, 1, 2, 3]
    assert parse_level("1.2.3", outline=True).parent_outline == "1.2" and parse_level("x") is None
    assert designators("C1, C5-C8") == ["C1", "C5", "C6", "C7", "C8"]
    assert len(designators("R1 R2;R10..R12, U3-5")) == 8  # 2 + 3 + 3
    assert designators("J1-A") == ["J1-A"] and designators("R5-R3") == ["R5-R3"]  # no range: one, as written
    assert [month_of(t) for t in ("2027-01", "2027-01-01", "Jan 2027", "Jun-27", "03/2027", "Qty")] == [
        "2027-01",
        "2027-01",
        "2027-01",
        "2027-06",
        "2027-03",
        None,
    ]
    assert [number(t) for t in ("1,234.5", "1.234,5", "0,25 €", "$3.40", "12 pcs", "two")] == [
        1234.5,
        1234.5,
        0.25,
        3.4,
        12.0,
        None,
    ]


def test_the_header_is_found_under_a_title_block():
    rows = [["Indented BOM"], ["Project: X", "", "Rev B"], [], ["Level", "Item", "Qty"], ["0", "A", "1"]]
    header = find_header(rows)
    assert header.line == 4 and header.title == {"project": "X"}
    assert [c.field for c in header.columns] == ["level", "item_or_line", "qty"]


# -- the same company, each layout ---------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["number", "dots", "outline"])
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv"])
def test_an_indented_export_in_each_spelling_and_format_is_the_five_tables(tmp_path, five, spelling, fmt):
    path = company.indented(tmp_path / f"erp.{fmt}", spelling, "columns" if fmt == "csv" else "sheet")
    result = read_any([path])
    same_bom(result.data, five)
    summary = "\n".join(result.summary)
    assert (
        "indented BOM, header on line 5" in summary and "title block: company=Cobalt Instruments" in summary
    )
    assert {"number": "numbers (0, 1, 2)", "dots": "dots (.1, ..2)", "outline": "outline numbers"}[
        spelling
    ] in summary
    assert "level 3: 4 rows" in summary  # the DDR parts under MEM under CTRL under ARM and GATE


SYNONYMS = {  # the trade's other words for the indented export's headers
    "Level": ["Lvl", "BOM Level", "Indented Level", "Structure Level"],
    "Item Number": ["Item No.", "IPN", "Internal Part Number", "Part Number", "Component"],
    "Description": ["Desc", "Item Description", "Bezeichnung"],
    "Qty Per": ["Quantity", "QPA", "Qty.", "Usage", "Quantity Per Assembly"],
    "UoM": ["U/M", "Unit", "Unit of Measure"],
    "Manufacturer": ["Mfr", "MFG", "Manufacturer Name", "Vendor"],
    "Manufacturer Part Number": ["MPN", "Mfr Part #", "MFG P/N", "Mfr. Part No."],
    "Unit Cost": ["Std Cost", "Cost", "Standard Cost", "Unit Price"],
    "On Hand": ["Qty On Hand", "QOH", "Stock", "Inventory"],
    "Sell Price": ["List Price", "ASP", "Selling Price"],
    "EOL Date": ["End of Life", "EOL"],
    "Owner": ["Product Owner", "Email"],
}


@pytest.mark.parametrize("seed", range(6))
def test_an_indented_export_reworded_reordered_and_retitled_reads_the_same(tmp_path, five, seed):
    """Metamorphic: other header words of the trade, columns in another order, months written another
    way, a longer title block and blank rows between the rows: the same BOM."""
    rng = random.Random(seed)
    path = company.indented(tmp_path / "erp.csv", rng.choice(["number", "dots", "outline"]), "columns")
    rows = [line for line in csv.reader(path.read_text().splitlines())]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Level")
    title, header, body = rows[:header_at], rows[header_at], rows[header_at + 1 :]
    months = ("%b %Y", "%b-%y", "%m/%Y", "%Y-%m")[seed % 4]
    header = [
        rng.choice(SYNONYMS[h]) if h in SYNONYMS else date.fromisoformat(h + "-01").strftime(months)
        for h in header
    ]
    order = list(range(len(header)))
    rng.shuffle(order)
    title += [[f"Printed by: user{seed}"], [], ["Revision:", "C"]][: seed % 3 + 1]
    body = [r for row in body for r in ([row] + ([[]] if rng.random() < 0.2 else []))]
    out = [
        *title,
        [header[i] for i in order],
        *([row[i] if i < len(row) else "" for i in order] if row else [] for row in body),
    ]
    company.write(tmp_path / "reworded.csv", {"x": out})
    result = read_any([tmp_path / "reworded.csv"])
    same_bom(result.data, five)


def test_eda_board_boms_with_a_product_sheet_are_the_five_tables(tmp_path, five):
    result = read_any([company.eda(tmp_path / "eda")])
    same_bom(result.data, five, unread=("description",))
    summary = "\n".join(result.summary)
    assert "ctrl.csv:7: R99 not fitted (DNP)" in summary  # left out, and said so
    assert '"Part Number" -> item (Part Number: an MPN column exists, so the item number)' in summary
    assert 'not used: "Item"' not in summary and '"Item"' not in summary  # IO.csv's running line number
    assert "title block: project=PWR" in summary and "board: PWR" in summary
    assert '"Manufacturer Part Number 2" -> mpn (alternate 1)' in summary
    assert "P-106 (IRF540NPBF, IRF540PBF)" in summary
    assert "assemblies (4)" in summary and "products (3)" in summary


def test_the_five_files_named_one_by_one_read_by_meaning(tmp_path, five):
    folder = company.five_csvs(tmp_path / "five")
    names = ["parts", "products", "bom", "demand", "inventory"]
    result = read_any([folder / f"{n}.csv" for n in names])
    same_bom(result.data, five)
    assert "bom.csv: BOM lines (parent, child, quantity)" in "\n".join(result.summary)


def test_an_erp_sheet_with_demand_and_stock_as_today(tmp_path, five):
    """The indented sheet alone for the structure, the forecast and stock from demand.csv and inventory.csv."""
    folder = company.five_csvs(tmp_path / "five")
    erp = pd.read_excel(company.indented(tmp_path / "erp.xlsx"), sheet_name="BOM", header=None, dtype=str)
    erp = erp.drop(columns=[8])  # no On Hand column: the stock comes from inventory.csv
    erp.to_excel(tmp_path / "erp-only.xlsx", header=False, index=False)
    result = read_any([tmp_path / "erp-only.xlsx", folder / "demand.csv", folder / "inventory.csv"])
    same_bom(result.data, five)


def test_costs_from_a_parts_sheet_when_a_board_gives_none(tmp_path, five):
    folder = company.eda(tmp_path / "eda")
    mem = [line.rsplit(",", 1)[0] for line in (folder / "MEM.csv").read_text().splitlines()]  # no Price
    (folder / "MEM.csv").write_text("\n".join(mem) + "\n")
    assert "MEM.csv:2: part 'P-104' has no unit cost: add a cost column" in " ".join(refused([folder]))
    costs = [["Part Number", "MPN", "Unit Cost"], ["P-104", "MT41K256M16TW-107:P", "6.20"]]
    result = read_any([folder, company.write(tmp_path / "costs.csv", {"x": costs})])
    same_bom(result.data, five, unread=("description",))


def test_a_title_block_can_name_the_top_item_and_levels_start_at_one(tmp_path):
    rows = [
        ["Bill of Materials"],
        ["Top Assembly:", "ROBOT"],
        [],
        [
            "Lvl",
            "Part Number",
            "Description",
            "Qty",
            "Mfr",
            "Mfr P/N",
            "Alt Mfr",
            "Alt MPN",
            "Cost",
            "Sell Price",
        ],
        ["1", "BRD-1", "Main board", "1"],
        ["..2", "U-1", "MCU", "1", "ST", "STM32F103C8T6", "GigaDevice", "GD32F103C8T6", "3.90"],
        ["..2", "C-1", "Cap", "10", "Murata", "GRM188R71C104KA01D", "", "", "0.004"],
        ["1", "U-1", "MCU (spare)", "1", "ST", "STM32F103C8T6", "", "", "3.90"],
    ]
    products = [["Product", "Price"], ["ROBOT", "999"]]
    demand = [["Product", "2027-01", "2027-02"], ["ROBOT", "5", "6"]]
    path = company.write(tmp_path / "robot.xlsx", {"BOM": rows, "Products": products, "Forecast": demand})
    data = read_any([path]).data
    lines = set(zip(data.bom["parent_id"], data.bom["child_id"], data.bom["qty_per"], strict=True))
    assert lines == {
        ("ROBOT", "BRD-1", 1.0),
        ("BRD-1", "U-1", 1.0),
        ("BRD-1", "C-1", 10.0),
        ("ROBOT", "U-1", 1.0),
    }
    assert data.alternates.to_dict("records") == [
        {"part_id": "U-1", "mpn": "GD32F103C8T6", "manufacturer": "GigaDevice"}
    ]


def test_an_sap_style_explosion_with_positions_and_the_top_material_in_the_title(tmp_path):
    rows = [
        ["Multi-level BOM explosion"],
        ["Material: ROBOT", "", "Plant: 1000"],
        [],
        [
            "Explosion level",
            "Item Number",
            "Component number",
            "Object description",
            "Comp. Qty (BUn)",
            "BUn",
            "Manufacturer",
            "Mfr Part Number",
            "Std Cost",
        ],
        [".1", "0010", "BRD-1", "Main board", "1", "PC"],
        ["..2", "0010", "U-1", "MCU", "1", "PC", "ST", "STM32F103C8T6", "3,90"],
        ["..2", "0020", "C-1", "Cap", "1.000,5", "PC", "Murata", "GRM188R71C104KA01D", "0,004"],
        [".1", "0020", "CBL-1", "Cable", "0,75", "M", "Alpha Wire", "5854/7 YL005", "1,20"],
    ]
    products = [["Product", "Price", "2027-01"], ["ROBOT", "999", "4"]]
    result = read_any([company.write(tmp_path / "cs12.xlsx", {"BOM": rows, "Products": products})])
    lines = set(
        zip(
            result.data.bom["parent_id"], result.data.bom["child_id"], result.data.bom["qty_per"], strict=True
        )
    )
    assert lines == {
        ("ROBOT", "BRD-1", 1.0),
        ("BRD-1", "U-1", 1.0),
        ("BRD-1", "C-1", 1000.5),
        ("ROBOT", "CBL-1", 0.75),
    }
    summary = "\n".join(result.summary)
    assert "Item Number (a second item column; Component number is read)" in summary
    assert "units of measure: PC (3), M (1)" in summary and "top-level items: ROBOT" in summary


def test_a_suppliers_order_code_is_the_mpn_only_without_a_manufacturers(tmp_path):
    head = ["Designator", "Qty", "Supplier Part Number", "Manufacturer Part Number", "LCSC Part #", "Price"]
    board = company.write(
        tmp_path / "B1.csv", {"x": [head, ["U1", "1", "497-6063-1-ND", "L7805CV", "C2914", "0.3"]]}
    )
    products = company.write(
        tmp_path / "p.csv", {"x": [["Product", "Price", "Board", "2027-01"], ["P", "9", "B1", "1"]]}
    )
    assert read_any([board, products]).data.parts["mpn"].tolist() == ["L7805CV"]
    erp = [
        ["Level", "Item No", "Qty", "Vendor Item", "Cost", "Sell Price", "2027-01"],
        ["0", "P", "1", "", "", "9", "1"],
    ]
    erp.append(["1", "X-1", "2", "L7805CV", "0.3"])
    result = read_any([company.write(tmp_path / "erp.csv", {"x": erp})])
    assert result.data.parts["mpn"].tolist() == ["L7805CV"]
    assert '"Vendor Item" -> mpn (Vendor Item: no manufacturer\'s part number column)' in "\n".join(
        result.summary
    )


def test_a_board_bom_without_manufacturer_part_numbers_says_what_it_lacks(tmp_path):
    kicad = [
        ["Ref", "Qnty", "Value", "Cmp name", "Footprint", "Description", "Vendor"],
        ["C1 C2", "2", "100n", "C", "C_0603", "", ""],
    ]
    (problem,) = refused([company.write(tmp_path / "grouped.csv", {"x": kicad})])
    assert problem.startswith(
        "grouped.csv: nothing in it reads as a BOM sheet: it names description, designator"
    )
    assert problem.endswith("but no part column (MPN, Manufacturer Part Number, Item Number, Part Number…)")


# -- quantities, warnings and refusals ------------------------------------------------------------
def test_a_quantity_that_disagrees_with_the_designators_is_a_warning_naming_the_row(tmp_path):
    folder = company.eda(tmp_path / "eda")
    io = (folder / "IO.csv").read_text().replace("2,6,Q1-Q6", "2,5,Q1-Q6")
    (folder / "IO.csv").write_text(io)
    result = read_any([folder])
    assert "IO.csv:3: Quantity 5 but 6 designators (Q1-Q6); Quantity is used" in result.warnings
    io_lines = result.data.bom[result.data.bom["parent_id"] == "IO"].set_index("child_id")["qty_per"]
    assert io_lines["P-110"] == 5.0


def refused(paths: list[Path], overrides=None) -> list[str]:
    with pytest.raises(BomImportError) as err:
        read_any(paths, overrides)
    return [str(p) for p in err.value.problems]


def test_rows_that_cannot_be_placed_are_named_with_their_line_and_nothing_loads(tmp_path):
    rows = [
        ["Level", "Item Number", "Qty Per", "Manufacturer Part Number", "Unit Cost", "Sell Price"],
        ["0", "TOP", "1", "", "", "100"],
        ["1", "BRD", "1"],
        ["..3", "U-1", "1", "STM32F103C8T6", "3.9"],  # level 3 right under level 1
        ["2", "U-2", "two", "LM2903DT", "0.2"],  # not a number
        ["x", "U-3", "1", "L7805CV", "0.3"],  # no level
        ["", "U-4", "1", "TPS7A4501DCQR", "2.1"],  # no level at all
        ["2", "U-5", "", "MAX3232CSE", "2.1"],  # no quantity
    ]
    path = company.write(tmp_path / "bad.csv", {"BOM": rows})
    problems = refused([path])
    assert problems[:5] == [
        "bad.csv:4: 'U-1' at level ..3 is under 'BRD' at 3, 2 levels up: a level is missing between them",
        "bad.csv:5: Qty Per 'two' is not a number",
        "bad.csv:6: Level 'x' is no level (0, 1, .1, ..2, 1.2.3)",
        "bad.csv:7: 'U-4' has no Level: it cannot be placed",
        "bad.csv:8: 'U-5' has no quantity (Qty Per)",
    ], problems


def test_boards_in_no_product_and_a_sub_assembly_listed_two_ways_are_refused(tmp_path):
    folder = company.eda(tmp_path / "eda")
    (folder / "products.xlsx").unlink()
    problems = refused([folder])
    assert "MEM.csv:1: board 'MEM' is in no product" not in " ".join(problems)  # it sits on CTRL's rows
    for board in ("IO.csv:1: board 'IO'", "SENS.xls[SENS]:1: board 'SENS'", "ctrl.csv:1: board 'ctrl'"):
        assert any(p.startswith(f"{board} is in no product: give it a price") for p in problems), problems
    rows = [
        ["Level", "Item Number", "Qty", "MPN", "Unit Cost", "Sell Price", "2027-01"],
        ["0", "A", "1", "", "", "10", "1"],
        ["1", "SUB", "1"],
        ["2", "U1", "2", "LM2903DT", "0.2"],
        ["0", "B", "1", "", "", "20", "1"],
        ["1", "SUB", "1"],
        ["2", "U1", "3", "LM2903DT", "0.2"],  # SUB holds 2 of U1 under A but 3 under B
    ]
    (problem,) = refused([company.write(tmp_path / "two-ways.csv", {"BOM": rows})])
    assert problem == "two-ways.csv:6: assembly 'SUB' lists other contents here than at line 3"
    twice = company.eda(tmp_path / "twice")
    (twice / "CTRL.csv").write_bytes((twice / "ctrl.csv").read_bytes())  # one board, two files
    assert "ctrl.csv:1: board 'ctrl' is also read as 'CTRL' at CTRL.csv:1" in refused([twice])


def test_an_unmappable_file_names_what_is_missing(tmp_path):
    notes = company.write(tmp_path / "notes.csv", {"x": [["Author", "Remark"], ["Ann", "see attached"]]})
    (problem,) = refused([notes])
    assert problem.startswith(
        "notes.csv: nothing in it reads as a BOM sheet: no header row names what a BOM needs"
    )
    no_qty = company.write(tmp_path / "list.csv", {"x": [["Level", "Manufacturer Part Number"], ["0", "A"]]})
    assert any("no quantity (Qty, Quantity, Qty Per…)" in p for p in refused([no_qty]))
    parts_only = company.write(tmp_path / "parts.csv", {"x": [["MPN", "Unit Cost"], ["LM2903DT", "0.2"]]})
    problems = refused([parts_only])
    assert (
        "BOM: no product was read: give a product sheet (Product, Price…) or a Sell Price column on top rows"
        in problems
    )


def test_map_reads_columns_the_words_do_not_know(tmp_path):
    rows = [
        ["Ebene", "Teil", "Stk", "Lieferant", "Lieferanten-Nr", "EK", "VK"],
        ["0", "GERAET", "1", "", "", "", "250"],
        ["1", "T-1", "2", "ST", "LM2903DT", "0.21", ""],
    ]
    path = company.write(
        tmp_path / "stueckliste.xlsx", {"BOM": rows, "Bedarf": [["Product", "2027-01"], ["GERAET", "7"]]}
    )
    assert refused([path])  # the words are unknown: nothing reads
    overrides = parse_overrides(
        [
            "Ebene=level",
            "Teil=item",
            "Stk=qty",
            "Lieferant=manufacturer",
            "Lieferanten-Nr=mpn",
            "EK=unit_cost",
            "VK=product_price",
        ]
    )
    result = read_any([path], overrides)
    assert result.data.bom.to_dict("records") == [{"parent_id": "GERAET", "child_id": "T-1", "qty_per": 2.0}]
    assert '"Lieferanten-Nr" -> mpn (--map)' in "\n".join(result.summary)
    assert refused([path], overrides | parse_overrides(["Nirgends=mpn"])) == [
        "--map: no header row has a column 'nirgends' (mapped to mpn)"
    ]
    with pytest.raises(ValueError, match="unknown field 'colour'"):
        parse_overrides(["Farbe=colour"])


# -- through the command ----------------------------------------------------------------------------
def test_dry_run_prints_the_mapping_for_each_kind_and_loads_nothing(database_url, tmp_path):
    erp = company.indented(tmp_path / "erp.xlsx", "dots")
    eda = company.eda(tmp_path / "eda")
    for paths, expected in (
        (
            [erp],
            [
                '"Level" -> level',
                "dots (.1, ..2)",
                "top-level items: ARM, GATE, SENS",
                "P-105 (LM317T/NOPB, LM317TG)",
            ],
        ),
        (
            [eda],
            ['"Reference" -> designator', "board: PWR", "left out (1):", "ctrl.csv:7: R99 not fitted (DNP)"],
        ),
        (
            [company.five_csvs(tmp_path / "five")],
            ["the five tables", "parts with approved alternates (2): P-105 (LM317T/NOPB, LM317TG)"],
        ),
    ):
        out = run_radar(["bom", "import", *map(str, paths), "--dry-run"], database_url, tmp_path)
        assert out.returncode == 0, out.stderr
        for text in [
            *expected,
            "to load: 14 parts (2 alternate MPNs), 3 products, 23 BOM lines",
            "nothing was loaded",
        ]:
            assert text in out.stdout, (text, out.stdout)
    assert current_version(open_database(database_url)) is None
    bad = company.write(tmp_path / "notes.csv", {"x": [["Author", "Remark"], ["Ann", "x"]]})
    out = run_radar(["bom", "import", str(bad), "--dry-run"], database_url, tmp_path)
    assert out.returncode == 1 and "notes.csv: not read (no header row names what a BOM needs" in out.stdout
    assert "nothing in it reads as a BOM sheet" in out.stderr
    out = run_radar(["bom", "import", str(erp), "--map", "Level=colour"], database_url, tmp_path)
    assert out.returncode == 2 and "unknown field 'colour'" in out.stderr


def test_a_refused_export_leaves_the_loaded_bom_as_it_was(database_url, tmp_path):
    assert (
        run_radar(["bom", "import", str(company.eda(tmp_path / "eda"))], database_url, tmp_path).returncode
        == 0
    )
    before = current_version(open_database(database_url))
    broken = company.indented(tmp_path / "erp.csv", "number", "columns")
    text = broken.read_text().splitlines()
    assert text[8].startswith("2,P-101,") and ",24,EA," in text[8]
    text[8] = text[8].replace(",24,EA,", ",two dozen,EA,")
    broken.write_text("\n".join(text) + "\n")
    out = run_radar(["bom", "import", str(broken)], database_url, tmp_path)
    assert out.returncode == 1 and "erp.csv:9: Qty Per 'two dozen' is not a number" in out.stderr, out.stderr
    assert "nothing was loaded" in out.stderr and "--dry-run shows how each file was read" in out.stderr
    assert current_version(open_database(database_url))["id"] == before["id"]


def exposure_of(database_url: str, tmp_path: Path, paths: list[Path]) -> dict:
    out = run_radar(["bom", "import", *map(str, paths)], database_url, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    report = run_radar(["exposure", "--as-of", "2026-11-02", "--format", "json"], database_url, tmp_path)
    assert report.returncode == 0, report.stderr
    return json.loads(report.stdout)


def test_the_same_company_exported_three_ways_has_the_same_exposure_to_the_cent(database_url, tmp_path):
    engine = open_database(database_url)
    with engine.begin() as conn:
        for event, (number_, (kind, ltb, mpns)) in enumerate(company.NOTICES.items(), start=1):
            notice = Notice(
                notice_number=number_,
                manufacturer="Texas Instruments",
                notice_type=kind,
                last_time_buy_date=date.fromisoformat(ltb) if ltb else None,
                parts=[AffectedPart(mpn=m) for m in mpns],
                extractor="provider",
                confidence=1.0,
            )
            write_notice(conn, notice, source_event_id=event, partition_day=date(2026, 11, 2))
    csvs = exposure_of(database_url, tmp_path, [company.five_csvs(tmp_path / "five")])
    erp = exposure_of(database_url, tmp_path, [company.indented(tmp_path / "erp.xlsx", "dots")])
    boards = exposure_of(database_url, tmp_path, [company.eda(tmp_path / "eda")])
    assert erp == csvs and boards == csvs
    n = {x["notice_number"]: x for x in csvs["notices"]}
    # the part with an active approved alternate is listed, not counted
    (fet,) = n["N-FET"]["parts"]
    assert (fet["covered_by_alternate"], fet["ltb_cost"], n["N-FET"]["total_ltb_cost"]) == (
        "IRF540PBF",
        None,
        0.0,
    )
    # both MPNs of P-105 discontinued: counted under each notice at the earlier LTB, 2027-04-30:
    # ARM uses PWR x2, U1+U2 on each: 4 per ARM. ARM's forecast May..Dec 2027 = 112 + 115 + … + 133 = 980;
    # need 980 x 4 = 3,920; ltb_qty ceil(4,312) - 500 on hand = 3,812; x 0.62 = 2,363.44;
    # revenue 980 x 4,200 = 4,116,000.00
    for number_ in ("N-REG", "N-REG2"):
        (reg,) = n[number_]["parts"]
        assert (reg["last_time_buy_date"], reg["need"], reg["ltb_qty"], reg["ltb_cost"]) == (
            "2027-04-30",
            3920.0,
            3812,
            2363.44,
        )
        assert (n[number_]["total_ltb_cost"], n[number_]["total_revenue_at_risk"]) == (2363.44, 4116000.0)
    # the DDR three levels down: 2 per MEM x 2 MEM per CTRL; ARM 1 CTRL (4 per unit), GATE 2 (8 per unit)
    (ddr,) = n["N-DDR"]["parts"]
    assert {u["product_id"]: u["extended_qty"] for u in ddr["products"]} == {"ARM": 4.0, "GATE": 8.0}
