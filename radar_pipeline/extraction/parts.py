"""Finding affected part numbers: table columns first, then labelled lists, then prose.

Real orderable part numbers carry punctuation (``LM317T/NOPB``, ``LTC2944IDD#PBF``,
``MAX3232CSE+T``, ``PCA9685PW,118``, ``MT41K256M16TW-107:P``) and sometimes
an inner space; the text around them carries look-alikes (phone, PO and
customer numbers, dates, quantities, notice ids) that must not be taken.
"""

from __future__ import annotations

import re

from radar_pipeline.extraction.dates import find_dates, is_date

_CONTEXT_REJECT = re.compile(
    r"(?:\bP\.?\s?O\.?|purchase\s*order|order\s*(?:no|number|#)|customer|kunden|account|invoice|rechnung|tel\.?|"
    r"phone|fax|mobile|ticket|case|ref(?:erence)?|quote|contract|pcn|pdn|notice|notification|eol\s*no|iso|page|seite|"
    r"zip|postal|suite|street|str\.)[\s:#.\-]*$",
    re.I,
)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/#+,.:_()]*[A-Za-z0-9#+)]|[A-Za-z0-9]{2,}")
# A notice's id: its kind and a number ("PCN26834", "DN-2026-0394", "IPCN27002X", "PCN#1143"); a part
# that starts with the same letters goes on with letters and codes ("DN882F7#PBF", "PDTC114EU")
_NOTICE_ID = re.compile(
    r"^(?:PCN|PDN|FPCN|EOL|DN|PD|CAAN|PCI|EOLN|IPCN|ECN|LTB)[-_ #]?\d[\d\-_./]*(?:[A-Z]|-?REV\d*|[-_.]?[A-Z]\d?)?$",
    re.I,
)
_UNIT = re.compile(
    r"^\d{1,4}(?:[.,]\d+)?(?:pcs|pieces|units|k|kpcs|mm|mil|%|v|mv|ma|a|w|mhz|khz|ghz|hz|ns|ms|us|s|days|weeks|months|years|h)$",
    re.I,
)
_PHONE = re.compile(r"^\+?\d{1,3}[-.\s]?\(?\d{2,4}\)?[-.\s]\d{3,4}[-.\s]\d{3,4}$|^\d{3}-\d{3}-\d{4}$")
# A standard or a rating by its whole shape — "ISO9001", "ISO/TS 16949", "IATF16949", "AEC-Q100-005",
# "JESD22-A104", "J-STD-020E", "IEC61000-4-2", "MIL-STD-883", "JS-001", "EN55032", "UL94V-0",
# "GB/T2423", "IPC-A-610", "MSL3" — never by its first letters: isolators are named ISO…, protection
# diodes ESD…, MOSFETs STD…, power modules EN…
STANDARD = re.compile(
    r"^(?:(?:ISO(?:/(?:TS|IEC|TR))?|IATF|IEC|EN|UL|GB(?:/T)?|JIS|ANSI|EIA|DIN|VDA|ASTM)[-\s/]?\d{2,5}"
    r"(?:[-.:/]\d{1,4})*(?:[-\s]?V-?\d)?"
    r"|(?:JESD|JEP|JS|J-STD|IPC(?:-[A-Z])?|MIL-(?:STD|PRF|HDBK)|AEC-?Q|ANSI/ESDA?/JEDEC[-\s]?JS)[-\s]?\d{1,5}"
    r"(?:[-./][A-Z]?\d{1,4})*(?:[-\s]?REV[-\s]?[A-Z0-9]{1,2}|[A-Z])?"
    r"|(?:MSL|HBM|CDM|MM)[-\s]?\d{1,4}[A-Z]?(?:V|KV)?)$",
    re.I,
)
# conditions, ratings and codes that stand in tables beside parts: "260C", "+3.3V", "24VDC", "500cy", "(22L)"
MEASURE = re.compile(
    r"^(?:[±+\-]|\+-|\+/-)?\d{1,5}(?:[.,]\d{1,3})?(?:μ|µ|u|m|k|n|p)?(?:V|VDC|VAC|C|°C|K|A|W|HZ|L|H|HRS?|CYC|PCS|NM|M|F|Ω|OHM|DPI|RH|G|S|X)?"
    r"(?:[-~](?:[±+\-])?\d{1,5}(?:[.,]\d{1,3})?(?:°?C|V|K)?)?$",  # a range: "-65C-150C"
    re.I,
)
_WORDISH = re.compile(r"^[A-Za-z]+$")
# A list item's marker at the start of a cell or line: "1.", "(2)", "a)", "•", "-", "*"
LIST_MARKER = re.compile(r"^\s*(?:[•·▪◦●○■□‣⁃*\-–]|\(?(?:\d{1,3}|[a-z])[.)])\s+")
# The package families of the trade, as their names begin ("SOT-23", "TSSOP20", "DHVQFN14").
PACKAGE_FAMILIES = (
    r"(?:SOT|SOD|SOIC|SOP|SSOP|TSSOP|MSOP|QFN|DFN|VQFN|WQFN|UQFN|TQFN|QFP|LQFP|"
    r"TQFP|BGA|FBGA|LGA|WLCSP|CSP|PLCC|DIP|PDIP|SIP|TO|DPAK|D2PAK|PQFN|HSOP|HTSSOP|SON|WSON|USON|XSON|"
    r"VSON|SC|SMA|SMB|SMC|MELF|LFCSP|TDFN|UDFN|XDFN|HVQFN|DHVQFN|SOJ|TSOP|PSOP|HQFP|EQFP|UFBGA|TFBGA|LFBGA)"
)
# A package name in running text ("5 V LDO, SOT-223", "TO-252"), never a part there. Only the short
# forms: a part number may begin with a package's letters (SC16IS752, SIP32431DR3).
PACKAGE_NAME = re.compile(rf"^{PACKAGE_FAMILIES}-?\d{{1,3}}(?:-\d{{1,2}})?[A-Z]?$", re.I)
# Beside a parts column, a package cell takes a longer tail too ("QFN-24-EP", "PSOT23").
PACKAGE_CELL = re.compile(rf"^(?:P|T|S|H|L|V|W|U|X|M|F|C)?{PACKAGE_FAMILIES}[-\s]?\d+[A-Z0-9\-]*$", re.I)


