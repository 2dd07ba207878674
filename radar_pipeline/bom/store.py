"""The BOM tables: replaced as a whole, atomically, by each import; read back as DataFrames."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from radar_pipeline.bom.data import ALTERNATE_COLUMNS, COLUMNS, BomData, approved_mpns
from radar_pipeline.bom.importer import ReadResult
from radar_pipeline.db import schema
from radar_pipeline.db.values import as_date, frame_of

TABLES = {
    "parts": schema.parts,
    "products": schema.products,
    "bom": schema.bom_lines,
    "demand": schema.demand,
    "inventory": schema.inventory,
    "alternates": schema.part_alternates,
}
COLUMNS_OF = COLUMNS | {"alternates": ALTERNATE_COLUMNS}
CHUNK = 20_000
Progress = Callable[[str, int, int], None]


def _records(frame: pd.DataFrame, name: str) -> list[dict]:
    """Plain Python rows; empty optional text becomes NULL (never the string "NaN")."""
    records = frame[COLUMNS_OF[name]].to_dict("records")
    optional = [c for c in ("manufacturer", "description", "name", "owner") if c in COLUMNS_OF[name]]
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
            q = select(*[table.c[c] for c in COLUMNS_OF[name]])
            if name == "alternates":
                q = q.order_by(table.c.id)  # a part's approved MPNs in the order they were given
            frames[name] = frame_of(conn.execute(q), COLUMNS_OF[name])
    products = frames["products"]
    products["end_of_life"] = products["end_of_life"].map(as_date).astype(object)
    return BomData(**frames)


def _frame(conn, name: str, where=None, chunks: Sequence[Sequence] = ([],)) -> pd.DataFrame:
    """Rows of one BOM table, optionally ``where(chunk)`` for each chunk of keys."""
    table = TABLES[name]
    q = select(*[table.c[c] for c in COLUMNS_OF[name]])
    if name == "alternates":
        q = q.order_by(table.c.id)
    parts = [
        frame_of(conn.execute(q if where is None else q.where(where(c))), COLUMNS_OF[name]) for c in chunks
    ]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _chunks(keys: Iterable[str], size: int = 5_000) -> list[list[str]]:
    keys = sorted(set(keys))
    return [keys[i : i + size] for i in range(0, len(keys), size)] or [[]]


def load_approved_mpns(engine: Engine) -> pd.DataFrame:
    """Every approved MPN of the BOM's parts (``BomData.approved_mpns``): what matching a notice's
    parts needs."""
    with engine.connect() as conn:
        return approved_mpns(_frame(conn, "parts"), _frame(conn, "alternates"))


def load_bom_above(engine: Engine, part_ids: Iterable[str]) -> BomData:
    """The slice of the BOM that the exposure of ``part_ids`` needs: every BOM line on a path from
    them up to a product, those products with their demand, and the parts' costs, stock and
    approved alternates.

    The walk goes up one level per query, so a day's exposure reads what its parts touch, not the
    whole BOM; where-used over this slice equals where-used over the whole BOM.
    """
    part_ids = set(part_ids)
    lines, seen, frontier = [], set(part_ids), set(part_ids)
    b = schema.bom_lines.c
    with engine.connect() as conn:
        while frontier:
            step = _frame(conn, "bom", lambda c: b.child_id.in_(c), _chunks(frontier))
            lines.append(step)
            frontier = set(step["parent_id"]) - seen
            seen |= frontier
        p, pr, d, inv = schema.parts.c, schema.products.c, schema.demand.c, schema.inventory.c
        alt = schema.part_alternates.c
        frames = {
            "bom": pd.concat(lines, ignore_index=True)
            if lines
            else _frame(conn, "bom", lambda c: b.child_id.in_(c)),
            "parts": _frame(conn, "parts", lambda c: p.part_id.in_(c), _chunks(part_ids)),
            "products": _frame(conn, "products", lambda c: pr.product_id.in_(c), _chunks(seen)),
            "demand": _frame(conn, "demand", lambda c: d.product_id.in_(c), _chunks(seen)),
            "inventory": _frame(conn, "inventory", lambda c: inv.part_id.in_(c), _chunks(part_ids)),
            "alternates": _frame(conn, "alternates", lambda c: alt.part_id.in_(c), _chunks(part_ids)),
        }
    frames["products"]["end_of_life"] = frames["products"]["end_of_life"].map(as_date).astype(object)
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


def demand_of(engine: Engine, product_ids: Iterable[str]) -> pd.DataFrame:
    """The forecast of ``product_ids`` alone."""
    d = schema.demand.c
    with engine.connect() as conn:
        return _frame(conn, "demand", lambda c: d.product_id.in_(c), _chunks(product_ids))
