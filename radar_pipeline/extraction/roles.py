"""Stage 3, the roles: what each candidate is, with the evidence, stretch by stretch.

Each stretch of the layout (an attachment, the mail body, one notice of a digest) is read on its
own. The parts of its tables and grids are its candidates (``candidates``) in the columns the
header row names as parts (``columns``: the rank of the header is the strength of the evidence),
with the replacement their row pairs them with; a table without a header continues the last one
of its width; a grid of nothing but part numbers is all parts. Then the text's own conventions:
labelled lists ("Affected parts:" and the lines under it), a distributor's record lines ("part
maker quantity"), sentences that pair a part with its replacement ("B replaces A") and — only when
none of those gave any — parts named in sentences (``prose``, the weakest evidence, which sends the
notice to a person). What a stretch says on its own is a ``Piece``; the next stage groups pieces
into notices (``notices``).
"""

from __future__ import annotations

import re

from radar_pipeline.extraction import fields
from radar_pipeline.extraction.blocks import CELL_SPLIT, REPORT_NAME, Block, Layout, Stretch, part_like
from radar_pipeline.extraction.candidates import Candidate
from radar_pipeline.extraction.columns import LIST_LABEL, header_columns, header_role
from radar_pipeline.extraction.dates import parse_date
from radar_pipeline.extraction.evidence import GRID, PartEvidence
from radar_pipeline.extraction.grouping import Piece, id_key
from radar_pipeline.extraction.parts import (
    list_item_head,
    looks_like_mpn,
    patterns_in,
    split_cell,
    tokens_in_line,
)
from radar_pipeline.notices.manufacturers import canonical

SECTION_END = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s*)?(?:代替|替代|推[荐薦]|理由|原因)|"
    r"^\s*(?:\d+(?:\.\d+)*\.?\s*)?(?:reason|replacement|substitute|alternative|description\s*of\s*change|contact|regards|sincerely|best\s*regards|"
    r"mit\s*freundlichen|kontakt|grund|begründung|impact|timeline|schedule|questions|note|disclaimer|"
    r"last\s*time|ltb|lts|important)\b",
    re.I,
)
ARROW = re.compile(
    r"\s*(?:->|→|=>|⇒|\breplaced\s*by\b|\breplacement\s*:?|\bsuccessor\s*:?|\bersetzt\s*durch\b|\bnachfolger\s*:?|"
    r"\bmigrate\s*to\b|\bmigration\s*to\b|\buse\s*instead\s*:?|\bwechsel\s*(?:auf|zu)\b|\bremplacé\s*par\b)\s*",
    re.I,
)
# The same pairing written the other way round: "B (is/as the) replacement for A", "B replaces A",
# "B ersetzt A", "B remplace A": the new part comes first.
ARROW_BACK = re.compile(
    r"\s*(?:\b(?:is|as|the|a|recommended|suggested|\s)*\b(?:replacement|successor|substitute|alternative)\s+(?:for|of|to)\b|"
    r"\breplaces\b|\bersetzt\b(?!\s*durch)|\bremplace\b(?!\s*par))\s*",
    re.I,
)
# Placeholder cells: a replacement column says "none" in many ways; such a cell ends no table.
NO_PART = re.compile(
    r"^(?:#?n/?a|#?none|no|nil|null|#?tbd|tba|-+|—|–|\?|no\s*replacement|keine?|kein\s*ersatz|"
    r"not\s*available|#value!|#ref!|0)$",
    re.I,
)
SUPPORTING = re.compile(
    r"absolute\s*maximum\s*ratings|electrical\s*characteristics|pin\s*(?:configuration|description)s?|"
    r"package\s*(?:outline|dimensions)|typical\s*(?:application|performance)|qualification\s*(?:report|plan|results)|"
    r"reliability\s*(?:report|evaluation|test|plan)|test\s*(?:results|conditions)|\bdatasheet\b|data\s*sheet|"
    r"\bfeatures\b|\bapplications?\b|ordering\s*information|(?:input|output)\s*voltage|\befficiency\b",
    re.I,
)
NOTICE_WORDS = re.compile(
    r"\b(?:PCN|PDN|EOL|PCI|ECN|notification|notice|discontinu\w*|change|obsolete|withdrawal)\b|通知|停[產产]|終息|変更",
    re.I,
)
NOTICE_NAME = re.compile(r"pcn|pdn|eol|notice|notification|discontinu|change|obsolete|advisory", re.I)
NUMERIC_PART = re.compile(r"(?<![\w/.:-])\d{2,}-\d{5,}[A-Z]{0,3}(?![\w/.-])")
PAGE_FOOTER = re.compile(r"\b(?:page|seite)\s*\d+\s*(?:of|/|von)\s*\d+", re.I)
PART_WORDS = re.compile(
    r"part|device|product|discontinu|replace|affected|obsolete|\beol\b|teil|produkt|typ|ordering", re.I
)


