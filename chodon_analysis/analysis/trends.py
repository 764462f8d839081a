"""Forest-cover and grain-per-capita series, their provenance and series breaks (docs/derived-tables.md).

Each row says where its value came from: `published` (a public figure, its address in data/external/
published_figures.csv and PROVENANCE.md), a workbook name, or `illustrative` (a sample value, never official).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..base import catalog, reform
from ..cleaning.workbooks import DEFAULT_DISTRICT
from ..paths import PROVENANCE_FILE
from .communes import is_complete


def series_of(indicators: pd.DataFrame, name: str, district: str | None = None) -> pd.DataFrame:
    """Rows of the tidy table of the catalog indicator that feeds a trend (`series` of catalog.csv, e.g.
    `forest_cover`), in its unit: by their catalog id, or their name for a table made without ids."""
    feeds = _catalog_id(name)
    if not feeds:
        return indicators.iloc[0:0]
    got = indicators["indicator_id"] if "indicator_id" in indicators else indicators["indicator"].map(catalog.match)
    # in the catalog's unit only: grain in nghìn tấn is not added to tonnes (the cleaner logs the other unit)
    unit = catalog.entries()[feeds]["unit"]
    mask = ((got.fillna("") == feeds) & indicators["unit"].fillna("").isin({unit, ""})).astype(bool)
    if district is not None:
        mask &= (indicators["area"] == district) & (indicators["area_level"] == "district")
    return indicators[mask]


def load_provenance(external_dir: str | Path, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """`provenance.csv` of data/external (file, sha256, year, indicator, field, origin, address); empty when absent.
    With the tidy `table`: only its rows about the very workbooks the table was read from (by their digest)."""
    from .stamped import read

    p = Path(external_dir) / PROVENANCE_FILE
    cols = ["file", "sha256", "year", "indicator", "field", "origin", "address"]
    if not p.exists():
        return pd.DataFrame(columns=cols)
    prov = read(p.absolute(), _read_provenance)
    if table is None or "sha256" not in prov or "source_sha256" not in table:
        return prov
    read_from = set(zip(table["source_file"], table["source_sha256"].fillna(""), strict=True))
    # a workbook named as a sample but with other bytes (a commune's own `bao-cao-xa-nam-cuong-2025.xlsx`): as received
    return prov[[not d or (f, d) in read_from for f, d in zip(prov["file"], prov["sha256"], strict=True)]]


def _read_provenance(p: Path) -> pd.DataFrame:
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    df["year"] = df["year"].astype(int)
    return df


def origins(prov: pd.DataFrame, indicators: pd.DataFrame, year: int) -> dict[str, int]:
    """How many plan and actual values of `year` in `indicators` are published and how many illustrative (an actual
    added up from communes by its `actual_origin`, communes.origin_of_rebuilt)."""
    rows = indicators[indicators["year"] == year]
    keys = {(f, i) for f, i in zip(rows["source_file"], rows["indicator"], strict=True)}
    listed = pd.Series([(f, i) in keys for f, i in zip(prov["file"], prov["indicator"], strict=True)], index=prov.index,
                       dtype=bool)
    p = prov[(prov["year"] == year) & listed]
    rebuilt = rows["actual_origin"] if "actual_origin" in rows else pd.Series(dtype=str)  # added up from communes
    return {origin: int((p["origin"] == origin).sum() + (rebuilt == origin).sum())
            for origin in ("published", "illustrative")}


def illustrative_years(prov: pd.DataFrame, rows: pd.DataFrame) -> frozenset[int]:
    """The years of which `rows` hold an illustrative value: a plan or actual `prov` lists as one (provenance.csv, as
    load_provenance gives it for the table: the very sample workbooks, by their digest), or an actual added up from
    illustrative figures (`actual_origin`, communes.origin_of_rebuilt). Empty for workbooks as received."""
    listed = prov[prov["origin"] == "illustrative"]
    keys = set(zip(listed["file"], listed["year"].astype(int), listed["indicator"], strict=True))
    dated = rows[rows["year"].notna()]
    years = {int(y) for f, y, i in zip(dated["source_file"], dated["year"], dated["indicator"], strict=True)
             if (f, int(y), i) in keys}
    if "actual_origin" in dated:
        years |= set(dated.loc[dated["actual_origin"] == "illustrative", "year"].astype(int))
    return frozenset(years)


def value_source(prov: pd.DataFrame, file: str, year: int, indicator: str, field: str) -> str:
    """`published`, `illustrative`, or the workbook name (a workbook not listed is data as received)."""
    if prov.empty:
        return file
    m = prov[(prov["file"] == file) & (prov["year"] == year) & (prov["indicator"] == indicator)
             & (prov["field"] == field)]
    return m.iloc[0]["origin"] if len(m) else file


def value_sources(prov: pd.DataFrame, year: int) -> dict[tuple[str, str, str], str]:
    """(file, indicator, field) -> the origin value_source gives for `year` (its first row in provenance.csv), in one
    pass: for a table of every indicator of the year."""
    out: dict[tuple[str, str, str], str] = {}
    if not prov.empty:
        p = prov[prov["year"] == year]
        for key, origin in zip(zip(p["file"], p["indicator"], p["field"], strict=True), p["origin"], strict=True):
            out.setdefault(key, origin)
    return out


REFORM = "reform"  # series_break of a year rebuilt from the communes: drawn apart from the district's own years
_SOURCE = ["value", "source", "detail", "bound", "mark"]  # one source of a series, by year
_NONE = {"value": np.nan, "source": "", "detail": "", "bound": "", "mark": ""}


def _pick(year: int, *sources: pd.DataFrame) -> dict:
    """The value of `year` (value, source, detail, bound, mark) from the first of `sources` that has one: their
    order says which wins, e.g. the workbook's actual before the figure rebuilt from the communes."""
    for s in sources:
        if year in s.index and pd.notna(s.loc[year, "value"]):
            return s.loc[year].to_dict()
    return dict(_NONE)


