"""The tidy indicator table's columns (data/columns.csv), checked before anything is written.

Plain pandas checks, driven by the same file that docs/tidy-table.md shows, so the two cannot drift.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import vocab

if TYPE_CHECKING:
    import pandas as pd


class SchemaError(ValueError):
    """The tidy table breaks its definition: a defect in the cleaner, not in the user's workbook."""


def columns() -> list[str]:
    """The tidy table's column names, in order."""
    return [c["column"] for c in vocab.table_columns()]


def allowed(spec: dict[str, str]) -> set[str] | None:
    """The values a column may hold (with "" when it may be empty), or None for any value."""
    if not spec["allowed"]:
        return None
    return set(spec["allowed"].split("|")) | ({""} if spec["empty"] == "yes" else set())


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Coerce each column to its type and check its values; raises SchemaError naming the column."""
    import pandas as pd

    specs = vocab.table_columns()
    names = [s["column"] for s in specs]
    if list(df.columns) != names:
        raise SchemaError(f"the tidy table has the columns {list(df.columns)}, not {names} (data/columns.csv)")
    problems = []
    for s in specs:
        c, kind = s["column"], s["type"]
        if kind == "text":
            df[c] = df[c].fillna("").astype(str)
        elif kind == "number":
            df[c] = pd.to_numeric(df[c], errors="raise").astype("float64")
        elif kind == "integer":
            df[c] = df[c].astype("Int64")
        else:
            df[c] = df[c].astype(bool)
        ok = allowed(s)
        if ok is not None and (bad := set(df[c].unique()) - ok):
            problems.append(f"{c} has values {sorted(bad)}")
        n_empty = int((df[c] == "").sum()) if kind == "text" else int(df[c].isna().sum())
        if s["empty"] == "no" and n_empty:
            problems.append(f"{c} is empty in {n_empty} rows")
    if df["indicator"].str.contains(r"[\n\r\t]|  ", regex=True).any():
        problems.append("indicator has line breaks or double spaces")
    years = df["year"].dropna()
    if len(years) and not years.between(1975, 2200).all():
        problems.append("year outside 1975-2200")
    if (df["source_row"].dropna() < 1).any():
        problems.append("source_row below 1")
    if (df["plan_value_high"].notna() & (df["plan_op"] != "range")).any():
        problems.append("plan_value_high set for a plan that is not a range")
    if problems:
        raise SchemaError("the tidy table breaks its definition (data/columns.csv): " + "; ".join(problems)
                          + ". This is a defect in the cleaner; please report it with the workbook")
    return df


def markdown_table() -> str:
    """The column definitions as the Markdown table of docs/tidy-table.md."""
    lines = ["| column | type | allowed values | may be empty | meaning |", "|---|---|---|---|---|"]
    for s in vocab.table_columns():
        vals = ", ".join(f"`{v}`" for v in s["allowed"].split("|")) if s["allowed"] else "any"
        lines.append(f"| `{s['column']}` | {s['type']} | {vals} | {s['empty']} | {s['meaning']} |")
    return "\n".join(lines)
