"""The rule extractor: the offline default. Documents in, canonical notices out.

Each stretch of the document's layout (``blocks.layout_of``: an attachment, the
mail body, one notice of a digest) is read on its own: affected parts from the
columns of its tables under the header row the layout found (roles from
``columns``), labelled lists and distributor records, and — only when none of
those gave any — from sentences; fields by their labels (``fields``). Pieces are
then grouped into notices (``grouping``) and each notice keeps the parts with the
surest evidence (``evidence``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from radar_pipeline.documents.model import Document, Table
from radar_pipeline.extraction import fields
from radar_pipeline.extraction.blocks import CELL_SPLIT, Block, Layout, Stretch, layout_of
from radar_pipeline.extraction.columns import Columns, header_columns
from radar_pipeline.extraction.dates import find_dates, parse_date
from radar_pipeline.extraction.evidence import PartEvidence
from radar_pipeline.extraction.grouping import Piece, best_number, group
from radar_pipeline.extraction.ledger import Ledger
from radar_pipeline.extraction.parts import (
    list_item_head,
    looks_like_mpn,
    part_cell_tokens,
    split_cell,
    tokens_in_line,
)
from radar_pipeline.notices import AffectedPart, Notice, NoticeType
from radar_pipeline.notices.manufacturers import canonical

LIST_LABEL = re.compile(
    r"(?:affected|discontinued|obsolete|impacted|concerned)\s*(?:part|product|device|ordering|item|type|material)s?|"
    r"(?:part|product|device)s?\s*(?:affected|concerned|impacted)|(?:following|these)\s*(?:part|product|device|item|type)s?|"
    r"part\s*numbers?|list\s*of\s*(?:affected\s*)?(?:part|product|device)s?|ordering\s*codes?|"
    r"betroffene\s*(?:teile|produkte|typen|artikel|bauteile)|folgende[n]?\s*(?:teile|produkte|typen|artikel)|"
    r"produits\s*concernés|product\s*identification|(?:public\s*)?products?\s*list|materials?\s*list|"
    r"(?:part|product|device)s?(?:/\w+)?\s*affected|impacted\s*by\s*the\s*change|commercial\s*part\s*numbers|"
    r"対象(?:製品|品|型番|機種)|停[產产](?:產品|产品|型號|型号)|受影[響响](?:料[號号]|型[號号]|產品|产品)|"
    r"影[響响]料[號号]|涉及(?:型号|料号|產品|产品)|betroffene\s*(?:produkte|artikel)",
    re.I,
)
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
WILDCARD_TOKEN = re.compile(
    r"(?<![\w%*])[A-Z0-9][A-Z0-9\-/#+._]*(?:%[A-Z0-9\-/#+._%]*|\*[A-Z0-9\-/#+._]+)+(?![\w%*])"
)
# "LL82*" alone in a table cell is a series; in a sentence ("LM317T* see footnote") it is a footnote mark
CELL_STAR = re.compile(
    r"(?:^|\|[ \t]*|\t|[ \t]{2,})([A-Z0-9][A-Z0-9\-/#+._]*\*)(?=[ \t]*\||\t|[ \t]{2,}|[ \t]*$)", re.M
)
X_PATTERN = re.compile(
    r"\b(?:[A-Z][A-Z0-9]*\d[A-Z0-9]*x+[A-Z0-9]*|[A-Z][A-Z0-9]*x+\d[A-Z0-9]*)(?:[/#+\-][A-Z0-9]+)*(?![\w/#+])"
)
SERIES = re.compile(
    r"\b(?P<name>[A-Z][A-Z0-9\-]{2,}\d[A-Z0-9\-]*|[A-Z]{2,}\d[A-Z0-9\-]*)[ \t]*(?i:series|serie|familie|family|系列|シリーズ)"
)
NUMERIC_PART = re.compile(r"(?<![\w/.:-])\d{2,}-\d{5,}[A-Z]{0,3}(?![\w/.-])")
# what a line naming a date of its own says before it ("Last order date", "valid until", "最終発注日")
DATE_WORD = re.compile(
    r"[:：]|date|datum|until|by\b|bis\b|before|after|日期|期限|[発出]注|出荷|出貨|訂", re.I
)
PAGE_FOOTER = re.compile(r"\b(?:page|seite)\s*\d+\s*(?:of|/|von)\s*\d+", re.I)
PART_WORDS = re.compile(
    r"part|device|product|discontinu|replace|affected|obsolete|\beol\b|teil|produkt|typ|ordering", re.I
)


@dataclass
class Extraction:
    notices: list[Notice] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    llm_tokens: int = 0
    # the stages of the reading, each a value of its own (see ``extract``): the layout, and what the
    # rules read in each of its stretches
    layout: Layout = field(default_factory=lambda: Layout([], []))
    pieces: list[Piece] = field(default_factory=list)
    # sections whose part numbers are not the notice's, and why (the ledger counts them as "other")
    set_aside: dict[str, str] = field(default_factory=dict)
    ledger: Ledger = field(default_factory=Ledger)


# -- tables -------------------------------------------------------------------------------
def _replacement(cell: str) -> str | None:
    for token in split_cell(cell):
        if NO_PART.match(token):
            return None
        if looks_like_mpn(token, in_part_column=True):
            return token
    return None


def parts_from_tables(tables: list[Block], out: PartEvidence) -> None:
    """Rows under the header the layout found; a header-less table of the same width continues the last one."""
    last: Columns | None = None
    for block in tables:
        table, h = block.rows, block.header_row
        cols = header_columns(table[h], table[h - 1] if h else None) if h is not None else None
        start = h + 1 if cols else 0
        if cols is None and last is not None and _continues(table, last):
            cols, start = last, 0
        if cols is None:
            _parts_from_grid(table, out)
            continue
        last = cols
        for row in table[start:]:
            if header_columns(row) or any(PAGE_FOOTER.search(c) for c in row):
                continue
            for col in cols.parts:
                if col >= len(row):
                    continue
                rep_col = cols.replacement_of.get(col)
                replacement = (
                    _replacement(row[rep_col]) if rep_col is not None and rep_col < len(row) else None
                )
                for token in part_cell_tokens(row[col]):
                    out.add(token, replacement if replacement != token else None, cols.rank)
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


def _continues(table: Table, last: Columns) -> bool:
    """A header-less table continues the last one (next page) when it has its width and a part where parts go."""
    if not table or len(table[0]) != last.width:
        return False
    first = table[0]
    if not any(part_cell_tokens(c) for c in first) and any(
        re.fullmatch(r"[A-Za-z ]{3,}", c.strip()) for c in first
    ):
        return False  # a header row of another table ("| Current Site | Additional Site")
    return any(part_cell_tokens(row[last.part]) for row in table[:3] if last.part < len(row))


def _parts_from_grid(table: Table, out: PartEvidence) -> None:
    """A header-less grid whose every cell is a part number (a "products affected" block) is all parts."""
    cells = [c for row in table for c in row if c.strip()]
    tokens = [t for c in cells for t in split_cell(c)]
    if (
        len(tokens) >= 2
        and all(looks_like_mpn(t) for t in tokens)
        and all(" " not in c.strip() for c in cells)
    ):
        for token in tokens:
            out.add(token, None, 7)
        out.how = out.how or "table"


# -- lists and prose ----------------------------------------------------------------------
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


def parts_from_lists(text: str, out: PartEvidence) -> None:
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = LIST_LABEL.search(lines[i])
        if not m or "|" in lines[i]:
            i += 1
            continue
        if _is_header_line(lines[i]):
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


def replacements_from_sentences(text: str, out: PartEvidence) -> None:
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


def parts_from_records(text: str, out: PartEvidence) -> None:
    """Distributor record layouts: a line "SN74AVC4T774RSVR  TI  6000" names a part and its maker."""
    for line in text.splitlines():
        cells = [c for c in re.split(r"\s{2,}|\t", line.strip()) if c]
        if len(cells) >= 2 and looks_like_mpn(cells[0]) and canonical(cells[1]):
            out.add(cells[0], None, 4)
            out.how = out.how or "list"


def parts_from_prose(text: str, out: PartEvidence) -> None:
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        if PART_WORDS.search(sentence) and _line_parts(sentence, out, strength=1):
            out.how = out.how or "prose"


def _dateline(text: str) -> date | None:
    """A letter's own date: a line near the top that is nothing but a date (no label), or that ends in
    one set apart to the right (Japanese letters put it on the addressee's line: "ユーザ各位  2025 年10
    月31 日"), as long as what stands before it names no date."""
    for line in text.splitlines()[:15]:
        line = line.strip(" \t.,")
        found = find_dates(line)
        if len(found) != 1:
            continue
        start, end, when = found[0]
        if end - start >= len(line) - 2:
            return when
        before = line[:start]
        if end >= len(line) - 1 and re.search(r"(?:\s{2,}|\t)$", before) and not DATE_WORD.search(before):
            return when
    return None


def _replacement_from_field(text: str, parts: PartEvidence) -> None:
    """A one-part letter names its replacement in a field ("Replacement: X", "代替製品：X"): the first one offered."""
    ((mpn, replacement),) = parts.found.items()
    if replacement:
        return
    offered = [t for t in fields.replacement_offers(text) if t != mpn]
    if offered:
        parts.found[mpn] = offered[0]


def patterns_in(text: str) -> list[str]:
    """Wildcards and series a notice names, as patterns: "%" and "*" kept, a lower-case x is one character,
    "PC20WR4 series" is "PC20WR4*". They are matched as family matches, for review."""
    # a share or yield ("100%", "85.5%") is no pattern: a pattern names a part, so it has a letter
    found = [m.group(0) for m in WILDCARD_TOKEN.finditer(text) if re.search(r"[A-Z]", m.group(0))]
    found += [m.group(1) for m in CELL_STAR.finditer(text) if re.search(r"[A-Z]", m.group(1))]
    found += [re.sub(r"x", "?", m.group(0)) for m in X_PATTERN.finditer(text)]
    found += [m.group("name") + "*" for m in SERIES.finditer(text)]
    return list(dict.fromkeys(found))


# -- reading one stretch of text ------------------------------------------------------------
def _read_piece(stretch: Stretch) -> Piece:
    text = stretch.text
    listed, prose = PartEvidence(), PartEvidence()
    parts_from_tables(stretch.tables("document"), listed)
    if not listed.found:  # a PDF that reached us as text: the tables cut from its lines
        parts_from_tables(stretch.tables("text"), listed)
    parts_from_lists(text, listed)
    parts_from_records(text, listed)
    replacements_from_sentences(text, listed)
    if not listed.found:
        parts_from_prose(text, prose)
    numbers = fields.notice_numbers(text)
    number = numbers[0][1] if numbers else None
    supporting = number is None and (
        bool(re.search(r"qualification|reliability|datasheet|data\s*sheet", stretch.section, re.I))
        or (not NOTICE_WORDS.search(text[:1500]) and len(SUPPORTING.findall(text[:6000])) >= 2)
    )
    return Piece(
        stretch.section, stretch.kind, text, number, listed, prose, fields.labelled_dates(text), supporting
    )


def pieces_of(layout: Layout, aside: dict[str, str]) -> list[Piece]:
    """Stage 3, the roles the rules give: what each stretch of the layout says on its own (its parts,
    their replacements and the strength of the evidence, its number and dates)."""
    out = []
    names = {s.section for s in layout.stretches}
    for stretch in layout.stretches:
        copy_of = re.sub(r"\s*\(\d+\)\]$", "]", stretch.section)
        if stretch.kind == "spreadsheet" and copy_of != stretch.section and copy_of in names:
            aside[stretch.section] = f"a copy of sheet {copy_of}"
            continue  # "Sheet (2)": Excel's copy of a sheet, often left stale beside the current one
        out.append(_read_piece(stretch))
    return out


# -- assembling a notice ------------------------------------------------------------------
def _notice_from(
    pieces: list[Piece], doc: Document, subject: str | None, warnings: list[str], aside: dict[str, str]
) -> Notice | None:
    text = "\n\n".join(p.text for p in pieces)
    subject_numbers = fields.notice_numbers(subject or "")
    number = best_number(pieces, subject_numbers[0][1] if subject_numbers else None)
    if number is None:
        number = fields.notice_number(text, subject)
    maker, maker_how = fields.manufacturer(text, doc.sender)
    dates: dict[str, date] = {}
    for piece in pieces:
        for key, value in piece.dates.items():
            dates.setdefault(key, value)
    if "issue_date" not in dates:
        letter_date = next(filter(None, (_dateline(p.text) for p in pieces if p.kind != "spreadsheet")), None)
        if letter_date:
            dates["issue_date"] = letter_date
    parts = PartEvidence()
    for piece in sorted(pieces, key=lambda p: p.supporting):
        if not (piece.supporting and parts.found):
            parts.merge(piece.listed)
        else:
            aside[piece.section] = "a qualification report or datasheet beside the notice"
    if not parts.found:
        for piece in pieces:
            parts.merge(piece.prose)
    for key, field_name in (("ltb", "last_time_buy_date"), ("lts", "last_ship_date")):
        if field_name not in dates and parts.row_dates[key]:
            (common, _), *rest = Counter(parts.row_dates[key]).most_common()
            dates[field_name] = common
            if rest:
                warnings.append(
                    f"parts have different {field_name.replace('_', ' ')}s; the most common, {common}, is used"
                )
    parts.drop_stems()
    parts.drop_weaker_than_orderable()
    parts.drop_relabelled()
    if len(parts.found) == 1:
        _replacement_from_field(text, parts)
    for piece in pieces:
        if piece.number:
            parts.found.pop(piece.number, None)
    if number:
        parts.found.pop(number, None)
    # spreadsheet column names ("SalesItem_discontinuationType") are no words about the notice
    words = "\n\n".join(p.text for p in pieces if p.kind != "spreadsheet") or text
    kind = fields.notice_type(words, subject, "last_time_buy_date" in dates)
    replaced = sum(1 for r in parts.found.values() if r)
    if (
        kind == NoticeType.CHANGE
        and "last_time_buy_date" in dates
        and parts.found
        and replaced * 2 >= len(parts.found)
    ):
        kind = NoticeType.DISCONTINUANCE  # current parts get a last order date and new numbers: they end
    # at most 20: a notice names a few series; more are a document's noise (after the replacements go)
    patterns = [p for p in patterns_in(text) if p not in parts.replacement_patterns][:20]
    for pattern in patterns:  # "PC20WR4" of "PC20WR4 series" is the series, not a part
        parts.found.pop(pattern.rstrip("*"), None)
    if kind is None or (not number and not parts.found and not patterns):
        return None
    if not number:
        number = "UNNUMBERED-" + hashlib.sha256((subject or text[:500]).encode()).hexdigest()[:10].upper()
        warnings.append(f"no notice number found; using {number}")
    if not maker:
        maker = "Unknown"
        warnings.append("manufacturer not found in the text or sender")
    if not parts.found:
        warnings.append(f"notice {number}: no affected part numbers found")
    confidence = 0.4 + 0.15 * bool(not number.startswith("UNNUMBERED")) + 0.1 * (maker_how != "none")
    confidence += {"table": 0.25, "list": 0.2, "prose": 0.1}.get(parts.how, 0.0)
    confidence += 0.05 * ("last_time_buy_date" in dates or kind.value != "discontinuance")
    notice = Notice(
        notice_number=number,
        manufacturer=maker,
        notice_type=kind,
        issue_date=dates.get("issue_date"),
        last_time_buy_date=dates.get("last_time_buy_date"),
        last_ship_date=dates.get("last_ship_date"),
        parts=[AffectedPart(mpn=m, replacement_mpn=r) for m, r in parts.found.items()],
        patterns=patterns,
        extractor="rules",
        confidence=round(min(confidence, 0.95), 2),
        parts_found_by=parts.how if parts.found else ("pattern" if patterns else ""),
    )
    notice.warnings.extend(notice.plausibility_warnings())
    return notice


def extract_rules(doc: Document, layout: Layout | None = None) -> Extraction:
    """Every notice the document holds (several for a digest), with warnings in words; ``layout``:
    the document's, when already made."""
    layout = layout or layout_of(doc)
    result = Extraction(warnings=list(doc.warnings), layout=layout)
    if not doc.text.strip():
        result.warnings.append("document has no readable text")
        return result
    subject_numbers = fields.notice_numbers(doc.subject or "")
    result.pieces = pieces_of(layout, result.set_aside)
    groups = group(result.pieces, subject_numbers[0][1] if subject_numbers else None)
    for pieces in groups:
        subject = doc.subject if len(groups) == 1 else None
        notice = _notice_from(pieces, doc, subject, result.warnings, result.set_aside)
        if notice:
            result.notices.append(notice)
    numbers = {n.notice_number for n in result.notices}
    for notice in result.notices:  # a digest's other notice numbers are not parts of this one
        notice.parts = [p for p in notice.parts if p.mpn not in numbers]
    if not result.notices:
        result.warnings.append(
            "no notice found: no discontinuance, NRND or change notice with a number or parts"
        )
    return _merge_same_number(result)


def _merge_same_number(result: Extraction) -> Extraction:
    by_key: dict[tuple[str, str], Notice] = {}
    for n in result.notices:
        key = (n.manufacturer_key, n.notice_number)
        if key in by_key:
            known = {p.mpn for p in by_key[key].parts}
            by_key[key].parts.extend(p for p in n.parts if p.mpn not in known)
        else:
            by_key[key] = n
    result.notices = list(by_key.values())
    return result
