"""Dates as notices write them: ISO, European, US, month names in English and German."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1,
    "january": 1,
    "januar": 1,
    "jänner": 1,
    "janvier": 1,
    "feb": 2,
    "february": 2,
    "februar": 2,
    "février": 2,
    "fevrier": 2,
    "mar": 3,
    "march": 3,
    "märz": 3,
    "maerz": 3,
    "mär": 3,
    "mars": 3,
    "apr": 4,
    "april": 4,
    "avril": 4,
    "may": 5,
    "mai": 5,
    "jun": 6,
    "june": 6,
    "juni": 6,
    "juin": 6,
    "jul": 7,
    "july": 7,
    "juli": 7,
    "juillet": 7,
    "aug": 8,
    "august": 8,
    "août": 8,
    "aout": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "septembre": 9,
    "oct": 10,
    "october": 10,
    "okt": 10,
    "oktober": 10,
    "octobre": 10,
    "nov": 11,
    "november": 11,
    "novembre": 11,
    "dec": 12,
    "december": 12,
    "dez": 12,
    "dezember": 12,
    "décembre": 12,
    "decembre": 12,
}
_MONTH = "(?P<mon>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2}|\d{2})"

PATTERNS = [
    re.compile(
        r"(?<!\d)(?P<year>20\d{2})\s*年\s*(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日"
    ),  # 2026年3月25日
    re.compile(
        r"(?<![\d.,/-])(?P<year>20\d{2})(?P<month>0[1-9]|1[0-2])(?P<day>0[1-9]|[12]\d|3[01])(?![\d.,/-])"
    ),  # 20261231
    re.compile(
        r"(?<!\d)(?P<year>(?:19|20)\d{2})[-/.](?P<month>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"
    ),  # 2026-11-17
    re.compile(r"(?<!\d)(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d{2})(?!\d)"),  # 17.11.2026
    re.compile(r"(?<!\d)(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d{2})(?!\d)"),  # 11/17/2026 (US)
    re.compile(rf"(?<![\w]){_DAY}[\s\-/]*{_MONTH}[\s\-/,]*{_YEAR}(?!\d)", re.I),  # 17 Nov 2026, 20-Sep-2026
    re.compile(rf"(?<![\w]){_MONTH}\s*{_DAY},?\s*{_YEAR}(?!\d)", re.I),  # November 17, 2026
    re.compile(rf"(?<![\w]){_MONTH}[\s\-/,]*(?P<year>(?:19|20)\d{{2}})(?!\d)", re.I),  # November 2026 (1st)
]


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _build(m: re.Match) -> date | None:
    g = m.groupdict()
    try:
        if "a" in g and g.get("a"):
            a, b = int(g["a"]), int(g["b"])
            month, day = (a, b) if a <= 12 else (b, a)  # US order unless the first cannot be a month
            return date(_year(g["year"]), month, day)
        month = int(g["month"]) if g.get("month") else MONTHS[g["mon"].lower().rstrip(".")]
        day = int(g["day"]) if g.get("day") else 1
        return date(_year(g["year"]), month, day)
    except (ValueError, KeyError):
        return None


def find_dates(text: str) -> list[tuple[int, int, date]]:
    """Every date in ``text`` as (start, end, date), leftmost first, overlaps removed."""
    found: list[tuple[int, int, date]] = []
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            d = _build(m)
            if d and 1990 <= d.year <= 2100:
                found.append((m.start(), m.end(), d))
    return sorted(found)


def parse_date(text: str) -> date | None:
    """The first date in ``text``."""
    dates = find_dates(text)
    return dates[0][2] if dates else None


def is_date(token: str) -> bool:
    dates = find_dates(token)
    return bool(dates) and dates[0][1] - dates[0][0] >= len(token.strip(" .,;:()")) - 1
