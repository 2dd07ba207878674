"""Manufacturer part number (MPN) normalization and the packaging-suffix family key.

``normalize_mpn`` decides an *exact* match (CONTRACT §6): Unicode NFKC, upper
case, trimmed, inner white space collapsed to one space, dash look-alikes mapped
to ``-``. Nothing else is removed: ``/``, ``#``, ``+``, ``,`` and ``:`` are part
of real orderable numbers.

``family_mpn`` additionally removes, from the end only, the packaging, reel and
lead-free codes listed in ``PACKAGING_SUFFIXES`` — the ways one orderable part
is sold on a reel, in a tube or RoHS-marked. Two MPNs with the same family key
but different exact keys are a *family* match: shown for review, never totalled.
Package codes are deliberately absent: Microchip's ``/OT``, ``/SN``, ``/P`` name
different packages, so a rule that cut at ``/`` would merge different parts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus
# sign, small and full-width hyphen-minus, small em dash.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_SPACES = re.compile(r"\s+")

#: Removed from the end of an MPN (after normalization) to form its family key.
#: Each entry: (suffix pattern, what it means, who uses it).
PACKAGING_SUFFIXES: list[tuple[str, str, str]] = [
    (r"/NOPB", "lead-free (no Pb)", "Texas Instruments / National"),
    (r"#TRMPBF", "tape & reel (mini), lead-free", "Analog Devices / Linear Technology"),
    (r"#TRPBF", "tape & reel, lead-free", "Analog Devices / Linear Technology"),
    (r"#PBF", "lead-free", "Analog Devices / Linear Technology"),
    (r"#TRM", "tape & reel (mini)", "Analog Devices / Linear Technology"),
    (r"#TR", "tape & reel", "Analog Devices / Linear Technology"),
    (r"\+T(?:7|10|13)?", "lead-free, tape & reel", "Maxim / Analog Devices"),
    (r"\+", "lead-free", "Maxim / Analog Devices"),
    (r"#", "RoHS compliant", "Maxim / Dallas"),
    (r"-REEL(?:7|13)?", "reel (7 or 13 inch)", "Analog Devices"),
    (r"-RL(?:7|13)?", "reel (7 or 13 inch)", "Analog Devices"),
    (r",\d{3}", "12NC packing code", "NXP / Nexperia"),
    (r"[-/]TR", "tape & reel", "generic"),
    (r"-G?E3", "matte-tin (e3) lead-free finish", "Vishay"),
]
_SUFFIX_RE = re.compile("(?:" + "|".join(p for p, _, _ in PACKAGING_SUFFIXES) + ")$")


@lru_cache(maxsize=262_144)  # BOM keys are asked again for every notice and every day of a backfill
def normalize_mpn(mpn: str) -> str:
    """The exact-match key of an MPN."""
    text = unicodedata.normalize("NFKC", mpn).translate(_DASHES).upper()
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=262_144)
def family_mpn(mpn: str) -> str:
    """The family key: the exact key less trailing packaging/reel/lead-free codes."""
    key = normalize_mpn(mpn)
    while True:  # strip to a fixpoint, so family_mpn(family_mpn(x)) == family_mpn(x)
        stripped = _SUFFIX_RE.sub("", key).rstrip()
        if stripped == key or not stripped:
            return key
        key = stripped
