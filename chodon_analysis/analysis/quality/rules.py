"""The validation rules of rules.csv applied to the rows: a part never exceeds its total, a ratio equals its
components within rounding, a value lies within its bounds, a count is whole and not negative. A rule whose
indicator an area does not report is skipped (docs/data-quality.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...base import i18n
from .. import english
from .common import finding

_SAME = ["area", "area_level", "year", "source_file"]  # a part and its total, a ratio and its components: one workbook


def rule_findings(rows: pd.DataFrame, rules: tuple[dict, ...], lang: str = "vi") -> list[dict]:
    """Every breach of every rule in `rows` (prepared: with `key`, `base` and `parent_id`)."""
    out: list[dict] = []
    groups = _Groups({k: g for k, g in rows.groupby("key", sort=False)}, rows)
    for rule in rules:
        needed = [rule[c] for c in ("indicator", "total", "numerator", "denominator") if rule.get(c)]
        if not all(i in groups.by_key or i == "*" for i in needed):
            continue  # an indicator of the rule not reported: the rule is skipped, not failed
        check = {"part_of": _part_of, "ratio": _ratio, "range": _range, "whole": _whole}[rule["check"]]
        out += check(groups, rule, lang)
    return out


class _Groups:
    """The rows by series key, and all of them (`rows`)."""

    def __init__(self, by_key: dict[str, pd.DataFrame], rows: pd.DataFrame):
        self.by_key, self.rows = by_key, rows


def _of(groups: _Groups, indicator_id: str) -> pd.DataFrame:
    """The rows of a catalog indicator in the catalog's unit (a row in another unit is another series)."""
    return groups.by_key.get(indicator_id, groups.rows.iloc[:0])


def _values(rows: pd.DataFrame, wrong):
    """(row, field, value) of every figure a bound applies to (the actual, and the plan unless it is a change) for
    which `wrong(values)` (a vectorised test) is true."""
    plans = rows["plan_op"] != "change"
    for field, column, where in (("actual", "actual_value", True), ("plan", "plan_value", plans),
                                 ("plan", "plan_value_high", plans)):
        v = pd.to_numeric(rows[column], errors="coerce")
        for _, r in rows[v.notna() & where & wrong(v)].iterrows():
            yield r, field, float(r[column])


def _range(rows: _Groups, rule: dict, lang: str) -> list[dict]:
    low, high = rule["low"], rule["high"]
    bounds = (i18n.text("dq.bounds.between", lang, low=i18n.number(low, lang), high=i18n.number(high, lang))
              if high is not None else i18n.text("dq.bounds.at_least", lang, low=i18n.number(low, lang)))
    def outside(v: pd.Series) -> pd.Series:
        return (v < low) | ((v > high) if high is not None else False)

    return [finding(r, "out_of_range", rule["severity"], lang, value=v, field=field, method="rule",
                    expected=low if v < low else high, bounds=bounds, what=i18n.text(f"dq.field.{field}", lang))
            for r, field, v in _values(_of(rows, rule["indicator"]), outside)]


def _whole(rows: _Groups, rule: dict, lang: str) -> list[dict]:
    out = []
    for r, field, v in _values(_of(rows, rule["indicator"]), lambda v: (v < 0) | ((v - v.round()).abs() > 1e-9)):
        words = {"what": i18n.text(f"dq.field.{field}", lang)}
        if v < 0:
            out.append(finding(r, "negative", rule["severity"], lang, value=v, expected=0, field=field,
                               method="rule", threshold=0, **words))
        elif abs(v - round(v)) > 1e-9:
            out.append(finding(r, "not_whole", rule["severity"], lang, value=v, expected=round(v), field=field,
                               method="rule", **words))
    return out


def _part_of(groups: _Groups, rule: dict, lang: str) -> list[dict]:
    totals = _of(groups, rule["total"])
    totals = totals[totals["actual_value"].notna()]
    if rule["indicator"] == "*":  # every row written under the total's `Trong đó:`, in the total's unit
        rows = groups.rows
        parts = rows[(rows["parent_id"] == rule["total"]) & rows["actual_value"].notna()]
    else:
        parts = _of(groups, rule["indicator"])
        parts = parts[parts["actual_value"].notna()]
    if parts.empty or totals.empty:
        return []
    both = parts.merge(totals[[*_SAME, "indicator", "unit", "actual_value"]], on=_SAME, suffixes=("", "_total"))
    both = both[both["unit"].isin(["", None]) | (both["unit"] == both["unit_total"])]  # no unit: the total's
    over = both[both["actual_value"] > both["actual_value_total"] + rule["tolerance"]]
    return [finding(r, "part_exceeds_total", rule["severity"], lang, value=r["actual_value"],
                    expected=r["actual_value_total"], method="rule", threshold=rule["tolerance"],
                    total=english.indicator(r["indicator_total"], lang, rule["total"])) for _, r in over.iterrows()]


def _ratio(rows: _Groups, rule: dict, lang: str) -> list[dict]:
    cols = [*_SAME, "indicator", "actual_value"]
    stated = _of(rows, rule["indicator"])
    num = _of(rows, rule["numerator"])[cols].drop_duplicates(_SAME)
    den = _of(rows, rule["denominator"])[cols].drop_duplicates(_SAME)
    both = stated[stated["actual_value"].notna()].merge(num, on=_SAME, suffixes=("", "_num"))
    both = both.merge(den, on=_SAME, suffixes=("", "_den"))
    den = both["actual_value_den"].where(both["actual_value_den"] != 0)  # no ratio of a zero denominator
    computed = both["actual_value_num"] * rule["factor"] / den
    off = both.assign(_c=computed)[((computed - both["actual_value"]).abs() > rule["tolerance"])
                                   & np.isfinite(computed)]
    return [finding(r, "ratio_mismatch", rule["severity"], lang, value=r["actual_value"], expected=round(r["_c"], 2),
                    method="rule", threshold=rule["tolerance"], score=round(r["actual_value"] - r["_c"], 2),
                    numerator=english.indicator(r["indicator_num"], lang, rule["numerator"]),
                    denominator=english.indicator(r["indicator_den"], lang, rule["denominator"]),
                    tolerance=rule["tolerance"])
            for _, r in off.iterrows()]