# -- tables and grids: their candidates, by the header's columns --------------------------------
def _replacement(cell: str) -> str | None:
    for token in split_cell(cell):
        if NO_PART.match(token):
            return None
        if looks_like_mpn(token, in_part_column=True):
            return token
    return None


def _cells(candidates: list[Candidate]) -> dict[tuple[int, int], list[Candidate]]:
    out: dict[tuple[int, int], list[Candidate]] = {}
    for c in candidates:
        out.setdefault((c.row, c.column), []).append(c)
    return out


def read_tables(tables: list[Block], candidates: dict[int, list[Candidate]], out: PartEvidence) -> None:
    """Rows under the header the layout found (a table that continues another, under that one's); a
    header-less grid of nothing but part numbers is all parts."""
    for block in tables:
        table = block.rows
        cells = _cells(candidates.get(block.index, []))
        cols = block.columns
        if cols is None:
            _read_grid(block, cells, out)
            continue
        for r in range(block.body, len(table)):
            row = table[r]
            if header_columns(row) or any(PAGE_FOOTER.search(c) for c in row):
                continue
            for col in cols.parts:
                rep_col = cols.replacement_of.get(col)
                replacement = (
                    _replacement(row[rep_col]) if rep_col is not None and rep_col < len(row) else None
                )
                for cand in cells.get((r, col), []):
                    if cand.pattern:
                        continue  # a series: the notice names it as a pattern
                    out.add(cand.text, replacement if replacement != cand.text else None, cols.rank)
                    out.how = out.how or "table"
                if rep_col is not None and rep_col < len(row):  # "New PN: KV34*-TR" is no affected series
                    out.replacement_patterns |= set(patterns_in(row[rep_col]))
            for key, idx in (("ltb", cols.ltb), ("lts", cols.lts)):
                if idx is not None and idx < len(row) and (d := parse_date(row[idx])):
                    out.row_dates[key].append(d)
            if cols.distributor is not None and cols.distributor < len(row):
                _learn_prefix(row[cols.part], row[cols.distributor], out)


def _learn_prefix(part: str, item: str, out: PartEvidence) -> None:
    """The distributor's item is its prefix + the maker's part ("ADVYE1780C3T4MFB"), maybe truncated."""
    part, item = part.strip(), item.strip()
    for k in (0, 2, 3, 4):  # the maker's column may itself hold a relabelled copy ("ADV" + MPN)
        for j in (0, 2, 3, 4):
            core = part[k : k + 6]
            if (k or j) and len(core) == 6 and core == item[j : j + 6]:
                out.prefixes |= {x for x in (part[:k], item[:j]) if x.isalpha() and x.isupper()}
                return


def _read_grid(block: Block, cells: dict, out: PartEvidence) -> None:
    """A header-less grid whose every cell is a part number (a "products affected" block) is all parts."""
    filled = [
        (r, c)
        for r, row in enumerate(block.rows)
        for c, cell in enumerate(row)
        if cell.strip() and not NO_PART.match(cell.strip())  # "-": an empty cell, marked
    ]
    found = [cells.get(rc, []) for rc in filled]
    if (
        len(filled) >= 2
        and all(
            len(f) == len(split_cell(block.rows[r][c])) and f for f, (r, c) in zip(found, filled, strict=True)
        )
        and all(" " not in block.rows[r][c].strip() for r, c in filled)
    ):
        for cand in (c for f in found for c in f if not c.pattern):
            out.add(cand.text, None, GRID)
        out.how = out.how or "table"


