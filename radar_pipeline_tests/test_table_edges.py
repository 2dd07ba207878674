"""Rows at the edges of a table that used to fall out of it, each a convention of the trade, each in two
layouts — found by chaining two metamorphic transformations of generated letters (a date rewrite, then
the table split over pages), where the part vanished with no doubt raised:

- a table continued on a new page whose first row has only its part (the replacement cell blank);
- a ruled row (``|``) with an empty cell;
- a list headed "Your affected parts": the maker's part numbers for this customer, not the customer's own
  numbers ("Your part number" stays the customer's).
"""

from __future__ import annotations

import pytest

from radar_pipeline.documents import read_bytes
from radar_pipeline.review.reading import read_reviewed

HEAD = """Briden Microdevices Corp.
Product Discontinuance Notice
Notification number: DN-2026-0777
Issue date: 2026-10-23
Last time buy: 2027-07-09

"""
PAIRS = [
    ("BD2761P/T2", "BDQ234C8#PBF"),
    ("BD2735P/T1", "BDQ234J7#PBF"),
    ("BD2751P/T8", "BDQ235C7#PBF"),
    ("BD2798P/T9", None),
    ("BD2702P/T3", "BDQ233D3#PBF"),
    ("BD2735P/T3", "BDQ233D4#PBF"),
]


def read(text: str, name: str = "notice.txt") -> tuple[dict[str, str | None], bool]:
    """The parts read (part -> replacement) and whether the document goes to a person."""
    result, assessment, _ = read_reviewed(read_bytes(text.encode(), name), None, "always")
    (notice,) = result.notices
    return {p.mpn: p.replacement_mpn for p in notice.parts}, assessment.needs_review


def spaced(part: str, replacement: str | None) -> str:
    return f"{part:<20}{replacement or ''}".rstrip()


def tabbed(part: str, replacement: str | None) -> str:
    return f"{part}\t{replacement or ''}".rstrip()


@pytest.mark.parametrize("row", [spaced, tabbed], ids=["space-aligned", "tab-separated"])
def test_a_table_continued_on_a_new_page_keeps_its_first_row_without_a_replacement(row):
    first, rest = PAIRS[:3], PAIRS[3:]  # page 2 starts with the part that has no replacement
    text = (
        HEAD
        + row("Affected products", "Suggested replacement")
        + "\n"
        + "\n".join(row(p, r) for p, r in first)
        + "\n\nPage 1 of 2\n\n"
        + "\n".join(row(p, r) for p, r in rest)
        + "\n\nSincerely, Quality Assurance\n"
    )
    parts, _ = read(text)
    assert parts == dict(PAIRS)


@pytest.mark.parametrize("outer", [True, False], ids=["outer rules", "inner rules only"])
def test_a_ruled_row_with_an_empty_cell_stays_in_its_table_and_its_column(outer):
    def ruled(*cells: str) -> str:
        inner = " | ".join(cells)
        return f"| {inner} |" if outer else inner

    rows = [ruled("Affected products", "Suggested replacement")]
    rows += [ruled(p, r or "") for p, r in PAIRS]
    rows.insert(3, ruled("", "BDQ299X1#PBF"))  # a replacement whose part cell is empty (merged above)
    parts, _ = read(HEAD + "\n".join(rows) + "\n")
    assert parts == dict(PAIRS)  # the blank-replacement row is read; the lone replacement is no part


def subset_letter(head: str, html: bool) -> tuple[str, str]:
    """A letter whose customer list (headed ``head``) names BD2799P/T1, which the full list leaves out."""
    subset = [("BD2735P/T1", "6000"), ("BD2799P/T1", "3600")]
    full = [p for p, _ in PAIRS]
    if html:
        table = "".join(f"<tr><td>{p}</td><td>{q}</td></tr>" for p, q in subset)
        listing = "".join(f"<tr><td>{p}</td></tr>" for p in full)
        body = (
            f"<p>{HEAD.replace(chr(10), '<br>')}</p><p>Our records show you purchased:</p>"
            f"<table><tr><th>{head}</th><th>Last order</th></tr>{table}</table>"
            f"<p>Appendix A - Full list of affected products</p>"
            f"<table><tr><th>Affected products</th></tr>{listing}</table>"
        )
        return f"<html><body>{body}</body></html>", "notice.html"
    text = HEAD + "Our records show you purchased:\n\n" + spaced(head, "Last order") + "\n"
    text += "\n".join(spaced(p, q) for p, q in subset)
    text += "\n\nAppendix A - Full list of affected products\n\nAffected products\n" + "\n".join(full) + "\n"
    return text, "notice.txt"


