"""Summarise a py-spy ``--format raw`` profile (collapsed stacks): where the samples go.

Run: ``.venv/bin/python -m bench.profile_summary PROFILE.txt [--top 25] [--grep WORD]``
Prints the share of samples per thread, the leaf (self) functions, and the inclusive share of
every frame whose text contains one of the ``--grep`` words.
"""

from __future__ import annotations

import argparse
import collections
import re


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("profile")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--grep", action="append", default=[])
    args = ap.parse_args()
    stacks: list[tuple[list[str], int]] = []
    with open(args.profile, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if stack and count.isdigit():
                stacks.append((stack.split(";"), int(count)))
    total = sum(c for _, c in stacks) or 1
    threads: collections.Counter[str] = collections.Counter()
    leaf: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    for frames, count in stacks:
        threads[re.sub(r"\d+", "N", frames[0])] += count
        leaf[frames[-1]] += count
        for word in args.grep:
            if any(word in f for f in frames):
                inclusive[word] += count
    print(f"{total} samples")
    for name, c in threads.most_common(6):
        print(f"  thread {100 * c / total:5.1f}%  {name}")
    print("self:")
    for name, c in leaf.most_common(args.top):
        print(f"  {100 * c / total:5.1f}%  {name}")
    for word in args.grep:
        print(f"inclusive {100 * inclusive[word] / total:5.1f}%  {word}")


if __name__ == "__main__":
    main()
