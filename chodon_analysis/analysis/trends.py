"""Forest-cover and grain-per-capita series, their provenance and series breaks (docs/derived-tables.md).

Each row says where its value came from: `published` (a public figure, its address in data/external/
published_figures.csv and PROVENANCE.md), a workbook name, or `illustrative` (a sample value, never official).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..base import catalog
from ..cleaning.workbooks import DEFAULT_DISTRICT
from ..paths import PROVENANCE_FILE
from .communes import is_complete


def series_of(indicators: pd.DataFrame, name: str, district: str | None = None) -> pd.DataFrame:
    """Rows of the tidy table of the catalog indicator that feeds a trend (`series` of catalog.csv, e.g.
    `forest_cover`), in its unit: by their catalog id, or their name for a table made without ids."""
    ids = {i for i, e in catalog.entries().items() if e["series"] == name}
    units = {catalog.entries()[i]["unit"] for i in ids}
    got = indicators["indicator_id"] if "indicator_id" in indicators else indicators["indicator"].map(catalog.match)
    # in the catalog's unit only: grain in nghìn tấn is not added to tonnes (the cleaner logs the other unit)
    mask = (got.fillna("").isin(ids) & indicators["unit"].fillna("").isin(units | {""})).astype(bool)
    if district is not None:
        mask &= (indicators["area"] == district) & (indicators["area_level"] == "district")
    return indicators[mask]


def load_provenance(external_dir: str | Path) -> pd.DataFrame:
    """`provenance.csv` of data/external (file, year, indicator, field, origin, address); empty when absent."""
    p = Path(external_dir) / PROVENANCE_FILE
    cols = ["file", "year", "indicator", "field", "origin", "address"]
    if not p.exists():
        return pd.DataFrame(columns=cols)
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    df["year"] = df["year"].astype(int)
    return df


def origins(prov: pd.DataFrame, indicators: pd.DataFrame, year: int) -> dict[str, int]:
    """How many plan and actual values of `year` in `indicators` are published and how many illustrative."""
    rows = indicators[indicators["year"] == year]
    keys = {(f, i) for f, i in zip(rows["source_file"], rows["indicator"], strict=True)}
    listed = pd.Series([(f, i) in keys for f, i in zip(prov["file"], prov["indicator"], strict=True)], index=prov.index,
                       dtype=bool)
    p = prov[(prov["year"] == year) & listed]
    return {origin: int((p["origin"] == origin).sum()) for origin in ("published", "illustrative")}


def value_source(prov: pd.DataFrame, file: str, year: int, indicator: str, field: str) -> str:
    """`published`, `illustrative`, or the workbook name (a workbook not listed is data as received)."""
    if prov.empty:
        return file
    m = prov[(prov["file"] == file) & (prov["year"] == year) & (prov["indicator"] == indicator) & (prov["field"] == field)]
    return m.iloc[0]["origin"] if len(m) else file


def _by_year(rows: pd.DataFrame, prov: pd.DataFrame, field: str = "actual") -> pd.DataFrame:
    col = "actual_value" if field == "actual" else "plan_value"
    r = rows[rows[col].notna()].sort_values(["year", "source_file"]).drop_duplicates("year", keep="last")
    out = pd.DataFrame({"year": r["year"].astype(int).values, "value": r[col].values,
                        "op": r["plan_op"].values, "file": r["source_file"].values})
    out["source"] = [value_source(prov, f, y, i, field) for f, y, i in
                     zip(r["source_file"], r["year"].astype(int), r["indicator"], strict=True)]
    return out.set_index("year")


def _published(published: pd.DataFrame, figure: str, district: str) -> pd.DataFrame:
    p = published[(published["area"] == district) & (published["figure"] == figure)
                  & published["year"].str.fullmatch(r"\d{4}")]
    return p.assign(year=p["year"].astype(int)).set_index("year")


def _rebuilt(rebuilt: pd.DataFrame | None, label: str) -> pd.Series:
    """year -> the former district's value of `label` rebuilt from its communes (wholly inside), where every one of
    them gave a figure: a part of the district is never drawn as the district."""
    if rebuilt is None or rebuilt.empty:
        return pd.Series(dtype=float)
    r = rebuilt[(rebuilt["indicator"] == label) & (rebuilt["scope"] == "wholly_inside") & rebuilt["actual_value"].notna()
                & (rebuilt["method"] != "not_aggregated")]
    r = r[r["coverage"].map(is_complete).astype(bool)]  # every commune: else not drawn
    return r.set_index(r["year"].astype(int))["actual_value"]


REFORM = "reform"  # series_break of a year rebuilt from the communes: drawn apart from the district's own years


def forest_cover(indicators: pd.DataFrame, published: pd.DataFrame, prov: pd.DataFrame, last_year: int,
                 district: str = DEFAULT_DISTRICT, rebuilt: pd.DataFrame | None = None) -> pd.DataFrame:
    """`forest_cover.csv`: year, forest_cover_pct, plan_pct, source, new forest planted and its plan, breaks."""
    cover = series_of(indicators, "forest_cover", district)
    new = series_of(indicators, "new_forest", district)
    actual, plan = _by_year(cover, prov, "actual"), _by_year(cover, prov, "plan")
    planted, planted_plan = _by_year(new, prov, "actual"), _by_year(new, prov, "plan")
    pub = _published(published, "forest_cover", district)
    rb_cover, rb_new = _rebuilt(rebuilt, "Tỷ lệ che phủ rừng"), _rebuilt(rebuilt, "Diện tích trồng rừng mới")
    years = sorted(set(actual.index) | set(plan.index) | set(planted.index) | set(planted_plan.index) | set(pub.index)
                   | set(rb_cover.index) | set(rb_new.index))
    rows = []
    for y in years:
        if y > last_year + 1:
            continue
        row = {"year": y, "forest_cover_pct": np.nan, "plan_pct": np.nan, "source": "", "source_detail": "",
               "new_forest_ha": np.nan, "new_forest_plan_ha": np.nan, "new_forest_source": "", "series_break": ""}
        if y in actual.index:
            row.update(forest_cover_pct=actual.loc[y, "value"], source=actual.loc[y, "source"],
                       source_detail=actual.loc[y, "file"])
        elif y in pub.index:
            p = pub.loc[y]
            row.update(forest_cover_pct=p["number"], source="published", source_detail=p["source"])
            if p["op"] != "=":
                row["series_break"] = f"published as '{p['value']}' (a bound, not a level)"
            if "break" in str(p["note"]):
                row["series_break"] = (row["series_break"] + "; " if row["series_break"] else "") + str(p["note"])
        if y in plan.index:
            row["plan_pct"] = plan.loc[y, "value"]
        if y in planted.index:
            row.update(new_forest_ha=planted.loc[y, "value"], new_forest_source=planted.loc[y, "source"])
        if y in planted_plan.index:
            row["new_forest_plan_ha"] = planted_plan.loc[y, "value"]
        if y in rb_cover.index and y not in actual.index:  # after the reform: rebuilt from the communes
            row.update(forest_cover_pct=rb_cover[y], source="rebuilt", source_detail="former_district.csv",
                       series_break=REFORM)
        if y in rb_new.index and y not in planted.index:
            row.update(new_forest_ha=rb_new[y], new_forest_source="rebuilt", series_break=REFORM)
        if y > last_year:  # next year's plan only
            row.update(forest_cover_pct=np.nan, new_forest_ha=np.nan, source="plan", new_forest_source="")
        rows.append(row)
    out = pd.DataFrame(rows, columns=["year", "forest_cover_pct", "plan_pct", "source", "source_detail",
                                      "new_forest_ha", "new_forest_plan_ha", "new_forest_source", "series_break"])
    out["cumulative_new_forest_ha"] = out["new_forest_ha"].where(out["year"] >= 2020).fillna(0).cumsum()
    out.loc[out["new_forest_ha"].isna(), "cumulative_new_forest_ha"] = np.nan
    reform = out["series_break"] == REFORM  # the district's term ends with the reform: not carried past it
    out.loc[reform, "cumulative_new_forest_ha"] = np.nan
    return out


def term_planting(forest: pd.DataFrame, published: pd.DataFrame, district: str = DEFAULT_DISTRICT,
                  start: int = 2020, end: int = 2024) -> dict:
    """Planting over the term from the yearly series against the published term total (3,834 ha)."""
    total = forest[(forest["year"] >= start) & (forest["year"] <= end)]["new_forest_ha"].sum(min_count=1)
    pub = published[(published["area"] == district) & (published["figure"] == "new_forest_total")]
    ref = float(pub.iloc[0]["number"]) if len(pub) else float("nan")
    return {"years": f"{start}-{end}", "sum_of_years_ha": total, "published_ha": ref,
            "difference_ha": total - ref if not math.isnan(ref) else float("nan"),
            "source": pub.iloc[0]["source"] if len(pub) else ""}


def grain_per_capita(indicators: pd.DataFrame, published: pd.DataFrame, prov: pd.DataFrame, last_year: int,
                     district: str = DEFAULT_DISTRICT, rounding_kg: float = 1.0,
                     rebuilt: pd.DataFrame | None = None) -> pd.DataFrame:
    """`grain_per_capita.csv`: output × 1000 / population beside the reported figure and the plan.

    A difference beyond `rounding_kg` between computed and reported per-capita grain is flagged.
    """
    out_a = _by_year(series_of(indicators, "grain_output", district), prov, "actual")
    out_p = _by_year(series_of(indicators, "grain_output", district), prov, "plan")
    pop = _by_year(series_of(indicators, "population", district), prov, "actual")
    pc_a = _by_year(series_of(indicators, "grain_per_capita", district), prov, "actual")
    pc_p = _by_year(series_of(indicators, "grain_per_capita", district), prov, "plan")
    pub_pop = _published(published, "population", district)
    pub_grain = _published(published, "grain_output", district)
    rb_out, rb_pop = _rebuilt(rebuilt, "Tổng sản lượng lương thực có hạt"), _rebuilt(rebuilt, "Dân số trung bình")
    years = sorted(set(out_a.index) | set(pop.index) | set(pc_a.index) | set(pc_p.index) | set(out_p.index)
                   | set(pub_pop.index) | set(pub_grain.index) | set(rb_out.index))
    rows = []
    for y in years:
        if y > last_year + 1:
            continue
        row = {"year": y, "grain_output_t": np.nan, "population": np.nan, "grain_per_capita_kg": np.nan,
               "reported_kg": np.nan, "plan_kg": np.nan, "plan_output_t": np.nan, "source": "",
               "population_source": "", "flag": "", "note": "", "series_break": ""}
        if y <= last_year:
            if y in out_a.index:
                row.update(grain_output_t=out_a.loc[y, "value"], source=out_a.loc[y, "source"])
            elif y in pub_grain.index:
                p = pub_grain.loc[y]
                row.update(grain_output_t=p["number"], source="published")
                if p["op"] != "=":
                    row["note"] = f"output published as '{p['value']}' (a bound, shown at its value)"
            if y in pop.index:
                row.update(population=pop.loc[y, "value"], population_source=pop.loc[y, "source"])
            elif y in pub_pop.index:
                p = pub_pop.loc[y]
                row.update(population=p["number"], population_source="published")
                if "break" in str(p["note"]) or "census" in str(p["note"]):
                    row["series_break"] = str(p["note"])
            if y in pc_a.index:
                row["reported_kg"] = pc_a.loc[y, "value"]
                row["source"] = row["source"] or pc_a.loc[y, "source"]
        if y in pc_p.index:
            row["plan_kg"] = pc_p.loc[y, "value"]
        if y in out_p.index:
            row["plan_output_t"] = out_p.loc[y, "value"]
        if y in rb_out.index and y <= last_year and row["grain_output_t"] != row["grain_output_t"]:
            row.update(grain_output_t=rb_out[y], source="rebuilt", series_break=REFORM)  # after the reform
            if y in rb_pop.index:
                row.update(population=rb_pop[y], population_source="rebuilt")
        if y > last_year:
            row["source"] = "plan"
        rows.append(row)
    df = pd.DataFrame(rows, columns=["year", "grain_output_t", "population", "grain_per_capita_kg", "reported_kg",
                                     "plan_kg", "plan_output_t", "source", "population_source", "flag", "note",
                                     "series_break"])  # no year at all (another district's communes): empty
    df["grain_per_capita_kg"] = (df["grain_output_t"] * 1000 / df["population"]).round(1)
    diff = df["grain_per_capita_kg"] - df["reported_kg"]
    df["difference_kg"] = diff.round(1)
    bad = diff.abs() > rounding_kg
    df.loc[bad, "flag"] = [f"computed {c:g} kg differs from reported {r:g} kg by more than rounding"
                           for c, r in zip(df.loc[bad, "grain_per_capita_kg"], df.loc[bad, "reported_kg"], strict=True)]
    return df[["year", "grain_output_t", "population", "grain_per_capita_kg", "reported_kg", "plan_kg", "source",
               "plan_output_t", "population_source", "difference_kg", "flag", "note", "series_break"]]