def _by_year(rows: pd.DataFrame, prov: pd.DataFrame, field: str = "actual") -> pd.DataFrame:
    """year -> the workbook value of `field` (the file whose name sorts last wins) and where it comes from."""
    col = "actual_value" if field == "actual" else "plan_value"
    r = rows[rows[col].notna()].sort_values(["year", "source_file"]).drop_duplicates("year", keep="last")
    source = [value_source(prov, f, y, i, field) for f, y, i in
              zip(r["source_file"], r["year"].astype(int), r["indicator"], strict=True)]
    return pd.DataFrame({"value": r[col].values, "source": source, "detail": r["source_file"].values, "bound": "",
                         "mark": ""}, index=pd.Index(r["year"].astype(int).values, name="year"), columns=_SOURCE)


def _published(published: pd.DataFrame, figure: str, district: str, words: tuple[str, ...] = ("break",)
               ) -> pd.DataFrame:
    """year -> a published figure of the district: its address as detail, `bound` the value as written when it is a
    bound (`>57`), `mark` its note when the note says one of `words` (a series break)."""
    p = published[(published["area"] == district) & (published["figure"] == figure)
                  & published["year"].str.fullmatch(r"\d{4}")]
    notes = p["note"].astype(str)
    return pd.DataFrame({"value": p["number"].values, "source": "published", "detail": p["source"].values,
                         "bound": p["value"].where(p["op"] != "=", "").values,
                         "mark": notes.where(notes.map(lambda n: any(w in n for w in words)), "").values},
                        index=pd.Index(p["year"].astype(int).values, name="year"), columns=_SOURCE)


def _catalog_id(series: str) -> str:
    """The catalog id whose `series` is `series` (catalog.csv: one id feeds a series), "" when none does."""
    return next((i for i, e in catalog.entries().items() if e["series"] == series), "")


def _rebuilt(rebuilt: pd.DataFrame | None, series: str, district: str) -> pd.DataFrame:
    """year -> the former district's value of the catalog indicator of `series`, rebuilt from its communes (wholly
    inside), where every one of them gave a figure: a part of the district is never drawn as the district."""
    measure = catalog.entries().get(_catalog_id(series), {}).get("aggregation", "")
    label = next((r["label"] for r in reform.aggregation_rules() if measure and r["measure"] == measure), None)
    if rebuilt is None or rebuilt.empty or label is None:
        return pd.DataFrame(columns=_SOURCE)
    if "district" in rebuilt:  # former_district.csv holds every former district
        rebuilt = rebuilt[rebuilt["district"] == district]
    r = rebuilt[(rebuilt["indicator"] == label) & (rebuilt["scope"] == "wholly_inside")
                & rebuilt["actual_value"].notna() & (rebuilt["method"] != "not_aggregated")]
    r = r[r["coverage"].map(is_complete).astype(bool)]  # every commune: else not drawn
    return pd.DataFrame({"value": r["actual_value"].values, "source": "rebuilt", "detail": r["communes"].values,
                         "bound": "", "mark": REFORM}, index=pd.Index(r["year"].astype(int).values, name="year"),
                        columns=_SOURCE)


def _years(last_year: int, *sources: pd.DataFrame) -> list[int]:
    """Every year any of `sources` has, up to the plan year `last_year` + 1."""
    return sorted(y for y in set().union(*(s.index for s in sources)) if y <= last_year + 1)


_FOREST = ["year", "forest_cover_pct", "plan_pct", "source", "source_detail", "new_forest_ha", "new_forest_plan_ha",
           "new_forest_source", "series_break"]


