"""Command lines Radar prints for people to paste — in the desk, the review mails, the CLI's hints.

Every value in them is quoted for the shell (``shlex``): a notice numbered
``PCN-9;touch${IFS}/tmp/x;#`` is printed as one quoted argument, never as shell code to run.
Placeholders a person replaces (``YYYY-MM-DD``, ``YOUR_NAME``) are plain words after the quoted part.
"""

from __future__ import annotations

import shlex


def command(*args: object) -> str:
    """``radar`` and ``args`` as one shell command line; ``None`` arguments are left out."""
    return shlex.join(["radar", *(str(a) for a in args if a is not None)])


def _naming(item: dict) -> list[object]:
    """How a command names an item's notice (with its maker, never ambiguous) or its document."""
    if item.get("notice_number"):
        maker = item.get("manufacturer")
        return [item["notice_number"], *(["--manufacturer", maker] if maker else [])]
    return ["--event", item["event_id"]]


def correction_fields(reasons: list[str]) -> str:
    """The options a correction of an item with these ``reasons`` needs: what a change notice lacks is
    its category and dates, a discontinuance's its last-time buy, most others' their parts."""
    said = " ".join(reasons).lower()
    fields = []
    if "change" in said:
        fields.append("--category CATEGORY")
    if "response deadline" in said:
        fields.append("--response-deadline YYYY-MM-DD")
    if "last-time-buy" in said or "last-time buy" in said:
        fields.append("--ltb YYYY-MM-DD")
    if not fields or "part" in said:
        fields.insert(0, "--part MPN[=REPLACEMENT]")
    return " ".join(fields)


def decision_commands(item: dict) -> dict[str, str]:
    """What a person may run about one review item (``radar review`` JSON shape): its correction and
    its acceptance; for conflicting readings, keeping the notice in use or taking the other reading."""
    if item.get("kind") == "conflict":
        conflict = [*_naming(item), "--event", item["event_id"]]
        return {
            "keep": command("review", "accept", *conflict) + " --by YOUR_NAME",
            "take": command("review", "take", *conflict) + " --by YOUR_NAME",
        }
    if item.get("notice_number"):
        correct = command("correct", *_naming(item))
    else:
        correct = command("correct") + " NOTICE_NUMBER " + shlex.join(["--event", str(item["event_id"])])
    return {
        "correct": f"{correct} {correction_fields(item.get('reasons') or [])} --by YOUR_NAME",
        "accept": command("review", "accept", *_naming(item)) + " --by YOUR_NAME",
    }
