"""The BOM as DataFrames: what the importer produces, the store keeps and the exposure reads."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

COLUMNS: dict[str, list[str]] = {
    "parts": ["part_id", "mpn", "manufacturer", "description", "unit_cost"],
    "products": ["product_id", "name", "unit_price", "end_of_life", "owner"],
    "bom": ["parent_id", "child_id", "qty_per"],
    "demand": ["product_id", "month", "quantity"],
    "inventory": ["part_id", "on_hand"],
}
#: Columns a file may omit (``owner`` routes notifications to a product's owner).
OPTIONAL_COLUMNS = {"owner", "description", "manufacturer", "name"}


@dataclass
class BomData:
    """``end_of_life`` holds ``datetime.date`` or ``None``; months are ``YYYY-MM`` text."""

    parts: pd.DataFrame
    products: pd.DataFrame
    bom: pd.DataFrame
    demand: pd.DataFrame
    inventory: pd.DataFrame

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in COLUMNS}

    @classmethod
    def empty(cls) -> BomData:
        return cls(**{name: pd.DataFrame({c: [] for c in cols}) for name, cols in COLUMNS.items()})
