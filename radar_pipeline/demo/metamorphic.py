"""Metamorphic transformations of notices: change a layout in a way whose effect on the truth is
known, and the reading must stay right or the document must be flagged — never read differently
in silence.

A generator only knows what its author imagined; a real document knows what its maker did. Each
transformation here takes a read document (``Document``: sections of text and tables, as the
readers make them from a PDF, a workbook, an HTML or a plain mail) with its truth (canonical
notices, CONTRACT §4) and returns the transformed document and truth, or ``None`` when the
document has nothing it applies to. They work on any document, so they run over the generated
families in the tests and over ``shared/real-notices`` in ``bench/bench_metamorphic.py``.

Tables are found where the readers put them: a table a reader found (``Section.tables``) is also
in the section's text, one line per row, and is rewritten in both places; a table that is only
text (a PDF's text dump, an HTML mail) is a run of lines of two or more cells. The table's
header row and the role of its columns are taken from the truth (the column holding the
affected parts, the one holding their replacements), never from the reader under test.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from radar_pipeline.documents.model import Document, Section, Table

CELL_GAP = re.compile(r"\s*\|\s*|\t|\s{2,}")


@dataclass
class Case:
    """A document and what a careful analyst reads from it: canonical notices (CONTRACT §4)."""

    name: str
    doc: Document
    truth: list[dict]
    applied: list[str] = field(default_factory=list)  # the transformations made, in order


# -- the truth ---------------------------------------------------------------------------------
def affected(truth: list[dict]) -> set[str]:
    return {p["mpn"] for n in truth for p in n["parts"]}


def replacements(truth: list[dict]) -> set[str]:
    return {p["replacement_mpn"] for n in truth for p in n["parts"] if p.get("replacement_mpn")}


# -- where a document's tables stand -------------------------------------------------------------
@dataclass
class Spot:
    """A table of one section: its rows, the lines of the section's text it stands on, and how
    those lines separate cells ("pipe", "tab", "spaces")."""

    section: int
    table: int | None  # index into Section.tables; None: a table that is only text
    rows: list[list[str]]
    start: int
    end: int  # the lines [start, end) of the section's text
    style: str


def _squash(text: str) -> str:
    return re.sub(r"[\s|]+", "", text)


def _locate(lines: list[str], rows: list[list[str]], after: int) -> tuple[int, int] | None:
    """The lines a reader's table stands on: each row's cells, read in order, are the next lines
    (the first row may come a few lines later: a caption, a page header)."""
    start = None
    i = after
    for row in rows:
        want = _squash("".join(c or "" for c in row))
        if not want:
            continue
        while i < len(lines) and not (_squash(lines[i]) and want.startswith(_squash(lines[i]))):
            if _squash(lines[i]) and (start is not None or i - after > 400):
                return None
            i += 1
        first, got = i, ""
        while i < len(lines) and len(got) < len(want):
            got += _squash(lines[i])
            i += 1
        if got != want:
            return None
        start = first if start is None else start
    return (start, i) if start is not None else None


def _style(lines: list[str]) -> str:
    if any("|" in x for x in lines):
        return "pipe"
    if any("\t" in x for x in lines):
        return "tab"
    return "spaces"


def _text_runs(lines: list[str], taken: set[int]) -> list[tuple[int, int]]:
    """Runs of lines of two or more cells (a row with its other cells empty, one word, stays in the run),
    outside the lines a reader's table holds; a run is a table when two of its lines have two cells."""
    runs, start, wide = [], None, 0
    for i, line in enumerate([*lines, ""]):
        cells = [c for c in CELL_GAP.split(line.strip()) if c]
        if i not in taken and (
            len(cells) >= 2 or start is not None and len(cells) == 1 and " " not in cells[0]
        ):
            start = i if start is None else start
            wide += len(cells) >= 2
            continue
        if start is not None and wide >= 2:
            runs.append((start, i))
        start, wide = None, 0
    return runs


def _split_run(lines: list[str], style: str) -> list[list[str]]:
    from radar_pipeline.extraction.blocks import aligned_rows

    if style == "spaces":
        return aligned_rows(lines)
    sep = r"\s*\|\s*" if style == "pipe" else r"\t"
    return [[c.strip() for c in re.split(sep, x.strip())] for x in lines]


