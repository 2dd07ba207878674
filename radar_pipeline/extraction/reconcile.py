"""Rules and LLM results side by side: agreement raises confidence, disagreement is shown."""

from __future__ import annotations

from radar_pipeline.extraction.rules import Extraction
from radar_pipeline.notices import AffectedPart

FIELDS = ("notice_type", "issue_date", "last_time_buy_date", "last_ship_date")


def reconcile(rules: Extraction, llm: Extraction) -> Extraction:
    """Rules win on every field they found; the LLM fills gaps and adds parts it can show in the text."""
    out = Extraction(warnings=rules.warnings + llm.warnings, llm_tokens=llm.llm_tokens)
    llm_by_number = {n.notice_number: n for n in llm.notices}
    for notice in rules.notices:
        other = llm_by_number.pop(notice.notice_number, None)
        if other is None:
            out.notices.append(notice)
            continue
        updates, disagreements = {}, []
        for field in FIELDS:
            mine, theirs = getattr(notice, field), getattr(other, field)
            if mine is None and theirs is not None:
                updates[field] = theirs
                out.warnings.append(
                    f"{notice.notice_number}: {field} {theirs} from the LLM (rules found none)"
                )
            elif theirs is not None and mine != theirs:
                disagreements.append(f"{field}: rules {mine}, LLM {theirs}")
        known = {p.mpn for p in notice.parts}
        extra = [p for p in other.parts if p.mpn not in known]
        missing = known - {p.mpn for p in other.parts}
        if extra:
            out.warnings.append(
                f"{notice.notice_number}: {len(extra)} part(s) found by the LLM only: "
                + ", ".join(p.mpn for p in extra[:10])
            )
        if missing:
            disagreements.append(f"{len(missing)} part(s) found by the rules only")
        confidence = notice.confidence + (0.05 if not disagreements else -0.1 * len(disagreements))
        if disagreements:
            out.warnings.append(
                f"{notice.notice_number}: rules and LLM disagree ({'; '.join(disagreements)}); rules kept"
            )
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
        out.notices.append(leftover.model_copy(update={"confidence": min(leftover.confidence, 0.6)}))
    return out
