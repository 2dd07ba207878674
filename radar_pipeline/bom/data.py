"""The BOM as DataFrames: what the importer produces, the store keeps and the exposure reads."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

#: The five tables of a BOM (``parts.csv`` … or sheets of those names) and their columns.
COLUMNS: dict[str, list[str]] = {
    "parts": ["part_id", "mpn", "manufacturer", "description", "unit_cost"],
    "products": ["product_id", "name", "unit_price", "end_of_life", "owner"],
    "bom": ["parent_id", "child_id", "qty_per"],
    "demand": ["product_id", "month", "quantity"],
    "inventory": ["part_id", "on_hand"],
}
#: Columns a file may omit (``owner`` routes notifications to a product's owner).
OPTIONAL_COLUMNS = {"owner", "description", "manufacturer", "name"}
#: A part's further approved MPNs (its approved manufacturer list after the first row), in order.
ALTERNATE_COLUMNS = ["part_id", "mpn", "manufacturer"]


def _no_alternates() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in ALTERNATE_COLUMNS})


def approved_mpns(parts: pd.DataFrame, alternates: pd.DataFrame) -> pd.DataFrame:
    """Every approved MPN of every part (``part_id, mpn, manufacturer``), each part's first MPN
    before its alternates: what a notice's parts are matched against."""
    cols = ALTERNATE_COLUMNS
    if alternates.empty:
        return parts[cols]
    return pd.concat([parts[cols], alternates[cols]], ignore_index=True)


@dataclass
class BomData:
    """``end_of_life`` holds ``datetime.date`` or ``None``; months are ``YYYY-MM`` text.

    ``parts`` has one row per part: its first approved MPN, its cost. ``alternates`` holds the
    part's other approved MPNs (CONTRACT §5: a ``part_id`` on several rows of ``parts.csv``).
    """

    parts: pd.DataFrame
    products: pd.DataFrame
    bom: pd.DataFrame
    demand: pd.DataFrame
    inventory: pd.DataFrame
    alternates: pd.DataFrame = field(default_factory=_no_alternates)

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in [*COLUMNS, "alternates"]}

    def approved_mpns(self) -> pd.DataFrame:
        return approved_mpns(self.parts, self.alternates)

    @classmethod
    def empty(cls) -> BomData:
        return cls(**{name: pd.DataFrame({c: [] for c in cols}) for name, cols in COLUMNS.items()})