@pytest.mark.parametrize("html", [False, True], ids=["text", "html"])
def test_your_affected_parts_are_the_makers_part_numbers(html):
    parts, flagged = read(*subset_letter("Your affected parts", html))
    assert "BD2799P/T1" in parts or flagged  # never dropped in silence
    assert set(dict(PAIRS)) <= set(parts)


@pytest.mark.parametrize("html", [False, True], ids=["text", "html"])
def test_your_part_number_stays_the_customers_own_number(html):
    text, name = subset_letter("Your part number", html)
    parts, _ = read(text.replace("BD2799P/T1", "CUC-800010"), name)
    assert "CUC-800010" not in parts and set(parts) == set(dict(PAIRS))


def form_letter(html: bool) -> tuple[str, str]:
    """A change form whose number field is empty; the next field's title names the parts' family after
    the notice kind ("Title of PCN  BD2761x …"); the document id stands in the footer."""
    lines = [
        "PRODUCT / PROCESS CHANGE INFORMATION",
        "1.1 Company  Briden Microdevices Corp.",
        "1.2 PCN No.  ",
        "1.3 Title of PCN  BD2761x and BD2798x Products - firmware enhancement",
        "1.4 Issue date  2026-03-20",
        "Change type: firmware",
        "",
        "Affected parts",
        *(p for p, _ in PAIRS),
        "",
        "QA/26/15933  Rev. A    1/1",
    ]
    if html:
        return "<html><body>" + "".join(f"<p>{line}</p>" for line in lines) + "</body></html>", "form.html"
    return "\n".join(lines) + "\n", "form.txt"


@pytest.mark.parametrize("html", [False, True], ids=["text", "html"])
def test_a_title_naming_the_parts_family_is_no_notice_number(html):
    """An empty number field takes no family name from the title after it: the notice goes by the
    document id in its footer, one notice, never a second one named after the parts."""
    text, name = form_letter(html)
    result, _, _ = read_reviewed(read_bytes(text.encode(), name), None, "always")
    assert [n.notice_number for n in result.notices] == ["QA/26/15933"]


@pytest.mark.parametrize("html", [False, True], ids=["text", "html"])
def test_a_grid_with_marked_empty_cells_is_still_a_grid(html):
    """A header-less grid of part numbers whose empty cells are marked ("-", "N/A") is all parts; a cell
    repeating its row's part (a replacement equal to the part) adds nothing."""
    parts = [p for p, _ in PAIRS]
    rows = [[parts[n], "-", parts[n + 1]] for n in range(0, len(parts), 2)]
    rows[1][1] = "N/A"
    rows[2][1] = rows[2][0]
    if html:
        cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        text, name = (
            f"<html><body><p>{HEAD.replace(chr(10), '<br>')}</p><table>{cells}</table></body></html>",
            "n.html",
        )
    else:
        text, name = HEAD + "\n".join("   ".join(r) for r in rows) + "\n\nSincerely, QA\n", "n.txt"
    got, flagged = read(text, name)
    assert got == dict.fromkeys(parts) and not flagged


@pytest.mark.parametrize("html", [False, True], ids=["text", "html"])
def test_the_footer_spells_the_number_the_text_cuts_short(html):
    """Without a labelled number, an id-shaped string in the text ("PCN-DM202601-04") that the page footer's
    document id contains is that id, spelled in full by the footer."""
    lines = [
        "Briden Microdevices Corp.",
        "Product Change Notification",
        "Issue date: 2026-03-20",
        "Change type: assembly site (see PCN-DM202601-04 for the qualification)",
        "",
        "Affected parts",
        *(p for p, _ in PAIRS),
        "",
        "BMD-PCN-DM202601-04-A    Page 1 of 1",
    ]
    text, name = (
        ("<html><body>" + "".join(f"<p>{x}</p>" for x in lines) + "</body></html>", "n.html")
        if html
        else ("\n".join(lines) + "\n", "n.txt")
    )
    result, _, _ = read_reviewed(read_bytes(text.encode(), name), None, "always")
    assert [n.notice_number for n in result.notices] == ["BMD-PCN-DM202601-04-A"]