def spots(doc: Document) -> list[Spot]:
    """Every table of the document with the lines it stands on."""
    out = []
    for s, section in enumerate(doc.sections):
        lines = section.text.split("\n")
        taken: set[int] = set()
        after = 0
        lost = False  # a reader's table whose lines were not found: its text is left as it is
        for t, rows in enumerate(section.tables):
            where = _locate(lines, rows, after)
            if where is None:
                lost = True
                continue
            start, end = where
            out.append(Spot(s, t, [list(map(str, r)) for r in rows], start, end, _style(lines[start:end])))
            taken |= set(range(start, end))
            after = end
        if lost:  # the section's text and its tables can no longer be kept in step: it stays as it is
            out = [spot for spot in out if spot.section != s]
            continue
        for start, end in _text_runs(lines, taken):
            style = _style(lines[start:end])
            out.append(Spot(s, None, _split_run(lines[start:end], style), start, end, style))
    return out


# -- what a table's columns hold, by the truth -------------------------------------------------------
def _named(cell: str, wanted: set[str]) -> list[str]:
    """The strings of ``wanted`` a cell names (a borderless grid may come as one cell per line)."""
    cell = (cell or "").strip()
    if cell in wanted:
        return [cell]
    return [t for t in re.split(r"\s{2,}|[\t;|]|,\s+|\n", cell) if t.strip() in wanted]


def _count(rows: list[list[str]], col: int, wanted: set[str]) -> int:
    return sum(1 for r in rows if col < len(r) and _named(r[col], wanted))


@dataclass
class Shape:
    """A parts table: its header row (None: none), the affected column and the replacement column."""

    header: int | None
    part: int
    replacement: int | None


def shape_of(rows: list[list[str]], truth: list[dict]) -> Shape | None:
    """The table's parts column (the one holding most affected parts), its replacement column and its
    header row (the row right above the first part, when it holds no part)."""
    parts, repl = affected(truth), replacements(truth)
    width = max(map(len, rows), default=0)
    counts = [_count(rows, c, parts) for c in range(width)]
    if not counts or max(counts) < 1:
        return None
    part = counts.index(max(counts))
    rcounts = [_count(rows, c, repl) if c != part else 0 for c in range(width)]
    replacement = rcounts.index(max(rcounts)) if rcounts and max(rcounts) else None
    first = next(i for i, r in enumerate(rows) if part < len(r) and _named(r[part], parts))
    header = first - 1 if first and not any(_named(c, parts | repl) for c in rows[first - 1]) else None
    return Shape(header, part, replacement)


# -- writing a table back --------------------------------------------------------------------------
def render(rows: list[list[str]], style: str) -> list[str]:
    if style == "pipe":
        return [" | ".join(r) for r in rows]
    if style == "tab":
        return ["\t".join(r) for r in rows]
    width = max(map(len, rows), default=0)
    widths = [max((len(r[c]) for r in rows if c < len(r)), default=0) for c in range(width)]
    return ["".join(c.ljust(widths[i] + 3) for i, c in enumerate(r)).rstrip() for r in rows]


def one_cell_per_line(rows: list[list[str]], keep_empty: bool = False) -> list[str]:
    """A table as a PDF's text layer or an element dump gives it: header cells, then each row's
    cells, one per line (an empty cell gives no line, or, ``keep_empty``, an empty one)."""
    return [c for r in rows for c in r if c.strip() or keep_empty]


def rewrite(doc: Document, edits: dict[int, tuple[list[str], list[Table]]], found: list[Spot]) -> Document:
    """A copy of ``doc`` with each edited table's lines replaced (``edits``: spot index → (new lines, the
    reader's tables in the old one's place: none where no reader would find a table, two for a table
    split over pages))."""
    out = copy.deepcopy(doc)
    by_section: dict[int, list[tuple[Spot, list[str], list[Table]]]] = {}
    for i, (lines, tables) in edits.items():
        by_section.setdefault(found[i].section, []).append((found[i], lines, tables))
    for s, items in by_section.items():
        section: Section = out.sections[s]
        lines = section.text.split("\n")
        tables: list[list[Table]] = [[t] for t in section.tables]
        for spot, new_lines, new_tables in sorted(items, key=lambda x: -x[0].start):
            lines[spot.start : spot.end] = new_lines
            if spot.table is not None:
                tables[spot.table] = new_tables
        section.text = "\n".join(lines)
        section.tables = [t for group in tables for t in group]
    return out


