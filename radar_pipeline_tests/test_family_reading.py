"""Layout facts of the trade, read on generated documents no rule was written against (issue 20).

Each family of ``demo/families.py`` (header phrases in any order, subset + full list,
placeholder cells, header-less grids, grids over pages, text dumps, patterns beside
percentages, a maker named only by its letterhead or domain) is drawn in two layouts with
random makers, wording and sizes, and must read right: every part, no extra, the
last-time-buy date, and no review flag. A document whose table no reader could know must
never pass in silence: it is read whole, or it is flagged with the strings not read.
"""

from __future__ import annotations

import pytest

from radar_pipeline.demo.families import FAMILIES, UNREAD_LAYOUTS, draw, unread_table
from radar_pipeline.documents import read_bytes
from radar_pipeline.review.reading import read_reviewed

PAIRS = [(family, layouts[i]) for family, layouts in sorted(FAMILIES.items()) for i in (0, 1)]


def _read(sample):
    result, assessment, _ = read_reviewed(read_bytes(sample.data, sample.name), None, "always")
    return result, assessment


def _right(sample, notices) -> bool:
    (truth,) = sample.truth
    if len(notices) != 1:
        return False
    got = notices[0]
    want = {m: r for m, r in truth.parts}
    return (
        {p.mpn: p.replacement_mpn for p in got.parts} == want
        and set(got.patterns) == set(truth.patterns)
        and str(got.last_time_buy_date or "") == (truth.last_time_buy_date or "")
    )


@pytest.mark.parametrize(("family", "layout"), PAIRS, ids=[f"{f}-{lay}" for f, lay in PAIRS])
def test_family_reads_right_in_two_layouts(family, layout):
    sample = draw(7, family=family, layout=layout)
    result, assessment = _read(sample)
    assert _right(sample, result.notices), (sample.truth[0], [n.to_contract() for n in result.notices])
    # the flag keeps its meaning: a notice read right, with parts, is not sent to a person
    if sample.truth[0].parts:
        assert not assessment.needs_review, assessment.notice_reasons
    assert result.ledger.unaccounted == [], result.ledger.to_json()


@pytest.mark.parametrize("layout", UNREAD_LAYOUTS)
def test_an_unread_table_is_never_silent(layout):
    for seed in (1000, 1001):
        sample = unread_table(seed, layout)
        result, assessment = _read(sample)
        if _right(sample, result.notices):
            continue
        reasons = [r for rs in assessment.notice_reasons for r in rs] + assessment.document_reasons
        assert any("part-like strings" in r and "were not read" in r for r in reasons), reasons
        assert all(n.confidence <= 0.5 for n in result.notices)


@pytest.mark.parametrize("kind", ["text", "html"])
def test_a_migrate_to_list_pairs_each_part_with_its_replacement(kind):
    from radar_pipeline.documents.model import Document, Section

    body = (
        "Tessin Microdevices GmbH\nProduct Discontinuance Notice PDN-2026-0311\nDate: 2026-02-02\n"
        "Last time buy: 2026-08-31\nAffected parts:\n"
        "KV3302-QFN24-TR migrate to KV3402-QFN24-TR\nTMX81A2#PBF migrate to TMX91A2#PBF\n"
    )
    doc = Document("m.eml", "email", [Section("body", kind, body)])
    result, _ = read_reviewed(doc, None, "always")[:2]
    (notice,) = result.notices
    assert {p.mpn: p.replacement_mpn for p in notice.parts} == {
        "KV3302-QFN24-TR": "KV3402-QFN24-TR",
        "TMX81A2#PBF": "TMX91A2#PBF",
    }
