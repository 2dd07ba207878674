"""Tables whose text comes one cell per line (a PDF's text layer, an element dump), each a convention of
the trade, each in two layouts (a plain mail and a PDF whose text layer has one cell per line) — found
by the metamorphic bench's linearized real notices (BENCHMARKS f‴):

- header cells that name no role ("S/No", "Ordered", "Qty") stand in the header beside those that do;
  the header's width is the stride;
- a numbered table (1, 2, 3 … in its first column) whose text layer dropped the empty cells: each
  number opens a row, a short row's cells go to the columns they are like, and a row that could be
  read two ways leaves its strings unread (the document goes to a person);
- a list of nothing but part numbers with no label is a grid of one column: all affected parts,
  unless the line above names another role ("Suggested replacements").
"""

from __future__ import annotations

import pymupdf as fitz
import pytest

from radar_pipeline.documents import read_bytes
from radar_pipeline.review.reading import read_reviewed

HEAD = [
    "Kestrel Semiconductor Inc.",
    "Product Discontinuance Notice",
    "Notification number: PDN-2026-4410",
    "Issue date: 2026-10-23",
    "Last time buy: 2027-07-09",
    "",
    "The products below are discontinued.",
    "",
]
TAIL = ["", "Please do not reply to this message.", "Sincerely, Quality Assurance"]


def text_mail(lines: list[str]) -> tuple[bytes, str]:
    return "\n".join(lines).encode(), "notice.txt"


def text_layer_pdf(lines: list[str]) -> tuple[bytes, str]:
    """A PDF whose text layer has each line on its own baseline (one cell per line)."""
    pdf = fitz.open()
    for start in range(0, len(lines), 50):
        page = pdf.new_page()
        for n, line in enumerate(lines[start : start + 50]):
            page.insert_text((72, 60 + 14 * n), line, fontsize=10)
    return pdf.tobytes(), "notice.pdf"


LAYOUTS = [text_mail, text_layer_pdf]


def read(lines: list[str], layout) -> tuple[dict[str, str | None], bool, list[str]]:
    """The parts read (part -> replacement), whether a person is asked, and why."""
    data, name = layout(lines)
    result, assessment, _ = read_reviewed(read_bytes(data, name), None, "always")
    (notice,) = result.notices
    reasons = [*assessment.document_reasons, *(r for rs in assessment.notice_reasons for r in rs)]
    return {p.mpn: p.replacement_mpn for p in notice.parts}, assessment.needs_review, reasons


ROWS = [  # number, ordered, part, customer's number, replacement
    ("1", "Yes", "KS4410-A1-TR", "7700012-01", "KS4420-A1-TR"),
    ("2", "Yes", "KS4410-B2-TR", "7700013-01", "KS4420-B2-TR"),
    ("3", "", "KS4411-C1", "", "KS4421-C1"),
    ("4", "", "KS4412-A1-TR", "7700015-02", ""),
    ("5", "Yes", "KS4413-Q1", "", "KS4423-Q1"),
    ("6", "", "KS4414-B1", "", ""),
]
HEADER = ["S/No", "Ordered", "Manufacturer Part Number", "Customer Part Number", "Replacement Part"]


def one_cell_per_line(rows, keep_empty: bool) -> list[str]:
    return [*HEADER, *(c for row in rows for c in row if c or keep_empty)]


@pytest.mark.parametrize("layout", LAYOUTS, ids=["text", "pdf"])
def test_header_cells_that_name_no_role_are_part_of_the_stride(layout):
    parts, flagged, reasons = read(HEAD + one_cell_per_line(ROWS[:2], keep_empty=True) + TAIL, layout)
    assert parts == {"KS4410-A1-TR": "KS4420-A1-TR", "KS4410-B2-TR": "KS4420-B2-TR"}
    assert not flagged, reasons


@pytest.mark.parametrize("layout", LAYOUTS, ids=["text", "pdf"])
def test_a_numbered_table_that_lost_its_empty_cells_is_read_row_by_row(layout):
    parts, flagged, reasons = read(HEAD + one_cell_per_line(ROWS, keep_empty=False) + TAIL, layout)
    assert parts == {row[2]: row[4] or None for row in ROWS}
    assert not flagged, reasons


