"""The tidy indicator table, declared once: chodon_analysis/data/columns.csv names each column, in order, with its
type, allowed values, whether it may be empty and its meaning (docs/tidy-table.md).

Everything else is derived from that file: the row a reading process builds, the frame's types, the checks made
before the table is written, and the column table of docs/tidy-table.md. Adding a column is a line there (and the
code that fills it). An edited copy of the vocabulary (CHODON_VOCABULARY) may explain the columns, not change them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import VOCABULARY_DIR, vocabulary_dir
from .vocab import VocabularyError, read_rows

if TYPE_CHECKING:
    import pandas as pd

FILE = "columns.csv"
FIELDS = ("column", "type", "allowed", "empty", "meaning")
TYPES = ("text", "integer", "number", "boolean")
# computed with the rows for the attainment rule (base/rule.py, `classify`), never written
HELPERS = {"plan_decimals": "integer", "phrase_direction": "text"}
Spec = dict[str, str]


class SchemaError(ValueError):
    """The tidy table breaks its definition: a defect in the cleaner, not in the user's workbook."""


def _read(folder: Path) -> list[tuple[int, Spec]]:
    """(line, column spec) of the columns.csv in `folder`; a column named twice is refused."""
    rows = read_rows(FILE, FIELDS, {"type": TYPES, "empty": ("yes", "no")}, optional=("allowed",), folder=folder)
    seen: dict[str, int] = {}
    for line, r in rows:
        if (first := seen.setdefault(r["column"], line)) != line:
            raise VocabularyError(folder / FILE, line, f"the column '{r['column']}' is already on line {first}; "
                                                       "keep one of the two")
    return rows


@cache
def declared() -> tuple[Spec, ...]:
    """The declaration: the package's own columns.csv, whatever CHODON_VOCABULARY says (the code builds these)."""
    return tuple(r for _, r in _read(VOCABULARY_DIR))


@cache
def types() -> dict[str, str]:
    """Column -> type (`text`, `integer`, `number`, `boolean`), in the declared order."""
    return {s["column"]: s["type"] for s in declared()}


@cache
def row_columns() -> tuple[str, ...]:
    """The values a reading process gives for each row, in this order: the table's columns, then the HELPERS."""
    return (*types(), *HELPERS)


@cache
def table_columns() -> tuple[Spec, ...]:
    """columns.csv of the vocabulary folder, checked with the other files: it may explain the declared columns
    (meaning, allowed values, whether empty, order), not add, drop or retype one."""
    folder = vocabulary_dir()
    rows = _read(folder)
    path, kinds = folder / FILE, types()
    for line, r in rows:
        if r["column"] not in kinds:
            raise VocabularyError(path, line, f"the cleaner makes no column '{r['column']}'; the columns are "
                                              f"{', '.join(kinds)}")
        if r["type"] != kinds[r["column"]]:
            raise VocabularyError(path, line, f"'{r['column']}' is {kinds[r['column']]} in the cleaner, "
                                              f"not {r['type']}")
    if (missing := [c for c in kinds if c not in {r["column"] for _, r in rows}]):
        raise VocabularyError(path, None, f"no line for the column(s) {', '.join(missing)}; every column needs one")
    return tuple(r for _, r in rows)


def columns() -> list[str]:
    """The tidy table's column names, in the order written."""
    return [s["column"] for s in table_columns()]


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows of `row_columns()` as a DataFrame, each column of its declared type (helpers included)."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=list(row_columns()))
    for c, kind in {**types(), **HELPERS}.items():
        if kind == "integer":
            df[c] = pd.array(df[c], dtype="Int64")
        elif kind == "number":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        elif kind == "boolean":
            df[c] = df[c].astype(bool)
    return df


def allowed(spec: Spec) -> set[str] | None:
    """The values a column may hold (with "" when it may be empty), or None for any value."""
    if not spec["allowed"]:
        return None
    return set(spec["allowed"].split("|")) | ({""} if spec["empty"] == "yes" else set())


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Coerce each column to its type and check its values; raises SchemaError naming the column."""
    import pandas as pd

    specs = table_columns()
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
    problems += _row_rules(df)
    if problems:
        raise SchemaError("the tidy table breaks its definition (data/columns.csv): " + "; ".join(problems)
                          + ". This is a defect in the cleaner; please report it with the workbook")
    return df


def _row_rules(df: pd.DataFrame) -> list[str]:
    """What the column types cannot say: clean names, plausible years and rows, a high end only for a range."""
    problems = []
    if df["indicator"].str.contains(r"[\n\r\t]|  ", regex=True).any():
        problems.append("indicator has line breaks or double spaces")
    years = df["year"].dropna()
    if len(years) and not years.between(1975, 2200).all():
        problems.append("year outside 1975-2200")
    if (df["source_row"].dropna() < 1).any():
        problems.append("source_row below 1")
    if (df["plan_value_high"].notna() & (df["plan_op"] != "range")).any():
        problems.append("plan_value_high set for a plan that is not a range")
    return problems


def markdown_table() -> str:
    """The declared columns as the Markdown table of docs/tidy-table.md."""
    lines = ["| column | type | allowed values | may be empty | meaning |", "|---|---|---|---|---|"]
    for s in declared():
        vals = ", ".join(f"`{v}`" for v in s["allowed"].split("|")) if s["allowed"] else "any"
        lines.append(f"| `{s['column']}` | {s['type']} | {vals} | {s['empty']} | {s['meaning']} |")
    return "\n".join(lines)
