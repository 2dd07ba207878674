"""What the rules found, part by part, and how surely each is an orderable part.

A notice names its affected parts in several places at once — the maker's
orderable column, a type-name column, a distributor's sheet, a list in the
mail, a sentence — and they disagree. Each part keeps the strength of its best
evidence (the header rank of its column, a grid of nothing but part numbers, a
labelled list line, prose), so the notice can keep the surest and drop what
only looks like a part beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from radar_pipeline.extraction.parts import clean_token

# the strength of a header-less grid of nothing but part numbers (``roles``): what stood there, or in a
# column whose header says "part number" (8 and up), was listed as an orderable part
GRID = 7


@dataclass
class PartEvidence:
    found: dict[str, str | None] = field(default_factory=dict)
    strength: dict[str, int] = field(default_factory=dict)  # how surely each is an orderable part
    prefixes: set[str] = field(default_factory=set)  # distributors' own prefixes seen ("ADV" + MPN)
    row_dates: dict[str, list[date]] = field(default_factory=lambda: {"ltb": [], "lts": []})
    replacement_patterns: set[str] = field(default_factory=set)  # wildcards in replacement columns
    how: str = ""

    def add(self, mpn: str, replacement: str | None, strength: int = 1) -> None:
        mpn = clean_token(mpn)
        if not mpn:
            return
        if mpn not in self.found or (self.found[mpn] is None and replacement):
            self.found[mpn] = replacement
        self.strength[mpn] = max(strength, self.strength.get(mpn, 0))

    def merge(self, other: PartEvidence) -> None:
        for mpn, replacement in other.found.items():
            self.add(mpn, replacement, other.strength.get(mpn, 1))
        self.how = self.how or other.how
        self.prefixes |= other.prefixes
        self.replacement_patterns |= other.replacement_patterns
        for key in ("ltb", "lts"):
            self.row_dates[key] += other.row_dates[key]

    def drop_relabelled(self) -> None:
        """A distributor's own number in the maker's column is the maker's part with a prefix ("ADV" + MPN)."""
        bare = {m.replace(" ", "") for m in self.found}
        for mpn in list(self.found):
            if any(mpn.startswith(x) and mpn[len(x) :].replace(" ", "") in bare for x in self.prefixes):
                del self.found[mpn]

    def drop_weaker_than_orderable(self) -> None:
        """Beside a column that says "part number" (or "orderable", "manufacturer part number") or a grid of
        nothing but part numbers, type names and list mentions are not parts."""
        strong = [m for m in self.found if self.strength[m] >= GRID]
        weak = [m for m in self.found if self.strength[m] <= 6]
        if strong and len(strong) >= len(weak):  # a distributor's short "your parts" sheet does not rule
            for mpn in weak:
                del self.found[mpn]

    def drop_stems(self) -> None:
        """A series or type name ("BC857A") beside its orderable parts from a surer column ("BC857A,215").
        A name that stood in a part-number column or a grid of part numbers itself is orderable too (a
        tube "ISL1208IB8Z" beside its reel "ISL1208IB8Z-T7A"), whatever another sheet says of the longer
        one."""
        names = sorted(self.found)  # every name a stem starts follows it directly in sorted order
        for i, stem in enumerate(names):
            j = i + 1
            while j < len(names) and names[j].startswith(stem):
                if self.strength[names[j]] > self.strength[stem] and self.strength[stem] < GRID:
                    del self.found[stem]
                    break
                j += 1
