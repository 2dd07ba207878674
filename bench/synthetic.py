"""Synthetic companies and notices for the benchmarks (deterministic, seeded)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from radar_pipeline.bom.data import BomData
from radar_pipeline.exposure.model import NOTICE_COLUMNS


def company(
    bom_lines: int,
    products: int = 1000,
    parts: int = 100_000,
    assemblies: int = 5000,
    months: int = 37,
    seed: int = 7,
) -> BomData:
    """A multi-level BOM of about ``bom_lines`` lines with shared sub-assemblies."""
    rng = np.random.default_rng(seed)
    part_ids = np.array([f"PT{i:06d}" for i in range(parts)], dtype=object)
    product_ids = np.array([f"PR{i:05d}" for i in range(products)], dtype=object)
    asm_ids = np.array([f"AS{i:05d}" for i in range(assemblies)], dtype=object)
    top, sub = asm_ids[: assemblies // 5], asm_ids[assemblies // 5 :]
    lines = [
        # each product: 5 top assemblies and 20 direct parts
        pd.DataFrame({"parent_id": np.repeat(product_ids, 5), "child_id": rng.choice(top, products * 5)}),
        pd.DataFrame(
            {"parent_id": np.repeat(product_ids, 20), "child_id": rng.choice(part_ids, products * 20)}
        ),
        # each top assembly: 4 shared sub-assemblies
        pd.DataFrame({"parent_id": np.repeat(top, 4), "child_id": rng.choice(sub, len(top) * 4)}),
    ]
    rest = bom_lines - sum(len(x) for x in lines)
    lines.append(
        pd.DataFrame({"parent_id": rng.choice(asm_ids, rest), "child_id": rng.choice(part_ids, rest)})
    )
    bom = pd.concat(lines, ignore_index=True).drop_duplicates(["parent_id", "child_id"])
    bom["qty_per"] = rng.integers(1, 5, len(bom)).astype(float)
    month_list = pd.period_range("2027-01", periods=months, freq="M").strftime("%Y-%m")
    demand = pd.DataFrame(
        {
            "product_id": np.repeat(product_ids, months),
            "month": np.tile(np.asarray(month_list), products),
            "quantity": rng.integers(0, 500, products * months).astype(float),
        }
    )
    return BomData(
        parts=pd.DataFrame(
            {
                "part_id": part_ids,
                "mpn": [f"MPN-{i:06d}/NOPB" for i in range(parts)],
                "manufacturer": "Texas Instruments",
                "description": "",
                "unit_cost": rng.uniform(0.05, 40, parts).round(4),
            }
        ),
        products=pd.DataFrame(
            {
                "product_id": product_ids,
                "name": "",
                "unit_price": rng.uniform(50, 5000, products).round(2),
                "end_of_life": [date(2029, 6, 30) if i % 3 == 0 else None for i in range(products)],
                "owner": None,
            }
        ),
        bom=bom.reset_index(drop=True),
        demand=demand,
        inventory=pd.DataFrame(
            {"part_id": part_ids[::3], "on_hand": rng.integers(0, 5000, len(part_ids[::3])).astype(float)}
        ),
    )


def notices(
    count: int, parts_per_notice: int, part_pool: int = 100_000, seed: int = 11
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Discontinuance notices naming ``count * parts_per_notice`` distinct MPNs."""
    rng = np.random.default_rng(seed)
    chosen = rng.choice(part_pool, count * parts_per_notice, replace=False)
    frame = pd.DataFrame(
        [
            {c: None for c in NOTICE_COLUMNS}
            | {
                "notice_id": i + 1,
                "notice_number": f"PDN{i:05d}",
                "manufacturer": "Texas Instruments",
                "notice_type": "discontinuance",
                "last_time_buy_date": date(2027, 1 + i % 12, 15),
                "source_event_id": i + 1,
                "extractor": "provider",
                "confidence": 1.0,
            }
            for i in range(count)
        ],
        columns=NOTICE_COLUMNS,
    )
    parts = pd.DataFrame(
        {
            "notice_id": np.repeat(np.arange(1, count + 1), parts_per_notice),
            "mpn": [f"MPN-{i:06d}/NOPB" for i in chosen],
            "replacement_mpn": None,
        }
    )
    return frame, parts