def read_bare_lists(
    blocks: list[Block], candidates: dict[int, list[Candidate]], text: str, out: PartEvidence
) -> None:
    """Lists of nothing but part numbers, one per line, that no label leads into are a grid of one
    column (a grid's text layer one cell per line): all parts — unless the line above one names another
    role ("Suggested replacements"). Only when they are all the stretch lists: a table read one cell per
    line leaves short runs of parts between its other cells (a part and its name), which are no grid."""
    found = {b.index: [c for c in candidates.get(b.index, []) if not c.pattern] for b in blocks}
    bare = [
        b
        for b in blocks
        if b.kind == "list"
        and header_role(b.lead) not in ("replacement", "other")
        and len(b.rows) >= 3
        and all(len(row) == 1 for row in b.rows)
        and len(found[b.index]) == len(b.rows)
    ]
    if not bare or any(found[b.index] for b in blocks if b not in bare):
        return
    # a part alone on its line is no block (a field's value), so the lines count: one beyond the lists'
    # rows is a cell the grid lost between them ("-" lines cut it), and the grid is not whole
    lone = sum(1 for line in text.splitlines() if (t := line.strip()) and " " not in t and part_like(t))
    if lone > sum(len(b.rows) for b in bare):
        return
    for block in bare:
        for cand in found[block.index]:
            out.add(cand.text, None, GRID)
    out.how = out.how or "list"


# -- the text's conventions: labelled lists, records, pairing sentences, prose ----------------------
def _line_parts(line: str, out: PartEvidence, strength: int = 4) -> int:
    """Parts named on one line ("A -> B" pairs a replacement); a list line must be mostly part numbers."""
    sentences = re.split(r"(?<=[A-Za-z0-9)])\.\s+(?=[A-Z])", line)
    if len(sentences) > 1 and sum(bool(ARROW.search(x) or ARROW_BACK.search(x)) for x in sentences) > 1:
        return sum(_line_parts(x, out, strength) for x in sentences)  # one pairing per sentence
    back = ARROW_BACK.split(line, maxsplit=1)
    old = tokens_in_line(back[1])[:1] if len(back) == 2 else []
    if len(back) == 2 and tokens_in_line(back[0]):
        pieces = back[::-1]  # "B replaces A"
    elif old:  # "the replacement for A is B"
        pieces = [old[0], back[1].split(old[0], 1)[1]]
    else:
        pieces = back if len(back) == 2 else ARROW.split(line, maxsplit=1)
    if len(pieces) == 2:
        left, right = tokens_in_line(pieces[0]), tokens_in_line(pieces[1])
        if left:
            for t in left[:-1]:
                out.add(t, None, strength)
            out.add(left[-1], right[0] if right else None, strength)
            return len(left)
    found = tokens_in_line(line)
    if strength > 1:  # in a list, all-digit part numbers count too ("100-000000912"), never in prose
        found += [t for t in NUMERIC_PART.findall(line) if t not in found]
        if not _list_like(line, found):
            # "• TPV1120-5.0 – 5 V LDO, SOT-223": a list item's first word is the part, then its description
            if not (found and list_item_head(line) == found[0]):
                return 0
            found = found[:1]
    for t in found:
        out.add(t, None, strength)
    return len(found)


def _list_like(line: str, found: list[str]) -> bool:
    """A line of part numbers, not a sentence that mentions one ("… listed below", "qualified at MSL2 260C")."""
    words = [w for w in re.split(r"[\s,;]+", line) if w.strip("•·-–*()")]
    return bool(found) and (len(words) <= 3 or len(found) >= 0.5 * len(words))


def _is_header_line(line: str) -> bool:
    cells = [c for c in CELL_SPLIT.split(line.strip()) if c]
    return len(cells) >= 2 and header_columns(cells) is not None