@pytest.mark.parametrize("layout", LAYOUTS, ids=["text", "pdf"])
def test_a_short_row_that_could_be_read_two_ways_goes_to_a_person(layout):
    # the customer's numbers look like the replacements: a row with one of the two cannot be placed
    rows = [(n, o, p, r, r) for n, o, p, _, r in ROWS]
    rows[2] = ("3", "", "KS4411-C1", "", "KS4421-C1")
    parts, flagged, reasons = read(HEAD + one_cell_per_line(rows, keep_empty=False) + TAIL, layout)
    assert flagged
    assert any("KS4411-C1" in r or "KS4421-C1" in r for r in reasons), reasons


GRID = [f"KS{4400 + n}-{s}" for n in range(12) for s in ("A1", "B2")]


@pytest.mark.parametrize("layout", LAYOUTS, ids=["text", "pdf"])
def test_a_list_of_nothing_but_parts_with_no_label_is_all_parts(layout):
    lines = HEAD + ["Product Group: Power / Tuesday March 31, 2026 / PDN-2026-4410", "", *GRID] + TAIL
    parts, flagged, reasons = read(lines, layout)
    assert parts == dict.fromkeys(GRID)
    assert not flagged, reasons


@pytest.mark.parametrize("layout", LAYOUTS, ids=["text", "pdf"])
def test_a_bare_list_under_a_line_naming_replacements_is_no_affected_part(layout):
    lines = HEAD + ["Suggested replacements", "", *GRID] + TAIL
    parts, flagged, _ = read(lines, layout)
    assert not set(parts) & set(GRID)
    assert flagged


@pytest.mark.parametrize("layout", LAYOUTS, ids=["text", "pdf"])
def test_a_wide_table_one_cell_per_line_leaves_its_short_runs_of_parts_unread(layout):
    # ten columns, one cell per line: a part and its name stand on two lines in a row, no grid
    header = ["Orderable part", "Name", "Type", "Description", "Package", "Outline", "State"]
    header += ["Availability", "Source", "Replacement"]
    rows = [
        [f"KS44{n}0-A1,115", f"KS44{n}0-A1", "Zener", "Voltage regulator diode", "SOD323", "SOD2", "RFS"]
        + ["No", "Fab 2", ""]
        for n in range(1, 7)
    ]
    lines = HEAD + header + [c for row in rows for c in row if c] + TAIL
    parts, flagged, reasons = read(lines, layout)
    assert flagged, parts
    assert not {"KS4410-A1", "SOD323", "SOD2"} & set(parts)


@pytest.mark.parametrize("layout", LAYOUTS, ids=["text", "pdf"])
def test_an_unread_listing_is_a_miss_whatever_series_covers_it(layout):
    """A series the notice names ("KS45%") does not account for the parts a listing of it names: when
    that listing is not read (its cells fall into no rows), they are a miss, not a family match."""
    read_table = [
        "Affected part",
        "Replacement",
        "KS4410-A1-TR",
        "KS4420-A1-TR",
        "KS4410-B2-TR",
        "KS4420-B2-TR",
    ]
    listing = ["No.", "Part Number", "Replacement", "1", "KS4501-A1", "KS4601-A1", "2", "KS4502-B1"]
    listing += ["KS4503-C1", "KS4603-C1"]  # "3" lost: the rows cannot be told apart
    lines = HEAD[:7] + ["The KS44 parts and all KS45% devices are discontinued.", ""] + read_table
    lines += ["", "Listing of the KS45% devices", ""] + listing + TAIL
    parts, flagged, reasons = read(lines, layout)
    assert "KS4410-A1-TR" in parts
    assert flagged and any("KS4501-A1" in r for r in reasons), (parts, reasons)


@pytest.mark.parametrize("layout", LAYOUTS, ids=["text", "pdf"])
def test_a_grid_one_cell_per_line_cut_by_marked_empty_cells_is_not_read_in_part(layout):
    """A header-less grid with a column of marked empty cells ("-"), one cell per line: the parts between
    two marks stand alone on their lines, which no list holds, so the grid is not read as lists in part:
    the document goes to a person."""
    cells = []
    for n, part in enumerate(GRID[:13]):  # runs of 1, 1, 3, 1, 3, 1, 3 parts between the marks
        cells += [part, "-"] if n % 4 in (0, 1) else [part]
    parts, flagged, reasons = read(HEAD + ["Product Group: Power", "", *cells] + TAIL, layout)
    assert set(parts) >= set(GRID[:13]) or flagged, (parts, reasons)  # read whole, or a person looks
