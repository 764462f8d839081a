"""Doubts across rows and files, found once the whole table is read: an indicator twice in one workbook and
year, workbooks that disagree, a unit that changes between years; and the issue log as a table."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ..base import catalog
from ..base.issues import ISSUE_COLUMNS, issue_row
from ..base.text import fold

SHOWN = 5  # rows of a repeated indicator listed in its doubt; more are counted, and logged once (docs/reading.md)


def issue_frame(rows: list[dict]) -> pd.DataFrame:
    """The issue rows as the table written to issues.csv."""
    df = pd.DataFrame(rows, columns=ISSUE_COLUMNS)
    df["row"] = pd.array(df["row"], dtype="Int64")
    return df


def consistency_issues(frame: pd.DataFrame) -> list[dict]:
    """Doubts across rows and files: an indicator twice in one year, a unit that changes between years.

    Both rows are kept (nothing is dropped); the analyst decides which one holds.
    """
    out: list[dict] = []
    if frame.empty:
        return out
    cols = ["district", "year", "unit", "indicator", "source_file", "source_sheet", "source_row", "parent_indicator",
            "plan_text", "actual_value", "plan_value"]
    frame = frame.assign(parent_indicator=frame["parent_indicator"].where(catalog.no_series(frame), ""))  # a group's
    names, parents = frame["indicator"].tolist(), frame["parent_indicator"].tolist()  # child is compared as any row
    folded = {n: fold(n) for n in {*names, *parents}}
    keys = [f"{folded[n]}|{folded[p]}" if n else None for n, p in zip(names, parents, strict=True)]
    areas = [f"{a}|{lv}" for a, lv in zip(frame["area"].tolist(), frame["area_level"].tolist(), strict=True)]
    districts, years, units_ = areas, frame["year"].tolist(), frame["unit"].tolist()  # compared within one area
    # only the rows that can raise a doubt go through the slow part: repeated keys, indicators with several units
    count = Counter(zip(districts, years, units_, keys, strict=True))
    unit_sets: dict[tuple, set] = {}
    for d, u, k in zip(districts, units_, keys, strict=True):
        if k and u:
            unit_sets.setdefault((d, k), set()).add(u)
    pick = [i for i, (d, y, u, k) in enumerate(zip(districts, years, units_, keys, strict=True))
            if k and (count[(d, y, u, k)] > 1 or len(unit_sets.get((d, k), ())) > 1)]
    candidates = frame[cols[1:]].iloc[pick]  # the columns read only: a selection copies each column it holds
    groups: dict[tuple, list[tuple]] = {}
    units: dict[tuple, dict] = {}  # (district, indicator) -> year -> units, and the last row of each unit
    for row in zip([areas[i] for i in pick], *(candidates[c].tolist() for c in cols[1:]), strict=True):
        district, year, unit, name = row[:4]
        if not name:
            continue
        k = f"{folded[name]}|{folded[row[7]]}"
        groups.setdefault((district, year, unit, k), []).append(row)
        if unit:
            units.setdefault((district, k), {}).setdefault(year, {})[unit] = row
    for (_d, year, _u, _k), rows in groups.items():
        if len(rows) >= 2:
            out += _repeats(rows, year)
    for by_year in units.values():
        if len({frozenset(u) for u in by_year.values()}) < 2:
            continue  # one indicator in tấn and in triệu USD every year: two series, not a change
        seen: dict[str, tuple] = {}
        for year in sorted(by_year, key=lambda y: (y is None, y)):
            for unit, row in by_year[year].items():
                seen.setdefault(unit, row)
        seq = " → ".join(f"{u} ({r[1]})" for u, r in seen.items())
        last = list(seen.values())[-1]
        out.append(issue_row(last[4], last[5], last[6], "", last[3], "unit_changes", {"units": seq}))
    return out


def _where(rows: list[tuple]) -> str:
    """The first rows of a group (`file sheet!row`), and `…` when there are more."""
    return "; ".join(f"{r[4]} {r[5]}!{r[6]}" for r in rows[:SHOWN]) + ("; …" if len(rows) > SHOWN else "")


def _repeats(rows: list[tuple], year: object) -> list[dict]:
    """An indicator twice in one workbook (logged in that workbook), and workbooks that disagree about it (logged
    across them); a group of more than SHOWN rows is logged once, with its count and its first rows."""
    out: list[dict] = []
    y = year if isinstance(year, int) else "—"
    files: dict[str, list[tuple]] = {}
    for r in rows:
        files.setdefault(r[4], []).append(r)
    for mine in (m for m in files.values() if len(m) > 1):  # twice in one workbook
        params = {"year": y, "n": len(mine), "rows": _where(mine)}
        out += [issue_row(r[4], r[5], r[6], "", r[3], "duplicate_indicator", params)
                for r in (mine if len(mine) <= SHOWN else mine[:1])]
    plans = {r[8] for r in rows if r[8]}
    plan_values = {round(r[10], 6) for r in rows if r[10] == r[10] and r[10] is not None}
    actuals = {round(r[9], 6) for r in rows if r[9] == r[9] and r[9] is not None}
    if len(files) > 1 and (len(plan_values) > 1 or (len(plans) > 1 and not plan_values) or len(actuals) > 1):
        params = {"year": y, "n": len(rows), "rows": _where(rows), "plans": " / ".join(sorted(plans)[:SHOWN]) or "-",
                  "actuals": [float(a) for a in sorted(actuals)[:SHOWN]]}  # in the reader's number format
        out += [issue_row(r[4], r[5], r[6], "", r[3], "workbooks_disagree", params)
                for r in (rows if len(rows) <= SHOWN else rows[:1])]
    # else `KH năm 2025` in the 2024 report and again in the 2025 report, agreeing: no doubt
    return out
