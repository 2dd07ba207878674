"""Which pieces of a document are one notice: by notice number, attachment name and letter.

A mail holds the maker's PDF, the distributor's sheet and a body that names the
notice again; a digest holds several notices, one PDF each or one after another
in a single document. Pieces (a section, or a digest's stretch of one) are
grouped by notice number; pieces without one join the notice they belong to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from radar_pipeline.extraction import fields
from radar_pipeline.extraction.evidence import PartEvidence


@dataclass
class Piece:
    """What one section (or one notice's stretch of a digest section) says on its own."""

    section: str
    kind: str
    text: str
    number: str | None
    listed: PartEvidence  # from tables and labelled lists
    prose: PartEvidence  # from sentences (used only when no piece of the notice has a table or list)
    dates: dict[str, date]
    supporting: bool = False  # a datasheet or qualification report: its tables name test vehicles, not parts


def id_key(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", number.upper())


def same_notice(a: str, b: str) -> bool:
    """The mail's "20251111000" and the PDF's "20251111000.1B" are one notice; "36168" and "36255" are not."""
    a, b = id_key(a), id_key(b)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (len(short) >= 5 and (long_.startswith(short) or long_.endswith(short)))


def group(pieces: list[Piece], subject_number: str | None) -> list[list[Piece]]:
    """Pieces with the same notice number form one notice; the rest join the notice they belong to."""
    groups: list[tuple[str, list[Piece]]] = []
    loose = []
    for piece in pieces:
        if piece.number is None:
            loose.append(piece)
            continue
        for number, members in groups:
            if same_notice(number, piece.number):
                members.append(piece)
                break
        else:
            groups.append((piece.number, [piece]))
    if not groups:
        return _unnumbered(loose)
    if len(groups) == 1:
        return [[*groups[0][1], *loose]]
    main = next((m for n, m in groups if subject_number and same_notice(n, subject_number)), None)
    rest = []
    for piece in loose:
        named = next((m for n, m in groups if id_key(n) in id_key(piece.section)), None)
        target = named or main
        (target if target is not None else rest).append(piece)
    out = [m for _, m in groups]
    # a stray number (a report's document number) with nothing else is no notice of its own
    with_parts = [m for m in out if any(p.listed.found or p.prose.found for p in m)]
    if with_parts:
        out = [m for m in out if m in with_parts or m is main]
    return out + ([rest] if rest else [])


def _unnumbered(pieces: list[Piece]) -> list[list[Piece]]:
    """Without notice numbers, attachments that are each a whole letter (own parts, own dates) stay apart."""
    letters = [p for p in pieces if p.listed.found and p.dates]
    distinct = {tuple(sorted(p.dates.items())) for p in letters}
    if len(letters) < 2 or len(distinct) < 2:
        return [pieces]
    rest = [p for p in pieces if p not in letters]
    return [[p] for p in letters] + ([rest] if any(p.listed.found for p in rest) else [])


def best_number(pieces: list[Piece], subject_number: str | None) -> str | None:
    """The most specific spelling: the PDF's "20251111000.1B" over the mail's "20251111000"."""
    numbers = [p.number for p in pieces if p.number]
    if subject_number and (not numbers or any(same_notice(subject_number, n) for n in numbers)):
        numbers.append(subject_number)
    # a distributor relays the maker's number with its own tag ("CN-202601025F-WPI"): the maker's it is
    numbers = [n for n in numbers if not any(_relayed(n, m) for m in numbers)] or numbers
    return RELAY_TAG.sub("", max(numbers, key=lambda n: len(id_key(n)))) if numbers else None


# ... even where the maker's own is nowhere else (a relay that forwards only the maker's spreadsheet)
RELAY_TAG = re.compile(r"(?<=\w)[-_ ](?:WPI|AVNET|ARROW|FUTURE|MOUSER|DIGIKEY|TTI|RS|FARNELL|AIT|WT)$", re.I)


def _relayed(number: str, original: str) -> bool:
    """``number`` is ``original`` with a relaying distributor's tag after it ("-WPI", " AVNET")."""
    return number != original and bool(re.fullmatch(re.escape(original) + r"[-_ ]+[A-Za-z]{2,8}", number))


def digest_segments(text: str) -> list[str]:
    """Split a digest wherever the labelled notice number changes (a second account's copy repeats them);
    stretches with the same number are joined again when pieces are grouped."""
    numbers = fields.notice_numbers(text)
    if len({value for _, value in numbers}) < 2:
        return [text]
    starts, current = [], None
    for pos, value in numbers:
        if value != current:
            current = value
            starts.append(text.rfind("\n", 0, pos) + 1)
    # a heading line just above the label belongs to its notice
    adjusted = []
    for s in starts:
        prev = text.rfind("\n", 0, max(0, s - 1)) + 1
        heading = text[prev:s].strip()
        adjusted.append(prev if heading and len(heading) < 120 and not fields.notice_numbers(heading) else s)
    bounds = adjusted + [len(text)]
    return [text[bounds[i] : bounds[i + 1]] for i in range(len(adjusted))]
