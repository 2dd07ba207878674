"""Rules and LLM results side by side: agreement raises confidence, disagreement is shown.

The model reads text that a stranger wrote, instructions included ("add part X",
"the last-time-buy date is …", "leave Y out"). So the notice's own statements
rule: the rules' parts are never dropped because the model left them out, its
labelled dates override the model's, and a part only the model names is added
only when the document lists it (a table, a list, a labelled field); one named
only in a sentence is not accepted, and the warning sends the notice to a person.
"""

from __future__ import annotations

from radar_pipeline.extraction.extract import Extraction
from radar_pipeline.extraction.llm import LlmExtraction
from radar_pipeline.notices import AffectedPart, Notice

FIELDS = ("notice_type", "issue_date", "last_time_buy_date", "last_ship_date")
DATE_FIELDS = FIELDS[1:]


def reconcile(rules: Extraction, llm: LlmExtraction) -> Extraction:
    """Rules win on every field they found; the LLM fills gaps and adds parts the document lists."""
    out = Extraction(
        warnings=rules.warnings + llm.warnings,
        llm_tokens=llm.llm_tokens,
        layout=rules.layout,  # the stages before the notices are the rules' own
        candidates=rules.candidates,
        pieces=rules.pieces,
        set_aside=rules.set_aside,
        date_order=rules.date_order,
    )
    llm_by_number = _by_rules_number(rules, llm)
    for notice in rules.notices:
        other = llm_by_number.pop(notice.notice_number, None)
        if other is None:
            out.notices.append(notice)
            continue
        updates, disagreements = {}, []
        number = other.notice_number  # the rules' own, unless they had to make one up
        if number != notice.notice_number:
            updates["notice_number"] = number
            out.warnings.append(f"{number}: notice number from the LLM (rules found none)")
        for field in FIELDS:
            mine, theirs = getattr(notice, field), getattr(other, field)
            if mine is None and theirs is not None:
                updates[field] = theirs
                out.warnings.append(f"{number}: {field} {theirs} from the LLM (rules found none)")
            elif theirs is not None and mine != theirs:
                disagreements.append(f"{field}: rules {mine}, LLM {theirs}")
        known = {p.mpn for p in notice.parts}
        extra = _listed_only(number, [p for p in other.parts if p.mpn not in known], llm, out)
        missing = known - {p.mpn for p in other.parts}
        if missing:
            disagreements.append(f"{len(missing)} part(s) found by the rules only")
        confidence = notice.confidence + (0.05 if not disagreements else -0.1 * len(disagreements))
        if disagreements:
            out.warnings.append(f"{number}: rules and LLM disagree ({'; '.join(disagreements)}); rules kept")
        if other.change is not None and not (notice.change and notice.change.categories):
            updates["change"] = other.change  # the rules read no change type: the model's, held to the text
            out.warnings.append(f"{number}: change read by the LLM (rules found no change type)")
        merged = notice.model_copy(
            update=updates
            | {
                "parts": list(notice.parts)
                + [AffectedPart(mpn=p.mpn, replacement_mpn=p.replacement_mpn) for p in extra],
                "confidence": round(max(0.05, min(0.99, confidence)), 2),
            }
        )
        out.notices.append(merged)
    for leftover in llm_by_number.values():
        out.warnings.append(f"{leftover.notice_number}: found by the LLM only")
        out.notices.append(_held_to_the_document(leftover, llm, out))
    return out


def _by_rules_number(rules: Extraction, llm: LlmExtraction) -> dict[str, Notice]:
    """The model's notices by the number the rules gave them; the one notice whose number only the
    model read pairs with the one the rules had to leave unnumbered."""
    by_number = {n.notice_number: n for n in llm.notices}
    unnumbered = [n.notice_number for n in rules.notices if n.notice_number.startswith("UNNUMBERED-")]
    numbered = {n.notice_number for n in rules.notices}
    unread = [k for k in by_number if k not in numbered]
    if len(unnumbered) == 1 and len(unread) == 1:
        by_number[unnumbered[0]] = by_number.pop(unread[0])
    return by_number


def _listed_only(number: str, extra: list[AffectedPart], llm: LlmExtraction, out: Extraction) -> list:
    """The parts only the model found that the document lists; the rest are named in a warning, not kept."""
    listed = [p for p in extra if llm.lists(p.mpn)]
    unlisted = [p.mpn for p in extra if not llm.lists(p.mpn)]
    if listed:
        out.warnings.append(
            f"{number}: {len(listed)} part(s) found by the LLM only: " + ", ".join(p.mpn for p in listed[:10])
        )
    if unlisted:
        out.warnings.append(
            f"{number}: {len(unlisted)} part(s) found by the LLM only: {', '.join(unlisted[:10])}"
            " — not accepted: the notice names them in no table, list or labelled field"
        )
    return listed


def _held_to_the_document(notice: Notice, llm: LlmExtraction, out: Extraction) -> Notice:
    """A notice the rules did not read: only listed parts, and only dates the document labels."""
    updates: dict = {"confidence": min(notice.confidence, 0.6)}
    updates["parts"] = _listed_only(notice.notice_number, notice.parts, llm, out)
    for field in DATE_FIELDS:
        value = getattr(notice, field)
        if value is not None and value not in llm.labelled.get(field, ()):
            updates[field] = None
            out.warnings.append(
                f"{notice.notice_number}: {field} {value} from the LLM dropped: no labelled field says so"
            )
    return notice.model_copy(update=updates)
