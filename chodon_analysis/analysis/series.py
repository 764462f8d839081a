"""Every indicator as a series over the years, linked by its catalog id (a renamed indicator stays one series; a name
the catalog does not know stays a series of its own), cut where its definition changed; and the persistent
shortfalls: not met two or more years running, or a gap to the plan that widens (docs/catalog.md)."""

from __future__ import annotations

import pandas as pd

from ..base import catalog, i18n
from ..base.rule import Rule
from . import english
from .attainment import attainment_table, primary_rows, reclassify

HISTORY_COLUMNS = ["key", "indicator_id", "name", "unit", "section", "year", "plan_text", "actual_text",
                   "plan_value", "actual_value", "status", "ratio", "gap_pct", "segment", "break_reason"]
SHORTFALL_COLUMNS = ["key", "name", "unit", "kind", "years", "latest_gap_pct", "history"]


def series_key(rows: pd.DataFrame) -> pd.Series:
    """The series a row belongs to: its catalog id (with `@unit` when the row is in another unit than the catalog's:
    a series never mixes units), or `?` and its name when the catalog does not know it."""
    ids = rows["indicator_id"].fillna("") if "indicator_id" in rows else rows["indicator"].map(catalog.match)
    entries = catalog.entries()
    units = rows["unit"].fillna("")
    keyed = [i if not i or u in ("", entries[i]["unit"]) else f"{i}@{u}" for i, u in zip(ids, units, strict=True)]
    return pd.Series(keyed, index=rows.index).where(ids != "", "?" + rows["indicator"].fillna(""))


def history(indicators: pd.DataFrame, lang: str = "vi", rule: Rule = Rule()) -> pd.DataFrame:
    """One row per series and year of one area's rows: plan, actual, computed status, ratio and gap, and the
    definition segment (0 before the first break of catalog_breaks.csv, 1 after it, ...) with its reason; and the
    findings of the checks on a figure, when the rows carry them (`finding`)."""
    indicators = indicators[~_parts(indicators)]  # `Trong đó` parts: not series (a group's children are)
    if indicators.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    t = attainment_table(primary_rows(reclassify(indicators, rule)), lang)
    t = t[t["year"].notna()].assign(key=series_key(t), year=lambda d: d["year"].astype(int))
    entries = catalog.entries()
    # two rows of one indicator in a year (logged by the cleaner): the fuller one (plan and actual), then the one
    # named as the catalog names it, else the first
    canonical = [k.split("@")[0] in entries and catalog.key(n) == catalog.key(entries[k.split("@")[0]]["name_vi"])
                 for k, n in zip(t["key"], t["indicator"], strict=True)]
    full = (t["plan_value"].notna() | (t["plan_text"].fillna("") != "")) & t["actual_value"].notna()
    t = t.assign(_f=full, _c=canonical).sort_values(["key", "year", "_f", "_c"], ascending=[True, True, False, False],
                                                     kind="stable")
    t = t.drop_duplicates(["key", "year"], keep="first")
    name_col, section_col = ("name_vi", "section") if lang == "vi" else ("name_en", "section_en")
    t["name"] = [_name(k, n, u, entries, name_col, lang) for k, n, u in zip(t["key"], t["indicator"], t["unit"],
                                                                           strict=True)]
    t["unit"] = t["unit"].map(lambda u: english.unit(u, lang))
    other = i18n.text("ind.unknown_section", lang)  # names the catalog does not know: together, after the sections
    t["section"] = [entries[k.split("@")[0]][section_col] if k.split("@")[0] in entries else other for k in t["key"]]
    t["plan_value"] = t["plan_value"].where(t["plan_op"] != "change")  # a change target is no level to draw
    cuts: dict[str, list[tuple[int, str]]] = {}
    for b in catalog.breaks():
        cuts.setdefault(b["id"], []).append((int(b["year"]), b["reason_vi" if lang == "vi" else "reason_en"]))
    base = t["key"].str.split("@").str[0]
    # a former district's years added up from its communes (from 2025) are a series of their own: never one line
    # with the district's own workbooks (`coverage`, communes.fill_from_communes)
    rebuilt = t["coverage"].fillna("").astype(str).ne("").to_numpy() if "coverage" in t else [False] * len(t)
    first = {k: y for k, y, r in sorted(zip(t["key"], t["year"], rebuilt, strict=True), key=lambda x: -x[1]) if r}
    t["segment"] = [sum(y >= c for c, _ in cuts.get(k, [])) + int(bool(r))
                    for k, y, r in zip(base, t["year"], rebuilt, strict=True)]
    reform = i18n.text("chart.reform", lang)
    t["break_reason"] = [next((r for c, r in cuts.get(b, []) if c == y), reform if first.get(k) == y else "")
                         for b, k, y in zip(base, t["key"], t["year"], strict=True)]
    t["indicator_id"] = base.where(~base.str.startswith("?"), "")
    return t[HISTORY_COLUMNS + (["finding"] if "finding" in t else [])].reset_index(drop=True)  # ⚠ (quality.marks)


def _name(key: str, written: str, unit: str, entries: dict, column: str, lang: str) -> str:
    base = key.split("@")[0]
    if base not in entries:
        return english.indicator(written, lang)  # marked as written in English
    return entries[base][column] + (f" ({english.unit(unit, lang)})" if "@" in key else "")


def shortfalls(hist: pd.DataFrame, year: int) -> pd.DataFrame:
    """Series not met in two or more consecutive years up to `year` (the run ending at its last judged year), and
    series whose shortfall widened over the last two consecutive years (both below the plan, the later further).
    Years on two sides of a definition change are never put in one run."""
    out = []
    for key, s in hist[hist["year"] <= year].groupby("key", sort=False):
        s = s[s["status"].isin(["exceeded", "met", "not_met"])].sort_values("year")
        if s.empty:
            continue
        last = s.iloc[-1]
        run = [last]
        for _, r in s.iloc[:-1][::-1].iterrows():
            prev = run[-1]
            if r["status"] != "not_met" or r["year"] != prev["year"] - 1 or r["segment"] != prev["segment"]:
                break
            run.append(r)
        kinds = []
        if last["status"] == "not_met" and len(run) >= 2:
            kinds.append("not_met_running")
        if len(s) >= 2:
            a, b = s.iloc[-2], s.iloc[-1]
            if (b["year"] == a["year"] + 1 and a["segment"] == b["segment"] and a["gap_pct"] < 0
                    and b["gap_pct"] < a["gap_pct"]):
                kinds.append("gap_widening")
        if kinds:
            first = min(run[-1]["year"] if "not_met_running" in kinds else last["year"],
                        s.iloc[-2]["year"] if "gap_widening" in kinds else last["year"])
            out.append({"key": key, "name": last["name"], "unit": last["unit"], "kind": "+".join(kinds),
                        "years": f"{int(first)}–{int(last['year'])}", "latest_gap_pct": last["gap_pct"],
                        "history": s})
    return pd.DataFrame(out, columns=SHORTFALL_COLUMNS)


def _parts(rows: pd.DataFrame) -> pd.Series:
    """The `Trong đó` parts among `rows` (catalog.parts); without the sheet columns, every row with a parent."""
    if {"source_file", "source_sheet"} <= set(rows.columns):
        return catalog.no_series(rows)
    return rows["parent_indicator"].fillna("") != ""
