"""The BOM tables: replaced as a whole, atomically, by each import; read back as DataFrames."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from radar_pipeline.bom.data import COLUMNS, BomData
from radar_pipeline.bom.importer import ReadResult
from radar_pipeline.db import schema
from radar_pipeline.db.values import as_date, frame_of

TABLES = {
    "parts": schema.parts,
    "products": schema.products,
    "bom": schema.bom_lines,
    "demand": schema.demand,
    "inventory": schema.inventory,
}
CHUNK = 20_000
Progress = Callable[[str, int, int], None]


def _records(frame: pd.DataFrame, name: str) -> list[dict]:
    """Plain Python rows; empty optional text becomes NULL (never the string "NaN")."""
    records = frame[COLUMNS[name]].to_dict("records")
    optional = [c for c in ("manufacturer", "description", "name", "owner") if c in COLUMNS[name]]
    for row in records:  # on the plain dicts: pandas 3 would turn None back into NaN in a str column
        for col in optional:
            if not isinstance(row[col], str) or row[col] == "":
                row[col] = None
    return records


def replace_bom(engine: Engine, result: ReadResult, progress: Progress | None = None) -> int:
    """Swap in a validated BOM in one transaction; returns the new BOM version id."""
    data = result.data
    with engine.begin() as conn:
        for table in TABLES.values():
            conn.execute(delete(table))
        for name, table in TABLES.items():
            rows = _records(getattr(data, name), name)
            for start in range(0, len(rows), CHUNK):
                conn.execute(insert(table), rows[start : start + CHUNK])
                if progress:
                    progress(name, min(start + CHUNK, len(rows)), len(rows))
        version = conn.execute(
            insert(schema.bom_versions)
            .values(
                imported_at=datetime.now(UTC),
                content_sha256=result.content_sha256,
                source=result.source,
                counts=data.counts(),
            )
            .returning(schema.bom_versions.c.id)
        ).scalar_one()
    return int(version)


def load_bom(engine: Engine) -> BomData:
    """The current BOM (empty frames when none was imported)."""
    frames = {}
    with engine.connect() as conn:
        for name, table in TABLES.items():
            cols = [table.c[c] for c in COLUMNS[name]]
            frames[name] = frame_of(conn.execute(select(*cols)), COLUMNS[name])
    products = frames["products"]
    products["end_of_life"] = products["end_of_life"].map(as_date).astype(object)
    return BomData(**frames)


def current_version(engine: Engine) -> dict | None:
    v = schema.bom_versions.c
    with engine.connect() as conn:
        row = conn.execute(select(schema.bom_versions).order_by(v.id.desc()).limit(1)).first()
    return dict(row._mapping) if row else None


def product_owners(engine: Engine) -> dict[str, str]:
    """Product id -> owner e-mail, for products that name one."""
    p = schema.products.c
    with engine.connect() as conn:
        return {
            r.product_id: r.owner
            for r in conn.execute(select(p.product_id, p.owner).where(p.owner.is_not(None)))
        }
