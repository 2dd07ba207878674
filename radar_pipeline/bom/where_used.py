"""Where-used: the extended quantity of a part in each product, over every BOM path.

``extended_qty(product, part)`` is the sum over every path from the product down
to the part of the product of ``qty_per`` along it (CONTRACT §6). The walk goes
*up* from the parts of interest, one BOM level per step, as vectorized joins;
summing per (part, node) at each step is exact because a sum of path products
distributes over the shared upper part of the paths.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "part_id": pd.Series([], dtype=object),
            "product_id": pd.Series([], dtype=object),
            "extended_qty": pd.Series([], dtype=float),
        }
    )


class BomGraph:
    """The BOM as integer-coded edges, built once and asked many times (a backfill asks per day)."""

    def __init__(self, bom: pd.DataFrame, product_ids: Iterable[str]) -> None:
        # Integer codes make the joins cheap on million-line BOMs.
        self.nodes = pd.Index(pd.unique(pd.concat([bom["parent_id"], bom["child_id"]], ignore_index=True)))
        self.edges = pd.DataFrame(
            {
                "child": self.nodes.get_indexer(bom["child_id"]),
                "parent": self.nodes.get_indexer(bom["parent_id"]),
                "qty_per": bom["qty_per"].astype(float).to_numpy(),
            }
        )
        self.is_product = self.nodes.isin(pd.Index(list(product_ids)))

    def where_used(self, part_ids: Iterable[str]) -> pd.DataFrame:
        """Rows ``(part_id, product_id, extended_qty)`` for every product that uses each part."""
        parts = pd.Index(pd.unique(pd.Series(list(part_ids), dtype=object)))
        codes = self.nodes.get_indexer(parts)
        codes = codes[codes >= 0]  # parts in no BOM line are used nowhere
        if len(codes) == 0 or self.edges.empty:
            return _empty()
        frontier = pd.DataFrame({"part": codes, "node": codes, "qty": 1.0})
        found = []
        for _ in range(len(self.nodes) + 1):  # a validated BOM has no cycle, so depth < number of nodes
            step = frontier.merge(self.edges, left_on="node", right_on="child", how="inner")
            if step.empty:
                break
            frontier = (
                pd.DataFrame(
                    {"part": step["part"], "node": step["parent"], "qty": step["qty"] * step["qty_per"]}
                )
                .groupby(["part", "node"], as_index=False, sort=False)["qty"]
                .sum()
            )
            found.append(frontier[self.is_product[frontier["node"].to_numpy()]])
        else:
            raise ValueError("the BOM has a cycle; where-used cannot be computed")
        if not found:
            return _empty()
        hits = (
            pd.concat(found, ignore_index=True)
            .groupby(["part", "node"], as_index=False, sort=True)["qty"]
            .sum()
        )
        return pd.DataFrame(
            {
                "part_id": self.nodes[hits["part"].to_numpy()].to_numpy(dtype=object),
                "product_id": self.nodes[hits["node"].to_numpy()].to_numpy(dtype=object),
                "extended_qty": hits["qty"].to_numpy(dtype=float),
            }
        )


def where_used(bom: pd.DataFrame, part_ids: Iterable[str], product_ids: Iterable[str]) -> pd.DataFrame:
    """Rows ``(part_id, product_id, extended_qty)`` for every product that uses each part."""
    return BomGraph(bom, product_ids).where_used(part_ids)
