"""Stage 1, the layout: the stretches of a document and the blocks where part numbers are listed.

A notice lists its parts in tables (with or without a header row), in grids of
nothing but part numbers, and in plain lists one or a few per line. Each block
keeps the rows as read, the header row when one was found, and whether it sits
in a supporting document (a qualification report or datasheet names test
vehicles, not affected parts). Running text is not a block: a part named in a
sentence is a reference, not a list, and is not counted.

Text-only sections (a PDF that reached us as extracted text, an HTML mail) are
cut into blocks by lines: a run of lines of two or more cells is a table, a run
of lines that are nothing but part numbers is a list.

The layout is made once per document and read by everything after it: the
rules read a stretch's tables and text (``rules``), the ledger counts every
block's part-like strings (``ledger``). A stretch is a section, or one notice's
stretch of a digest section; a digest section's own tables belong to no single
notice, so they are counted but read by no stretch.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from os.path import commonprefix

from radar_pipeline.documents.model import Document, Section, Table
from radar_pipeline.extraction.columns import Columns, header_columns, header_role
from radar_pipeline.extraction.grouping import digest_segments
from radar_pipeline.extraction.parts import (
    clean_token,
    list_item_head,
    looks_like_mpn,
    part_cell_tokens,
    part_shaped,
    tokens_in_line,
)

CELL_SPLIT = re.compile(r"\s*\|\s*|\t|\s{2,}")
# "Package: SOT-23", "PCN No.: 123": a labelled field, not a list line
FIELD_LINE = re.compile(r"^\s*[^\W\d][^:：]{1,40}[:：]\s*\S")
FIELD_VALUE = re.compile(r"^[^:：]{1,40}[:：]\s*(?P<value>\S.*)$")
# An attachment named as a qualification or reliability report, or a datasheet, lists test vehicles and lots
REPORT_NAME = re.compile(
    r"qual(?:ification)?[\s_-]*(?:rpt|report|data|results|summary)|reliability|\brel[\s_-]*(?:rpt|report)|"
    r"datasheet|data[\s_-]sheet",
    re.I,
)


@dataclass(frozen=True)
class Block:
    """A table, grid or list of one section, as rows of cells."""

    kind: str  # "table" | "list" | "cells" (a table's cells one per line that fall into no rows)
    section: str
    index: int  # the block's position among the document's blocks
    rows: list[list[str]]
    header_row: int | None  # rows[header_row] names the columns
    aside: str = ""  # why the section names no affected parts (a qualification report, a datasheet)
    lead: str = ""  # the line leading into a list or grid ("Suggested replacements:"): the header it has
    source: str = "text"  # "document": a table the reader found; "text": cut from the section's text
    continues: Block | None = None  # the table this header-less one continues (the next page's rows)

    @property
    def header(self) -> list[str]:
        """The row naming the columns: the block's own, or the one of the table it continues."""
        if self.continues is not None:
            return self.continues.header
        return self.rows[self.header_row] if self.header_row is not None else []

    @property
    def parent(self) -> list[str] | None:
        """The group heading row above the header ("Current" | "New"), if any."""
        if self.continues is not None:
            return self.continues.parent
        return self.rows[self.header_row - 1] if self.header_row else None

    @property
    def body(self) -> int:
        """The first row under the header (0 for a table that continues another)."""
        return self.header_row + 1 if self.header_row is not None else 0

    @cached_property
    def columns(self) -> Columns | None:
        """What the header says each column holds, read with the rows under it (``columns``)."""
        if not self.header:
            return None
        return header_columns(self.header, self.parent, self.rows[self.body : self.body + 50])

    def where(self) -> str:
        return f"a {self.kind} in {self.section}"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in CELL_SPLIT.split(line.strip()) if c.strip()]


def _pipe_cells(line: str, outer: bool) -> list[str]:
    """The cells of a line ruled with ``|``, an empty one kept in its place ("| BD2798P/T9 |  |": a part
    without a replacement; "|  | BDQ233 |": no part, its replacement stays in the second column).
    ``outer``: the table rules its edges too, so a leading or trailing ``|`` opens no cell."""
    inner = line.strip()
    if outer:
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip() for c in inner.split("|")]


