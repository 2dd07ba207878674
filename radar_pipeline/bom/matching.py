"""Matching the parts a notice names against the BOM's parts (CONTRACT §6)."""

from __future__ import annotations

import re

import pandas as pd

from radar_pipeline.bom.mpn import family_mpn, normalize_mpn

WILDCARDS = "*%?"


def is_pattern(mpn: str) -> bool:
    """A notice's wildcard pattern or series ("PC20WR4*", "CP210?", "DECFA-08GD08S%AQB%"), not one part."""
    return any(c in mpn for c in WILDCARDS)


def pattern_regex(mpn: str) -> re.Pattern:
    """A wildcard pattern as a regex on exact keys: ``*``/``%`` any run of characters, ``?`` one."""
    core = normalize_mpn(mpn.replace("*", "\x00").replace("%", "\x00").replace("?", "\x01"))
    return re.compile(re.escape(core).replace("\x00", ".*").replace("\x01", "."))


def reaches(notice_mpn: str, bom_mpn: str, match_type: str) -> bool:
    """Whether a notice's MPN names a BOM MPN the way ``match_type`` says: ``exact`` by its exact
    key; ``family`` by its family key or as a wildcard pattern."""
    if match_type == "exact":
        return normalize_mpn(notice_mpn) == normalize_mpn(bom_mpn)
    if is_pattern(notice_mpn):
        return bool(pattern_regex(notice_mpn).fullmatch(normalize_mpn(bom_mpn)))
    return family_mpn(notice_mpn) == family_mpn(bom_mpn)


def _pattern_matches(patterns: pd.DataFrame, bom: pd.DataFrame) -> pd.DataFrame:
    """BOM parts a pattern covers; always a family match."""
    rows = []
    keys = bom[["part_id", "key"]].drop_duplicates()
    for notice_id, mpn, replacement in patterns[["notice_id", "mpn", "replacement_mpn"]].itertuples(
        index=False
    ):
        regex = pattern_regex(mpn)
        for part_id in keys.loc[keys["key"].map(lambda k, rx=regex: bool(rx.fullmatch(k))), "part_id"]:
            rows.append((notice_id, mpn, replacement, part_id, "family"))
    cols = ["notice_id", "mpn", "replacement_mpn", "part_id", "match_type"]
    return (
        pd.DataFrame(rows, columns=cols)
        if rows
        else pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    )


def match_parts(notice_parts: pd.DataFrame, bom_parts: pd.DataFrame) -> pd.DataFrame:
    """Rows ``(notice_id, mpn, replacement_mpn, part_id, match_type)``, one per (notice, part).

    ``bom_parts`` holds ``part_id, mpn`` rows: every approved MPN of a part (``BomData.approved_mpns``),
    so a notice finds a part through any of them. ``exact``: equal normalized MPN. ``family``: a BOM part whose family key equals
    the notice part's, which no MPN of the same notice matches exactly — listed for
    review, never counted.
    """
    cols = ["notice_id", "mpn", "replacement_mpn", "part_id", "match_type"]
    if notice_parts.empty or bom_parts.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    bom = bom_parts[["part_id", "mpn"]].rename(columns={"mpn": "bom_mpn"})
    bom_keys = pd.Series(bom["bom_mpn"].unique())
    key_of = dict(zip(bom_keys, bom_keys.map(normalize_mpn), strict=True))
    fam_of = {k: family_mpn(k) for k in set(key_of.values())}
    bom = bom.assign(key=bom["bom_mpn"].map(key_of))
    bom = bom.assign(family=bom["key"].map(fam_of))

    notice = notice_parts[["notice_id", "mpn", "replacement_mpn"]].copy()
    wild = notice["mpn"].map(is_pattern).astype(bool)
    by_pattern = _pattern_matches(notice[wild], bom)
    notice = notice[~wild]
    notice["key"] = notice["mpn"].map(normalize_mpn)
    notice["family"] = notice["key"].map(family_mpn)

    exact = notice.merge(bom[["part_id", "key"]], on="key").assign(match_type="exact")
    family = notice.merge(bom[["part_id", "key", "family"]].rename(columns={"key": "bom_key"}), on="family")
    family = family[family["key"] != family["bom_key"]]
    taken = exact[["notice_id", "part_id"]].drop_duplicates()
    family = family.merge(taken, on=["notice_id", "part_id"], how="left", indicator=True)
    family = family[family["_merge"] == "left_only"].drop_duplicates(["notice_id", "part_id"])
    family = family.assign(match_type="family")
    by_pattern = by_pattern.merge(taken, on=["notice_id", "part_id"], how="left", indicator=True)
    by_pattern = by_pattern[by_pattern["_merge"] == "left_only"]
    out = pd.concat([exact[cols], family[cols], by_pattern[cols]], ignore_index=True)
    return out.drop_duplicates(["notice_id", "part_id"], keep="first").reset_index(drop=True)
