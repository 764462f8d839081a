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
    key = frame["indicator"].map(fold) + "|" + frame["parent_indicator"].map(fold)
    keyed = frame.assign(_k=key)
    dup = keyed[frame["indicator"].ne("") & keyed.duplicated(["district", "year", "_k", "unit"], keep=False)]
    for (_d, year, _k, _u), g in dup.groupby(["district", "year", "_k", "unit"], dropna=False):
        where = "; ".join(f"{r.source_file} {r.source_sheet}!{r.source_row}" for r in g.itertuples())
        for r in g.itertuples():
            out.append(issue_row(r.source_file, r.source_sheet, r.source_row, "", r.indicator,
                                 f"duplicate indicator in {year}", f"all {len(g)} rows kept ({where}); keep one in the workbook"))
    with_unit = frame[frame["unit"].ne("")].assign(_k=key)
    units_by_year = with_unit.groupby(["district", "_k", "year"])["unit"].agg(frozenset)
    changing = units_by_year.groupby(level=[0, 1]).nunique()  # one indicator in tấn and triệu USD: not a change
    with_unit = with_unit[with_unit.set_index(["district", "_k"]).index.isin(changing[changing > 1].index)]
    for (_d, _k), g in with_unit.groupby(["district", "_k"]):
        by_year = g.sort_values("year").drop_duplicates("unit")
        seq = " → ".join(f"{r.unit} ({r.year})" for r in by_year.itertuples())
        last = by_year.iloc[-1]
        out.append(issue_row(last.source_file, last.source_sheet, last.source_row, "", last.indicator,
                             f"unit changes between years: {seq}", "values kept as written; compare the years with care"))
    return out
