"""The rule extractor on real notices: `../shared/real-notices/score.py`, offline, no LLM (issue 12).

The real notices are third-party documents kept beside the repository, never in
it; this script runs their scorer against `radar extract` when the folder is
there and says so when it is not. With ``--markdown FILE`` it also writes the
per-notice table for BENCHMARKS.md.

Run: ``.venv/bin/python -m bench.bench_real_notices [--markdown out.md]``
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ROOT.parent / "shared" / "real-notices"
ROW = re.compile(
    r"^(?P<ok>ok |   )(?P<file>\S+)\s+(?P<number>.{22}) parts\s+(?P<hit>\d+)/(?P<want>\d+)\s+extra\s+(?P<extra>\d+)"
    r" ltb (?P<ltb>ok|NO) type (?P<type>\S+)"
)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--markdown", help="write the per-notice table here")
    args = ap.parse_args()
    if not (NOTICES / "score.py").exists():
        print(f"{NOTICES} not found: the real-notice benchmark needs the shared folder beside the repository")
        return 0
    radar = ROOT / ".venv" / "bin" / "radar"
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(NOTICES / "score.py"), "--radar", str(radar)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    seconds = time.perf_counter() - t0
    print(out)
    print(f"{seconds:.0f} s for {len(list(NOTICES.glob('*.eml')))} documents")
    if args.markdown:
        lines = [
            "| document | notice | parts found | extra | LTB | type | complete |",
            "|---|---|---|---|---|---|---|",
        ]
        for m in map(ROW.match, out.splitlines()):
            if m:
                lines.append(
                    f"| {m['file']} | {m['number'].strip() or '(none)'} | {m['hit']}/{m['want']} | {m['extra']} "
                    f"| {m['ltb']} | {m['type']} | {'yes' if m['ok'].strip() else 'no'} |"
                )
        summary = out.strip().splitlines()[-1]
        Path(args.markdown).write_text("\n".join(lines) + f"\n\n{summary}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
