"""MPN normalization: exact keys and packaging families (property tests)."""

from __future__ import annotations

import re

from hypothesis import assume, given
from hypothesis import strategies as st

from radar_pipeline.bom.mpn import PACKAGING_SUFFIXES, family_mpn, normalize_mpn

BASE = st.from_regex(r"[A-Z0-9][A-Z0-9\-/]{1,14}[0-9]", fullmatch=True)
SUFFIX_EXAMPLES = ["/NOPB", "#PBF", "#TRPBF", "+T", "+", "#", "-REEL7", ",118", "-TR", "-E3", "#TR", "-RL"]
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"


@given(st.text(max_size=40))
def test_normalize_is_idempotent(text):
    assert normalize_mpn(normalize_mpn(text)) == normalize_mpn(text)
    assert family_mpn(family_mpn(text)) == family_mpn(text)


@given(BASE, st.sampled_from(DASHES))
def test_case_dash_and_space_insensitive(base, dash):
    variant = "  " + base.lower().replace("-", dash) + " "
    assert normalize_mpn(variant) == normalize_mpn(base)


@given(BASE, BASE, st.sampled_from(SUFFIX_EXAMPLES), st.sampled_from(SUFFIX_EXAMPLES + [""]))
def test_never_merges_parts_that_differ_beyond_the_documented_suffixes(a, b, sa, sb):
    assume(normalize_mpn(a) != normalize_mpn(b))
    pattern = "(?:" + "|".join(p for p, _, _ in PACKAGING_SUFFIXES) + ")$"
    assume(not re.search(pattern, a) and not re.search(pattern, b))
    assert family_mpn(a + sa) != family_mpn(b + sb)
    assert family_mpn(a + sa) == family_mpn(a + sb) == normalize_mpn(a)


def test_real_part_numbers():
    assert normalize_mpn("lm317t/nopb") == "LM317T/NOPB"
    assert normalize_mpn("MT41K256M16TW\u2013107:P") == "MT41K256M16TW-107:P"
    assert normalize_mpn("R5F104LEAFB#30  ") == "R5F104LEAFB#30"
    assert normalize_mpn("ABC  123") == "ABC 123"
    assert family_mpn("LTC2944IDD#TRPBF") == family_mpn("LTC2944IDD#PBF") == "LTC2944IDD"
    assert family_mpn("MAX3232CSE+T") == "MAX3232CSE"
    assert family_mpn("DS3231SN#") == "DS3231SN"
    assert family_mpn("AD8605ARTZ-REEL7") == "AD8605ARTZ"
    assert family_mpn("PCA9685PW,118") == "PCA9685PW"
    assert family_mpn("744771110") == "744771110"
    assert family_mpn("PIC16F1509-I/OT") != family_mpn("PIC16F1509-I/SN")
    assert family_mpn("MT41K256M16TW-107:P") == "MT41K256M16TW-107:P"
