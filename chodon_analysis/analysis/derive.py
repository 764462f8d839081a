"""The derived tables written by `chodon run` beside the tidy table (docs/derived-tables.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..base import reform
from ..base.files import write_all
from ..cleaning.outputs import write_csv
from ..cleaning.workbooks import DEFAULT_DISTRICT
from .attainment import reclassify, summary
from .communes import fill_from_communes, former_district, reported_districts
from .context import Context
from .quality import findings
from .trends import forest_cover, grain_per_capita

DERIVED = ("attainment_summary.csv", "forest_cover.csv", "grain_per_capita.csv", "former_district.csv",
           "data_quality.csv")


def derived_tables(ctx: Context, last_year: int, district: str = DEFAULT_DISTRICT,
                   lang: str = "vi") -> dict[str, pd.DataFrame]:
    """attainment_summary, forest_cover and grain_per_capita of the district for every year up to `last_year`
    (+ next plan), every former district rebuilt from its communes (those with a commune that reported; both scopes:
    wholly inside, and with the shared communes as an upper bound), and the findings of the checks of every area's
    figures up to `last_year` (messages in `lang`, docs/data-quality.md)."""
    ind = ctx.indicators
    own = ind[(ind["area"] == district) & (ind["area_level"] == "district")]
    communes = ind[(ind["area_level"] == "commune") & (ind["year"] <= last_year + 1)]
    every = reported_districts(reform.crosswalk(), communes) or [district]  # each former district, both scopes
    rebuilt = pd.concat([former_district(communes, reform.crosswalk(), reform.aggregation_rules(), d, shared)
                         for d in every for shared in (False, True)], ignore_index=True)
    for year in sorted(communes["year"].dropna().unique()):  # after the reform: the district's targets filled
        own = fill_from_communes(own, communes, district, int(year), rebuilt=rebuilt)[0]  # from its communes
    own = reclassify(own) if len(communes) else own
    # a folder of workbooks with nothing of the district (a province's): no series of its published figures alone
    mine = len(own) or (len(rebuilt) and (rebuilt["district"] == district).any())
    published = ctx.published if mine else ctx.published.iloc[0:0]
    return {
        "attainment_summary.csv": summary(own[own["year"] <= last_year + 1]),
        "former_district.csv": rebuilt,
        "forest_cover.csv": forest_cover(ind, published, ctx.provenance, last_year, district, rebuilt=rebuilt),
        "grain_per_capita.csv": grain_per_capita(ind, published, ctx.provenance, last_year, district,
                                                 rebuilt=rebuilt),
        "data_quality.csv": findings(ind, last_year, lang, district=district),
    }


def write_derived(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table as UTF-8 CSV with BOM, formula-safe (a file name may start with `=`), through a temporary
    name."""
    return write_all([(out_dir / name, lambda p, df=df: write_csv(df, p)) for name, df in tables.items()])
