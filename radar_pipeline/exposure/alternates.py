"""Approved alternates (CONTRACT §6): a discontinued MPN is no line-down risk while another approved
MPN of the same part is still sold.

For each (notice N, part p) line of a discontinuance notice:

    M(p)     = p's approved MPNs, in the order the BOM gives them (its ``parts.csv`` rows)
    H(N, p)  = the MPNs of M(p) that N's line names (its exact key; a family line: family key or pattern)
    D        = the exact keys of the MPNs named by every listed discontinuance notice
    L(m)     = the earliest last-time buy among the listed discontinuance notices naming m exactly

    covered_by_alternate(N, p) = the first m in M(p) \\ H(N, p) whose key is not in D, else none
    L(N, p)  = min(L_N, min over m in M(p) \\ H(N, p) of L(m))          when not covered

A covered line is listed with its where-used and counts nowhere; an uncovered one (every approved
MPN discontinued) counts at L(N, p): the earliest of its MPNs' last-time buys. A part with a single
MPN has M(p) \\ H(N, p) empty, so L(N, p) = L_N, as before alternates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from radar_pipeline.bom.data import BomData
from radar_pipeline.bom.matching import reaches
from radar_pipeline.bom.mpn import normalize_mpn

DISCONTINUED_COLUMNS = ["mpn", "last_time_buy_date"]


def listed_discontinued(notices: pd.DataFrame, notice_parts: pd.DataFrame) -> pd.DataFrame:
    """``mpn, last_time_buy_date`` of every part the discontinuance notices among ``notices`` name."""
    disc = notices.loc[notices["notice_type"] == "discontinuance", ["notice_id", "last_time_buy_date"]]
    named = notice_parts[["notice_id", "mpn"]].merge(disc, on="notice_id")
    return named[DISCONTINUED_COLUMNS].reset_index(drop=True)


def _earliest_by_key(discontinued: pd.DataFrame) -> dict[str, date | None]:
    """Exact key -> the earliest L of the discontinuance notices naming it (``None``: none states one)."""
    out: dict[str, date | None] = {}
    for mpn, ltb in zip(discontinued["mpn"], discontinued["last_time_buy_date"].map(_date), strict=True):
        key = normalize_mpn(mpn)
        if key not in out or (ltb is not None and (out[key] is None or ltb < out[key])):
            out[key] = ltb
    return out


def _date(value) -> date | None:
    return value if isinstance(value, date) else None


def alternate_cover(
    matches: pd.DataFrame, notices: pd.DataFrame, bom: BomData, discontinued: Callable[[], pd.DataFrame]
) -> pd.DataFrame:
    """``matches`` with ``covered_by_alternate`` (the covering MPN or ``None``) and ``ltb`` (the date
    the line counts at: L(N, p) above, the notice's own L for a part with one MPN) added.

    ``discontinued()`` gives ``listed_discontinued`` of every listed notice; it is asked only when a
    discontinued part has alternates (a day's run need not read every stored notice otherwise)."""
    notice = notices.set_index("notice_id")
    out = matches.assign(
        ltb=matches["notice_id"].map(notice["last_time_buy_date"].map(_date)).astype(object),
        covered_by_alternate=pd.Series([None] * len(matches), index=matches.index, dtype=object),
    )
    alternated = set(bom.alternates["part_id"]) & set(matches["part_id"])
    kind = out["notice_id"].map(notice["notice_type"])
    candidates = out["part_id"].isin(alternated) & kind.eq("discontinuance")
    if not candidates.any():  # the usual case: no discontinued part has an alternate
        return out
    approved = bom.approved_mpns()
    several = approved[approved["part_id"].isin(alternated)].groupby("part_id", sort=False)["mpn"].agg(list)
    earliest = _earliest_by_key(discontinued())
    for i, mpn, part_id, match_type, own in out.loc[
        candidates, ["mpn", "part_id", "match_type", "ltb"]
    ].itertuples():
        others = [m for m in several[part_id] if not reaches(mpn, m, match_type)]
        active = [m for m in others if normalize_mpn(m) not in earliest]
        if active:
            out.at[i, "covered_by_alternate"] = active[0]
            out.at[i, "ltb"] = None
        elif isinstance(own, date):
            dates = [earliest[normalize_mpn(m)] for m in others]
            out.at[i, "ltb"] = min([own, *(d for d in dates if d is not None)])
    return out
