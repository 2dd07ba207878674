"""The ledger: every part-like string in a document's tables, grids and lists, accounted for.

No rule foresees every layout; a count does. After the notices are read, each
part-like string standing in a block of the document's layout (``blocks``) gets a
role with the evidence that decided it:

- ``affected``: a part of one of the notices;
- ``replacement``: a notice's replacement, a part a replacement field offers
  ("代替製品：A／B"), or a string in a column whose header says replacement (a
  replacement offered for nothing we read is still no miss);
- ``other``: what the trade puts beside parts and is not one — a column whose
  header says customer, distributor, package, description, quantity, date…; a
  notice number; a package name; the type name of an affected part or a
  distributor's prefixed copy of it; another name of an affected part in its row (a
  lesser part column beside the orderable one); a string a notice's pattern covers;
  a qualification report's or datasheet's test vehicles; fields (a form's rows, the
  rows above a table's header, a change's before/after rows); the codes of a "Products
  affected" field that sums up the list under it ("… die listed below (M60A, U07M)": the
  family, density or die names the products by, while the list names the parts);
- ``unaccounted``: none of these. A table of part numbers that was not read shows
  here, and the notice goes to a person with the strings named (one string is
  tolerated, unless it stands in a column of affected parts: there it is a miss).

Strings are counted once each (the same part in the PDF and in the mail body is
one part); a string takes the surest role any of its occurrences earns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from radar_pipeline.extraction.blocks import Block, Layout
from radar_pipeline.extraction.candidates import Candidate
from radar_pipeline.extraction.columns import compact, header_role
from radar_pipeline.extraction.fields import notice_numbers, replacement_offers
from radar_pipeline.extraction.parts import PACKAGE_CELL
from radar_pipeline.notices.model import Notice

# Unaccounted strings a document may keep before it needs a person. One unread part is a missed
# part, but single strings in a table are often codes the trade does not name (a lot code, a
# wafer size "8INCH200MM"); two or more unread part numbers are a list.
TOLERANCE = 1
RANK = {"affected": 4, "replacement": 3, "other": 2, "unaccounted": 1}
# A field's words that hand over to a list under it ("part numbers listed below", "see table below")
BELOW = re.compile(
    r"\b(?:listed|shown|given|named|detailed|included|specified|found)\s+(?:below|hereafter)\b|"
    r"\b(?:see|in)\s+(?:the\s+)?(?:table|list)\s+below\b|\bas\s+follows\b|"
    r"unten\s+(?:aufgef[üu]hrt|gelistet|genannt)|ci-dessous|如下|以下|下記|下表",
    re.I,
)


def key(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


@dataclass
class Role:
    role: str  # affected | replacement | other | unaccounted
    why: str
    where: str


@dataclass
class Ledger:
    blocks: list[Block] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    roles: dict[str, Role] = field(default_factory=dict)  # by string, the surest role

    @property
    def unaccounted(self) -> list[str]:
        return [t for t, r in self.roles.items() if r.role == "unaccounted"]

    def count(self, role: str) -> int:
        return sum(r.role == role for r in self.roles.values())

    def to_json(self) -> dict:
        return {
            "candidates": len(self.roles),
            "affected": self.count("affected"),
            "replacement": self.count("replacement"),
            "other": self.count("other"),
            "unaccounted": self.unaccounted,
        }

    @property
    def beside_affected(self) -> list[str]:
        """Unaccounted strings in a column where affected parts stand, or whose header says it holds them:
        a part the reading missed, never a stray code, so not even one is tolerated."""
        columns = {(c.block, c.column) for c in self.candidates if self.roles[c.text].role == "affected"}
        left = set(self.unaccounted)
        found = {
            c.text
            for c in self.candidates
            if c.text in left and ((c.block, c.column) in columns or header_role(c.header) == "affected")
        }
        return [t for t in self.unaccounted if t in found]

    def reason(self) -> str | None:
        """Why the document needs a person, in words: more than the tolerance unaccounted, or any
        unaccounted string standing in a column of affected parts."""
        left = self.unaccounted
        if len(left) <= TOLERANCE and not self.beside_affected:
            return None
        places = list(dict.fromkeys(self.roles[t].where for t in left))
        shown = ", ".join(left[:5]) + (", …" if len(left) > 5 else "")
        return (
            f"{len(left)} part-like strings in {places[0]}"
            + (f" and {len(places) - 1} other block(s)" if len(places) > 1 else "")
            + f" were not read: {shown}"
        )


def _relation(text: str, affected: set[str]) -> str | None:
    """A type name of an affected part ("BC857A" of "BC857A,215"), or a distributor's copy of one
    (its prefix + the maker's part, maybe cut short: "ADV" + "YE1780C3T4MF")."""
    k = key(text)
    variant = re.sub(r"[/,#:][A-Z0-9]{1,6}$", "", k)  # a type's own variant code ("BZX84-C11/1")
    if variant != k and len(variant) >= 4 and any(a.startswith(variant) for a in affected):
        return f"a variant of the type of an affected part ({variant})"
    for cut in range(0, 5):
        head, rest = k[:cut], k[cut:]
        if cut and not head.isalpha() or len(rest) < (4 if not cut else 6):
            continue
        for a in affected:
            if a.startswith(rest) and (cut or not a[len(rest) :][:1].isdigit()):
                return (
                    f"a distributor's copy of affected part {a}" if cut else f"type name of affected part {a}"
                )
    return None


def summary_fields(block: Block) -> dict[int, tuple[str, int, int]]:
    """Rows of ``block`` that belong to a field which names the parts ("Product Affected:") and hands over
    to a list under it ("… part numbers listed below"): row -> (the field's label, its rows). A
    field runs on from its label over rows with an empty first cell, or while a bracket is open (a
    wrapped "(M60A, …, V89C)")."""
    out: dict[int, tuple[str, int, int]] = {}
    rows = block.rows
    r = 0
    while r < len(rows):
        label = next((c.strip() for c in rows[r] if c.strip()), "")
        if not label.endswith((":", "：")) or header_role(label) != "affected":
            r += 1
            continue
        text, end = " ".join(rows[r]), r
        while end + 1 < len(rows) and (
            not rows[end + 1][:1] or not rows[end + 1][0].strip() or text.count("(") > text.count(")")
        ):
            end += 1
            text += " " + " ".join(rows[end])
        if BELOW.search(text):
            out.update({i: (label, r, end) for i in range(r, end + 1)})
        r = end + 1
    return out


def _summarised(
    cand: Candidate, field: tuple[str, int, int] | None, block: Block, listed: list[tuple[str, int, int, int]]
) -> str | None:
    """Why a string of a summary field ("Product Affected: … listed below") is no part: the list the field
    hands over to was read (an affected part stands in the same section, outside the field; a PDF's
    ruled tables and its text tables are not in page order), and no affected part stands in the
    string's own column of the block (there an unread string is a missed part)."""
    if field is None:
        return None
    label, start, end = field
    read = any(s == block.section and (b != block.index or not start <= r <= end) for s, b, r, _ in listed)
    beside = any(b == block.index and c == cand.column for _, b, _, c in listed)
    return f"in a summary of the list below ({label})" if read and not beside else None


def _covered(text: str, patterns: list[re.Pattern]) -> bool:
    return any(p.fullmatch(key(text)) for p in patterns)


def _pattern_re(pattern: str) -> re.Pattern:
    body = re.escape(key(pattern)).replace("%", ".*").replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(body)


def pattern_key(text: str) -> str:
    """A pattern as the notice keeps it: a lower-case x stands for one character ("KV33xx" is "KV33??")."""
    return key(re.sub(r"(?<=[A-Z0-9])x|x(?=\d)", "?", text))


def assign_roles(
    blocks: list[Block],
    candidates: list[Candidate],
    notices: list[Notice],
    text: str,
    set_aside: dict[str, str] | None = None,
) -> dict:
    """The ledger's roles: each candidate string checked against the notices read, with the evidence
    that decided its role. ``set_aside``: sections the rules set aside, and why (a stale sheet copy,
    a report beside the notice)."""
    affected = {key(p.mpn) for n in notices for p in n.parts}
    replacements = {key(p.replacement_mpn) for n in notices for p in n.parts if p.replacement_mpn}
    replacements |= {key(t) for t in replacement_offers(text)}  # every part a replacement field offers
    # the header of each column where a row's affected part stands: another part column of the same
    # row (a type name beside the orderable "12NC") names the same product
    named: dict[tuple[int, int], set[str]] = {}
    for block in blocks:  # by the cells, not the candidates: an all-digit orderable ("934661883215") counts
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                if key(cell) in affected and c < len(block.header):
                    named.setdefault((block.index, r), set()).add(compact(block.header[c]))
    numbers = {key(n.notice_number) for n in notices} | {key(v) for _, v in notice_numbers(text)}
    patterns = [_pattern_re(p) for n in notices for p in n.patterns]
    named_patterns = {pattern_key(p) for n in notices for p in n.patterns}
    listed = [
        (blocks[c.block].section, c.block, c.row, c.column) for c in candidates if key(c.text) in affected
    ]
    summaries = {b.index: summary_fields(b) for b in blocks}
    roles: dict[str, Role] = {}
    in_parts: list[str] = []
    for cand in candidates:
        block = blocks[cand.block]
        k = key(cand.text)
        said = header_role(cand.header) if cand.header else ""
        if k in affected:
            role = Role("affected", "a part of the notice", block.where())
        elif cand.pattern and pattern_key(cand.text) in named_patterns:
            role = Role("affected", "a pattern of the notice", block.where())
        elif k in replacements:
            role = Role("replacement", "a replacement of the notice", block.where())
        elif said == "replacement":
            role = Role("replacement", f"in a replacement column ({cand.header.strip()})", block.where())
        elif said == "affected" and named.get((cand.block, cand.row), set()) - {compact(cand.header)}:
            role = Role(
                "other",
                f"another name of the affected part in its row ({cand.header.strip()})",
                block.where(),
            )
        elif said == "other":
            role = Role("other", f"in a column of other numbers ({cand.header.strip()})", block.where())
        elif summary := _summarised(cand, summaries[cand.block].get(cand.row), block, listed):
            role = Role("other", summary, block.where())
        elif k in numbers or any(len(n) >= 5 and n in k for n in numbers):
            role = Role("other", "a notice number", block.where())
        elif PACKAGE_CELL.match(cand.text):
            role = Role("other", "a package name", block.where())
        elif aside := (set_aside or {}).get(block.section) or block.aside:
            role = Role("other", f"in {aside}", block.where())
        elif _covered(cand.text, patterns) and (cand.pattern or block.kind == "table" and said != "affected"):
            # a part a list or a parts column names is listed, whatever series covers it: unread, a miss
            # (a pattern there is the notice's series spelled another way: "SYM89xx" for "SYM89??")
            role = Role("other", "covered by a pattern of the notice", block.where())
        elif why := _relation(cand.text, affected):
            role = Role("other", why, block.where())
        else:
            role = Role("unaccounted", "no role", block.where())
        known = roles.get(cand.text)
        if known is None or RANK[role.role] > RANK[known.role]:
            roles[cand.text] = role
        if role.role == "unaccounted" and said == "affected":
            in_parts.append(cand.text)
    # a string that stands in a column of affected parts and was not read as one is a miss, whatever its
    # other occurrences are (a pattern in the parts column that is also its row's "replacement")
    for text in in_parts:
        if roles[text].role == "replacement":
            roles[text] = Role(
                "unaccounted", "in a column of affected parts, not read as one", roles[text].where
            )
    return roles


def build_ledger(
    layout: Layout,
    candidates: list[Candidate],
    notices: list[Notice],
    set_aside: dict[str, str] | None = None,
) -> Ledger:
    """Each candidate of the layout with the role the reading gave it: the ledger of one document (a
    provider's payload has no layout, and an empty ledger)."""
    text = "\n\n".join(s.text for s in layout.stretches)
    return Ledger(
        layout.blocks, candidates, assign_roles(layout.blocks, candidates, notices, text, set_aside)
    )