def aligned_rows(lines: list[str]) -> Table:
    """The cells of a run of table lines. Columns aligned by spaces (a PDF's text dump) keep their
    places: a row with an empty cell ("KV3302   <blank>   C-100-22") puts each cell under the header
    cell it stands nearest to, instead of shifting it left into the wrong column."""
    if any("|" in line or "\t" in line for line in lines):
        ruled = [line.strip() for line in lines if "|" in line]
        outer = sum(r.startswith("|") or r.endswith("|") for r in ruled) > len(ruled) / 2
        return [_pipe_cells(line, outer) if "|" in line else _cells(line) for line in lines]
    # cells are runs of words one space apart (CELL_SPLIT's gutter is two), with where they start
    spans = [[(m.start(), m.group(0)) for m in re.finditer(r"\S+(?:\s\S+)*", line)] for line in lines]
    width = max(map(len, spans), default=0)
    starts = next((s for s in spans if len(s) == width), [])
    out = []
    for cells in spans:
        if len(cells) == width or width < 2:
            out.append([text for _, text in cells])
            continue
        placed, col = [""] * width, 0
        for start, text in cells:
            col = min(range(col, width), key=lambda i: abs(starts[i][0] - start), default=width - 1)
            placed[col] = f"{placed[col]} {text}".strip()
            col = min(col + 1, width - 1)
        out.append(placed)
    return out


def _nfkc(rows: Table) -> Table:
    return [[unicodedata.normalize("NFKC", c or "") for c in row] for row in rows]


def find_header(rows: Table) -> int | None:
    """The row naming the columns, among the first 25 (a key/value block may sit above it).

    Of the rows that read as a parts header (``columns``), the one with the most parts under it;
    a cell holding a label and a part ("1. 対象製品：MCX314AL") is a field, never a header; of two
    header rows one above the other (a lead-in line "The following devices are affected:" over the
    header) the lower one; a title with no parts right under it only when nothing better is found.
    Without a parts header, a first row of header words (a sheet of customer numbers and
    replacements) still names its columns.
    """
    best: tuple[int, int | None] = (0, None)  # (parts under it, row)
    fallback: int | None = None
    for i, row in enumerate(rows[:25]):
        cols = header_columns(row, rows[i - 1] if i else None)
        if cols is None or _field_row(row):
            continue
        below = rows[i + 1 : i + 21]
        first = [r for r in below if any((c or "").strip() for c in r)][:3]
        if not any(part_cell_tokens(r[c]) for r in first for c in cols.parts if c < len(r)):
            fallback = i if fallback is None else fallback
            continue
        found = sum(bool(part_cell_tokens(r[c])) for r in below for c in cols.parts if c < len(r))
        if found > best[0] or best[1] is None or i == best[1] + 1 and found >= best[0]:
            best = (found, i)
        if found >= min(10, len(below)) and not (i + 1 < len(rows) and header_columns(rows[i + 1], row)):
            break
    if best[1] is not None or fallback is not None:
        return best[1] if best[1] is not None else fallback
    if len(rows) > 1:
        first = [c for c in rows[0] if c.strip()]
        if first and any(header_role(c) for c in first) and not _field_row(first):
            return 0
    return None


def _field_row(row: list[str]) -> bool:
    """A row with a label and its part ("1. 対象製品:MCX314AL", "Products affected: | KV3302"): fields,
    no header."""
    cells = [c.strip() for c in row if c.strip()]
    return any(
        (f := FIELD_VALUE.match(c))
        and tokens_in_line(f["value"])
        or c.endswith((":", "："))
        and i + 1 < len(cells)
        and tokens_in_line(cells[i + 1])
        for i, c in enumerate(cells)
    )


def _list_items(line: str) -> list[str]:
    """The part numbers of a list line: a line of nothing but part numbers (one or a few, maybe after a
    bullet), or a bulleted or numbered item that starts with one ("• TPV1120-5.0 – 5 V LDO")."""
    head = list_item_head(line)
    line = line.strip().lstrip("•·-–*▪◦●").strip()
    if not line or FIELD_LINE.match(line) or "|" in line:
        return []
    tokens = [t for t in re.split(r"[\s;]+|,\s+", line) if t]
    if tokens and len(tokens) <= 12 and all(part_like(t) for t in tokens):
        return tokens
    return [head] if head and part_like(head) else []


