"""The issue log: every repair and every doubt, one row each (file, sheet, row, column, value, problem, action)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .text import fold

ISSUE_COLUMNS = ["file", "sheet", "row", "column", "value", "problem", "action"]


def issue_row(file: str, sheet: str, row: int | None, column: str, value: object, problem: str, action: str) -> dict:
    """One row of issues.csv: where (file, sheet, Excel row, column letter), what was seen, what was done."""
    return {"file": file, "sheet": sheet, "row": row, "column": column,
            "value": "" if value is None else str(value), "problem": problem, "action": action}


@dataclass
class Log:
    """Issue rows of one file."""

    file: str
    rows: list[dict] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, column: str, value: object, problem: str, action: str) -> None:
        self.rows.append(issue_row(self.file, sheet, row, column, value, problem, action))


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
    folded = {n: fold(n) for n in set(frame["indicator"]) | set(frame["parent_indicator"])}
    cols = ["district", "year", "unit", "indicator", "source_file", "source_sheet", "source_row", "parent_indicator",
            "plan_text", "actual_value"]
    groups: dict[tuple, list[tuple]] = {}
    units: dict[tuple, dict] = {}  # (district, indicator) -> year -> units, and the last row of each unit
    for row in zip(*(frame[c].tolist() for c in cols), strict=True):
        district, year, unit, name = row[:4]
        if not name:
            continue
        k = f"{folded[name]}|{folded[row[7]]}"
        groups.setdefault((district, year, unit, k), []).append(row)
        if unit:
            units.setdefault((district, k), {}).setdefault(year, {})[unit] = row
    for (_d, year, _u, _k), rows in groups.items():
        if len(rows) < 2:
            continue
        where = "; ".join(f"{r[4]} {r[5]}!{r[6]}" for r in rows)
        actuals = {round(r[9], 6) for r in rows if r[9] == r[9] and r[9] is not None}
        if sum(bool(r[8]) for r in rows) <= 1 and len(actuals) <= 1:
            continue  # `Thực hiện năm trước` in next year's report, agreeing with this year's own: no doubt
        problem = (f"duplicate indicator in {year}" if sum(bool(r[8]) for r in rows) > 1 else
                   f"the actual of {year} differs between workbooks ({', '.join(f'{a:g}' for a in sorted(actuals))})")
        for r in rows:
            out.append(issue_row(r[4], r[5], r[6], "", r[3], problem,
                                 f"all {len(rows)} rows kept ({where}); keep one in the workbook"))
    for by_year in units.values():
        if len({frozenset(u) for u in by_year.values()}) < 2:
            continue  # one indicator in tấn and in triệu USD every year: two series, not a change
        seen: dict[str, tuple] = {}
        for year in sorted(by_year, key=lambda y: (y is None, y)):
            for unit, row in by_year[year].items():
                seen.setdefault(unit, row)
        seq = " → ".join(f"{u} ({r[1]})" for u, r in seen.items())
        last = list(seen.values())[-1]
        out.append(issue_row(last[4], last[5], last[6], "", last[3], f"unit changes between years: {seq}",
                             "values kept as written; compare the years with care"))
    return out
