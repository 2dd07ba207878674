"""Borderless tables from word boxes, and which column holds the affected parts (issue 12)."""

from __future__ import annotations

import pytest

from radar_pipeline.documents.layout import page_lines, page_text, tables_from_pages
from radar_pipeline.documents.model import Document, Section
from radar_pipeline.extraction.columns import header_columns
from radar_pipeline.extraction.extract import read as extract_rules


def _words(rows: list[tuple[float, list[tuple[float, str]]]]) -> list[tuple]:
    """Word boxes for made-up lines: (y, [(x, text), ...]); 5 pt per character, 7 pt high."""
    out = []
    for line_no, (y, cells) in enumerate(rows):
        for block, (x, text) in enumerate(cells):
            for word in text.split(" "):
                out.append((x, y, x + 5 * len(word), y + 7, word, block, line_no))
                x += 5 * len(word) + 2  # word spacing inside a cell
    return out


def _rank(row: list[str]) -> int:
    cols = header_columns(row)
    return cols.rank if cols else 0


PAGE_1 = [
    (100, [(30, "PCN: 36168")]),
    (130, [(30, "Affected Part Number"), (210, "Recommended Replacement"), (390, "Customer Part Number")]),
    (145, [(30, "COMPONENT")]),
    (160, [(30, "MT60B1G16HD-56B:D"), (210, "MT60B1G16HD-64B:H"), (390, "SM31L87523")]),
    (175, [(30, "MT60B2G8RZ-60P:D"), (240, "Contact Sales Representative")]),  # offset cell, no replacement
    (190, [(30, "MT60B2G8RZ-64P:D"), (390, "97050-1648")]),  # empty replacement cell
]
PAGE_2 = [  # the table goes on without its header
    (40, [(30, "MT60B4G4RZ-56B:D"), (210, "MT60B4G4RZ-64B:H")]),
    (55, [(30, "MTC10C1084S1BC64BD1"), (240, "Contact Sales Representative")]),
    (
        80,
        [(30, "Micron reserves the right to change products or specifications without notice at any time.")],
    ),
    (95, [(30, "MT99ZZ999-00X:Z"), (210, "not a row any more")]),
]


def test_words_group_into_lines_and_cells():
    lines = page_lines(_words(PAGE_1))
    assert [c.text for c in lines[1].cells] == [
        "Affected Part Number",
        "Recommended Replacement",
        "Customer Part Number",
    ]
    assert [c.text for c in lines[3].cells] == ["MT60B1G16HD-56B:D", "MT60B1G16HD-64B:H", "SM31L87523"]
    text = page_text(lines)
    assert "Affected Part Number  Recommended Replacement" in text
    assert "\n\n" in text  # the gap above the header is a paragraph break


def test_borderless_table_keeps_columns_and_continues_over_pages():
    (table,) = tables_from_pages([page_lines(_words(PAGE_1)), page_lines(_words(PAGE_2))], _rank)
    assert table[0] == ["Affected Part Number", "Recommended Replacement", "Customer Part Number"]
    rows = {r[0]: r for r in table[1:]}
    assert rows["MT60B1G16HD-56B:D"] == ["MT60B1G16HD-56B:D", "MT60B1G16HD-64B:H", "SM31L87523"]
    assert rows["MT60B2G8RZ-60P:D"][1] == "Contact Sales Representative"
    assert rows["MT60B2G8RZ-64P:D"] == ["MT60B2G8RZ-64P:D", "", "97050-1648"]  # stays in its column
    assert rows["MT60B4G4RZ-56B:D"][1] == "MT60B4G4RZ-64B:H"  # page 2, no header
    assert "MT99ZZ999-00X:Z" not in rows  # the sentence ended the table


def test_table_rows_become_parts_with_replacements_and_no_customer_numbers():
    pages = [page_lines(_words(PAGE_1)), page_lines(_words(PAGE_2))]
    section = Section(
        "PCN_36168.pdf", "pdf", "\n".join(page_text(p) for p in pages), tables_from_pages(pages, _rank)
    )
    section.text += "\nType: General Change - End of Life\nLast Order Date: 2027-05-18\n"
    (notice,) = extract_rules(Document("PCN_36168.pdf", "pdf", [section])).notices
    parts = {p.mpn: p.replacement_mpn for p in notice.parts}
    assert parts == {
        "MT60B1G16HD-56B:D": "MT60B1G16HD-64B:H",
        "MT60B2G8RZ-60P:D": None,
        "MT60B2G8RZ-64P:D": None,
        "MT60B4G4RZ-56B:D": "MT60B4G4RZ-64B:H",
        "MTC10C1084S1BC64BD1": None,
    }
    assert notice.notice_number == "36168" and notice.notice_type == "discontinuance"
    assert str(notice.last_time_buy_date) == "2027-05-18"