def text_blocks(text: str) -> list[tuple[str, Table, str]]:
    """Runs of table lines (two or more cells) and of list lines in plain text, each with the line that
    leads into it (a list's only header: "Affected products:", "Suggested replacements:")."""
    return [(kind, rows, lead) for kind, rows, lead, _ in text_runs(text)]


def text_runs(text: str) -> list[tuple[str, Table, str, range]]:
    """``text_blocks`` with the lines each block stands on.

    A line of two or more cells is a table row, also when every cell is a part number (a grid); a
    line of one cell that is a part in a table stays in it (a row whose other cells are empty), and
    so does one right above its rows (a table continued on a new page whose first row has only its
    part: the replacement cell blank).
    """
    out: list[tuple[str, Table, str, range]] = []
    kind, rows, lead, last_words, start, previous = "", [], "", "", 0, ""
    for n, line in enumerate([*text.split("\n"), ""]):  # the lines the layout blanks out by number
        cells = _cells(line)
        items = _list_items(line)
        ruled = "|" in line and bool(cells)  # a row of a ruled table, some of its cells maybe empty
        now = "table" if len(cells) >= 2 or ruled else "list" if items else ""
        if now == "list" and kind == "table":
            now = "table"  # a short row inside a table stays in it
        if now != kind and rows:
            # one lone part on a line is a field's value ("CUC800010" under a customer's name), not a
            # list; one row is a table only as a grid of nothing but part numbers (under a letter's title)
            table = aligned_rows(rows) if kind == "table" else rows
            if (
                kind == "table"
                and (len(rows) >= 2 or all(looks_like_mpn(c) for c in table[0]))
                or kind == "list"
                and sum(map(len, rows)) >= 2
            ):
                out.append((kind, table, lead, range(start, n)))
                rows = []
            elif kind == "list" and now == "table":
                rows = [previous]  # the lone part is the table's first row
            else:
                rows = []
        if now and not kind:
            lead, start = last_words, n
        elif not now and line.strip():
            last_words = line.strip()
        kind, previous = now, line
        if now == "list":
            rows.append(items)
        elif now == "table":
            rows.append(line)
    return out


# A table whose text comes one cell per line (a PDF's text layer, an element dump): its header cells,
# then each row's cells. The header count gives the stride.
MAX_HEADER = 8


def _header_cell(line: str) -> str:
    """The role a line that is one header cell names ("affected", "replacement", "other"), else ""."""
    text = line.strip()
    if not text or len(text) > 40 or CELL_SPLIT.search(text) or text.endswith((".", ",")):
        return ""
    return "" if FIELD_LINE.match(text) else header_role(text)


def _label_cell(line: str) -> bool:
    """A line that can be a header cell naming no role ("S/No", "Ordered", "Qty", "Package"): a short
    label, not a part, a number, a sentence or a labelled field."""
    text = line.strip()
    return (
        bool(text)
        and len(text) <= 30
        and len(text.split()) <= 4
        and not re.fullmatch(r"[\d.,]+", text)
        and not text.endswith((".", ",", ":", "："))
        and not FIELD_LINE.match(text)
        and not tokens_in_line(text)
    )


def _cell_line(line: str) -> bool:
    """A line that can be one cell of a table: not a sentence, not a labelled field."""
    text = line.strip()
    return bool(text) and len(text.split()) <= 6 and not FIELD_LINE.match(text) and len(text) <= 60


