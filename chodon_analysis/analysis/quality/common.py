"""What every check of the figures shares: the columns of a finding, the rows as the checks read them (one series
key per indicator), and a finding built with its message in the reader's language (docs/data-quality.md)."""

from __future__ import annotations

import math

import pandas as pd

from ...base import catalog, i18n
from .. import english

FILE = "data_quality.csv"  # in the processed folder, beside the derived tables
COLUMNS = ["year", "area", "area_level", "indicator_id", "indicator", "check", "severity", "value", "expected",
           "message", "field", "method", "threshold", "score", "source_file", "source_row"]
SEVERITIES = ("error", "warning")
_USED = ["area", "area_level", "area_code", "district", "year", "indicator_id", "indicator", "unit", "plan_op",
         "plan_value", "plan_value_high", "actual_value", "parent_indicator", "source_file", "source_sheet",
         "source_row"]  # read


def prepared(indicators: pd.DataFrame) -> pd.DataFrame:
    """The rows with a year, each with `key`: its catalog id (`id@unit` in another unit than the catalog's), `?` and
    its name for a name the catalog does not know, and `?total/part` for a part written under a `Trong đó:`; `base`
    is the id alone ("" when none), `parent_id` the catalog id of a part's total."""
    from ..series import series_key

    used = [c for c in _USED if c in indicators]
    rows = indicators.loc[indicators["year"].notna(), used].copy()
    if rows.empty:
        return rows.assign(key=pd.Series(dtype=str), base=pd.Series(dtype=str), parent_id=pd.Series(dtype=str))
    rows["year"] = rows["year"].astype(int)
    for c in ("area", "area_level", "indicator_id", "indicator", "unit", "parent_indicator", "source_file", "plan_op"):
        rows[c] = rows[c].astype(object).fillna("")  # plain Python text: selecting rows stays fast
    if "source_sheet" in rows:  # a group's child (`Tổng đàn trâu` under `2 Chăn nuôi`) is a series, not a part
        rows["parent_indicator"] = rows["parent_indicator"].where(catalog.no_series(rows), "")
    parent = rows["parent_indicator"]
    keys = series_key(rows)
    rows["key"] = keys.where(parent == "", "?" + parent + "/" + rows["indicator"])
    rows["base"] = rows["key"].str.split("@").str[0].where(~rows["key"].str.startswith("?"), "")
    rows["parent_id"] = parent.map(lambda p: catalog.match(p) if p else "")
    return rows


def actuals(rows: pd.DataFrame) -> pd.DataFrame:
    """One actual per area, level, year and series: the first row that gives one."""
    have = rows[rows["actual_value"].notna()]
    return have.drop_duplicates(["area", "area_level", "year", "key"], keep="first")


def shown(value: object, lang: str) -> str:
    """A number in the reader's format (up to two decimals), empty when missing."""
    return i18n.number(value, lang)


def finding(row, check: str, severity: str, lang: str, *, value: object = None, expected: object = None,
            field: str = "actual", method: str = "", threshold: object = None, score: object = None,
            **words: object) -> dict:
    """One finding about `row` (a row of the table, or a dict with its area, level, year and indicator), its
    message `dq.<check>` in `lang` filled from `words`, `value`, `expected`, `score`, `threshold` and `year`
    (numbers in the reader's format)."""
    get = row.get if isinstance(row, dict) else row.__getitem__
    words = {"value": value, "expected": expected, "score": score, "threshold": threshold, **words}
    words["year"] = str(int(get("year")))  # a year is never written 2.025
    filled = {k: shown(v, lang) if isinstance(v, int | float) and not isinstance(v, bool) else v
              for k, v in words.items()}
    name = str(get("indicator") or "")
    return {
        "year": int(get("year")), "area": get("area"), "area_level": get("area_level"),
        "indicator_id": _id(row, get), "indicator": name, "check": check, "severity": severity,
        "value": _number(value), "expected": _number(expected),
        "message": i18n.text(f"dq.{check}", lang, indicator=english.indicator(name, lang, _id(row, get)), **filled),
        "field": field, "method": method, "threshold": _number(threshold), "score": _number(score),
        "source_file": _text(row, get, "source_file"), "source_row": _row_number(row, get),
    }


def frame(found: list[dict]) -> pd.DataFrame:
    """The findings as one table, errors first, then by year, level, area, indicator and check."""
    df = pd.DataFrame(found, columns=COLUMNS)
    if df.empty:
        return df
    order = df["severity"].map(SEVERITIES.index)
    df = df.assign(_o=order).sort_values(["year", "_o", "area_level", "area", "indicator", "check"], kind="stable")
    df = df.drop(columns="_o").reset_index(drop=True)
    for c in ("value", "expected", "threshold", "score"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    df["year"] = df["year"].astype("Int64")
    df["source_row"] = df["source_row"].astype("Int64")
    return df


def _id(row, get) -> str:
    if isinstance(row, dict) and "indicator_id" not in row:
        return ""
    return str(get("indicator_id") or "")


def _text(row, get, name: str) -> str:
    return "" if isinstance(row, dict) and name not in row else str(get(name) or "")


def _row_number(row, get) -> int | None:
    if isinstance(row, dict) and "source_row" not in row:
        return None
    v = get("source_row")
    return None if v is None or pd.isna(v) else int(v)


def _number(v: object) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f
