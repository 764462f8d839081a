"""Communes side by side (from 2025): each one's attainment of its own plan, counted as for the district, and ranked."""

from __future__ import annotations

import pandas as pd

from ..base.rule import Rule
from ..base.vocab import STATUSES
from .attainment import attainment_table, primary_rows, reclassify, summary

RANK_COLUMNS = ["rank", "area", "district", "indicators", "workbooks", *STATUSES, "evaluated", "met_share_pct",
                "median_ratio_pct"]


def area_counts(rows: pd.DataFrame, year: int, rule: Rule = Rule()) -> pd.DataFrame:
    """An area's counts of `year` by status (status, computed, reported), judged as the district's are."""
    y = rows[rows["year"] == year]
    if y.empty:
        return pd.DataFrame({"status": list(STATUSES), "computed": 0, "reported": 0})
    return summary(reclassify(y, rule))[["status", "computed", "reported"]].reset_index(drop=True)


def ranking(commune_rows: pd.DataFrame, year: int, rule: Rule = Rule()) -> pd.DataFrame:
    """One row per commune with figures of `year`: its counts by status, the share of its evaluated indicators that
    met or exceeded the plan, and the median actual/plan ratio; ranked by that share, then by the ratio.

    Each commune is judged against its own plan, so the ranking compares how far each reached its targets, not
    the size of its figures (a large commune does not outrank a small one by producing more). `workbooks` > 1: the
    commune's figures of the year came from several workbooks (a doubt the comparison shows)."""
    y = commune_rows[commune_rows["year"] == year]
    rows = []
    for area, part in y.groupby("area", sort=True):
        judged = primary_rows(reclassify(part, rule))
        counts = {s: int((judged["status"] == s).sum()) for s in STATUSES}
        evaluated = counts["exceeded"] + counts["met"] + counts["not_met"]
        usable = attainment_table(judged)["ratio"].dropna()  # plan/actual where lower is better, as in the report
        rows.append({"area": area, "district": _first(part.get("district")), "indicators": len(judged),
                     "workbooks": part["source_file"].nunique(), **counts,
                     "evaluated": evaluated,
                     "met_share_pct": (100 * (counts["exceeded"] + counts["met"]) / evaluated if evaluated
                                       else float("nan")),
                     "median_ratio_pct": 100 * float(usable.median()) if len(usable) else float("nan")})
    out = pd.DataFrame(rows, columns=RANK_COLUMNS[1:])
    if out.empty:
        return pd.DataFrame(columns=RANK_COLUMNS)
    out = out.sort_values(["met_share_pct", "median_ratio_pct", "area"], ascending=[False, False, True],
                          na_position="last").reset_index(drop=True)
    keys = list(zip(out["met_share_pct"].fillna(-1), out["median_ratio_pct"].fillna(-1), strict=True))
    out.insert(0, "rank", [1 + keys.index(k) for k in keys])  # equal figures share a rank (1, 2, 2, 4)
    return out


def _first(values: pd.Series | None) -> str:
    if values is None:
        return ""
    v = values.dropna().astype(str)
    v = v[v != ""]
    return v.iloc[0] if len(v) else ""
