"""The schema of the tidy indicator table (CONTRACT §3), checked before anything is written.

Plain pandas checks: the same guarantees as a pandera schema without its second of import time per run.
"""

from __future__ import annotations

import pandas as pd

from .classify import STATUSES
from .parse import OPS

TEXT_COLUMNS = ("district", "section", "code", "indicator", "unit", "plan_text", "actual_text", "plan_op",
                "direction", "status", "reported_status", "source_file", "source_sheet")
FLOAT_COLUMNS = ("plan_value", "plan_value_high", "actual_value")
ALLOWED = {
    "plan_op": {"", *OPS},
    "direction": {"higher", "lower"},
    "status": set(STATUSES),
    "reported_status": {"", *STATUSES},
}


class SchemaError(ValueError):
    """The tidy table breaks the contract: a bug in the cleaner, never the user's data."""


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Coerce the column types of CONTRACT §3 and check values; raises SchemaError naming the column."""
    from .cleaner import COLUMNS

    if list(df.columns) != COLUMNS:
        raise SchemaError(f"columns {list(df.columns)} differ from the contract's {COLUMNS}")
    for c in TEXT_COLUMNS:
        df[c] = df[c].fillna("").astype(str)
    for c in FLOAT_COLUMNS:
        df[c] = pd.to_numeric(df[c], errors="raise").astype("float64")
    for c in ("year", "source_row"):
        df[c] = df[c].astype("Int64")
    df["actual_is_estimate"] = df["actual_is_estimate"].astype(bool)
    problems = []
    for c, allowed in ALLOWED.items():
        bad = set(df[c].unique()) - allowed
        if bad:
            problems.append(f"{c} has values {sorted(bad)}")
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
        raise SchemaError("the tidy table breaks the contract: " + "; ".join(problems))
    return df