FILE_NAME = re.compile(r"\.(?:pdf|xlsx?|xlsm|xlsb|docx?|csv|zip|msg|eml|html?|txt)$", re.I)
# A process node and what is built in it ("0.18μmCMOS", "28nmHKMG", "0.13umEEPROM"), or a count of
# something ("1VIA", "4LAYER"): a number then letters only, no part number
NODE_OR_COUNT = re.compile(r"^\d+(?:\.\d+)?(?:μm|µm|um|nm)[A-Z]*$|^\d{1,2}[A-Z]{3,}$", re.I)


def part_shaped(token: str) -> bool:
    """What no part looks like, whatever column it stands in: a fragment cut at a bracket ("3/7)0.13μm",
    "4952(A"), stray signs ("RS}06■■{GS"), a label's value ("EMC:CEL-9220HF13CJ", "DATE:20251029"), a
    process node or a count ("0.13μmEEPROM", "1VIA"), a file name."""
    return (
        token.count("(") == token.count(")")
        and not re.search(r"[^\w\-/#+,.:()& ]|^\w{1,2}\(", token)  # "RS}06■■{GS", "1E(16)": no part
        and not re.match(r"^[A-Za-z]{3,}:", token)
        and not any(NODE_OR_COUNT.match(w) for w in token.split())
        and not FILE_NAME.search(token)
        and not token.endswith(":")
    )


