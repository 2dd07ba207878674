"""Metamorphic tests: generated letters transformed in ways whose effect on the truth is known
(``demo/metamorphic``) must be read right or flagged — never read differently in silence — and a
document read right is seldom flagged (flagging everything is no answer)."""

from __future__ import annotations

import random
import zlib

import pytest

from radar_pipeline.demo.families import family_corpus
from radar_pipeline.demo.metamorphic import (
    TRANSFORMS,
    Case,
    family_case,
    judge,
    last_working_day,
    one_cell_per_line,
    run,
    spots,
)
from radar_pipeline.documents.model import Document, Section

DRAW = 20  # generated letters per transformation (every family and layout is drawn)


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return [family_case(s) for s in family_corpus(DRAW, seed=5)]


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_every_transformed_letter_is_read_right_or_flagged(cases, name):
    applied, silent, right, right_flagged = 0, [], 0, 0
    for case in cases:
        made = TRANSFORMS[name](case, random.Random(zlib.crc32(f"{name}:{case.name}".encode())))
        if made is None:
            continue
        verdict = run(made)
        applied += 1
        right += verdict.right
        right_flagged += verdict.right and verdict.flagged
        if verdict.silent:
            silent.append(f"{case.name}: {verdict.why}")
    assert applied >= 5, f"{name} applied to {applied} letters only"
    assert silent == [], f"{name}: read wrong and not flagged:\n" + "\n".join(silent)
    assert right_flagged * 10 <= max(right, 10), f"{name}: {right_flagged} of {right} read right are flagged"


# -- the transformations themselves: what they change, and what they leave -------------------------
def _table_letter() -> Case:
    text = "\n".join(
        [
            "Korvala Semiconductor Inc.",
            "Product Discontinuance Notice",
            "Notice No.: PDN-2026-0143",
            "Last time buy: 2026-09-30",
            "",
            "Part Number        Replacement        Package",
            "KV3302-QFN24-TR    KV3402-QFN24-TR    QFN-24",
            "KV3303-QFN24-TR    -                  QFN-24",
            "KV3304-QFN24-TR    KV3404-QFN24-TR    QFN-24",
            "",
            "Sincerely, Korvala",
        ]
    )
    truth = [
        {
            "notice_number": "PDN-2026-0143",
            "manufacturer": "Korvala Semiconductor Inc.",
            "notice_type": "discontinuance",
            "issue_date": None,
            "last_time_buy_date": "2026-09-30",
            "last_ship_date": None,
            "parts": [
                {"mpn": "KV3302-QFN24-TR", "replacement_mpn": "KV3402-QFN24-TR"},
                {"mpn": "KV3303-QFN24-TR", "replacement_mpn": None},
                {"mpn": "KV3304-QFN24-TR", "replacement_mpn": "KV3404-QFN24-TR"},
            ],
        }
    ]
    return Case("pdn.txt", Document("pdn.txt", "text", [Section("pdn.txt", "text", text)]), truth)


def test_a_text_table_is_found_with_its_lines():
    (spot,) = spots(_table_letter().doc)
    assert spot.rows[0] == ["Part Number", "Replacement", "Package"] and len(spot.rows) == 4
    assert (spot.start, spot.end, spot.style) == (5, 9, "spaces")


def test_linearize_writes_the_cells_one_per_line():
    assert one_cell_per_line([["Part", "Repl"], ["A1", ""], ["A2", "B2"]]) == [
        "Part",
        "Repl",
        "A1",
        "A2",
        "B2",
    ]
    made = TRANSFORMS["linearize"](_table_letter(), random.Random(1))
    lines = made.doc.sections[0].text.splitlines()
    assert lines[5:9] == ["Part Number", "Replacement", "Package", "KV3302-QFN24-TR"]


def test_the_dates_move_to_the_friday_of_a_calendar_week():
    made = TRANSFORMS["dates_CWww/yyyy"](_table_letter(), random.Random(1))
    assert "Last time buy: CW40/2026" in made.doc.sections[0].text
    assert made.truth[0]["last_time_buy_date"] == "2026-10-02" == last_working_day(2026, 40).isoformat()


def test_a_wildcard_replaces_a_part_in_the_text_and_the_truth():
    made = TRANSFORMS["wildcard"](_table_letter(), random.Random(3))
    (notice,) = made.truth
    (pattern,) = notice["patterns"]
    written = pattern.replace("?", "x")  # a lower-case x stands for one character
    assert len(notice["parts"]) == 2 and written in made.doc.sections[0].text


def test_the_judge_names_what_was_read_wrong():
    truth = _table_letter().truth
    read = [{**truth[0], "parts": truth[0]["parts"][:2], "notice_type": "change"}]
    verdict = judge(truth, read, flagged=False)
    assert verdict.silent and "missed ['KV3304-QFN24-TR']" in verdict.why and "type change" in verdict.why
    assert judge(truth, truth, flagged=True).right
