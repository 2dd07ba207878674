"""What a BOM export's columns mean, read from their header words.

ERP/PLM and EDA tools name the same column many ways ("Qty Per", "QPA", "Quantity";
"Mfr. Part #", "Manufacturer Part Number 1", "MPN"). As the notice reader does
(extraction/columns.py), a header is compacted (NFKC, lower case, no spaces or
punctuation but ``#`` and ``/``) and matched against a vocabulary of patterns, one per
field, in order: the first field whose pattern matches names the column. ``--map
"Header=field"`` overrides the vocabulary for a header, ``=ignore`` drops a column.

A trailing number, or an ``alt``/``alternate``/``second source`` prefix, makes a
further manufacturer/MPN pair ("Manufacturer 2" with "Manufacturer Part Number 2"):
the part's approved alternates. A header that reads as a month ("2027-01",
"Jan 2027", a date) is a forecast column.

The header row is found, not assumed: the row among the first ``HEADER_SCAN`` whose
cells name the most fields (two at least, one of them a key such as a part, a level or
a product). Rows above it are the title block; ``Key: value`` lines there are kept
("Project: CTRL-BOARD", "Product: ARM-100").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from radar_pipeline.extraction.columns import compact

HEADER_SCAN = 30  # rows searched for the header (a title block is rarely longer)

# field -> pattern on the compact header. Order matters: the first match wins, so the specific
# ("manufacturer part number") comes before the general ("manufacturer").
VOCABULARY: list[tuple[str, str]] = [
    (  # totals, line numbers and distributors' own order codes (as the notice reader, never parts)
        "ignore",
        r"extended|^ext(qty|quantity)|total|^line(no|number|#)?$|^#$|^no$|^pos(ition)?$|^findn|"
        r"digikey|mouser|^lcsc|farnell|newark|^rs(part|pn|stock)|arrow|avnet|^tme|distribut",
    ),
    (
        "level",
        r"^(bom|indented|indent|explosion|structure)?(level|lvl|lev)(no|#)?$|^indent(ure|ation)?$|^stufe$|"
        r"^niveau$|^階層$",
    ),
    ("designator", r"^(ref)?des(ignator)?s?$|^ref(erence)?s?(designators?)?$|^partreference$"),
    ("dnp", r"^(dnp|dni|dnf|nopop|donot(place|populate|fit|install|stuff))$"),
    ("fitted", r"^(fitted|populated?|mounted|placed|bestückt)$"),
    (
        "mpn",
        r"^mpn$|manufacturer'?s?(part|pn|p/n|#)|^(mfr|mfg|mftr)s?(part|pn|p/n|#|no)|"
        r"^herstellerteilenummer|^herstellerartikel|^référencefabricant",
    ),
    # a vendor's or supplier's part number: the MPN when no column names the manufacturer's (an ERP's
    # "Vendor Item"), else a distributor's order code beside it
    ("supplier_pn", r"^(vendor|supplier)(part|pn|p/n|item|#)"),
    ("manufacturer", r"^(manufacturer|mfr|mfg|mftr|make|maker|vendor|supplier|hersteller|fabricant)(name)?$"),
    (
        "item",
        r"^item(number|no|#|id|code)$|^(internal|company|our|house)(part|pn|p/n|item)|^ipn$|^partid$|"
        r"^stock(code|no|number)$|^material(number|no|id)?$|^(component|child)(id|item|number|no|part)?$|"
        r"^sachnummer$|^artikel(nummer)?$|^teilenummer$",
    ),
    # an MPN, or an item number when an MPN column exists (a bare "Part" is a value, as OrCAD writes it)
    ("part_number", r"^(p/?n|pn)(number|no|#|num)?$|^part(number|no|#|num)$"),
    ("item_or_line", r"^item$"),  # an item, or a running line number (decided by its values)
    ("parent", r"^parent(id|item|part|assembly|number|no)?$"),
    ("product", r"^(product|finishedgood|fg|model|sku|endproduct|produkt)(id|number|no|code|#)?$"),
    ("board", r"^(board|pcba|pcb|assembly|subassembly|module|baugruppe)s?(id|number|no|name|#)?$"),
    ("name", r"^(product)?name$"),
    ("description", r"^desc|description$|^beschreibung$|^bezeichnung$|^designation$|^libdescription$"),
    (
        "qty",
        r"^(comp(onent)?)?(qty|quantity|qnty|menge|anzahl|quantité)(per|peru|perunit|perassy|perassembly|"
        r"perparent|perboard|perproduct|required|req|each|ea|bun)?$|^qpa$|^usage$|^boards?perunit$",
    ),
    ("uom", r"^(base)?(uom|um|u/m|bun|unit|units|unitofmeasure|unitofmeasurement|einheit)$"),
    ("on_hand", r"onhand|^(stock|instock|inventory|available|qoh|lagerbestand|bestand|stockqty)$"),
    ("unit_cost", r"^(unit|std|standard|avg|average|purchase|item|material)?cost(each|perunit|ea)?"),
    ("product_price", r"^(sell|selling|sales|list|product)price|^asp$|^verkaufspreis"),
    ("price", r"^(unit)?price(each|perunit|ea)?|^(stück|einzel)preis|^preis$|^prix"),
    ("end_of_life", r"^endoflife|^eol(date)?$|^endofsale|^eos(date)?$|^lastsale|discontinu"),
    ("owner", r"owner|^productmanager$|^pm$|^e?mail$|^contact$"),
    ("month", r"^(month|period|forecastmonth|monat|mois)$"),
    ("demand", r"^(forecast|demand|units|forecastqty|forecastquantity|bedarf)$"),
]
FIELDS = sorted(
    {name for name, _ in VOCABULARY} - {"part_number", "item_or_line", "supplier_pn"} | {"ignore"}
)
# A further approved source: "Alt MPN", "Alternate Manufacturer", "2nd Source Part Number"
ALTERNATE_PREFIX = re.compile(r"^(alternative|alternate|alt|secondsource|second|2?ndsource|backup)(source)?")
NUMBERED = ("mpn", "manufacturer", "part_number", "supplier_pn")
KEYS = {"level", "item", "mpn", "part_number", "supplier_pn", "designator", "product", "parent", "board"}

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def month_of(text: str) -> str | None:
    """``YYYY-MM`` of a header or cell that names a month ("2027-01", "2027-01-01", "Jan 2027",
    "Jan-27", "01/2027", "2027/01"), else ``None``."""
    t = text.strip().lower()
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[ t]00:00(?::00)?)?", t):
        year, month = int(m.group(1)), int(m.group(2))
    elif m := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", t):
        year, month = int(m.group(2)), int(m.group(1))
    elif m := re.fullmatch(r"([a-z]{3})[a-z]*[\s\-'./]*(\d{2}|\d{4})", t):
        if m.group(1) not in _MONTHS:
            return None
        year, month = int(m.group(2)), _MONTHS[m.group(1)]
        year += 2000 if year < 100 else 0
    else:
        return None
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 1900 < year < 2200 else None


@dataclass(frozen=True)
class Column:
    """One column as understood: its header, its field, and for a further approved source its rank
    (1 the part's own manufacturer/MPN, 2 its first alternate …); ``how`` says why."""

    index: int
    header: str
    field: str
    rank: int = 1
    how: str = "header words"

    def describe(self) -> str:
        name = self.field if self.rank == 1 else f"{self.field} (alternate {self.rank - 1})"
        return f'"{self.header}" -> {name}' + ("" if self.how == "header words" else f" ({self.how})")


def _vocabulary_field(c: str) -> str | None:
    for name, pattern in VOCABULARY:
        if re.search(pattern, c):
            return name
    return None


def field_of(header: str) -> tuple[str, int] | None:
    """The field a header names and its rank (``("mpn", 2)`` for "Manufacturer Part Number 2")."""
    c = compact(header)
    if not c or len(c) > 60:
        return None
    rank = 1
    alternate = ALTERNATE_PREFIX.match(c)
    if alternate and alternate.end() < len(c):
        rank, c = 2, c[alternate.end() :]
    numbered = re.fullmatch(r"(.*?[a-z#/])(\d{1,2})", c)
    if numbered:
        name = _vocabulary_field(numbered.group(1))
        if name in NUMBERED:
            return name, max(rank, int(numbered.group(2)))
    name = _vocabulary_field(c)
    if name is None or (rank > 1 and name not in NUMBERED):  # "Alt Qty": no further source's field
        return None
    return name, rank


@dataclass
class Header:
    """A sheet's header row (1-based ``line``), its understood columns, its forecast month columns,
    the headers left unused, and the title block's ``Key: value`` lines."""

    line: int
    columns: list[Column]
    months: dict[int, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)
    title: dict[str, str] = field(default_factory=dict)


Overrides = dict[str, tuple[str, int]]  # compact header -> (field, rank), from --map


def _read_row(row: list[str], overrides: Overrides) -> tuple[list[Column], dict[int, str], list[str]]:
    columns, months, unused = [], {}, []
    for i, cell in enumerate(row):
        if not cell.strip():
            continue
        forced = overrides.get(compact(cell))
        if forced is not None:
            if forced[0] != "ignore":
                columns.append(Column(i, cell, forced[0], forced[1], "--map"))
            continue
        month = month_of(cell)
        if month:
            months[i] = month
            continue
        found = field_of(cell)
        if found and found[0] != "ignore":
            columns.append(Column(i, cell, found[0], found[1]))
        else:
            unused.append(cell)
    return columns, months, unused


def _score(columns: list[Column], months: dict[int, str]) -> int:
    names = {c.field for c in columns} | ({"month"} if months else set())
    return len(names) if len(names) >= 2 and names & KEYS else 0


def find_header(rows: list[list[str]], overrides: Overrides | None = None) -> Header | None:
    """The header of a sheet's rows (every row, blank ones too, so that an index is a line), or
    ``None`` when no row among the first ``HEADER_SCAN`` names a key and another field."""
    overrides = overrides or {}
    best, best_score = None, 0
    for i, row in enumerate(rows[:HEADER_SCAN]):
        columns, months, unused = _read_row(row, overrides)
        score = _score(columns, months)
        if score > best_score:
            best, best_score = Header(i + 1, columns, months, unused), score
    if best is not None:
        best.title = title_block(rows[: best.line - 1])
    return best


def title_block(rows: list[list[str]]) -> dict[str, str]:
    """``Key: value`` pairs above the header: in one cell ("Project: CTRL") or two ("Project" | "CTRL")."""
    out: dict[str, str] = {}
    for row in rows:
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        if ":" in cells[0] and not cells[0].endswith(":"):
            key, value = cells[0].split(":", 1)
        elif len(cells) >= 2:
            key, value = cells[0].rstrip(":"), cells[1]
        else:
            continue
        if key.strip() and value.strip():
            out.setdefault(compact(key), value.strip())
    return out


def parse_overrides(pairs: list[str] | tuple[str, ...]) -> Overrides:
    """``--map "Header=field"`` pairs (``mpn2``/``manufacturer2``: a further approved source) as
    compact header -> (field, rank); ``ValueError`` naming a bad one."""
    out = {}
    for pair in pairs:
        header, sep, name = pair.rpartition("=")
        name = name.strip().lower()
        if not sep or not header.strip():
            raise ValueError(f"--map {pair!r}: write it as COLUMN=FIELD")
        ranked = re.fullmatch(r"(mpn|manufacturer)(\d)", name)
        if ranked:
            out[compact(header)] = (ranked.group(1), int(ranked.group(2)))
            continue
        if name not in FIELDS:
            raise ValueError(f"--map {pair!r}: unknown field {name!r}; fields: {', '.join(FIELDS)}")
        out[compact(header)] = (name, 1)
    return out