def list_item_head(line: str) -> str:
    """The first word of a bulleted or numbered list item ("• TPV1120-5.0 – 5 V LDO" → "TPV1120-5.0"),
    "" for a line that is no list item."""
    item = LIST_MARKER.match(line)
    return clean_token(re.split(r"[\s;,]+", line[item.end() :].strip(), maxsplit=1)[0]) if item else ""


# wildcards in a part number: "*", "%", "?", or a run of lower-case x standing for characters
WILDCARD = re.compile(r"[*%?]|(?<=[A-Z0-9\-])x+(?=$|[A-Z0-9/#+\-,])")


def clean_token(token: str) -> str:
    token = token.strip().strip("\"'`“”‘’[]{}<>;")
    while token and token[-1] in ".,:;)" and not (token[-1] == ")" and "(" in token):
        token = token[:-1]
    while token and token[0] in "(":
        token = token[1:]
    return token


def looks_like_mpn(token: str, *, in_part_column: bool = False) -> bool:
    """Shape test for a manufacturer part number (no context)."""
    token = clean_token(token)
    if not (3 <= len(token) <= 40) or " " in token.strip() and not in_part_column:
        return False
    if re.search(r"[=°µΩ%~<>@]", token):  # conditions and units ("TA=25°C"), truncated codes ("INF…25>")
        return False
    compact = token.replace(" ", "")
    letters = sum(c.isalpha() for c in compact)
    digits = sum(c.isdigit() for c in compact)
    if digits == 0:
        return False
    if letters == 0 and is_date(token):
        return False
    if letters == 0:
        # numeric-only MPNs (e.g. Würth 744771110) only where a column says they are parts
        return in_part_column and bool(re.fullmatch(r"\d[\d\-./]{3,}\d", compact)) and digits >= 5
    if (
        len(compact) < 4
        or _UNIT.match(compact)
        or MEASURE.match(compact)
        or _PHONE.match(token)
        or is_date(token)
    ):
        return False
    if re.match(r"^(?:v|rev|ver|version|r)\.?\d", compact, re.I) and len(compact) < 8:
        return False
    if (
        STANDARD.match(token.strip())
        or STANDARD.match(compact)
        or "@" in token
        or token.lower().startswith(("http", "www."))
    ):
        return False
    upper = sum(c.isupper() for c in compact if c.isalpha())
    if upper / letters < 0.6:
        return False
    if re.fullmatch(r"(?:19|20)\d{2}[A-Z]?|Q[1-4]-?\d{2,4}|\d{1,2}[A-Z]{1,2}", compact):
        return False
    return not _NOTICE_ID.match(compact) or in_part_column


def split_cell(cell: str) -> list[str]:
    """Several part numbers in one cell, separated by new lines, semicolons or ', '."""
    pieces = re.split(r"\n|;|,\s+|\s{2,}|\s/\s", LIST_MARKER.sub("", cell))
    return [clean_token(p) for p in pieces if clean_token(p) and not PACKAGE_NAME.match(clean_token(p))]


def part_cell_tokens(cell: str) -> list[str]:
    """The part numbers in a part column's cell; a sentence there gives none.

    A piece with inner spaces is several parts only when every word is one
    ("BUK4D60-30 BUK6D23-40E"); otherwise it is one part with an inner space
    when short ("BSS84P H6327"), or a sentence or footer ("TEM001790 Rev. G").
    """
    out = []
    for piece in split_cell(cell):
        if WILDCARD.search(piece):
            continue  # a pattern ("KV33*-TR", "NE90Bxx/T7") names a series: it is read as a pattern
        if re.search(r"[:：]\s", piece) or find_dates(piece):
            continue  # a labelled field ("LTB: 29-Aug-2026") that ran into the column
        words = piece.split()
        if any(_rating(w) for w in words) or not part_shaped(piece):
            continue  # a test's standard and condition ("JESD22-A101/A110 130C"), a process ("1VIA CR")
        if len(words) > 1 and all(looks_like_mpn(w) for w in words):
            out += words
        elif (
            len(words) <= 2
            and looks_like_mpn(piece, in_part_column=True)
            and not (len(words) == 2 and _WORDISH.match(words[0]) and len(words[0]) <= 3)
        ):
            out.append(piece)  # one part with an inner space ("BSS84P H6327"), not "ID 83707-0006"
    return out


