"""One document's reading, stage by stage, in words: what `radar extract --format stages` prints.

When a notice is read wrong, the question is which stage went wrong: the layout (a table cut
badly, the wrong header row), the candidates (a string not taken for part-like), the roles a
stretch gives them (a column not taken for parts), the grouping into notices, or the ledger (a
string given the wrong role). Each stage is a value
on the result (``Extraction``); this prints them in order.
"""

from __future__ import annotations

from radar_pipeline.extraction.extract import Extraction

SHOWN = 8  # items shown per line; the counts are always whole


def _some(items: list[str]) -> str:
    return ", ".join(items[:SHOWN]) + (f", … ({len(items)} in all)" if len(items) > SHOWN else "")


def stages_text(result: Extraction) -> str:
    layout, out = result.layout, []
    out.append(f"layout: {len(layout.stretches)} stretch(es), {len(layout.blocks)} block(s)")
    for b in layout.blocks:
        line = f"  block {b.index}: {b.kind} ({b.source}) in {b.section}, {len(b.rows)} row(s)"
        if b.header_row is not None:
            line += (
                f", header row {b.header_row}: " + " | ".join(c.strip() for c in b.header if c.strip())[:120]
            )
        if b.lead:
            line += f", lead-in {b.lead[:60]!r}"
        out.append(line + (f", in {b.aside}" if b.aside else ""))
    patterns = sum(c.pattern for c in result.candidates)
    out.append(
        f"candidates: {len(result.candidates)} part-like string(s) in the blocks"
        + (f", {patterns} of them pattern(s)" if patterns else "")
    )
    out.append("roles (what each stretch says: pieces):")
    for p in result.pieces:
        listed = [f"{m}->{r}" if r else m for m, r in p.listed.found.items()]
        out.append(
            f"  {p.section}: number {p.number or '-'}; {len(listed)} listed part(s)"
            + (f" by {p.listed.how}" if p.listed.how else "")
            + (f": {_some(listed)}" if listed else "")
            + (f"; in sentences: {_some(list(p.prose.found))}" if p.prose.found else "")
            + (f"; dates {', '.join(f'{k} {v}' for k, v in p.dates.items())}" if p.dates else "")
            + ("; a supporting document" if p.supporting else "")
        )
    for section, why in result.set_aside.items():
        out.append(f"  set aside: {section} ({why})")
    out.append(f"notices: {len(result.notices)}")
    for n in result.notices:
        out.append(
            f"  {n.notice_number} {n.manufacturer} {n.notice_type.value}: {len(n.parts)} part(s)"
            f" by {n.parts_found_by or '-'}, issued {n.issue_date}, LTB {n.last_time_buy_date},"
            f" LTS {n.last_ship_date}, confidence {n.confidence}"
        )
    ledger = result.ledger
    counts = ledger.to_json()
    out.append(
        f"ledger: {counts['candidates']} part-like string(s): {counts['affected']} affected,"
        f" {counts['replacement']} replacement, {counts['other']} other,"
        f" {len(counts['unaccounted'])} unaccounted"
    )
    for text in ledger.unaccounted[:SHOWN]:
        c = next(c for c in ledger.candidates if c.text == text)
        out.append(
            f"  unaccounted {text}: block {c.block} row {c.row} column {c.column} ({c.header or 'no header'})"
        )
    if reason := ledger.reason():
        out.append(f"  needs a person: {reason}")
    return "\n".join(out)