@pytest.mark.parametrize(
    "header, parent, parts, replacements",
    [
        (
            ["Affected Micron Part Number", "Recommended Replacement", "Customer Part Number"],
            None,
            [0],
            {0: 1},
        ),
        (["CurrentPartNumber", "NewPartNumber", "QualificationVehicle"], None, [0], {0: 1}),  # spaces removed
        (["Internal PN", "Public (External) PN", "Modified Product Public (External) PN"], None, [1], {1: 2}),
        (["Your product name", "Our product name", "Our substitute"], None, [1], {1: 2}),
        (
            ["DEVICE", "CUSTOMER PART NUMBER"],
            None,
            [0],
            {},
        ),  # "part number" does not make a customer column one
        (["Vendor PN", "WT PN", "Customer PN", "WT PN Description"], None, [0], {}),
        (
            ["S/N", "Ordered", "Manufacturer Part Number", "Customer Part Number", "Avnet Part Number"],
            None,
            [2],
            {},
        ),
        (
            ["Device", "Replacement", "Device", "Replacement"],
            None,
            [0, 2],
            {0: 1, 2: 3},
        ),  # side-by-side blocks
        (
            ["10.1.1 Customer Part No", "10.1.2 Supplier Part No", "10.1.2 Supplier Part No"],
            ["10.1 Current", "", "10.2 New (if applicable)"],
            [1],
            {1: 2},
        ),
        (["型号", "替代型号", "客户料号"], None, [0], {0: 1}),
        (["品番", "推奨品番"], None, [0], {0: 1}),
        (["Artikelnummer", "Nachfolger", "Kundenteilenummer"], None, [0], {0: 1}),
        (["Référence", "Remplacement", "Référence client"], None, [0], {0: 1}),
        (["SalesItem_orderablePartNumber", "SalesItem_name", "SalesOrder_customerPartNumber"], None, [0], {}),
    ],
)
def test_column_roles(header, parent, parts, replacements):
    cols = header_columns(header, parent)
    assert cols is not None and cols.parts == parts and cols.replacement_of == replacements


@pytest.mark.parametrize(
    "row",
    [["Package", "Qty", "Date"], ["Customer Part Number", "Description"], ["Parameter", "Symbol", "Value"]],
)
def test_rows_without_a_part_column_are_no_header(row):
    assert header_columns(row) is None


def test_distributor_record_digest_repeated_per_account():
    """A distributor's records ("PART  MAKER  QTY" under "PCN No.: X"), the whole list repeated for a
    second customer account: one notice per number, each with its own part only."""
    account = (
        "PCN No.: 20251210000.1A from 08/03/2026  PCN Type: ASSEMBLY SITE\n2\n"
        "SN74AVC4T774RSVR  TI  6000\n15/12/2022\nYour Part No.:  1410025371-01\n\n"
        "PCN No.: 1026006 from 08/03/2026  PCN Type: END OF LIFE\n6\n"
        "BR24G02FVT-3GE2  ROHM  3000\nYour Part No.:  1410031832-01\nMFR Last Time Buy: 31/03/2027\n\n"
    )
    text = "Arrow Product Change Notification\n\n" + account + "Customer Account 2\n\n" + account
    notices = {
        n.notice_number: n
        for n in extract_rules(Document("d.pdf", "pdf", [Section("d.pdf", "pdf", text)])).notices
    }
    assert {p.mpn for p in notices["20251210000.1A"].parts} == {"SN74AVC4T774RSVR"}
    assert {p.mpn for p in notices["1026006"].parts} == {"BR24G02FVT-3GE2"}
    assert notices["1026006"].notice_type == "discontinuance"
    assert str(notices["1026006"].last_time_buy_date) == "2027-03-31"