def _rating(word: str) -> bool:
    """A standard or a measure, whatever brackets stand around it ("JESD22-A104)", "-65C-150C")."""
    word = word.strip("()[],;")
    return bool(STANDARD.match(word) or MEASURE.match(word))


def tokens_in_line(line: str) -> list[str]:
    """Part-number-shaped tokens of a line of prose, with distractor context rejected."""
    out = []
    dates = find_dates(line)
    for m in _TOKEN.finditer(line):
        token = clean_token(m.group(0))
        if not token or any(s <= m.start() < e for s, e, _ in dates):
            continue
        if _CONTEXT_REJECT.search(line[max(0, m.start() - 30) : m.start()]):
            continue
        if _WORDISH.match(token) or PACKAGE_NAME.match(token):
            continue
        if looks_like_mpn(token):
            out.append(token)
    return out


# -- patterns: a series named with wildcards ----------------------------------------------------
URL = re.compile(r"<?\b(?:https?://|www\.)[^\s>]+>?", re.I)
WILDCARD_TOKEN = re.compile(
    r"(?<![\w%*])[A-Z0-9][A-Z0-9\-/#+._]*(?:%[A-Z0-9\-/#+._%]*|\*[A-Z0-9\-/#+._]+)+(?![\w%*])"
)
# "LL82*" alone in a table cell is a series; in a sentence ("LM317T* see footnote") it is a footnote mark
CELL_STAR = re.compile(
    r"(?:^|\|[ \t]*|\t|[ \t]{2,})([A-Z0-9][A-Z0-9\-/#+._]*\*)(?=[ \t]*\||\t|[ \t]{2,}|[ \t]*$)", re.M
)
# a run of lower-case x in an upper-case part number stands for characters ("KV33xx-TR", "DFNxxE"); the
# token has a letter, a digit and two characters before the x ("0x1F", "10x10" are no patterns)
X_PATTERN = re.compile(
    r"(?<![\w/#+,-])(?=[A-Z0-9/#+\-,x]*[A-Z])(?=[A-Z0-9/#+\-,x]*\d)[A-Z0-9][A-Z0-9/#+\-,]+(?<=[A-Z0-9\-])x+"
    r"[A-Z0-9/#+\-,x]*(?<![/#+\-,])(?![\w/#+])"
)
SERIES = re.compile(
    r"\b(?P<name>[A-Z][A-Z0-9\-]{2,}\d[A-Z0-9\-]*|[A-Z]{2,}\d[A-Z0-9\-]*)[ \t]*(?i:series|serie|familie|family|系列|シリーズ)"
)


def _names_part(pattern: str) -> bool:
    """A share or yield ("100%", "85.5%") is no pattern: a pattern names a part, so it has a letter, or
    a numeric stem set off by a separator ("4648-*", "6745-%")."""
    return bool(re.search(r"[A-Z]|\d[-/#][*%]", pattern))


def patterns_in(text: str) -> list[str]:
    """Wildcards and series a notice names, as patterns: "%" and "*" kept, a lower-case x is one character,
    "PC20WR4 series" is "PC20WR4*". They are matched as family matches, for review."""
    # a link's escapes ("…%7C02%7C…") name no series
    text = URL.sub(" ", text)
    found = [m.group(0) for m in WILDCARD_TOKEN.finditer(text) if _names_part(m.group(0))]
    found += [m.group(1) for m in CELL_STAR.finditer(text) if _names_part(m.group(1))]
    found += [re.sub(r"x", "?", m.group(0)) for m in X_PATTERN.finditer(text)]
    found += [m.group("name") + "*" for m in SERIES.finditer(text)]
    return list(dict.fromkeys(found))
