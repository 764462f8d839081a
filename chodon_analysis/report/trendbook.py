"""What the workbook shows of the trends and of the figures rebuilt from the communes: forest_cover.csv and
grain_per_capita.csv as the run wrote them (the same figures, sources and marks as the derived tables and the HTML
pages), a value rebuilt from sample figures marked as one, and the one precision of a ratio rebuilt from its
components (docs/reports.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import trends
from ..analysis.communes import measure_of, rebuilt_for, scope_of
from ..base import reform
from ..cleaning.workbooks import DEFAULT_DISTRICT
from .words import SOURCE_COLUMNS as SOURCES
from .words import source_word

if TYPE_CHECKING:
    from ..analysis.context import Context

RATIO_PLACES = 1  # a ratio rebuilt from its components (forest cover, grain per head): one decimal, in every output
FOREST_COLUMNS = ["year", "forest_cover_pct", "plan_pct", "source", "source_detail", "new_forest_ha",
                  "new_forest_plan_ha", "new_forest_source", "cumulative_new_forest_ha", "series_break"]
GRAIN_COLUMNS = ["year", "grain_output_t", "population", "grain_per_capita_kg", "reported_kg", "plan_kg",
                 "plan_output_t", "source", "population_source", "difference_kg", "note", "series_break"]
_TEXTS = (*SOURCES, "source_detail", "series_break", "note", "flag")
_UNSAFE = ("'=", "'+", "'-", "'@", "'\t", "'\r")  # cleaning.outputs.formula_safe's apostrophe, taken off again


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v) or v == ""


def is_ratio(indicator: object, unit: object = None) -> bool:
    """Whether the former district's figure of this indicator is a ratio recomputed from its components
    (aggregation.csv `ratio`: forest cover, grain per head), shown to RATIO_PLACES decimals."""
    rule = measure_of(str(indicator), reform.aggregation_rules(), None if _missing(unit) else str(unit))
    return rule is not None and rule["method"] == "ratio"


def ratio_value(value: object) -> float | None:
    """A rebuilt ratio as every output gives it: rounded to RATIO_PLACES decimals (80.7675 -> 80.8)."""
    return None if _missing(value) else round(float(value), RATIO_PLACES)


def derived(folder: str | Path, name: str, year: int, columns: list[str]) -> pd.DataFrame | None:
    """A derived table of the run (`forest_cover.csv`, `grain_per_capita.csv`) when it was written for `year`: its
    years up to `year`, then the plan year `year` + 1 holding plans only; None when absent, unreadable or made for
    another year (it would show another year's actuals or plans)."""
    path = Path(folder) / name
    try:
        d = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    except (OSError, ValueError):
        return None
    if d.empty or not set(columns) <= set(d.columns) or "source" not in d:
        return None
    d = d.assign(**{c: [_unsafe_off("" if v != v else str(v)) for v in d[c]] for c in _TEXTS if c in d})
    plan = d["source"] == "plan"
    if (d["year"] > year + 1).any() or (plan & (d["year"] <= year)).any() or (~plan & (d["year"] > year)).any():
        return None
    return d


def _unsafe_off(text: str) -> str:
    return text[1:] if text.startswith(_UNSAFE) else text


def _rows(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The district's rows with its actuals as its workbooks give them (one filled in from the communes,
    areabook.rebuilt, is taken out: a trend takes it as rebuilt, not as the workbook's) and the commune rows."""
    ind = ctx.indicators
    if "coverage" in ind:
        filled = ind["coverage"].fillna("").astype(str) != ""
        ind = ind.assign(actual_value=ind["actual_value"].mask(filled))
    whole = ctx.table if ctx.table is not None else ctx.communes
    communes = whole[whole["area_level"] == "commune"] if whole is not None else ind.iloc[0:0]
    return ind, communes


def trend_tables(ctx: Context, year: int, district: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(forest, grain) of the district up to `year` + 1: the run's derived tables when they are this year's and this
    district's (the default one's: `chodon run` writes them), else made as the run makes them (trends.forest_cover,
    grain_per_capita, with the former district rebuilt from its communes); a rebuilt ratio to RATIO_PLACES."""
    own = district == DEFAULT_DISTRICT
    forest = derived(ctx.processed_dir, "forest_cover.csv", year, FOREST_COLUMNS) if own else None
    grain = derived(ctx.processed_dir, "grain_per_capita.csv", year, GRAIN_COLUMNS) if own else None
    if forest is None or grain is None:
        ind, communes = _rows(ctx)
        rebuilt = rebuilt_for(communes[(communes["year"] <= year + 1).fillna(False).astype(bool)], district)
        data = (ind, ctx.published, ctx.provenance, year, district)
        forest = trends.forest_cover(*data, rebuilt=rebuilt) if forest is None else forest
        grain = trends.grain_per_capita(*data, rebuilt=rebuilt) if grain is None else grain
    rebuilt_cover = forest["source"] == "rebuilt"
    forest = forest.assign(forest_cover_pct=forest["forest_cover_pct"].where(
        ~rebuilt_cover, forest["forest_cover_pct"].round(RATIO_PLACES)))
    return forest[FOREST_COLUMNS], grain[GRAIN_COLUMNS]


def sample_years(ctx: Context, year: int, district: str) -> frozenset[int] | None:
    """The years up to `year` in which the communes the district is rebuilt from hold an illustrative figure
    (PROVENANCE.md, trends.illustrative_years, as the index marks the same figures); None when the communes are not
    known: every rebuilt value then keeps the mark."""
    whole = ctx.table if ctx.table is not None else ctx.communes
    if whole is None:
        return None
    mine = whole[(whole["area_level"] == "commune") & whole["area"].isin(scope_of(district))
                 & (whole["year"] <= year).fillna(False).astype(bool)]
    return trends.illustrative_years(ctx.provenance, mine)


def rebuilt_source(sample: bool, lang: str) -> str:
    """`tính lại từ các xã`, and `, minh họa` when made of sample figures (a sum of samples is a sample too)."""
    return source_word("rebuilt_illustrative" if sample else "rebuilt", lang)


def shown_sources(df: pd.DataFrame, samples: frozenset[int] | None, lang: str) -> pd.DataFrame:
    """The source columns in words; a value rebuilt from the communes in a year of `samples` marked illustrative."""
    def word(v: object, y: object) -> str:
        if v == "rebuilt":
            return rebuilt_source(samples is None or int(y) in samples, lang)
        return source_word(v, lang)

    return df.assign(**{c: [word(v, y) for v, y in zip(df[c], df["year"], strict=True)]
                        for c in SOURCES if c in df})
