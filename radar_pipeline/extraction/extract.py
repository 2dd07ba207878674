"""One entry point: a document (or provider payload) in, notices and warnings out.

A document's trip is one way, each stage a value of its own (``Extraction``
keeps them): the layout (``blocks.layout_of``: stretches, and the tables, grids
and lists in them) → the rules' reading of each stretch (``rules.pieces_of``:
parts, replacements, numbers, dates, with the evidence) → notices (grouped by
number, fields assembled) → the ledger (every part-like string of the layout's
blocks, and the role it took). Provider webhooks go through their adapter
instead. The LLM, where configured, reads documents the rules are unsure of
(``extract_reviewed``: a document whose notices need review, or that reads like
a notice and gave none), is reconciled with the rules, and the ledger is drawn
again from the same layout.
"""

from __future__ import annotations

from radar_pipeline.documents.model import Document
from radar_pipeline.extraction.change import attach_changes
from radar_pipeline.extraction.ledger import build_ledger
from radar_pipeline.extraction.rules import Extraction, extract_rules
from radar_pipeline.sources import ADAPTERS, PayloadError


class UnreadableEvent(ValueError):
    """The event cannot be understood at all: it is dead-lettered with this reason."""


def extract_document(doc: Document, llm=None, when: str = "always") -> Extraction:
    """Notices of ``doc``; with ``llm``, the model's reading is reconciled with the rules'
    (``when="unsure"``: only for a document the rules are unsure of)."""
    return extract_reviewed(doc, llm, when)[0]


def extract_reviewed(doc: Document, llm=None, when: str = "unsure"):
    """``(extraction, assessment, llm_asked)``: the notices, and whether each needs a person.

    With ``when="unsure"`` the LLM sees only documents whose rules reading needs review;
    the assessment is then made again on the reconciled result.
    """
    from radar_pipeline.review.completeness import assess, is_reply_without_notice

    if is_reply_without_notice(doc):
        # "thanks, noted" above a quoted notice: the quote must not replace the notice itself
        return Extraction(warnings=["a reply without new content: not a notice"]), assess(doc, [], []), False
    result = _extract(doc)
    result.ledger = build_ledger(result.layout, result.notices, result.set_aside)
    assessment = assess(doc, result.notices, result.warnings, ledger=result.ledger)
    _doubt(result)
    if llm is None or doc.kind == "provider" or (when == "unsure" and not assessment.needs_review):
        return result, assessment, False
    from radar_pipeline.extraction.reconcile import reconcile

    answer = llm.extract(doc, result.ledger.unaccounted)
    # the LLM read the same parts the rules found outside a table: that doubt is settled
    theirs = {n.notice_number: {p.mpn for p in n.parts} for n in answer.notices}
    confirmed = {
        n.notice_number
        for n in result.notices
        if n.parts and theirs.get(n.notice_number) == {p.mpn for p in n.parts}
    }
    result = reconcile(result, answer)
    # what the LLM did not account for stays
    result.ledger = build_ledger(result.layout, result.notices, result.set_aside)
    assessment = assess(doc, result.notices, result.warnings, confirmed, result.ledger)
    _doubt(result)
    return result, assessment, True


def _doubt(result: Extraction) -> None:
    """A notice beside part numbers nobody read is not one to be sure of: its confidence says so."""
    if result.ledger.reason():
        for notice in result.notices:
            notice.confidence = min(notice.confidence, 0.5)


def _extract(doc: Document) -> Extraction:
    if doc.kind == "provider":
        adapter = ADAPTERS.get(doc.source or "")
        if adapter is None:
            raise UnreadableEvent(f"no adapter for webhook source {doc.source!r}")
        try:
            return Extraction(notices=adapter(doc.payload or {}))
        except PayloadError as exc:
            raise UnreadableEvent(f"{doc.source} payload: {exc}") from None
        except ValueError as exc:  # pydantic validation of the canonical notice
            raise UnreadableEvent(
                f"{doc.source} payload does not make a valid notice: {str(exc)[:300]}"
            ) from None
    result = extract_rules(doc)  # the layout first, then the rules' reading of it
    attach_changes(doc, result.notices)
    return result