def _edit_part_tables(
    case: Case,
    edit: Callable[[list[list[str]], Shape, Spot], tuple[list[str], list[list[str]] | None] | None],
) -> Document | None:
    found = spots(case.doc)
    edits = {}
    for i, spot in enumerate(found):
        shape = shape_of(spot.rows, case.truth)
        if shape is None:
            continue
        done = edit(spot.rows, shape, spot)
        if done is not None:
            edits[i] = done
    return rewrite(case.doc, edits, found) if edits else None


def _as_found(rows: list[list[str]], spot: Spot) -> tuple[list[str], list[Table]]:
    """A table written back as it was found: a reader's table stays one (its text lines too)."""
    return render(rows, spot.style), ([rows] if spot.table is not None else [])


def _then(case: Case, doc: Document | None, name: str, truth: list[dict] | None = None) -> Case | None:
    if doc is None:
        return None
    return Case(case.name, doc, truth if truth is not None else case.truth, [*case.applied, name])


# -- the transformations -----------------------------------------------------------------------------
def linearize(keep_empty: bool) -> Callable[[Case, random.Random], Case | None]:
    """Every parts table one cell per line (no reader finds a table there any more); an empty cell
    gives no line (a PDF's text layer) or an empty one (an element dump)."""

    def transform(case: Case, rng: random.Random) -> Case | None:
        lines = lambda rows, shape, spot: (one_cell_per_line(rows, keep_empty), [])  # noqa: E731
        return _then(
            case, _edit_part_tables(case, lines), "linearize" + ("_empty_cells" if keep_empty else "")
        )

    return transform


def reorder_columns(case: Case, rng: random.Random) -> Case | None:
    """The columns of every parts table in another order (the parts column no longer first, or last);
    one order for the document, so a table continued over pages stays one table."""
    orders: dict[int, list[int]] = {}

    def edit(rows, shape, spot):
        width = max(map(len, rows))
        if width < 2:
            return None
        if width not in orders:
            order = list(range(width))
            while order == list(range(width)):
                rng.shuffle(order)
            orders[width] = order
        padded = [r + [""] * (width - len(r)) for r in rows]
        return _as_found([[r[c] for c in orders[width]] for r in padded], spot)

    return _then(case, _edit_part_tables(case, edit), "reorder_columns")


# The trade's words for the two columns that matter, in English, German, Japanese and Chinese.
AFFECTED_WORDS = [
    "Affected device", "Ordering code", "Orderable part number", "Type number", "Part No.",
    "Discontinued product", "Product affected", "Material number", "Catalog number", "Sales item",
    "Betroffene Typen", "Bestellnummer", "Artikelnummer", "対象製品", "品番", "型番", "受影响料号", "产品型号",
]  # fmt: skip
REPLACEMENT_WORDS = [
    "Successor", "Suggested alternative", "Recommended replacement", "Replacement part", "New part number",
    "Migration path", "Drop-in replacement", "Nachfolgetyp", "Ersatztyp", "推奨代替品", "後継品", "替代料号",
    "推荐替代型号",
]  # fmt: skip


def header_words(case: Case, rng: random.Random) -> Case | None:
    """The parts and replacement columns' headers replaced by other words of the trade."""

    def edit(rows, shape, spot):
        if shape.header is None:
            return None
        rows = [list(r) for r in rows]
        rows[shape.header][shape.part] = rng.choice(AFFECTED_WORDS)
        if shape.replacement is not None and shape.replacement < len(rows[shape.header]):
            rows[shape.header][shape.replacement] = rng.choice(REPLACEMENT_WORDS)
        return _as_found(rows, spot)

    return _then(case, _edit_part_tables(case, edit), "header_words")


