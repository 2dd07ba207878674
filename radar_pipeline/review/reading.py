"""A document read, and judged: does a person (or the LLM) need to look?

Extraction reads (``extraction.extract``: layout → candidates → roles → notices → ledger); this
judges the reading from what it holds (``completeness.assess``) and, where an LLM is configured,
asks it about the documents the rules are unsure of — every document the assessment doubts,
which includes every one with a string the reading left unaccounted — then judges again.
"""

from __future__ import annotations

from radar_pipeline.documents.model import Document
from radar_pipeline.extraction.extract import Extraction, read, with_llm
from radar_pipeline.review.completeness import Assessment, assess, not_a_notice


def read_reviewed(doc: Document, llm=None, when: str = "unsure") -> tuple[Extraction, Assessment, bool]:
    """``(extraction, assessment, llm_asked)``. With ``when="unsure"`` the LLM sees only documents whose
    rules reading needs review (``"always"``: every document); the assessment is then made again on
    the reconciled reading."""
    if other := not_a_notice(doc):
        # "thanks, noted" above a quoted notice, an out-of-office or a bounce naming it: the quote must not
        # replace the notice itself
        return Extraction(warnings=[f"{other}: not a notice"]), assess(doc, [], []), False
    result = read(doc)
    assessment = assess(doc, result.notices, result.warnings, ledger=result.ledger)
    if llm is None or doc.kind == "provider" or (when == "unsure" and not assessment.needs_review):
        return result, assessment, False
    rules_parts = {n.notice_number: {p.mpn for p in n.parts} for n in result.notices if n.parts}
    result = with_llm(doc, result, llm)
    # the LLM read the same parts the rules found outside a table: that doubt is settled
    confirmed = {
        n.notice_number
        for n in result.notices
        if rules_parts.get(n.notice_number) == {p.mpn for p in n.parts} and not _parts_disputed(n, result)
    }
    assessment = assess(doc, result.notices, result.warnings, confirmed, result.ledger)
    return result, assessment, True


def _parts_disputed(notice, result: Extraction) -> bool:
    """Whether the model named parts the rules did not, or left out some the rules read."""
    mine = [w for w in result.warnings if w.startswith(f"{notice.notice_number}:")]
    return any("found by the LLM only" in w or "found by the rules only" in w for w in mine)
