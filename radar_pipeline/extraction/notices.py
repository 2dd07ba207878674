"""Stage 4, the notices: pieces grouped into notices, and each notice's fields.

Pieces (what each stretch says, ``roles``) with the same notice number are one notice; the rest
join the notice they belong to (``grouping``). A notice keeps the parts with the surest evidence
(``evidence``: a type name beside its orderable part, a list mention beside an orderable column and
a distributor's relabelled copy give way), and its fields are read by their labels (``fields``):
number, maker, type, dates. A document that lists parts and dates is a notice whatever it calls
itself; where its type is not stated it says so (a warning that sends it to a person).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date

from radar_pipeline.documents.model import Document
from radar_pipeline.extraction import fields
from radar_pipeline.extraction.dates import find_dates
from radar_pipeline.extraction.evidence import PartEvidence
from radar_pipeline.extraction.grouping import Piece, best_number, group, same_notice
from radar_pipeline.extraction.parts import patterns_in
from radar_pipeline.notices import AffectedPart, Notice, NoticeType

# what a line naming a date of its own says before it ("Last order date", "valid until", "最終発注日")
DATE_WORD = re.compile(
    r"[:：]|date|datum|until|by\b|bis\b|before|after|日期|期限|[発出]注|出荷|出貨|訂", re.I
)
TYPE_UNSTATED = "the notice does not say whether its parts are discontinued or changed"
# no title or type field says it, and the letter speaks of both a discontinuance and a change
TYPE_GUESSED = "the notice's type is read from its words, which speak of both a discontinuance and a change"
DATE_UNDECIDED = "written day/month or month/day, and nothing in the document says which"
_DATED = ("last_time_buy_date", "last_ship_date", "issue_date")
_CHANGE_DATED = ("effective_date", "response_deadline", "samples_date")


def _dateline(text: str) -> date | None:
    """A letter's own date: a line near the top that is nothing but a date (no label), or that ends in
    one set apart to the right (Japanese letters put it on the addressee's line: "ユーザ各位  2025 年10
    月31 日"), as long as what stands before it names no date."""
    for line in text.splitlines()[:15]:
        line = line.strip(" \t.,")
        found = find_dates(line)
        if len(found) != 1:
            continue
        start, end, when = found[0]
        if end - start >= len(line) - 2:
            return when
        before = line[:start]
        if end >= len(line) - 1 and re.search(r"(?:\s{2,}|\t)$", before) and not DATE_WORD.search(before):
            return when
    return None


def _replacement_from_field(text: str, parts: PartEvidence) -> None:
    """A one-part letter names its replacement in a field ("Replacement: X", "代替製品：X"): the first one offered."""
    ((mpn, replacement),) = parts.found.items()
    if replacement:
        return
    offered = [t for t in fields.replacement_offers(text) if t != mpn]
    if offered:
        parts.found[mpn] = offered[0]


def _notice_from(
    pieces: list[Piece], doc: Document, subject: str | None, warnings: list[str], aside: dict[str, str]
) -> Notice | None:
    text = "\n\n".join(p.text for p in pieces)
    subject_numbers = fields.notice_numbers(subject or "")
    number = best_number(pieces, subject_numbers[0][1] if subject_numbers else None)
    maker, maker_how = fields.manufacturer(text, doc.sender)
    dates: dict[str, date] = {}
    for piece in pieces:
        for key, value in piece.dates.items():
            dates.setdefault(key, value)
    if "issue_date" not in dates:
        letter_date = next(filter(None, (_dateline(p.text) for p in pieces if p.kind != "spreadsheet")), None)
        if letter_date:
            dates["issue_date"] = letter_date
    parts = PartEvidence()
    for piece in sorted(pieces, key=lambda p: p.supporting):
        if not (piece.supporting and parts.found):
            parts.merge(piece.listed)
        else:
            aside[piece.section] = "a qualification report or datasheet beside the notice"
    if not parts.found:
        for piece in pieces:
            parts.merge(piece.prose)
    for key, field_name in (("ltb", "last_time_buy_date"), ("lts", "last_ship_date")):
        if field_name not in dates and parts.row_dates[key]:
            (common, _), *rest = Counter(parts.row_dates[key]).most_common()
            dates[field_name] = common
            if rest:
                warnings.append(
                    f"parts have different {field_name.replace('_', ' ')}s; the most common, {common}, is used"
                )
    parts.drop_stems()
    parts.drop_weaker_than_orderable()
    parts.drop_relabelled()
    if len(parts.found) == 1:
        _replacement_from_field(text, parts)
    for piece in pieces:
        if piece.number:
            parts.found.pop(piece.number, None)
    if number is None:
        number = fields.notice_number(text, subject, parts.found)
    if number:
        parts.found.pop(number, None)
    # spreadsheet column names ("SalesItem_discontinuationType") are no words about the notice
    words = "\n\n".join(p.text for p in pieces if p.kind != "spreadsheet") or text
    kind, stated = fields.read_type(words, subject, "last_time_buy_date" in dates)
    replaced = sum(1 for r in parts.found.values() if r)
    if (
        kind == NoticeType.CHANGE
        and "last_time_buy_date" in dates
        and parts.found
        and replaced * 2 >= len(parts.found)
    ):
        kind = NoticeType.DISCONTINUANCE  # current parts get a last order date and new numbers: they end
    # at most 20: a notice names a few series; more are a document's noise (after the replacements go)
    patterns = [p for p in patterns_in(text) if p not in parts.replacement_patterns][:20]
    for pattern in patterns:  # "PC20WR4" of "PC20WR4 series" is the series, not a part
        parts.found.pop(pattern.rstrip("*"), None)
    if not number and not parts.found and not patterns:
        return None
    listed = parts.how in ("table", "list") and parts.found
    if kind is None and not listed:
        return None
    notice_warnings = [] if stated else [TYPE_GUESSED]
    if kind is None:
        # a document that lists parts calls itself nothing we know ("Information Note"): it is read as
        # the change it most likely is, and a person decides
        kind = NoticeType.CHANGE
        notice_warnings.append(TYPE_UNSTATED)
    if not number:
        number = "UNNUMBERED-" + hashlib.sha256((subject or text[:500]).encode()).hexdigest()[:10].upper()
        warnings.append(f"no notice number found; using {number}")
    if not maker:
        maker = "Unknown"
        warnings.append("manufacturer not found in the text or sender")
    if not parts.found:
        warnings.append(f"notice {number}: no affected part numbers found")
    confidence = 0.4 + 0.15 * bool(not number.startswith("UNNUMBERED")) + 0.1 * (maker_how != "none")
    confidence += {"table": 0.25, "list": 0.2, "prose": 0.1}.get(parts.how, 0.0)
    confidence += 0.05 * ("last_time_buy_date" in dates or kind.value != "discontinuance")
    notice = Notice(
        notice_number=number,
        manufacturer=maker,
        notice_type=kind,
        issue_date=dates.get("issue_date"),
        last_time_buy_date=dates.get("last_time_buy_date"),
        last_ship_date=dates.get("last_ship_date"),
        parts=[AffectedPart(mpn=m, replacement_mpn=r) for m, r in parts.found.items()],
        patterns=patterns,
        extractor="rules",
        confidence=round(min(confidence, 0.95), 2),
        parts_found_by=parts.how if parts.found else ("pattern" if patterns else ""),
    )
    notice.warnings.extend(notice_warnings + notice.plausibility_warnings())
    return notice


def notices_of(
    doc: Document, pieces: list[Piece], warnings: list[str], aside: dict[str, str]
) -> list[Notice]:
    """Stage 4: every notice the pieces make (several for a digest); ``warnings`` and ``aside`` learn
    what the reading could not settle and the sections it set aside."""
    subject_numbers = fields.notice_numbers(doc.subject or "")
    groups = group(pieces, subject_numbers[0][1] if subject_numbers else None)
    notices = []
    for members in groups:
        subject = doc.subject if len(groups) == 1 else None
        notice = _notice_from(members, doc, subject, warnings, aside)
        if notice:
            notices.append(notice)
    numbers = {n.notice_number for n in notices}
    for notice in notices:  # a digest's other notice numbers are not parts of this one
        notice.parts = [p for p in notice.parts if p.mpn not in numbers]
    # a relay's digest ("Arrow Product Change Notification 1080288") carries the notices it relays: its
    # own number, naming no part beside them, is the envelope, not a notice
    subject_number = subject_numbers[0][1] if subject_numbers else None
    if any(n.parts for n in notices):
        notices = [
            n
            for n in notices
            if n.parts or n.patterns or not (subject_number and same_notice(n.notice_number, subject_number))
        ]
    if not notices:
        warnings.append("no notice found: no discontinuance, NRND or change notice with a number or parts")
    return _merge_same_number(notices)


def mark_undecided_dates(notices: list[Notice], undecided: set[date]) -> None:
    """A notice whose date was read from a slashed date of unproven order says so: the date is a guess
    (``dates.undecided_dates``), and a last-time-buy date a month off is a missed deadline."""
    for notice in notices:
        named = [(name, getattr(notice, name)) for name in _DATED]
        if notice.change:
            named += [(name, getattr(notice.change, name)) for name in _CHANGE_DATED]
        guessed = [f"{name.replace('_', ' ')} {value}" for name, value in named if value in undecided]
        if guessed:
            notice.warnings.append(f"{DATE_UNDECIDED}: " + ", ".join(guessed))


def _merge_same_number(notices: list[Notice]) -> list[Notice]:
    by_key: dict[tuple[str, str], Notice] = {}
    for n in notices:
        key = (n.manufacturer_key, n.notice_number)
        if key in by_key:
            known = {p.mpn for p in by_key[key].parts}
            by_key[key].parts.extend(p for p in n.parts if p.mpn not in known)
        else:
            by_key[key] = n
    return list(by_key.values())