NOTICE_TITLE = re.compile(
    r"(?:product|process|customer|final)?\s*(?:change|discontinu\w*|end[\s-]*of[\s-]*life|eol|obsole\w*|"
    r"pcn|pdn|fpcn|nrnd|notification|notice|announcement|advisory|abk[üu]ndigung\w*|änderungsmitteilung)",
    re.I,
)
NEUTRAL_TITLES = [
    "Information Note", "Customer Information", "Customer Notification", "Product Information",
    "Kundeninformation", "Information to our customers", "お客様へのお知らせ", "客户通知",
]  # fmt: skip
TYPE_TITLES = {
    "change": [
        "Product Change Note",
        "Produktänderungsmitteilung",
        "Package notice",
        "Information Note on a change",
    ],
    "discontinuance": [
        "Product Lifecycle Information",
        "Abkündigungsinformation",
        "Lifecycle status information",
    ],
    "nrnd": ["Product Lifecycle Information: not for new designs", "Lifecycle status information"],
}


def _title_line(line: str) -> bool:
    text = line.strip()
    return (
        0 < len(text) <= 90
        and bool(NOTICE_TITLE.search(text))
        and not re.search(r"[:：#]", text)  # a field's label ("PCN#:"), with its value or above it
        and not CELL_GAP.search(text)  # a table's header row is no title
    )


def retitle(case: Case, rng: random.Random) -> Case | None:
    """The subject and the title lines on top say neither PCN nor PDN: "Information Note",
    "Customer Notification", "Produktänderungsmitteilung" … (a number in the title stays)."""
    kinds = {n["notice_type"] for n in case.truth}
    choices = NEUTRAL_TITLES + (TYPE_TITLES.get(next(iter(kinds)), []) if len(kinds) == 1 else [])
    title = rng.choice(choices)
    numbers = [n["notice_number"] for n in case.truth if n.get("notice_number")]
    doc = copy.deepcopy(case.doc)
    changed = False

    def new_title(line: str) -> str:
        kept = [x for x in numbers if x in line]
        return (title + (" " + kept[0] if kept else "")).rjust(len(line) - len(line.lstrip()) + len(title))

    if doc.subject and NOTICE_TITLE.search(doc.subject):
        doc.subject = new_title(doc.subject).strip()
        changed = True
    for section in doc.sections:
        lines = section.text.split("\n")
        shown = 0
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            shown += 1
            if shown > 10:
                break
            if _title_line(line) and not any(x in line for x in affected(case.truth)):
                lines[i] = new_title(line)
                changed = True
        section.text = "\n".join(lines)
    return _then(case, doc if changed else None, "retitle")


FOOTERS = ["{n}    Page {p} of {t}", "Doc. No. {n}", "Document number {n}", "{n}  Rev. A    {p}/{t}"]


def number_to_footer(case: Case, rng: random.Random) -> Case | None:
    """The notice-number label and number taken out of the text and the subject; the number comes
    back as the document id in each section's footer."""
    numbers = [n["notice_number"] for n in case.truth if n.get("notice_number")]
    if len(numbers) != 1:
        return None
    number = numbers[0]
    label = re.compile(
        r"(?:\b(?:PCN|PDN|EOL|notice|notification|document|doc\.?|reference|ref\.?|ECN|ECO)\b[\w .#]{0,20}?"
        r"(?:no\.?|number|nr\.?|#|id)?\s*[:#：]?\s*)?" + re.escape(number),
        re.I,
    )
    doc = copy.deepcopy(case.doc)
    footer = rng.choice(FOOTERS)
    if doc.subject:
        doc.subject = label.sub("", doc.subject).strip(" -:")
    for k, section in enumerate(doc.sections):
        tables = {c for t in section.tables for r in t for c in r}
        lines = section.text.split("\n")
        lines = [x if x.strip() in tables else label.sub("", x) for x in lines]
        lines += ["", footer.format(n=number, p=k + 1, t=len(doc.sections))]
        section.text = "\n".join(lines)
    return _then(case, doc, "number_to_footer")


def _week(d: date) -> tuple[int, int]:
    year, week, _ = d.isocalendar()
    return year, week


