"""The family generator of issue 20: deterministic, every family in each of its layouts, honest truth."""

from __future__ import annotations

import pytest

from radar_pipeline.demo.families import FAMILIES, UNREAD_LAYOUTS, draw, pick, unread_table
from radar_pipeline.documents import read_bytes

COMBOS = [(f, lay) for f, layouts in sorted(FAMILIES.items()) for lay in layouts]


def test_deterministic_per_seed():
    for seed in (0, 7, 31):
        a, b = draw(seed), draw(seed)
        assert a.name == b.name and a.truth == b.truth and a.family == b.family and a.layout == b.layout
        if a.layout in ("txt", "xlsx"):  # PDFs and mails carry a creation time; their truth is fixed
            assert a.data == b.data


def test_every_family_and_layout_is_reachable_within_200_seeds():
    assert {pick(s) for s in range(200)} == set(COMBOS)
    for seed in (3, 11, 42):
        s = draw(seed)
        assert (s.family, s.layout) == pick(seed)


def test_every_family_has_two_layouts_and_the_text_dump_covers_four():
    assert all(len(v) >= 2 for v in FAMILIES.values())
    assert {f for f, v in FAMILIES.items() if "txt" in v} >= {
        "headers",
        "placeholders",
        "grid_pages",
        "patterns",
    }


def _honest(sample) -> None:
    text = read_bytes(sample.data, sample.name).text
    assert text.strip(), sample.name
    for truth in sample.truth:
        assert truth.parts or truth.patterns
        for mpn, repl in truth.parts:
            assert mpn in text, (sample.name, mpn)
            assert repl is None or repl in text, (sample.name, repl)
        # the document writes "xx" where the pattern has "??" (one character each)
        for pattern in truth.patterns:
            assert pattern.replace("??", "xx") in text, (sample.name, pattern)


@pytest.mark.parametrize("family, layout", COMBOS, ids=lambda x: x)
def test_truth_is_in_the_text_as_read(family, layout):
    seed = next(s for s in range(200) if pick(s) == (family, layout))
    _honest(draw(seed))


@pytest.mark.parametrize("layout", UNREAD_LAYOUTS)
def test_unread_table_truth_is_in_the_text(layout):
    sample = unread_table(5, layout)
    assert sample.layout == layout and len(sample.truth[0].parts) >= 8
    _honest(sample)
