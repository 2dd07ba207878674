"""Dates as notices write them: ISO, European, US, month names in English and German, calendar weeks.

A slashed date (``10/02/2027``) is day first in Europe and Asia and month first in the US, and a
document keeps to one order: a date whose first number cannot be a month (``25/02/2027``) proves day
first for the whole document, one whose second cannot (``02/25/2027``) month first. ``reading_order``
holds that order while a document is read; with no proof a slashed date is read month first, and
``undecided_dates`` names the dates so read, for the notice to say its date is a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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

_WEEK = r"(?:CW|WW|KW|wk\.?|week)\s*(?P<week>[0-5]?\d)"
PATTERNS = [
    # a calendar week (CW23/2022, WW23'22, KW 23/2022, 2022-CW23) stands for its Friday: the last
    # working day of the week a deadline names
    re.compile(rf"(?<![A-Za-z]){_WEEK}\s*(?:[/'’.,-]\s*|\s+)(?P<wyear>(?:19|20)\d{{2}}|\d{{2}})(?!\d)", re.I),
    re.compile(rf"(?<!\d)(?P<wyear>(?:19|20)\d{{2}})\s*[-/]?\s*{_WEEK}(?!\d)", re.I),
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
    SLASHED := re.compile(
        r"(?<!\d)(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d{2})(?!\d)"
    ),  # 11/17/2026
    re.compile(rf"(?<![\w]){_DAY}[\s\-/]*{_MONTH}[\s\-/,]*{_YEAR}(?!\d)", re.I),  # 17 Nov 2026, 20-Sep-2026
    re.compile(rf"(?<![\w]){_MONTH}\s*{_DAY},?\s*{_YEAR}(?!\d)", re.I),  # November 17, 2026
    re.compile(rf"(?<![\w]){_MONTH}[\s\-/,]*(?P<year>(?:19|20)\d{{2}})(?!\d)", re.I),  # November 2026 (1st)
]


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


DAY_FIRST, MONTH_FIRST = "day first", "month first"
_ORDER: ContextVar[str | None] = ContextVar("slashed_date_order", default=None)


def slashed_order(text: str) -> str | None:
    """The order the slashed dates of ``text`` prove (None: no proof, or proofs both ways)."""
    proofs = set()
    for m in SLASHED.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if 12 < a <= 31 and 1 <= b <= 12:
            proofs.add(DAY_FIRST)
        elif 12 < b <= 31 and 1 <= a <= 12:
            proofs.add(MONTH_FIRST)
    return proofs.pop() if len(proofs) == 1 else None


def swapped(day: date) -> date | None:
    """The same slashed date read in the other order (2026-09-01 for 2026-01-09), if it is one."""
    try:
        return date(day.year, day.day, day.month) if day.day <= 12 else None
    except ValueError:
        return None


@contextmanager
def reading_order(order: str | None) -> Iterator[str | None]:
    """Slashed dates read in ``order`` (None: month first, unproven), for as long as the document is read."""
    token = _ORDER.set(order)
    try:
        yield order
    finally:
        _ORDER.reset(token)


def undecided_dates(text: str) -> set[date]:
    """Dates of ``text`` read month first for want of proof (``01/02/2027`` with nothing in the document
    saying which order it keeps); empty when the document proves its order."""
    if slashed_order(text):
        return set()
    undecided = set()
    for m in SLASHED.finditer(text):
        if m["a"] != m["b"] and int(m["a"]) <= 12 and int(m["b"]) <= 12 and (d := _build(m)):
            undecided.add(d)
    return undecided


def _build(m: re.Match) -> date | None:
    g = m.groupdict()
    try:
        if g.get("week"):
            return date.fromisocalendar(_year(g["wyear"]), int(g["week"]), 5)
        if "a" in g and g.get("a"):
            a, b = int(g["a"]), int(g["b"])
            day_first = a > 12 or (b <= 12 and _ORDER.get() == DAY_FIRST)
            month, day = (b, a) if day_first else (a, b)
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
