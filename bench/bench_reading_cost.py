"""Time per document of reading (rules, ledger and the judgement whether a person must look) against
another tree, side by side (BENCHMARKS e).

The documents (the demo corpus and 24 generated layout families) are parsed once, with
this tree's readers, and saved; each tree then times the reading on the same
parsed documents in its own process, alternating, so parsing (PDF worker, OCR) is left
out and only the reading differs.

    .venv/bin/python -m bench.bench_reading_cost --other /path/to/old/worktree [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TIMER = """
import json, sys, time
from radar_pipeline.documents.model import Document
try:  # the reading and its judgement, as the pipeline calls them (the older trees called it extract_reviewed)
    from radar_pipeline.review.reading import read_reviewed as reading
except ImportError:
    from radar_pipeline.extraction.extract import extract_reviewed as reading
docs = [Document.from_json(d) for d in json.load(open(sys.argv[1]))]
for d in docs[:3]:
    reading(d, None, "always")  # imports and caches warm
t0 = time.perf_counter()
for d in docs:
    reading(d, None, "always")
print(json.dumps({"ms_per_doc": (time.perf_counter() - t0) * 1000 / len(docs)}))
"""


def _documents(path: Path) -> int:
    from radar_pipeline.demo.corpus import build_corpus
    from radar_pipeline.demo.families import family_corpus
    from radar_pipeline.documents import read_bytes

    docs = [read_bytes(s.data, s.name).to_json() for s in build_corpus() + family_corpus(24)]
    path.write_text(json.dumps(docs))
    return len(docs)


def _time(tree: str, docs: Path) -> float:
    env = {**os.environ, "PYTHONPATH": tree}
    out = subprocess.run([sys.executable, "-c", TIMER, str(docs)], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{tree}: {out.stderr[-500:]}")
    return json.loads(out.stdout.splitlines()[-1])["ms_per_doc"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--other", required=True, help="another checkout of the project (e.g. a git worktree)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    here = str(Path(__file__).resolve().parent.parent)
    docs = Path(tempfile.mkdtemp()) / "documents.json"
    n = _documents(docs)
    times: dict[str, list[float]] = {"other": [], "this": []}
    for _ in range(args.rounds):
        times["other"].append(_time(args.other, docs))
        times["this"].append(_time(here, docs))
    other, this = statistics.median(times["other"]), statistics.median(times["this"])
    print(
        json.dumps(
            {
                "documents": n,
                "other_ms_per_doc": round(other, 2),
                "this_ms_per_doc": round(this, 2),
                "this_over_other": round(this / other, 2),
                "runs": times,
            }
        )
    )


if __name__ == "__main__":
    main()
