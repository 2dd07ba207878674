"""One entry point: a document (or provider payload) in, notices and warnings out.

Provider webhooks go through their adapter; documents through the rules, and
through the LLM as well when one is configured, the two reconciled.
"""

from __future__ import annotations

from radar_pipeline.documents.model import Document
from radar_pipeline.extraction.rules import Extraction, extract_rules
from radar_pipeline.sources import ADAPTERS, PayloadError


class UnreadableEvent(ValueError):
    """The event cannot be understood at all: it is dead-lettered with this reason."""


def extract_document(doc: Document, llm=None) -> Extraction:
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
    rules = extract_rules(doc)
    if llm is None:
        return rules
    from radar_pipeline.extraction.reconcile import reconcile

    return reconcile(rules, llm.extract(doc))
