"""Is a notice read completely? Each notice is ``complete`` or ``needs_review``, with reasons in words.

A radar must not miss in silence: a notice whose parts could not be read, whose
parts list lives in an attachment that is not there, or a mail that reads like a
lifecycle notice but gave no notice at all, goes to a person (``radar review``)
rather than into the report as a quiet zero. Plain mail that is not a notice
(newsletters, replies without content) stays out of the queue.

The assessment reads only the document and the extraction (notices, their
warnings and ``parts_found_by``); it imports nothing from the orchestration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from radar_pipeline.documents.model import Document
from radar_pipeline.extraction.change import UNSTATED
from radar_pipeline.extraction.ledger import Ledger
from radar_pipeline.extraction.notices import DATE_UNDECIDED, TYPE_GUESSED, TYPE_UNSTATED
from radar_pipeline.notices.model import Notice, NoticeType

LOW_CONFIDENCE = 0.6

# Words that make a mail read like a lifecycle notice (subject or text).
LIFECYCLE = re.compile(
    r"\b(?:PCN|PDN|EOL|NRND|LTB|end[\s-]of[\s-]life|discontinu\w*|obsolete|obsolescence|"
    r"not\s+recommended\s+for\s+new\s+designs?|last[\s-]time[\s-]buy|product\s+change\s+notice|"
    r"product\s+(?:discontinuance|termination)\s+notice|abk[üu]ndigung\w*|abgek[üu]ndigt|"
    r"produktabk[üu]ndigung|fin\s+de\s+vie|fin\s+de\s+production|descontinua\w*)\b"
    r"|停产|停產|生産終了|製造中止|生産中止|단종",
    re.I,
)
# Stronger words: one of them in the body is enough (a bare "EOL" or "PCN" in passing is not).
STRONG = re.compile(
    r"\b(?:discontinu\w*|end[\s-]of[\s-]life|last[\s-]time[\s-]buy|obsolete|NRND|"
    r"not\s+recommended\s+for\s+new\s+designs?|abk[üu]ndigung\w*|abgek[üu]ndigt)\b"
    r"|停产|停產|生産終了|製造中止|단종",
    re.I,
)
NEWSLETTER = re.compile(r"\bunsubscribe\b|\bnewsletter\b|\bwebinar\b|abmelden|\bview\s+in\s+browser\b", re.I)
REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|sv|antw|答复|回复)\s*:", re.I)
QUOTE_START = re.compile(
    r"^\s*(?:>|-{2,}\s*original\s+message|-{2,}\s*urspr[üu]ngliche\s+nachricht|on\s.+wrote:|am\s.+schrieb)",
    re.I,
)
# The notice says its parts are elsewhere: an attachment, a spreadsheet, an enclosed list.
ATTACHMENT_REF = re.compile(
    r"\bsee\s+(?:the\s+)?(?:attached|enclosed|attachment)\b[^.\n]{0,60}"
    r"|\b(?:attached|enclosed)\s+(?:\w+\s+){0,2}(?:spreadsheet|excel|file|list|document|pdf|xlsx?|csv|table|workbook)\b"
    r"|\b(?:listed|shown|given|included|contained|provided|found)\s+in\s+the\s+(?:attached\s+|enclosed\s+)?"
    r"(?:spreadsheet|excel(?:\s+file)?|attachment|workbook|xlsx?\s+file)\b"
    r"|\bplease\s+find\s+(?:the\s+)?(?:attached|enclosed)\b[^.\n]{0,60}"
    r"|\bsiehe\s+(?:anhang|anlage)\b|\bim\s+anhang\b|\b(?:in\s+)?der\s+anlage\b|\bbeigef[üu]gt\w*\b|\banbei\b"
    r"|\ben\s+pi[èe]ce\s+jointe\b|\bci-joint\b|添付|附件",
    re.I,
)
NUMBER_HINT = re.compile(r"\b(?:PCN|PDN|EOL|ECN|EOLN|FPCN|DN)\b[ \t]*[-#:.]?[ \t]*\d", re.I)
WILDCARD = re.compile(r"[*?…]|\bseries\b|\bfamily\b|x{2,}$", re.I)


@dataclass
class Assessment:
    """Reasons per notice (parallel to ``Extraction.notices``) and for the document as a whole."""

    notice_reasons: list[list[str]] = field(default_factory=list)
    document_reasons: list[str] = field(default_factory=list)
    # What a person decides although the reading is sound (a change notice that states no response
    # period): review items, but no doubt about the reading, so no flag on `radar extract`'s reading.
    notice_decisions: list[list[str]] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.document_reasons) or any(self.notice_reasons)


def _body_text(doc: Document) -> str:
    """The new text of a mail: for a reply, the lines above the quoted original."""
    text = "\n".join(s.text for s in doc.sections)
    if not REPLY_SUBJECT.match(doc.subject or ""):
        return text
    kept = []
    for line in text.splitlines():
        if QUOTE_START.match(line):
            break
        kept.append(line)
    return "\n".join(kept)


def reads_like_notice(doc: Document) -> bool:
    """Whether a document looks like a lifecycle notice (PCN, PDN, EOL, discontinuance, NRND, …)."""
    if doc.kind == "provider":
        return True
    body = _body_text(doc)
    reply = bool(REPLY_SUBJECT.match(doc.subject or ""))
    if reply and len(re.sub(r"\s+", " ", body).strip()) < 80:
        return False  # "thanks, noted" under a quoted notice
    if NEWSLETTER.search(body):
        return bool(STRONG.search(doc.subject or "")) and not reply
    if not reply and LIFECYCLE.search(doc.subject or ""):
        return True
    return bool(STRONG.search(body)) or len({m.group(0).lower() for m in LIFECYCLE.finditer(body)}) >= 2


AUTO_REPLY = re.compile(
    r"^\s*(?:automatic\s+reply|auto(?:matic)?[-\s]?reply|out\s+of\s+(?:the\s+)?office|abwesenheitsnotiz|"
    r"automatische\s+antwort|r[ée]ponse\s+automatique|自动回复|自動回覆)\b",
    re.I,
)
DELIVERY_REPORT = re.compile(
    r"\b(?:undeliverable|undelivered\s+mail|delivery\s+(?:status\s+notification|failure|has\s+failed)|"
    r"mail\s+delivery\s+(?:failed|subsystem)|returned\s+mail|unzustellbar|non[-\s]remis)\b",
    re.I,
)
MAILER = re.compile(r"\b(?:mailer-daemon|postmaster)@", re.I)


def not_a_notice(doc: Document) -> str | None:
    """What a mail positively is when it is no notice, whatever notice it quotes: an automatic reply, a
    delivery report, a reply without new content."""
    subject = doc.subject or ""
    if doc.kind != "email":
        return None
    if AUTO_REPLY.search(subject):
        return "an automatic reply"
    if DELIVERY_REPORT.search(subject) or MAILER.search(doc.sender or ""):
        return "a delivery report"
    if is_reply_without_notice(doc):
        return "a reply without new content"
    return None


def something_else(doc: Document) -> str | None:
    """What a document without a notice positively is, when it is one of the things a notice inbox also
    receives: an auto-reply, a delivery report, a reply without new content, a newsletter."""
    if other := not_a_notice(doc):
        return other
    return "a newsletter" if NEWSLETTER.search(_body_text(doc)) else None


def is_reply_without_notice(doc: Document) -> bool:
    """A reply (``Re:``, ``AW:``) whose own text, above the quoted original, is no notice."""
    return doc.kind == "email" and bool(REPLY_SUBJECT.match(doc.subject or "")) and not reads_like_notice(doc)


def missing_attachment(doc: Document) -> str | None:
    """The words by which a mail refers to an attachment it does not carry, else ``None``."""
    if doc.kind != "email":
        return None
    if any(not s.name.startswith("body") for s in doc.sections):
        return None  # an attachment is there (readable or with its own warning)
    match = ATTACHMENT_REF.search(_body_text(doc))
    return re.sub(r"\s+", " ", match.group(0)).strip() if match else None


def _unreadable(doc: Document) -> list[str]:
    return [
        f"part of the document could not be read: {w}"
        for w in doc.warnings
        if re.search(
            r"no text layer|could not|not read|unreadable|encrypted|too large|limit|timed out", w, re.I
        )
    ]


def notice_reasons(
    notice: Notice, doc: Document, warnings: list[str], attachment: str | None, confirmed: bool = False
) -> list[str]:
    """Why one notice needs a person; empty when it is complete.

    ``confirmed``: the LLM read exactly the parts the rules found (doubts about how they were found go).
    """
    reasons: list[str] = []
    number = notice.notice_number
    if confirmed and notice.parts:
        pass
    elif not notice.parts and notice.patterns and notice.extractor == "rules":
        # A notice of series ("LM317*") read from its own table or list: its BOM matches are family
        # matches, which the exposure lists for review by themselves; the reading needs no person.
        pass
    elif not notice.parts:
        reasons.append("no affected part found")
    elif notice.extractor == "rules" and notice.parts_found_by == "pattern":
        reasons.append("parts found only as patterns or series, not as orderable part numbers")
    elif any(WILDCARD.search(p.mpn) for p in notice.parts):
        wild = [p.mpn for p in notice.parts if WILDCARD.search(p.mpn)]
        reasons.append("parts given as patterns or series: " + ", ".join(wild[:5]))
    elif notice.extractor == "rules" and notice.parts_found_by == "prose":
        reasons.append("parts found only in running text, outside any table or list")
    if attachment:
        reasons.append(f'the notice refers to an attachment or list that is not there ("{attachment[:80]}")')
    if notice.notice_type == NoticeType.DISCONTINUANCE and notice.last_time_buy_date is None:
        reasons.append("a discontinuance without a last-time-buy date")
    # every change has a category: one not read is a doubt about the reading (a missing deadline is not)
    reasons += _change_gaps(notice)[0]
    reasons += [w for w in (TYPE_UNSTATED, TYPE_GUESSED) if w in notice.warnings]
    reasons += [w for w in notice.warnings if w.startswith(DATE_UNDECIDED)]
    mine = [w for w in [*notice.warnings, *warnings] if w.startswith(f"{number}:") or w in notice.warnings]
    for w in mine:
        if "rules and LLM disagree" in w:
            detail = re.search(r"disagree \((.*)\)", w)
            reasons.append("the LLM and the rules disagree" + (f": {detail.group(1)}" if detail else ""))
        elif "notice number does not occur in the document" in w:
            reasons.append("the LLM's notice number does not occur in the document")
        elif "part(s) found by the LLM only" in w and notice.parts_found_by:
            reasons.append("the LLM found parts the rules did not: " + w.split(":", 2)[-1].strip())
    # A letter without a number is still a notice: its maker, date and parts identify it. Without one
    # of them, the made-up number is all there is, and a person should look.
    identified = (
        bool(notice.parts)
        and notice.issue_date is not None
        and notice.manufacturer != "Unknown"
        and not NUMBER_HINT.search(doc.text)  # "PDN 9911": a number is there, only not read
    )
    if any(w.startswith("no notice number found") for w in warnings) and not identified:
        reasons.append("no notice number found in the text (a number was made up)")
    if any("manufacturer not found" in w for w in warnings):
        reasons.append("manufacturer not found in the text or sender")
    reasons += notice.plausibility_warnings()
    if notice.confidence < LOW_CONFIDENCE:
        reasons.append(f"low confidence ({notice.confidence:.2f})")
    if notice.extractor != "provider":
        reasons += _unreadable(doc)
    return list(dict.fromkeys(reasons))


def _change_gaps(notice: Notice) -> tuple[list[str], list[str]]:
    """What a change notice lacks for its impact (``exposure/changes.review_reason``), as doubts about
    the reading (no category read where the letter names one: every change has one) and as decisions
    (no response deadline; a letter that does not say what changes)."""
    from radar_pipeline.exposure.changes import NO_CATEGORY, review_reason  # pandas: only for a change

    if notice.notice_type != NoticeType.CHANGE:
        return [], []
    change = notice.change.model_dump(mode="json") if notice.change else None
    gaps = [f"a change notice with {r}" for r in (review_reason("change", change) or "").split("; ") if r]
    if UNSTATED in notice.warnings:  # no category because the letter names none: a person decides it
        gaps = [
            "a change notice that does not say what changes" if g.endswith(NO_CATEGORY) else g for g in gaps
        ]
    doubts = [g for g in gaps if g.endswith(NO_CATEGORY)]
    return doubts, [g for g in gaps if g not in doubts]


def notice_decisions(notice: Notice) -> list[str]:
    """What a person must settle on a notice read right: many change notices state no response
    period (J-STD-046 leaves it to the supplier), and then someone sets the deadline."""
    return _change_gaps(notice)[1]


def assess(
    doc: Document,
    notices: list[Notice],
    warnings: list[str],
    confirmed: set[str] | frozenset = frozenset(),
    ledger: Ledger | None = None,
) -> Assessment:
    """Complete or needs review, for each notice of a document and for the document itself.

    ``confirmed``: numbers of notices whose parts the LLM read exactly as the rules did.
    ``ledger``: part-like strings no role accounts for send every notice of the document to a person
    (which notice an unread table belongs to is exactly what was not read).
    """
    attachment = missing_attachment(doc)
    unread = ledger.reason() if ledger else None
    out = Assessment(
        [
            notice_reasons(n, doc, warnings, attachment, n.notice_number in confirmed)
            + ([unread] if unread else [])
            for n in notices
        ],
        notice_decisions=[notice_decisions(n) for n in notices],
    )
    if not notices and doc.kind != "provider":
        reasons = []
        if not_a_notice(doc):
            pass  # an out-of-office or a bounce quoting a notice: nothing to read, nobody needs to look
        elif reads_like_notice(doc):
            reasons.append("reads like a lifecycle notice, but no notice could be read from it")
            if attachment:
                reasons.append(f'it refers to an attachment or list that is not there ("{attachment[:80]}")')
        elif something_else(doc) is None and doc.text.strip():
            # it came on a notice channel: unless it is positively something else, a person looks
            reasons.append("no notice could be read, and it is not recognisably something else")
        if unread and reasons:
            reasons.append(unread)
        unreadable = _unreadable(doc)
        if unreadable and not reasons:
            reasons.append("no notice could be read, and part of the document is unreadable")
        out.document_reasons = reasons + unreadable
    return out
