"""Rule extraction on realistic layouts, scored as the held-out corpus will be (issue 3)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from radar_pipeline.demo.corpus import BUILDERS, Sample, build_corpus
from radar_pipeline.documents import read_bytes
from radar_pipeline.extraction.extract import extract_document
from radar_pipeline.notices.model import manufacturer_key


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    for s in build_corpus():
        (d / s.name).write_bytes(s.data)
    return d


def _same_number(truth: str, got: str) -> bool:
    """A letter without a number (truth "") is filed under a generated UNNUMBERED-… number."""
    return got == truth or (not truth and got.startswith("UNNUMBERED-"))


def _score(sample: Sample, notices: list[dict]) -> tuple[int, int, int, int, int]:
    """(true positives, false positives, false negatives, dates right, dates total)."""
    tp = fp = fn = right = total = 0
    for truth in sample.truth:
        got = next(
            (n for n in notices if _same_number(truth.notice_number, n["notice_number"])), {"parts": []}
        )
        want = {(m, r) for m, r in truth.parts}
        have = {(p["mpn"], p["replacement_mpn"]) for p in got["parts"]}
        want_mpn, have_mpn = {m for m, _ in want}, {m for m, _ in have}
        tp += len(want_mpn & have_mpn)
        fp += len(have_mpn - want_mpn)
        fn += len(want_mpn - have_mpn)
        for f in ("issue_date", "last_time_buy_date", "last_ship_date"):
            total += 1
            right += got.get(f) == getattr(truth, f)
    return tp, fp, fn, right, total


@pytest.mark.ocr  # the corpus has a scan (rohm_pdn_scan.pdf)
@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_each_layout(builder):
    sample = builder()
    result = extract_document(read_bytes(sample.data, sample.name))
    notices = [n.to_contract() for n in result.notices]
    assert len(notices) == len(sample.truth), (notices, result.warnings)
    for truth in sample.truth:
        (got,) = [n for n in notices if _same_number(truth.notice_number, n["notice_number"])]
        assert got["notice_type"] == truth.notice_type
        assert manufacturer_key(got["manufacturer"]) == manufacturer_key(truth.manufacturer)
        assert {p["mpn"]: p["replacement_mpn"] for p in got["parts"]} == dict(truth.parts)
        assert (got["issue_date"], got["last_time_buy_date"], got["last_ship_date"]) == (
            truth.issue_date,
            truth.last_time_buy_date,
            truth.last_ship_date,
        )
        assert got["extractor"] == "rules" and 0 < got["confidence"] <= 1
    if not sample.truth:
        assert result.warnings, "an unreadable or non-notice document must say why it gave nothing"


@pytest.mark.ocr
def test_corpus_scores_through_the_command(corpus_dir):
    files = sorted(corpus_dir.iterdir())
    out = subprocess.run(
        [sys.executable, "-m", "radar_pipeline.cli", "extract", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["source"] for x in lines] == [str(f) for f in files]
    samples = {s.name: s for s in build_corpus()}
    tp = fp = fn = right = total = 0
    for line in lines:
        a, b, c, d, e = _score(samples[line["source"].rsplit("/", 1)[-1]], line["notices"])
        tp, fp, fn, right, total = tp + a, fp + b, fn + c, right + d, total + e
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.98 and right / total >= 0.97, (f1, right, total)
    scanned = next(x for x in lines if x["source"].endswith("scanned_notice.pdf"))
    assert scanned["notices"] == [] and any("no text layer" in w and "OCR" in w for w in scanned["warnings"])


def test_unopenable_file_exits_nonzero(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "radar_pipeline.cli", "extract", str(tmp_path / "missing.pdf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1 and "missing.pdf" in out.stderr


@pytest.mark.parametrize(
    "text, parts",
    [
        (
            "EOL notice PDN9: affected parts: LM358DR, TL072CDR.\nCall +1 408 555 0199 or PO 4500012345.",
            {"LM358DR", "TL072CDR"},
        ),
        (
            "PDN 77 discontinued devices:\nSN74HC595N\nQty 2500pcs on 2026-11-17\nISO9001 certified",
            {"SN74HC595N"},
        ),
    ],
)
def test_distractors_are_not_parts(text, parts):
    result = extract_document(read_bytes(text.encode(), "n.txt"))
    assert {p.mpn for p in result.notices[0].parts} == parts