def cells_tables(text: str) -> tuple[list[tuple[Table, int | None, str]], str]:
    """The tables of ``text`` written one cell per line, and the text without them (their lines left
    blank). Each is ``(rows, header row, lead)``: with the header on top when every row of the stride
    has a part in the parts column; when the cells do not fall into rows (an empty cell gave no line),
    the cells one per row with no header and the header as the lead (a block of kind "cells": no column
    is guessed, the strings stay unread and the document goes to a person)."""
    lines = text.split("\n")
    found: list[tuple[Table, int | None, str]] = []
    i = 0
    while i < len(lines):
        roles = []
        j = i
        while j < len(lines) and len(roles) < MAX_HEADER and (role := _header_cell(lines[j])):
            roles.append(role)
            j += 1
        k = len(roles)
        if "affected" not in roles:
            i += 1
            continue
        end = (
            j  # the cells, up to a line that is none; blank lines fewer than a row's width may be empty cells
        )
        while end < len(lines) and not _header_cell(lines[end]):
            if _cell_line(lines[end]):
                end += 1
                continue
            gap = next((n for n in range(end, min(end + k, len(lines))) if lines[n].strip()), None)
            if lines[end].strip() or gap is None or not _cell_line(lines[gap]) or _header_cell(lines[gap]):
                break
            end = gap
        # the header's cells that name no role ("S/No", "Ordered") stand beside those that do: the
        # extent whose stride puts a part in every row is the header; the table may end at a blank
        # line before the last cell-like line ("Please do not reply")
        rows, top, first = None, i, j
        extents = sorted(((u, d) for u in range(4) for d in range(4) if k + u + d >= 2), key=sum)
        ends = [end, *[n for n in range(end - 1, j, -1) if not lines[n].strip()][:3]]
        ends = [e for e in ends if not any(part_cell_tokens(x) for x in lines[e:end])]  # no part cut off
        for last, (up, down) in ((e, x) for e in ends for x in extents):
            above = lines[max(i - up, 0) : i]
            below = lines[j : min(j + down, last)]
            if len(above) < up or len(below) < down or not all(map(_label_cell, above + below)):
                continue
            if rows := _rows(lines[j + down : last], ["other"] * up + roles + ["other"] * down):
                top, first, end = i - up, j + down, last
                break
        header = [x.strip() for x in lines[top:first]]
        cells = [c.strip() for c in lines[j:end] if c.strip()]
        if not cells or rows is None and (k < 2 or sum(bool(part_cell_tokens(c)) for c in cells) < 2):
            i += 1
            continue
        if rows is not None:
            found.append(([header, *rows], 0, ""))
        else:
            found.append(([[c] for c in cells], None, " | ".join(lines[i:j])))
        lines[top:end] = [""] * (end - top)
        i = end
    return found, "\n".join(lines)


def _rows(lines: list[str], roles: list[str]) -> list[list[str]] | None:
    """The cells under a header of ``roles`` in rows: as written; with the last row's empty cells (no
    line can tell them from the blank after the table); or with no empty cell at all (a text layer
    gives none). None when no reading puts a part in every row."""
    written = [x.strip() for x in lines]
    padded = written + [""] * (-len(written) % len(roles))
    part = roles.index("affected")
    return next(
        (r for cells in (written, padded, [c for c in written if c]) if (r := _stride(cells, roles, part))),
        None,
    ) or _numbered([c for c in written if c], roles)


def _numbered(cells: list[str], roles: list[str]) -> list[list[str]] | None:
    """The rows of a table whose first column numbers them (1, 2, 3 …) when a text layer dropped its
    empty cells: each number opens a row, and a short row's cells go, in order, to the columns whose
    cells in the full rows they are most like, the parts column always filled (a row is there for its
    part). None when a row could be read two ways."""
    k, part = len(roles), roles.index("affected")
    starts: list[int] = []
    for n, cell in enumerate(cells):
        if cell.isdigit() and (n == 0 or starts and int(cell) == int(cells[starts[-1]]) + 1):
            starts.append(n)
    if part == 0 or len(starts) < 2 or starts[0] != 0:
        return None
    chunks = [cells[a:b] for a, b in zip(starts, [*starts[1:], len(cells)], strict=True)]
    full = [c for c in chunks if len(c) == k][:20]
    if not full or any(not 2 <= len(c) <= k for c in chunks):
        return None
    profiles = [_Profile([r[col] for r in full]) for col in range(k)]
    rows = []
    for chunk in chunks:
        like = [[profiles[col].likeness(cell) for col in range(k)] for cell in chunk[1:]]
        ways = sorted(
            (
                (sum(like[n][col] for n, col in enumerate(cols)), cols)
                for cols in combinations(range(1, k), len(chunk) - 1)
                if part in cols
            ),
            reverse=True,
        )
        if not ways or len(ways) > 1 and ways[0][0] == ways[1][0]:
            return None
        row = [chunk[0], *[""] * (k - 1)]
        for cell, col in zip(chunk[1:], ways[0][1], strict=True):
            row[col] = cell
        rows.append(row)
    return rows if all(part_cell_tokens(r[part]) for r in rows) else None


