"""The metamorphic bench (issue 28): every transformation of ``demo/metamorphic`` over real notices
and generated families; each transformed document must be read right or flagged.

    PYTHONPATH=. python bench/bench_metamorphic.py [--real DIR [--cache DIR]] [--families N] [--seed S]
        [--only TRANSFORM] [--verbose]

``--real`` reads a folder with ``labels.json`` (``../shared/real-notices``: the documents stay
there); ``--families N`` draws N generated letters. For each transformation: the documents it
applied to, read right, flagged, SILENT (read wrong, not flagged) and right-but-flagged; then the
silent ones by name, with what was read wrong.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from pathlib import Path

from radar_pipeline.demo.metamorphic import TRANSFORMS, Case, family_case, run


def real_cases(folder: Path, cache: Path | None) -> list[Case]:
    """The labelled documents of ``folder``, read once (``cache``: the read documents kept between runs,
    as reading PDFs is most of the time)."""
    from radar_pipeline.documents import read_file
    from radar_pipeline.documents.model import Document

    labels = json.loads((folder / "labels.json").read_text())
    cases = []
    for name, truth in labels.items():
        kept = cache / f"{name}.json" if cache else None
        if kept and kept.exists():
            doc = Document.from_json(json.loads(kept.read_text()))
        else:
            doc = read_file(str(folder / name))
            if kept:
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_text(json.dumps(doc.to_json()))
        cases.append(Case(name, doc, truth))
    return cases


def chained(cases: list[Case], per: int) -> int:
    """Two transformations in a row, ``per`` random ordered pairs per document (two date rewrites are
    never chained: the second would read the first's dates in its own order). Prints the totals and
    each silent miss."""
    names = list(TRANSFORMS)
    counts = dict.fromkeys(("applied", "right", "flagged", "silent", "right+flag"), 0)
    for case in cases:
        rng = random.Random(zlib.crc32(case.name.encode()))
        for k in range(per):
            first, then = rng.sample(names, 2)
            if first.startswith("dates") and then.startswith("dates"):
                continue
            one = TRANSFORMS[first](case, random.Random(k))
            two = TRANSFORMS[then](one, random.Random(k + 100)) if one else None
            if two is None:
                continue
            verdict = run(two)
            for name, hit in zip(
                counts,
                (True, verdict.right, verdict.flagged, verdict.silent, verdict.right and verdict.flagged),
                strict=True,
            ):
                counts[name] += hit
            if verdict.silent:
                print(f"silent: {first} then {then}, {case.name}: {verdict.why}")
    print(" ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--real", type=Path)
    ap.add_argument("--cache", type=Path, help="keep the read documents here between runs")
    ap.add_argument("--families", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only")
    ap.add_argument("--max-parts", type=int, help="leave out documents whose truth names more parts")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument(
        "--pairs", type=int, default=0, help="instead: this many random pairs in a row per document"
    )
    a = ap.parse_args()
    cases: list[Case] = []
    if a.real:
        cases += real_cases(a.real, a.cache)
    if a.families:
        from radar_pipeline.demo.families import family_corpus

        cases += [family_case(s) for s in family_corpus(a.families, a.seed)]
    if a.max_parts:
        cases = [c for c in cases if sum(len(n["parts"]) for n in c.truth) <= a.max_parts]
    if a.pairs:
        return chained(cases, a.pairs)
    names = ["original", *TRANSFORMS] if not a.only else [a.only]
    silent_cases: list[str] = []
    print(
        f"{'transformation':30} {'applied':>7} {'right':>6} {'flagged':>7} {'SILENT':>6} {'right+flag':>10}  s/doc"
    )
    totals = [0, 0, 0, 0, 0]
    for name in names:
        applied = right = flagged = silent = right_flagged = 0
        started = time.perf_counter()
        for case in cases:
            if name == "original":
                made = case
            else:
                rng = random.Random(zlib.crc32(f"{a.seed}:{name}:{case.name}".encode()))
                made = TRANSFORMS[name](case, rng)
            if made is None:
                continue
            verdict = run(made)
            applied += 1
            right += verdict.right
            flagged += verdict.flagged
            silent += verdict.silent
            right_flagged += verdict.right and verdict.flagged
            if verdict.silent:
                silent_cases.append(f"{name:28} {case.name}: {verdict.why}")
            elif a.verbose and not verdict.right:
                print(f"    flagged {name} {case.name}: {verdict.why}")
        per = (time.perf_counter() - started) / max(applied, 1)
        for i, v in enumerate((applied, right, flagged, silent, right_flagged)):
            totals[i] += v
        print(f"{name:30} {applied:7} {right:6} {flagged:7} {silent:6} {right_flagged:10}  {per:.2f}")
        sys.stdout.flush()
    print(f"{'all':30} {totals[0]:7} {totals[1]:6} {totals[2]:7} {totals[3]:6} {totals[4]:10}")
    if silent_cases:
        print("\nsilent:")
        print("\n".join(silent_cases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
