"""One entry point: a document (or provider payload) in, notices and warnings out.

A document's trip is one way, each stage a value of its own (``Extraction`` keeps them), each
visited once:

    layout      blocks.layout_of        the stretches, and every table, grid and list in them
    candidates  candidates.candidates_of every part-like string of those blocks, and where it stands
    roles       roles.pieces_of          what each stretch says: parts (from its candidates, by the
                                         header's columns), replacements, evidence, number, dates
    notices     notices.notices_of       pieces grouped into notices, each with its fields
    changes     change.attach_changes    what a change notice changes, and when
    ledger      ledger.build_ledger      each candidate with the role it took; one without is unread

Provider webhooks go through their adapter instead. Whether a person (or the LLM) must look is
the caller's judgement (``review.reading``), made from these values; ``with_llm`` reconciles the
model's reading with the rules' and draws the ledger again from the same layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from radar_pipeline.documents.model import Document
from radar_pipeline.extraction.blocks import Layout, layout_of
from radar_pipeline.extraction.candidates import Candidate, candidates_of
from radar_pipeline.extraction.change import attach_changes
from radar_pipeline.extraction.dates import reading_order, slashed_order, undecided_dates
from radar_pipeline.extraction.fields import sending_order
from radar_pipeline.extraction.grouping import Piece
from radar_pipeline.extraction.ledger import Ledger, build_ledger
from radar_pipeline.extraction.notices import mark_undecided_dates, notices_of
from radar_pipeline.extraction.roles import pieces_of
from radar_pipeline.mail.messages import header_date
from radar_pipeline.notices import Notice
from radar_pipeline.sources import ADAPTERS, PayloadError


class UnreadableEvent(ValueError):
    """The event cannot be understood at all: it is dead-lettered with this reason."""


@dataclass
class Extraction:
    notices: list[Notice] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    llm_tokens: int = 0
    # the stages of the reading, each a value of its own
    layout: Layout = field(default_factory=lambda: Layout([], []))
    candidates: list[Candidate] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    # sections whose part numbers are not the notice's, and why (the ledger counts them as "other")
    set_aside: dict[str, str] = field(default_factory=dict)
    ledger: Ledger = field(default_factory=Ledger)
    date_order: str | None = None  # the order slashed dates were read in (None: unproven, month first)


def read(doc: Document) -> Extraction:
    """The rules' reading of ``doc``, stage by stage (a provider's payload through its adapter)."""
    if doc.kind == "provider":
        return _from_provider(doc)
    result = Extraction(warnings=list(doc.warnings))
    result.layout = layout_of(doc)
    if not doc.text.strip():
        result.warnings.append("document has no readable text")
        return result
    # the order slashed dates keep: as the document's own dates prove it, else as the day it was sent does
    sent = header_date(doc.date)
    order = result.date_order = slashed_order(doc.text) or sending_order(doc.text, sent and sent.date())
    with reading_order(order):
        result.candidates = candidates_of(result.layout)
        result.pieces = pieces_of(result.layout, result.candidates, result.set_aside)
        result.notices = notices_of(doc, result.pieces, result.warnings, result.set_aside)
        attach_changes(doc, result.notices)
    mark_undecided_dates(result.notices, set() if order else undecided_dates(doc.text))
    account(result)
    return result


def account(result: Extraction) -> None:
    """The ledger of the reading as it stands; a notice beside part numbers nobody read is not one to be
    sure of, and its confidence says so."""
    result.ledger = build_ledger(result.layout, result.candidates, result.notices, result.set_aside)
    if result.ledger.reason():
        for notice in result.notices:
            notice.confidence = min(notice.confidence, 0.5)


def with_llm(doc: Document, result: Extraction, llm) -> Extraction:
    """The model's reading of ``doc`` reconciled with the rules' (their stages before the notices stay),
    given the strings the rules left unread; the ledger drawn again."""
    from radar_pipeline.extraction.reconcile import reconcile

    with reading_order(result.date_order):
        answer = llm.extract(doc, result.ledger.unaccounted, result.pieces)
        merged = reconcile(result, answer)
    account(merged)
    return merged


def extract_document(doc: Document, llm=None) -> Extraction:
    """Notices of ``doc``; with ``llm``, the model's reading is reconciled with the rules'."""
    result = read(doc)
    return with_llm(doc, result, llm) if llm is not None and doc.kind != "provider" else result


def _from_provider(doc: Document) -> Extraction:
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