class _Profile:
    """What a column's cells look like: their shapes, their pairs of characters (a family's stem, a
    customer's number series) and their beginnings (a distributor's prefix)."""

    def __init__(self, cells: list[str]) -> None:
        self.cells = cells
        self.shapes = {_shape(c) for c in cells}
        self.pairs = {p for c in cells for p in _pairs(c)}

    def likeness(self, cell: str) -> float:
        pairs, size = _pairs(cell), max(len(cell), 1)
        start = max(len(commonprefix([cell, c])) for c in self.cells) / size
        return (_shape(cell) in self.shapes) + len(pairs & self.pairs) / max(len(pairs), 1) + start


def _pairs(text: str) -> set[str]:
    return {text[n : n + 2] for n in range(len(text) - 1)}


def _stride(cells: list[str], roles: list[str], part: int) -> list[list[str]] | None:
    """The cells in rows of the header's width, when every row has a part in the parts column and the
    replacements keep their own shapes; else None."""
    k = len(roles)
    chunks = [cells[n : n + k] for n in range(0, len(cells), k)]
    aligned = (
        bool(cells)
        and len(cells) % k == 0
        and all(part_cell_tokens(c[part]) for c in chunks)
        and all(_in_phase(chunks, part, r) for r, role in enumerate(roles) if role == "replacement")
    )
    return chunks if aligned else None


def _shape(text: str) -> str:
    """A string's shape: its runs of letters and of digits ("ZX6242-SO8-TR" → "A9-A9-A")."""
    return re.sub(r"[A-Za-z]+", "A", re.sub(r"\d+", "9", text))


def _in_phase(chunks: list[list[str]], part: int, replacement: int) -> bool:
    """Whether the parts and replacement columns read in rows keep their own shapes: a missing cell
    shifts the stride, and the replacements' shape then turns up among the parts (and back)."""
    from collections import Counter

    parts = Counter(_shape(c[part]) for c in chunks)
    repl = Counter(
        _shape(c[replacement]) for c in chunks if replacement < len(c) and part_like(c[replacement])
    )
    if not repl:
        return True
    shared = set(parts) & set(repl)
    return not shared or set(parts) == set(repl) == shared and len(shared) == 1


def _continues(rows: Table, last: Block | None) -> bool:
    """A header-less table continues the last one (next page) when it has its width (a short row's
    trailing cells are empty ones) and a part where parts go."""
    cols = header_columns(last.header, last.parent) if last is not None else None
    if cols is None or max(map(len, rows)) != cols.width:
        return False
    first = rows[0]
    if not any(part_cell_tokens(c) for c in first) and any(
        re.fullmatch(r"[A-Za-z ]{3,}", c.strip()) for c in first
    ):
        return False  # a header row of another table ("| Current Site | Additional Site")
    return any(part_cell_tokens(row[cols.part]) for row in rows[:3] if cols.part < len(row))


@dataclass(frozen=True)
class Stretch:
    """What the rules read as one: a section, or one notice's stretch of a digest section."""

    section: str
    kind: str  # the section's kind: text | html | pdf | spreadsheet
    text: str  # NFKC-normalised: full-width "ＭＣＸ314AL", "PCN ＮＯ：" read as ASCII
    blocks: list[Block]
    lines: str = ""  # the text whose lines are read as lists and sentences: tables written one cell
    # per line are blocks of their own, not lists (``cells_tables``)

    @property
    def line_text(self) -> str:
        return self.lines or self.text

    def tables(self, source: str) -> list[Block]:
        """The stretch's tables the reader found (``"document"``) or cut from its text (``"text"``)."""
        return [b for b in self.blocks if b.kind == "table" and b.source == source]


@dataclass(frozen=True)
class Layout:
    """Stage 1's value: what the rules read (the stretches) and what the ledger counts (every block)."""

    stretches: list[Stretch]
    blocks: list[Block]  # every block, in order: those of the stretches and a digest's own tables


