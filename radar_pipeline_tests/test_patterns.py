"""Wildcard patterns and series names: kept, matched as family for review, never counted (issue 12)."""

from __future__ import annotations

from datetime import date

import pytest

from radar_pipeline.documents import read_bytes
from radar_pipeline.extraction.extract import extract_document
from radar_pipeline.extraction.parts import patterns_in
from radar_pipeline_tests.test_exposure import bom, by_number, run  # noqa: F401  (bom is a fixture)


@pytest.mark.parametrize(
    "text, patterns",
    [
        ("Affected: DECFA-08GD08S%AQB% (all speeds)", ["DECFA-08GD08S%AQB%"]),
        ("Replaced AN223 for CP210x devices", ["CP210?"]),
        ("the STM32H523xx line", ["STM32H523??"]),
        ("End of life of the PC20WR4 series", ["PC20WR4*"]),
        ("LM317T* see footnote; 0x1F register", []),
        # a numeric stem set off by a separator names a series; a share does not
        ("4648-2274-R  4648-*  4650-2204-T", ["4648-*"]),
        ("Affected: 6745-% (all grades); yield 85.5%, 100% tested", ["6745-%"]),
        # a link's escapes are no series, in angle brackets (a mail's link) or bare
        ("URL 1 <https://x.example/?url=https%3A%2F%2Fy&data=05%7C02%7C[name]%7C0>", []),
        ("Details: www.example.com/pcn?id=A%7CB%20C and KV33%-TR", ["KV33%-TR"]),
    ],
)
def test_patterns_in_text(text, patterns):
    assert patterns_in(text) == patterns


def test_a_series_only_notice_is_kept_with_its_pattern_and_no_parts():
    text = "CTC ECO# 2025-AC\nProduct End-of-life notice: the PC20WR4 series is discontinued.\nLast buy: 2025/12/31\n"
    (notice,) = extract_document(read_bytes(text.encode(), "eco.txt")).notices
    assert notice.parts == [] and notice.patterns == ["PC20WR4*"]
    assert notice.parts_found_by == "pattern" and notice.to_contract()["patterns"] == ["PC20WR4*"]


def test_pattern_matches_are_family_and_never_counted(bom):  # noqa: F811
    n = by_number(
        run(
            bom,
            [
                {
                    "notice_id": 7,
                    "notice_number": "ECO7",
                    "notice_type": "discontinuance",
                    "manufacturer": "Analog Devices",
                    "last_time_buy_date": date(2027, 6, 1),
                }
            ],
            [(7, "MAX3232*", None)],
        )
    )["ECO7"]
    assert n["parts"] and {p["match_type"] for p in n["parts"]} == {"family"}
    assert {p["part_id"] for p in n["parts"]} == {"U2", "U3"}
    assert all(p["counted"] is False for p in n["parts"])
    assert n["total_ltb_cost"] in (0, 0.0, None) and n["total_revenue_at_risk"] in (0, 0.0, None)
