"""Stage 2, the candidates: every part-like string of the layout's blocks, and where it stands.

A string is a candidate by its shape alone, wherever it stands: in a column whose header names
parts (``parts.part_cell_tokens``, which also takes an all-digit orderable and one inner space),
in any other cell (``blocks.cell_tokens``), and a wildcard pattern ("KV33*", "KV3302%",
"NE90Bxx/T7") too — a table of patterns is a table of parts. What the string *is* (an affected
part, a replacement, a customer number…) is the next stage's question (``roles``); a candidate
nobody gives a role is a string the reading did not account for.

Rows of a form ("Description: …"), the fields above a table's header and a change's before/after
rows ("Die attach | X | Y") are fields, not lists, unless their label names parts ("Products
affected:"); a row with an empty first cell continues the label above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from radar_pipeline.extraction.blocks import Block, Layout, cell_tokens, clean
from radar_pipeline.extraction.columns import LIST_LABEL, header_role
from radar_pipeline.extraction.parts import WILDCARD, part_cell_tokens


@dataclass(frozen=True)
class Candidate:
    """A part-like string and where it stands."""

    text: str
    block: int
    row: int
    column: int
    header: str  # the column's header cell, or the lead-in of a list or grid ("" when none)
    pattern: bool = False  # a wildcard pattern of a series, not one orderable part


# The row labels of a change notice's before/after table and of a form: what they hold are materials,
# sites and codes of the change ("Mold compound | SID#R-31"), not parts.
CHANGE_ITEM = re.compile(
    r"compound|attach|\bwire|frame|substrate|plating|\bsite|\bfab\b|wafer|process|material|marking|"
    r"package|\bdie\b|\bbond|epoxy|finish|location|country|city|passivation|metal|layer|mask|tape|reel|"
    r"\bvendor|supplier|equipment|title|description|type|reason|\bdate\b|subject|revision|category|"
    r"材料|封装|工厂|地点|工厂|材質|工場",
    re.I,
)
# A share or a yield ("100%", "85.5%") is no pattern; a pattern names a series: letters or digits
# before the wildcard, a digit among them
_PATTERN = re.compile(r"^(?=[^*%?]*\d)[A-Z0-9][A-Z0-9\-/#+._,]{2,}(?:[*%?]|x)")


@lru_cache(maxsize=65536)
def patterns_of_cell(cell: str) -> list[str]:
    """The wildcard patterns of a cell ("KV33*", "KV3302%", "NE90Bxx/T7"), as the notice names them."""
    out = []
    for word in re.split(r"[\s;]+|,\s+", cell):
        token = clean(word).rstrip(".")
        if (
            token
            and WILDCARD.search(token)
            and _PATTERN.match(token)
            and not re.fullmatch(r"[\d.,]+%", token)
        ):
            out.append(token)
    return out


# a table repeats its cells ("", "N/A", a package, a maker): each distinct cell is tokenized once
_cell_tokens = lru_cache(maxsize=65536)(cell_tokens)
_part_cell_tokens = lru_cache(maxsize=65536)(part_cell_tokens)


def _row_label(row: list[str]) -> str | None:
    """The label a form row or before/after row starts with ("Title of Change:", "Mold Compound"), if any."""
    first = next((c.strip() for c in row if c.strip()), "")
    if not first or _cell_tokens(first) and not first.endswith((":", "：")):
        return None
    if first.endswith((":", "：")) or CHANGE_ITEM.search(first):
        return first
    return None


def _change_label(row: list[str], parts_first: bool) -> str | None:
    """In a parts table (``parts_first``: its first column holds the parts), a row whose parts cell names
    a change item instead ("Molding compound | SUMITOMO G700K" under "Commercial product"): a
    before/after row that shares the table."""
    first = row[0].strip() if row else ""
    if parts_first and first and not _cell_tokens(first) and CHANGE_ITEM.search(first):
        return first
    return None


def replacement_lead(lead: str) -> bool:
    """A short heading over a list or grid that says it lists replacements ("Suggested replacements:")."""
    return len(lead.split()) <= 8 and header_role(lead) == "replacement"


def _part_columns(block: Block) -> set[int]:
    """The columns a table's header (its own, or the one of the table it continues) says hold parts;
    every column of a header-less grid a list's label leads into ("Product Identification:")."""
    if not block.header:
        labelled = block.kind == "table" and LIST_LABEL.search(block.lead or "")
        return set(range(max(map(len, block.rows), default=0))) if labelled else set()
    return set(block.columns.parts) if block.columns else set()


def block_candidates(block: Block) -> list[Candidate]:
    """Every part-like string of one block, with its row, column and header."""
    out = []
    header = block.header
    said = [header_role(h) for h in header]
    form = "affected" not in said  # a parts header rules its rows
    parts_first = bool(said) and said[0] == "affected"
    parts_at = _part_columns(block)
    # A list or grid led in by a short replacement heading ("Suggested replacements:") lists
    # replacements; no other lead decides a role (a sentence naming customers says nothing of its list)
    lead = block.lead if not header and block.kind != "cells" and replacement_lead(block.lead) else ""
    label: str | None = None
    for r, row in enumerate(block.rows):
        if r == block.header_row:
            label = None  # a field above the header does not run on into the table
            continue
        first = next((c for c in row if c.strip()), "")
        above = block.header_row is not None and r < block.header_row
        if row and (row[0].strip() or not _cell_tokens(first)):
            found = _row_label(row) if form or above else _change_label(row, parts_first)
            label = found or (label if not row[0].strip() else None)  # a label's text runs on
        if label and header_role(label) != "affected":
            continue
        below = r >= block.body
        for c, cell in enumerate(row):
            if label and c == 0 or not cell.strip():
                continue
            where = header[c] if c < len(header) else lead
            strings = _part_cell_tokens(cell) if below and c in parts_at else _cell_tokens(cell)
            for token in strings:
                out.append(Candidate(token, block.index, r, c, where))
            for token in patterns_of_cell(cell):
                out.append(Candidate(token, block.index, r, c, where, pattern=True))
    return out


def candidates_of(layout: Layout) -> list[Candidate]:
    """Stage 2: every part-like string of every block of the layout."""
    return [c for block in layout.blocks for c in block_candidates(block)]