def layout_of(doc: Document) -> Layout:
    """The stretches of the document and every table, grid and list in them."""
    blocks: list[Block] = []
    stretches: list[Stretch] = []

    def cut(section: Section, found: list[tuple[str, Table, str]], source: str) -> list[Block]:
        out = []
        aside = "a qualification or reliability report" if REPORT_NAME.search(section.name) else ""
        last: Block | None = None  # the last table with a parts header: a header-less one may continue it
        for kind, rows, lead in found:
            rows = _nfkc([row for row in rows if any((c or "").strip() for c in row)])
            if rows:
                header = find_header(rows) if kind == "table" else None
                more = last if kind == "table" and header is None and _continues(rows, last) else None
                out.append(Block(kind, section.name, len(blocks), rows, header, aside, lead, source, more))
                blocks.append(out[-1])
                if header is not None and header_columns(out[-1].header, out[-1].parent):
                    last = out[-1]
        return out

    def cut_text(section: Section, text: str, one_per_line=None) -> tuple[list[Block], str]:
        """The blocks of a section's text — tables written one cell per line first (``one_per_line``:
        ``cells_tables(text)`` when already made), then the rest — and the text whose lines are read as
        lists and sentences: a table's rows are no list."""
        cells, rest = one_per_line or cells_tables(text)
        out = []
        for rows, header, lead in cells:
            kind = "table" if header is not None else "cells"
            out.append(Block(kind, section.name, len(blocks), _nfkc(rows), header, "", lead, "text"))
            blocks.append(out[-1])
        runs = text_runs(rest)
        lines = rest.split("\n")
        for kind, _, _, where in runs:
            for n in where if kind == "table" else ():
                lines[n] = ""
        return out + cut(section, [(k, rows, lead) for k, rows, lead, _ in runs], "text"), "\n".join(lines)

    for section in doc.sections:
        text = unicodedata.normalize("NFKC", section.text)
        # a text layer one cell per line: the reader's one-column "table" under one of its header cells
        # is that table's cells, which the text's reading puts in rows
        one_per_line = cells_tables(text)
        headers = {
            c for rows, h, lead in one_per_line[0] for c in (rows[h] if h is not None else lead.split(" | "))
        }
        tables = [t for t in section.tables if not _one_column_under(t, headers)]
        own = cut(section, [("table", t, "") for t in tables], "document")
        segments = digest_segments(text)
        if len(segments) == 1:
            found, rest = cut_text(section, text, one_per_line)
            stretches.append(Stretch(section.name, section.kind, text, own + found, rest))
            continue
        for segment in segments:  # a digest: one stretch per notice, its tables cut from its own text
            found, rest = cut_text(section, segment)
            stretches.append(Stretch(section.name, section.kind, segment, found, rest))
    return Layout(stretches, blocks)


def _one_column_under(table: Table, headers: set[str]) -> bool:
    """A reader's one-column table that is a text layer's header cells, one per line, and what follows
    them: its top cell is one of ``headers``, or the cell under its top is another label ("Name" under
    "Orderable part"), where a one-column parts table has a part."""
    cells = [c.strip() for row in table for c in row if (c or "").strip()]
    return (
        bool(cells)
        and all(len(row) <= 1 for row in table)
        and (unicodedata.normalize("NFKC", cells[0]) in headers or len(cells) > 1 and _label_cell(cells[1]))
    )


# Japanese and Chinese write no space between a part number and the word beside it ("とMCX314As")
CJK_EDGE = re.compile(
    r"^[\u3040-\u30ff\u3400-\u9fff]+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])[\u3040-\u30ff\u3400-\u9fff]+$"
)


def clean(token: str) -> str:
    """A token without the punctuation, bullets and glued Japanese or Chinese words around it
    ("◆MCX314AL", "STM32C011F4Ux,", "とMCX514")."""
    token = CJK_EDGE.sub("", clean_token(token))
    token = re.sub(r"^[^\w(#+]+", "", token)
    return token[1:-1] if token.startswith("(") and token.endswith(")") else token


def part_like(token: str) -> bool:
    """A string shaped like an orderable part number, not a rating, a standard, a file name, a label's
    value ("DATE:20251029") or a fragment cut at an opening bracket ("4952(A")."""
    token = clean(token)
    return looks_like_mpn(token) and part_shaped(token)


def cell_tokens(cell: str) -> list[str]:
    """The part-like strings of one cell (several per cell: new lines, ``;``, ``, ``).

    A cell of running text ("IR reflow at 245C or 260C", "Qual device X is qualified at …") is a
    sentence: what it names is a reference in prose, not a listed part.
    """
    words = [w for w in re.split(r"[\s;]+|,\s+", cell) if w]
    found = [clean(w) for w in words if part_like(w)]
    return found if found and (len(words) <= 2 or len(found) * 2 >= len(words)) else []