def last_working_day(year: int, week: int) -> date:
    """The Friday of an ISO calendar week: what "CW23/2022" means as a deadline."""
    return date.fromisocalendar(year, week, 5)


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]  # fmt: skip
DATE_STYLES: dict[str, Callable[[date], str]] = {
    "dd-Mon-yyyy": lambda d: f"{d.day:02d}-{MONTH_NAMES[d.month - 1][:3]}-{d.year}",
    "d/m/yyyy": lambda d: f"{d.day}/{d.month}/{d.year}",
    "dd.mm.yyyy": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "Month dth, yyyy": lambda d: f"{MONTH_NAMES[d.month - 1]} {d.day}{_ordinal(d.day)}, {d.year}",
    "CWww/yyyy": lambda d: "CW{1:02d}/{0}".format(*_week(d)),
    "WWww'yy": lambda d: f"WW{_week(d)[1]:02d}'{_week(d)[0] % 100:02d}",
}


def _ordinal(day: int) -> str:
    return "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


NOTICE_DATES = ("issue_date", "last_time_buy_date", "last_ship_date")
CHANGE_DATES = ("effective_date", "response_deadline", "samples_date")


def _dates_of(notice: dict) -> list[str]:
    change = notice.get("change") or {}
    named = [notice.get(k) for k in NOTICE_DATES]
    return [v for v in named + [change.get(k) for k in CHANGE_DATES] if v]


def rewrite_dates(style: str) -> Callable[[Case, random.Random], Case | None]:
    """Every date of the document written in one of the trade's formats; a calendar week stands for
    its last working day, so the truth's dates move to that Friday."""
    write = DATE_STYLES[style]
    weekly = style.startswith(("CW", "WW"))

    def transform(case: Case, rng: random.Random) -> Case | None:
        from radar_pipeline.extraction.dates import find_dates

        doc = copy.deepcopy(case.doc)
        seen, kept = 0, set()

        def swap(text: str) -> str:
            nonlocal seen
            for start, end, d in reversed(find_dates(text)):
                if re.fullmatch(r"\d{8}", text[start:end]):
                    kept.add(d)
                    continue  # "20251111": no date the maker wrote, a number
                text = text[:start] + write(d) + text[end:]
                seen += 1
            return text

        doc.subject = swap(doc.subject) if doc.subject else doc.subject
        for section in doc.sections:
            section.text = swap(section.text)
            section.tables = [[[swap(c or "") for c in r] for r in t] for t in section.tables]
        if not seen:
            return None
        truth = copy.deepcopy(case.truth)
        if weekly and kept & {date.fromisoformat(v) for n in truth for v in _dates_of(n)}:
            return None  # the week moves the truth's date, which the document still writes as it was
        if weekly:
            for n in truth:
                for key in NOTICE_DATES:
                    if n.get(key):
                        n[key] = last_working_day(*_week(date.fromisoformat(n[key]))).isoformat()
                for key in CHANGE_DATES:
                    if (n.get("change") or {}).get(key):
                        when = date.fromisoformat(n["change"][key])
                        n["change"][key] = last_working_day(*_week(when)).isoformat()
        return _then(case, doc, f"dates_{style}", truth)

    return transform


def split_pages(repeat_header: bool) -> Callable[[Case, random.Random], Case | None]:
    """A parts table split over two pages, the header repeated on the second or not."""

    def transform(case: Case, rng: random.Random) -> Case | None:
        def edit(rows, shape, spot):
            body_from = (shape.header + 1) if shape.header is not None else 0
            body = rows[body_from:]
            if len(body) < 4:
                return None
            cut = rng.randint(2, len(body) - 2)
            head = rows[:body_from]
            first, second = head + body[:cut], (head if repeat_header else []) + body[cut:]
            footer = rng.choice(["Page 1 of 2", "- 1 -", "Confidential    Page 1/2"])
            lines = render(first, spot.style) + ["", footer, "\f"] + render(second, spot.style)
            return lines, ([first, second] if spot.table is not None else [])

        return _then(
            case, _edit_part_tables(case, edit), "split_pages" + ("_repeated_header" if repeat_header else "")
        )

    return transform