def forest_cover(indicators: pd.DataFrame, published: pd.DataFrame, prov: pd.DataFrame, last_year: int,
                 district: str = DEFAULT_DISTRICT, rebuilt: pd.DataFrame | None = None) -> pd.DataFrame:
    """`forest_cover.csv`: year, forest_cover_pct, plan_pct, source, new forest planted and its plan, breaks."""
    cover, new = series_of(indicators, "forest_cover", district), series_of(indicators, "new_forest", district)
    actual, plan = _by_year(cover, prov, "actual"), _by_year(cover, prov, "plan")
    planted, planted_plan = _by_year(new, prov, "actual"), _by_year(new, prov, "plan")
    pub = _published(published, "forest_cover", district)
    rb_cover, rb_new = _rebuilt(rebuilt, "forest_cover", district), _rebuilt(rebuilt, "new_forest", district)
    rows = []
    for y in _years(last_year, actual, plan, planted, planted_plan, pub, rb_cover, rb_new):
        c, n = _pick(y, actual, rb_cover, pub), _pick(y, planted, rb_new)  # after the reform: rebuilt
        bound = f"published as '{c['bound']}' (a bound, not a level)" if c["bound"] else ""
        plan_year = y > last_year  # next year's plan only: its source is the workbook that sets it
        p = _pick(y, plan)
        rows.append({"year": y, "forest_cover_pct": np.nan if plan_year else c["value"],
                     "plan_pct": p["value"], "source": "plan" if plan_year else c["source"],
                     "source_detail": p["detail"] if plan_year else c["detail"],
                     "new_forest_ha": np.nan if plan_year else n["value"],
                     "new_forest_plan_ha": _pick(y, planted_plan)["value"],
                     "new_forest_source": "" if plan_year else n["source"],
                     "series_break": "" if plan_year else n["mark"] or "; ".join(m for m in (bound, c["mark"]) if m)})
    out = pd.DataFrame(rows, columns=_FOREST)
    out["cumulative_new_forest_ha"] = out["new_forest_ha"].where(out["year"] >= 2020).fillna(0).cumsum()
    out.loc[out["new_forest_ha"].isna(), "cumulative_new_forest_ha"] = np.nan
    reform_years = out["series_break"] == REFORM  # the district's term ends with the reform: not carried past it
    out.loc[reform_years, "cumulative_new_forest_ha"] = np.nan
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


_GRAIN = ["year", "grain_output_t", "population", "grain_per_capita_kg", "reported_kg", "plan_kg", "source",
          "plan_output_t", "population_source", "difference_kg", "flag", "note", "series_break"]


def grain_per_capita(indicators: pd.DataFrame, published: pd.DataFrame, prov: pd.DataFrame, last_year: int,
                     district: str = DEFAULT_DISTRICT, rounding_kg: float = 1.0,
                     rebuilt: pd.DataFrame | None = None) -> pd.DataFrame:
    """`grain_per_capita.csv`: output × 1000 / population beside the reported figure and the plan.

    A difference beyond `rounding_kg` between computed and reported per-capita grain is flagged.
    """
    output = series_of(indicators, "grain_output", district)
    per_head = series_of(indicators, "grain_per_capita", district)
    out_a, out_p = _by_year(output, prov, "actual"), _by_year(output, prov, "plan")
    pop = _by_year(series_of(indicators, "population", district), prov, "actual")
    pc_a, pc_p = _by_year(per_head, prov, "actual"), _by_year(per_head, prov, "plan")
    pub_pop = _published(published, "population", district, ("break", "census"))
    pub_grain = _published(published, "grain_output", district, ())
    rb_out, rb_pop = _rebuilt(rebuilt, "grain_output", district), _rebuilt(rebuilt, "population", district)
    rows = []
    for y in _years(last_year, out_a, pop, pc_a, pc_p, out_p, pub_pop, pub_grain, rb_out):
        past = y <= last_year  # the plan year has plans only
        o = _pick(y, out_a, pub_grain, rb_out) if past else dict(_NONE)
        # output rebuilt from the communes (after the reform): the population too, so that both cover one area
        p = _pick(y, *([rb_pop] if o["source"] == "rebuilt" else []), pop, pub_pop) if past else dict(_NONE)
        reported = _pick(y, pc_a) if past else dict(_NONE)
        rows.append({"year": y, "grain_output_t": o["value"], "population": p["value"],
                     "reported_kg": reported["value"], "plan_kg": _pick(y, pc_p)["value"],
                     "plan_output_t": _pick(y, out_p)["value"],
                     "source": (o["source"] or reported["source"]) if past else "plan",
                     "population_source": p["source"], "flag": "",
                     "note": f"output published as '{o['bound']}' (a bound, shown at its value)" if o["bound"] else "",
                     "series_break": o["mark"] or p["mark"]})
    df = pd.DataFrame(rows, columns=_GRAIN)  # no year at all (another district's communes): empty
    df["grain_per_capita_kg"] = (df["grain_output_t"] * 1000 / df["population"]).round(1)
    diff = df["grain_per_capita_kg"] - df["reported_kg"]
    df["difference_kg"] = diff.round(1)
    bad = diff.abs() > rounding_kg
    df.loc[bad, "flag"] = [f"computed {c:g} kg differs from reported {r:g} kg by more than rounding"
                           for c, r in zip(df.loc[bad, "grain_per_capita_kg"], df.loc[bad, "reported_kg"], strict=True)]
    return df[_GRAIN]
