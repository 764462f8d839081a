"""The schema of the tidy indicator table (CONTRACT §3), checked before anything is written."""

from __future__ import annotations

import pandas as pd

from .classify import STATUSES
from .parse import OPS


def _schema():
    import pandera.pandas as pa

    text = {"dtype": str, "nullable": False}
    return pa.DataFrameSchema(
        {
            "district": pa.Column(**text),
            "year": pa.Column("Int64", pa.Check.in_range(1975, 2200), nullable=True),
            "section": pa.Column(**text),
            "code": pa.Column(**text),
            "indicator": pa.Column(str, pa.Check(lambda s: ~s.str.contains(r"[\n\r\t]|  ", regex=True)),
                                   nullable=False),
            "unit": pa.Column(**text),
            "plan_text": pa.Column(**text),
            "actual_text": pa.Column(**text),
            "plan_op": pa.Column(str, pa.Check.isin(["", *OPS])),
            "plan_value": pa.Column(float, nullable=True),
            "plan_value_high": pa.Column(float, nullable=True),
            "actual_value": pa.Column(float, nullable=True),
            "actual_is_estimate": pa.Column(bool),
            "direction": pa.Column(str, pa.Check.isin(["higher", "lower"])),
            "status": pa.Column(str, pa.Check.isin(list(STATUSES))),
            "reported_status": pa.Column(str, pa.Check.isin(["", *STATUSES])),
            "source_file": pa.Column(**text),
            "source_sheet": pa.Column(**text),
            "source_row": pa.Column("Int64", pa.Check.ge(1)),
        },
        checks=[
            pa.Check(lambda d: d["plan_value_high"].isna() | (d["plan_op"] == "range"),
                     error="plan_value_high only for ranges"),
        ],
        strict=True,
        ordered=True,
    )


_schema_cache = None


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Coerce text columns to str and validate; raises pandera's SchemaError on a broken table."""
    global _schema_cache
    for c in ("district", "section", "code", "indicator", "unit", "plan_text", "actual_text", "plan_op",
              "direction", "status", "reported_status", "source_file", "source_sheet"):
        df[c] = df[c].fillna("").astype(str)
    if _schema_cache is None:
        _schema_cache = _schema()
    return _schema_cache.validate(df)