def grid(columns: int) -> Callable[[Case, random.Random], Case | None]:
    """The affected parts of a parts table as a grid of ``columns`` columns without a header (the
    replacements are lost: a grid pairs nothing)."""

    def transform(case: Case, rng: random.Random) -> Case | None:
        def edit(rows, shape, spot):
            wanted = affected(case.truth)
            parts = list(dict.fromkeys(t for r in rows for c in r for t in _named(c, wanted)))
            if len(parts) < 2:
                return None
            cells = [parts[i : i + columns] for i in range(0, len(parts), columns)]
            cells[-1] += [""] * (columns - len(cells[-1]))
            return _as_found(cells, spot)

        doc = _edit_part_tables(case, edit)
        truth = copy.deepcopy(case.truth)
        for n in truth:
            for p in n["parts"]:
                p["replacement_mpn"] = None
        return _then(case, doc, f"grid{columns}", truth)

    return transform


STANDARD_HEADS = ["ISO", "ESD", "STD", "EN", "UL", "GB", "JS", "IEC", "MIL"]


def _rename_everywhere(doc: Document, old: str, new: str) -> Document:
    out = copy.deepcopy(doc)
    pattern = re.compile(r"(?<![\w-])" + re.escape(old) + r"(?![\w\-/#+])")  # the part, not a longer one
    out.subject = pattern.sub(new, out.subject) if out.subject else out.subject
    for section in out.sections:
        section.text = pattern.sub(new, section.text)
        section.tables = [[[pattern.sub(new, c or "") for c in r] for r in t] for t in section.tables]
    return out


def _rename_truth(truth: list[dict], old: str, new: str) -> list[dict]:
    out = copy.deepcopy(truth)
    for n in out:
        for p in n["parts"]:
            if p["mpn"] == old:
                p["mpn"] = new
            if p.get("replacement_mpn") == old:
                p["replacement_mpn"] = new
    return out


def _table_parts(case: Case) -> list[str]:
    """Affected parts that stand in a table cell of their own."""
    wanted = affected(case.truth)
    found = []
    for spot in spots(case.doc):
        found += [t for r in spot.rows for c in r for t in _named(c, wanted)]
    return sorted(set(found))


def standard_prefix(case: Case, rng: random.Random) -> Case | None:
    """One part renamed to begin like a standard or a rating ("ISO7741", "ESD5V3", "STD10N60"): parts
    of the trade do (isolators, protection diodes, MOSFETs)."""
    parts = [p for p in _table_parts(case) if re.match(r"^[A-Z]{0,4}\d", p)]
    if not parts:
        return None
    old = rng.choice(parts)
    new = rng.choice(STANDARD_HEADS) + old[len(re.match(r"^[A-Z]*", old).group(0)) :]
    if new in affected(case.truth) | replacements(case.truth):
        return None
    return _then(
        case, _rename_everywhere(case.doc, old, new), "standard_prefix", _rename_truth(case.truth, old, new)
    )


