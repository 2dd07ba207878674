"""Score the rule reader on generated layout families (issue 20).

    PYTHONPATH=. python bench/score_families.py [N] [UNREAD] [SEED]

SEED draws another corpus (0, the default, is the one quoted in BENCHMARKS f).

One line per sample (family, layout, seed, right/wrong, flagged), then a summary: parts
P/R/F1, dates right, documents right (one notice, all parts, no extra, LTB right; a
misread notice number, misread replacements and a misread type or maker are counted apart) and
SILENT MISSES
(documents read wrong that are not flagged for review).
"""

from __future__ import annotations

import sys

from radar_pipeline.demo.families import family_corpus, unread_table
from radar_pipeline.documents import read_bytes
from radar_pipeline.review.reading import read_reviewed


def _same_number(truth: str, got: str) -> bool:
    return got == truth or (not truth and got.startswith("UNNUMBERED-"))


def score(sample):
    """(tp, fp, fn, dates right, dates total, document right, what was read)."""
    doc = read_bytes(sample.data, sample.name)
    result, assessment, _ = read_reviewed(doc, None, "always")
    notices = [n.to_contract() for n in result.notices]
    tp = fp = fn = right = total = 0
    ok = True
    number_ok = True
    replaced_ok = True  # every replacement read as the letter pairs it (counted apart from "right")
    typed_ok = True  # the notice's type and maker (counted apart from "right")
    got_all: dict = {}
    for truth in sample.truth:
        got = next((n for n in notices if _same_number(truth.notice_number, n["notice_number"])), None)
        if got is None and len(notices) == 1 and len(sample.truth) == 1:
            got = notices[0]  # the number misread: still score the parts (reported apart)
            number_ok = False
        got = got or {"parts": [], "patterns": []}
        got_all = got
        want = {m for m, _ in truth.parts} | set(truth.patterns)
        have = {p["mpn"] for p in got["parts"]} | set(got.get("patterns") or [])
        tp, fp, fn = tp + len(want & have), fp + len(have - want), fn + len(want - have)
        for f in ("issue_date", "last_time_buy_date", "last_ship_date"):
            total += 1
            right += got.get(f) == getattr(truth, f)
        ok = ok and want == have and got.get("last_time_buy_date") == truth.last_time_buy_date
        typed_ok = typed_ok and got.get("notice_type") == truth.notice_type
        typed_ok = typed_ok and got.get("manufacturer", "").startswith(truth.manufacturer.split()[0])
        pairs = {p["mpn"]: p.get("replacement_mpn") for p in got["parts"]}
        replaced_ok = replaced_ok and all(pairs.get(m, r) == r for m, r in truth.parts)
    ok = ok and len(notices) == len(sample.truth)
    got_all = {**got_all, "number_ok": number_ok, "replaced_ok": replaced_ok, "typed_ok": typed_ok}
    return tp, fp, fn, right, total, ok, assessment.needs_review, got_all


def main(n: int = 48, unread: int = 12, seed: int = 0) -> None:
    samples = family_corpus(n, seed) + [unread_table(1000 + seed * 1000 + i) for i in range(unread)]
    tp = fp = fn = right = total = docs_ok = silent = flagged_n = numbers_ok = replaced_n = typed_n = 0
    for s in samples:
        a, b, c, d, e, ok, flagged, got = score(s)
        tp, fp, fn, right, total = tp + a, fp + b, fn + c, right + d, total + e
        docs_ok += ok
        flagged_n += flagged
        numbers_ok += got["number_ok"]
        replaced_n += got["replaced_ok"]
        typed_n += got["typed_ok"]
        silent += (not ok) and not flagged
        truth = s.truth[0]
        typed = f"  type/maker misread ({got.get('notice_type')}, {got.get('manufacturer')})"
        print(
            f"{s.family:16} {s.layout:8} seed={s.seed:<7} {'right' if ok else 'WRONG'}"
            f" {'flagged' if flagged else 'silent' if not ok else '-'}"
            f"  parts {a}/{len(truth.parts) + len(truth.patterns)} extra {b}"
            f"  ltb want {truth.last_time_buy_date} got {got.get('last_time_buy_date')}"
            f"{'' if got['number_ok'] else '  number misread'}"
            f"{'' if got['replaced_ok'] else '  replacements misread'}"
            f"{'' if got['typed_ok'] else typed}",
            flush=True,
        )
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"SUMMARY samples={len(samples)} parts P={p:.3f} R={r:.3f} F1={f1:.3f} dates {right}/{total}"
        f" documents right {docs_ok}/{len(samples)} numbers right {numbers_ok}/{len(samples)}"
        f" replacements right {replaced_n}/{len(samples)} types and makers right {typed_n}/{len(samples)}"
        f" flagged {flagged_n} SILENT MISSES {silent}"
    )


if __name__ == "__main__":
    main(*(int(x) for x in sys.argv[1:4]))
