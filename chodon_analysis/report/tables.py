"""Tables for the reports: empty cells blank, thousands separators, whole years, no index."""

from __future__ import annotations

import html

import pandas as pd

YEAR_COLUMNS = ("year", "last_year", "base_year", "latest_year", "target_year", "source_row")


def table(df: pd.DataFrame, precision: int = 1):
    """A table for a report: empty cells blank (not NaN), numbers with thousands separators (not in years),
    no index. Every text is HTML-escaped: what came from a workbook is shown, never run."""
    df = df.rename(columns=lambda c: html.escape(str(c)))
    years = [c for c in df.columns if c in YEAR_COLUMNS]
    whole = [c for c in df.columns if c not in years and pd.api.types.is_float_dtype(df[c])
             and df[c].dropna().map(float.is_integer).all()]
    style = df.style.format(precision=precision, na_rep="", thousands=",", escape="html")
    if years:
        style = style.format(lambda v: "" if pd.isna(v) else str(int(v)), subset=years)
    if whole:
        style = style.format(lambda v: "" if pd.isna(v) else f"{v:,.0f}", subset=whole)
    return style.hide(axis="index")
