"""Plan attainment per indicator and per year, the office's own assessment checked against its numbers,
the published counts, and what next year's targets ask for (docs/attainment.md)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..base import i18n
from ..base.rule import Rule, classify, status_for
from ..base.vocab import STATUSES
from ..cleaning.rows.parse import parse_target
from ..cleaning.workbooks import DEFAULT_DISTRICT
from . import english


def _isnum(x: object) -> bool:
    return x is not None and x is not pd.NA and not (isinstance(x, float) and math.isnan(x))


def reclassify(indicators: pd.DataFrame, rule: Rule = Rule()) -> pd.DataFrame:
    """The tidy table with `status` computed again under `rule` (the notebook's thresholds)."""
    t = indicators.copy()
    t["plan_decimals"] = [written_decimals(x) for x in t["plan_text"]]
    t["phrase_direction"] = t["direction"].where(t["plan_op"].isin(["=", "change", "range"]))
    return classify(t, rule).drop(columns=["plan_decimals", "phrase_direction"])


def written_decimals(text: object) -> int:
    """The decimals a plan is written with (`80,5%` -> 1): the precision a point target is compared at."""
    t = parse_target(str(text)) if isinstance(text, str) and text else None
    return t.decimals if t else 0


def reference_value(row: pd.Series) -> float:
    """The plan value an actual is compared with: a range's worse end, else the plan value."""
    if row["plan_op"] == "range" and _isnum(row["plan_value_high"]):
        return row["plan_value"] if row["direction"] == "higher" else row["plan_value_high"]
    return row["plan_value"]


def attainment_table(indicators: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Per indicator: computed and reported status, attainment ratio, gap in its unit and in percent, the rule.

    ratio = actual / plan (plan / actual when lower is better); gap > 0 means better than the plan.
    `change` targets have no ratio (their plan is a change, not a level).
    """
    t = indicators.copy()
    ref = t.apply(reference_value, axis=1).astype(float)
    actual = t["actual_value"].astype(float)
    sign = np.where(t["direction"] == "lower", -1.0, 1.0)
    level = t["plan_op"] != "change"
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(t["direction"] == "lower", ref / actual, actual / ref)
        t["ratio"] = np.where(level & np.isfinite(ratio), ratio, np.nan)
        t["gap"] = np.where(level, (actual - ref) * sign, np.nan)
        t["gap_pct"] = np.where(level & (ref != 0), t["gap"] / ref.abs() * 100, np.nan)
    t["rule"] = t.apply(rule_text, axis=1, lang=lang)
    return t


def rule_text(row: pd.Series, lang: str = "en") -> str:
    """One sentence in `lang`: which comparison decided the computed status."""
    op, status = row["plan_op"], row["status"]
    words = {"better": i18n.text(f"direction.{'lower' if row['direction'] == 'lower' else 'higher'}", lang),
             "status": i18n.status(status, lang)}
    if not _isnum(row["actual_value"]):
        return i18n.text("rule.no_actual", lang, **words)
    if not op:
        return i18n.text("rule.no_plan", lang, **words)
    decimals = written_decimals(row["plan_text"])
    words |= {"actual": i18n.number(row["actual_value"], lang), "plan": english.plan(row["plan_text"], lang),
              "plan_value": i18n.number(row["plan_value"], lang, decimals if op == "=" else None)}
    if op == "range":
        return i18n.text("rule.range", lang, low=words.pop("plan_value"),
                         high=i18n.number(row["plan_value_high"], lang), **words)
    if op == "change":
        return i18n.text("rule.change", lang, **words)
    if op == "=":  # the precision the plan is written with, in words (never the plan's text in quotes)
        precision = (i18n.text("rule.precision_decimals", lang, n=decimals) if decimals
                     else i18n.text("rule.precision_whole", lang))
        return i18n.text("rule.point", lang, precision=precision, **words)
    return i18n.text("rule.bound_ok" if status in ("met", "exceeded") else "rule.bound_fail", lang,
                     op=i18n.text(f"op.{op}", lang), **words)


def primary_rows(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator and year for counting: where several workbooks give the same indicator and year and
    agree (`KH năm 2025` in the 2024 report and in the 2025 report; last year's actual repeated), the fullest row.
    Names are compared without diacritics or case, values as numbers, as the consistency check does."""
    from ..base.text import fold

    t = indicators.assign(_name=indicators["indicator"].map(fold), _parent=indicators["parent_indicator"].map(fold))
    key = ["area", "area_level", "year", "_name", "unit", "_parent"]
    dup = t.duplicated(key, keep=False)
    if not dup.any():
        return indicators
    drop = []
    for _, g in t[dup].groupby(key, dropna=False, sort=False):
        full = g.assign(_n=g["actual_value"].notna() * 2 + g["plan_value"].notna()).sort_values("_n", ascending=False)
        best = full.iloc[0]
        for i, r in full.iloc[1:].iterrows():
            same_plan = pd.isna(r["plan_value"]) or r["plan_value"] == best["plan_value"]
            same_actual = pd.isna(r["actual_value"]) or r["actual_value"] == best["actual_value"]
            if same_plan and same_actual and r["source_file"] != best["source_file"]:
                drop.append(i)
    return indicators.drop(index=drop)


def summary(indicators: pd.DataFrame) -> pd.DataFrame:
    """`attainment_summary.csv`: year, status, computed, reported (all four statuses for every year)."""
    indicators = primary_rows(indicators)
    years = sorted(indicators["year"].dropna().unique())
    idx = pd.MultiIndex.from_product([years, STATUSES], names=["year", "status"])
    computed = indicators.groupby(["year", "status"]).size().reindex(idx, fill_value=0)
    rep = indicators[indicators["reported_status"] != ""]
    reported = rep.groupby(["year", "reported_status"]).size()
    reported.index.names = ["year", "status"]
    reported = reported.reindex(idx, fill_value=0)
    out = pd.DataFrame({"computed": computed, "reported": reported}).reset_index()
    out["year"] = out["year"].astype(int)
    return out


def counts(summary: pd.DataFrame, year: int) -> dict[str, int]:
    """The year's computed counts by status (the report's sentence says them: report/sentences.py)."""
    s = summary[summary["year"] == year]
    return {str(k): int(v) for k, v in zip(s["status"], s["computed"], strict=True)}


NOT_ASSESSED = "—"  # the office's column where it assessed no indicator: a dash, not counts of 0


def headline(summary: pd.DataFrame, year: int) -> pd.DataFrame:
    """The year's counts by status, computed and as the office assessed them; where the office assessed no
    indicator at all, its column is a dash (a 0 would read as "none met")."""
    counts = summary[summary["year"] == year][["status", "computed", "reported"]].reset_index(drop=True)
    if not counts["reported"].sum():
        counts["reported"] = NOT_ASSESSED
    return counts


def history(summary: pd.DataFrame, year: int) -> pd.DataFrame:
    """Computed counts per year (rows) and status (columns, in the order of STATUSES) up to `year`."""
    h = summary[summary["year"] <= year].pivot(index="year", columns="status", values="computed")
    return h.reindex(columns=list(STATUSES), fill_value=0).reset_index().rename_axis(columns=None)


def disagreements(indicators: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Indicators whose computed status differs from the office's own label, with the deciding rule."""
    t = attainment_table(indicators, lang)
    d = t[(t["reported_status"] != "") & (t["reported_status"] != t["status"])]
    cols = ["year", "section", "code", "indicator", "unit", "plan_text", "actual_text", "reported_status", "status",
            "rule", "source_file", "source_row"]
    return d[cols].reset_index(drop=True)


def reconcile_published(indicators: pd.DataFrame, published: pd.DataFrame,
                        district: str = DEFAULT_DISTRICT) -> pd.DataFrame:
    """Published counts (e.g. 2024: 42 = 10 + 22 + 8 + 2) beside the counts of the workbook, per status."""
    pub = published[(published["area"] == district) & published["figure"].str.startswith("indicators_")]
    indicators = primary_rows(indicators)
    rows = []
    for _, p in pub.iterrows():
        year = int(p["year"])
        status = p["figure"].removeprefix("indicators_")
        y = indicators[indicators["year"] == year]
        if status == "total":
            computed = reported = len(y)
        else:
            computed = int((y["status"] == status).sum())
            reported = int((y["reported_status"] == status).sum())
        rows.append({"year": year, "status": status, "published": int(p["number"]), "reported": reported,
                     "computed": computed, "source": p["source"]})
    out = pd.DataFrame(rows, columns=["year", "status", "published", "reported", "computed", "source"])
    out["reported_matches"] = out["published"] == out["reported"]
    out["computed_matches"] = out["published"] == out["computed"]
    return out


def next_year_targets(indicators: pd.DataFrame, year: int) -> pd.DataFrame:
    """Targets of year+1 beside the last known actual: the change they ask for, in units and percent."""
    nxt = indicators[(indicators["year"] == year + 1) & indicators["plan_value"].notna()]
    have = indicators[indicators["actual_value"].notna() & (indicators["year"] <= year)]
    last = have.sort_values("year").groupby("indicator").tail(1).set_index("indicator")
    rows = []
    for _, r in nxt.iterrows():
        prev = last.loc[r["indicator"]] if r["indicator"] in last.index else None
        la = prev["actual_value"] if prev is not None else np.nan
        change = r["plan_value"] - la if _isnum(la) else np.nan
        rows.append({"indicator": r["indicator"], "unit": r["unit"], "target": r["plan_text"], "plan_op": r["plan_op"],
                     "plan_value": r["plan_value"], "last_actual": la,
                     "last_year": int(prev["year"]) if prev is not None else None,
                     "change_needed": change,
                     "change_needed_pct": change / abs(la) * 100 if _isnum(la) and la else np.nan,
                     "already_met": _already_met(r, la)})
    return pd.DataFrame(rows, columns=["indicator", "unit", "target", "plan_op", "plan_value", "last_actual",
                                       "last_year", "change_needed", "change_needed_pct", "already_met"])


def _already_met(r: pd.Series, last: float) -> bool | None:
    if not _isnum(last):
        return None
    status = status_for(r["plan_op"], r["plan_value"], r["plan_value_high"], 6, last, r["direction"])
    return status in ("met", "exceeded")


def by_section(indicators: pd.DataFrame, year: int) -> pd.DataFrame:
    """Counts per section and computed status for one year (for the stacked bar)."""
    y = indicators[indicators["year"] == year]
    out = y.groupby(["section", "status"]).size().rename("count").reset_index()
    return out


def not_met(indicators: pd.DataFrame, year: int, lang: str = "en") -> pd.DataFrame:
    """Indicators not met in a year, worst gap (in percent of the plan) first."""
    t = attainment_table(indicators[indicators["year"] == year], lang)
    t = t[t["status"] == "not_met"].sort_values("gap_pct", na_position="last")
    t["indicator"] = [english.indicator(n, lang, i) for n, i in zip(t["indicator"], t["indicator_id"], strict=True)]
    shown = ["section", "code", "indicator", "unit", "plan_text", "actual_text", "ratio", "gap", "gap_pct", "rule"]
    flagged = "finding" in t and (t["finding"] != "").any()  # a figure with a finding says so (quality.marks)
    return t[shown + (["finding"] if flagged else [])]


def flagged(indicators: pd.DataFrame, year: int, lang: str = "en") -> pd.DataFrame:
    """The year's figures with a finding of the checks on them (a `finding` column, quality.marks), in the
    sections' order: what a reader must not take as clean."""
    if "finding" not in indicators:
        return pd.DataFrame(columns=["section", "code", "indicator", "unit", "actual_text", "status", "finding"])
    t = indicators[(indicators["year"] == year) & (indicators["finding"] != "")].copy()
    t["indicator"] = [english.indicator(n, lang, i) for n, i in zip(t["indicator"], t["indicator_id"], strict=True)]
    return t[["section", "code", "indicator", "unit", "actual_text", "status", "finding"]]