def read_lists(text: str, out: PartEvidence) -> None:
    """A labelled list: the label's line and the lines under it, until the list is over."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = LIST_LABEL.search(lines[i])
        if not m or "|" in lines[i] or _is_header_line(lines[i]):
            i += 1
            continue
        run = PartEvidence()  # this list's parts
        count = _line_parts(lines[i][m.end() :], run)
        # "受影響料號如下：" then blank lines then the list; a sentence ("… devices shown below.") waits less
        patience = 4 if re.search(r"[:：]\s*$|如下|以下", lines[i]) else 2
        blank = misses = 0
        j = i + 1
        while j < len(lines) and j < i + 2000:
            line = lines[j]
            if not line.strip():
                blank += 1
                if count and blank >= 1 or blank >= patience:
                    break
                j += 1
                continue
            blank = 0
            if SECTION_END.search(line) or fields.notice_numbers(line) and count or _is_header_line(line):
                break  # a table's header: its rows are read as a table, column by column
            if count and re.search(r"[:：]\s*$", line) and not tokens_in_line(line):
                break  # the next list's lead-in ("Recommended replacement products:")
            found = _line_parts(line, run)
            misses = 0 if found else misses + 1
            if misses >= 3:
                break  # three lines without a part: the list, if any, is over
            count += found
            j += 1
        # A list repeating parts of an orderable column (a PDF's list read as a table too, cut short)
        # is that column's listing: its other items are as sure as the column.
        surest = max((out.strength.get(t, 0) for t in run.found), default=0)
        for t in run.found if surest >= 9 else ():
            run.strength[t] = max(run.strength[t], surest)
        out.merge(run)
        if count:
            out.how = out.how or "list"
        i = j


def read_pairings(text: str, out: PartEvidence) -> None:
    """Sentences anywhere that pair a part read elsewhere with its replacement ("B replaces A",
    "A will be replaced by B"); they name no new part."""
    for line in text.splitlines():
        if not (ARROW.search(line) or ARROW_BACK.search(line)):
            continue
        pairs = PartEvidence()
        _line_parts(line, pairs, 1)
        for old, new in pairs.found.items():
            if new and old in out.found and not out.found[old] and new not in out.found:
                out.found[old] = new


def read_records(text: str, out: PartEvidence) -> None:
    """Distributor record layouts: a line "SN74AVC4T774RSVR  TI  6000" names a part and its maker."""
    for line in text.splitlines():
        cells = [c for c in re.split(r"\s{2,}|\t", line.strip()) if c]
        if len(cells) >= 2 and looks_like_mpn(cells[0]) and canonical(cells[1]):
            out.add(cells[0], None, 4)
            out.how = out.how or "list"


def read_prose(text: str, out: PartEvidence) -> None:
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        if PART_WORDS.search(sentence) and _line_parts(sentence, out, strength=1):
            out.how = out.how or "prose"


# -- one stretch --------------------------------------------------------------------------------
def read_stretch(stretch: Stretch, candidates: dict[int, list[Candidate]]) -> Piece:
    """What one stretch says on its own: its parts (tables first; a PDF's text tables only when the
    reader found none), their replacements and the strength of the evidence, its number and dates."""
    text, lines = stretch.text, stretch.line_text
    listed, prose = PartEvidence(), PartEvidence()
    read_tables(stretch.tables("document"), candidates, listed)
    if not listed.found:  # a PDF that reached us as text: the tables cut from its lines
        read_tables(stretch.tables("text"), candidates, listed)
    read_lists(lines, listed)
    read_records(text, listed)
    if not listed.found:
        read_bare_lists(stretch.blocks, candidates, text, listed)
    read_pairings(lines, listed)
    if not listed.found:
        read_prose(lines, prose)
    numbers = [
        value for _, value in fields.notice_numbers(text) if not fields.names_parts(value, [*listed.found])
    ]
    # the most specific spelling of the first number ("4952(A)" in the footer over "PCN 4952" on top)
    number = (
        max((n for n in numbers if id_key(n).startswith(id_key(numbers[0]))), key=len) if numbers else None
    )
    # a qualification report or datasheet beside the notice names test vehicles, not affected parts: by
    # its name (unless the name says it is the notice too), or, without a number, by what it holds
    supporting = (
        bool(REPORT_NAME.search(stretch.section) and not NOTICE_NAME.search(stretch.section))
        or (
            number is None
            and (
                bool(re.search(r"qualification|reliability|datasheet|data\s*sheet", stretch.section, re.I))
                or stretch.kind != "spreadsheet"  # a sheet's column names are no words of a datasheet
                and not NOTICE_WORDS.search(text[:1500])
                and len(SUPPORTING.findall(text[:6000])) >= 2
            )
        )
    )
    return Piece(
        stretch.section, stretch.kind, text, number, listed, prose, fields.labelled_dates(text), supporting
    )


def pieces_of(layout: Layout, candidates: list[Candidate], aside: dict[str, str]) -> list[Piece]:
    """Stage 3: what each stretch of the layout says on its own (its parts, their replacements and the
    strength of the evidence, its number and dates). ``aside`` learns the sections set aside."""
    by_block: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_block.setdefault(c.block, []).append(c)
    out = []
    names = {s.section for s in layout.stretches}
    for stretch in layout.stretches:
        copy_of = re.sub(r"\s*\(\d+\)\]$", "]", stretch.section)
        if stretch.kind == "spreadsheet" and copy_of != stretch.section and copy_of in names:
            aside[stretch.section] = f"a copy of sheet {copy_of}"
            continue  # "Sheet (2)": Excel's copy of a sheet, often left stale beside the current one
        out.append(read_stretch(stretch, by_block))
    return out