def wildcard(case: Case, rng: random.Random) -> Case | None:
    """One part of a table replaced by a pattern of its series ("KV33*", "KV3302%", "KV33xx-TR"): the
    notice then names that pattern, not the part."""
    parts = [p for p in _table_parts(case) if len(p) >= 6 and sum(c.isdigit() for c in p) >= 2]
    if not parts:
        return None
    old = rng.choice(parts)
    digits = [i for i, c in enumerate(old) if c.isdigit()]
    style = rng.choice(["*", "%", "x"])
    if style == "x" and len(digits) >= 2:
        i = digits[-2]
        new = old[:i] + "xx" + old[i + 2 :] if old[i + 1].isdigit() else old[:i] + "x" + old[i + 1 :]
        pattern = new.replace("x", "?")
    else:
        cut = max(digits[1] + 1, len(old) // 2)
        new = old[:cut] + ("*" if style != "%" else "%")
        pattern = new
    if pattern in {p["mpn"] for n in case.truth for p in n["parts"]}:
        return None
    doc = _rename_everywhere(case.doc, old, new)
    truth = copy.deepcopy(case.truth)
    for n in truth:
        if any(p["mpn"] == old for p in n["parts"]):
            n["parts"] = [p for p in n["parts"] if p["mpn"] != old]
            n["patterns"] = [*n.get("patterns", []), pattern]
    return _then(case, doc, "wildcard", truth)


def same_replacement(case: Case, rng: random.Random) -> Case | None:
    """A row whose replacement cell repeats its part (the part stays as it is): the part must stay."""
    truth = copy.deepcopy(case.truth)
    touched: list[str] = []

    def edit(rows, shape, spot):
        rows = [list(r) for r in rows]
        body = [
            i
            for i, r in enumerate(rows)
            if i != shape.header and shape.part < len(r) and r[shape.part].strip()
        ]
        if not body:
            return None
        i = rng.choice(body)
        part = rows[i][shape.part].strip()
        if part not in affected(case.truth):
            return None
        if shape.replacement is None:  # a replacement column of its own: "-" but for the one row
            for k, r in enumerate(rows):
                r.insert(shape.part + 1, "Replacement" if k == shape.header else (part if k == i else "-"))
        else:
            while len(rows[i]) <= shape.replacement:
                rows[i].append("")
            rows[i][shape.replacement] = part
        touched.append(part)
        return _as_found(rows, spot)

    doc = _edit_part_tables(case, edit)
    for n in truth:
        for p in n["parts"]:
            if p["mpn"] in touched:
                p["replacement_mpn"] = None
    return _then(case, doc, "same_replacement", truth)


def merged_cells(case: Case, rng: random.Random) -> Case | None:
    """A merged cell as readers give it: a value that spans rows stands in its first row only, the
    cells under it empty (in a column that is neither the parts nor the replacements)."""

    def edit(rows, shape, spot):
        rows = [list(r) for r in rows]
        start = (shape.header + 1) if shape.header is not None else 0
        width = max(map(len, rows))
        named = affected(case.truth) | replacements(case.truth)
        columns = [
            c
            for c in range(width)
            if c not in (shape.part, shape.replacement)
            and not any(c < len(r) and _named(r[c], named) for r in rows)
        ]  # a grid's every column holds parts: nothing there is merged
        body = list(range(start, len(rows)))
        if not columns or len(body) < 3:
            return None
        column = rng.choice(columns)
        first = rng.choice(body[:-2])
        span = range(first + 1, min(first + rng.randint(2, 4), len(rows)))
        for r in span:
            while len(rows[r]) <= column:
                rows[r].append("")
            rows[r][column] = ""
        return _as_found(rows, spot)

    return _then(case, _edit_part_tables(case, edit), "merged_cells")


TYPE_NUMBER_HEADS = ["Type number", "Type No.", "Typennummer", "Type designation"]
ORDERING_HEADS = ["Ordering code", "Order code", "Orderable part number", "Bestellnummer"]


def type_number(case: Case, rng: random.Random) -> Case | None:
    """Beside the ordering code, a type number that adds a revision ("GNM-7Q-0" and "GNM-7Q-0-10"):
    another name of the same product, not a part of its own."""

    def edit(rows, shape, spot):
        if shape.header is None:
            return None
        rows = [list(r) for r in rows]
        rev = rng.choice(["-10", "-01", "/A1", "-R2"])
        for k, r in enumerate(rows):
            if k < shape.header:
                r.insert(shape.part + 1, "")
            elif k == shape.header:
                r[shape.part] = rng.choice(ORDERING_HEADS)
                r.insert(shape.part + 1, rng.choice(TYPE_NUMBER_HEADS))
            else:
                cell = r[shape.part].strip() if shape.part < len(r) else ""
                r.insert(min(shape.part + 1, len(r)), cell + rev if cell else "")
        return _as_found(rows, spot)

    return _then(case, _edit_part_tables(case, edit), "type_number")


TRANSFORMS: dict[str, Callable[[Case, random.Random], Case | None]] = {
    "linearize": linearize(False),
    "linearize_empty_cells": linearize(True),
    "reorder_columns": reorder_columns,
    "header_words": header_words,
    "retitle": retitle,
    "number_to_footer": number_to_footer,
    **{f"dates_{s}": rewrite_dates(s) for s in DATE_STYLES},
    "split_pages": split_pages(False),
    "split_pages_repeated_header": split_pages(True),
    "grid3": grid(3),
    "standard_prefix": standard_prefix,
    "wildcard": wildcard,
    "same_replacement": same_replacement,
    "merged_cells": merged_cells,
    "type_number": type_number,
}


# -- judging a reading --------------------------------------------------------------------------------
def _norm(mpn: str | None) -> str:
    return re.sub(r"\s+", " ", (mpn or "").strip().upper())


@dataclass
class Verdict:
    right: bool
    flagged: bool
    why: str  # what was read wrong ("" when right)

    @property
    def silent(self) -> bool:
        return not self.right and not self.flagged


def same_id(a: str, b: str) -> bool:
    """One notice number however spelled: "PCN 20251111000" and "20251111000" (one ends the other)."""
    a, b = re.sub(r"[^A-Z0-9]", "", a.upper()), re.sub(r"[^A-Z0-9]", "", b.upper())
    return bool(a and b) and (a == b or (min(len(a), len(b)) >= 4 and (a.endswith(b) or b.endswith(a))))


def judge(truth: list[dict], notices: list[dict], flagged: bool) -> Verdict:
    """Right: one notice read for each of the truth's, with every part, at most one part too many, each
    pattern the truth names (among the patterns or the parts read), the last-time-buy date and the
    type. Patterns read beyond the truth's are not judged (real labels list none)."""
    if not truth:
        extra = sum(len(n.get("parts", [])) for n in notices)
        return Verdict(extra == 0, flagged, f"{extra} parts read from no notice" if extra else "")
    used: set[int] = set()
    wrong = []
    for t in truth:
        want = {_norm(p["mpn"]) for p in t["parts"]}
        patterns = {_norm(p) for p in t.get("patterns") or []}
        best, score = None, -1
        for i, n in enumerate(notices):
            if i in used:
                continue
            have = {_norm(p["mpn"]) for p in n.get("parts", [])}
            s = len(want & have) + (1000 if _norm(n.get("notice_number")) == _norm(t["notice_number"]) else 0)
            if s > score:
                best, score = i, s
        if best is None:
            wrong.append(f"{t['notice_number']}: not read")
            continue
        used.add(best)
        n = notices[best]
        have = {_norm(p["mpn"]) for p in n.get("parts", [])}
        missed, extra = want - have, have - want
        missed |= patterns - have - {_norm(p) for p in n.get("patterns") or []}
        if missed:
            wrong.append(f"{t['notice_number']}: missed {sorted(missed)[:3]}")
        if len(extra) > 1:
            wrong.append(f"{t['notice_number']}: {len(extra)} extra {sorted(extra)[:3]}")
        if (n.get("last_time_buy_date") or None) != t.get("last_time_buy_date"):
            wrong.append(
                f"{t['notice_number']}: LTB {n.get('last_time_buy_date')} for {t.get('last_time_buy_date')}"
            )
        if n.get("notice_type") != t.get("notice_type"):
            wrong.append(f"{t['notice_number']}: type {n.get('notice_type')} for {t.get('notice_type')}")
        if t.get("notice_number") and not same_id(n.get("notice_number") or "", t["notice_number"]):
            wrong.append(f"{t['notice_number']}: number {n.get('notice_number')}")
    extra_notices = [n for i, n in enumerate(notices) if i not in used and n.get("parts")]
    if extra_notices:
        wrong.append(f"{len(extra_notices)} notice(s) too many ({extra_notices[0].get('notice_number')})")
    return Verdict(not wrong, flagged, "; ".join(wrong))


def read_case(case: Case) -> tuple[list[dict], bool]:
    """The notices as `radar extract` reads them (offline), and whether a person is asked to look."""
    from radar_pipeline.review.reading import read_reviewed

    result, assessment, _ = read_reviewed(case.doc, None, "always")
    return [n.to_contract() for n in result.notices], assessment.needs_review


def run(case: Case) -> Verdict:
    notices, flagged = read_case(case)
    return judge(case.truth, notices, flagged)


def family_case(sample) -> Case:
    """A generated family sample (``demo.families``) as a case."""
    from radar_pipeline.documents import read_bytes

    truth = [
        {
            "notice_number": t.notice_number,
            "manufacturer": t.manufacturer,
            "notice_type": t.notice_type,
            "issue_date": t.issue_date,
            "last_time_buy_date": t.last_time_buy_date,
            "last_ship_date": t.last_ship_date,
            "parts": [{"mpn": m, "replacement_mpn": r} for m, r in t.parts],
            "patterns": list(getattr(t, "patterns", []) or []),
        }
        for t in sample.truth
    ]
    return Case(sample.name, read_bytes(sample.data, sample.name), truth)
