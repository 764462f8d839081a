"""The first call of every report notebook: check the parameters, find the data from any working folder (cleaning
the bundled workbooks the first time), set up the charts, and load what the report reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..analysis.context import Context, load
from ..base import i18n
from ..paths import EXTERNAL, PROCESSED, RAW, data_dir, project_dir
from . import parameters, plots, tables

TABLE = "indicators.parquet"


def ensure_clean(processed: Path, lang: str = "vi", raw: Path | None = None) -> None:
    """Clean the project's workbooks into `processed` when it has no cleaned table yet (a first open before any
    `make run`), saying so in one line; one writer at a time (the folder's lock)."""
    if (processed / TABLE).exists():
        return
    from ..base.files import folder_lock
    from ..cleaning.cleaner import clean, write_outputs

    raw = raw or project_dir() / RAW
    if not raw.exists():
        raise i18n.ParameterError(f"processed_dir: {processed} has no cleaned table and there are no workbooks in "
                                  f"{raw}; run `chodon clean WORKBOOKS --out {processed}` first")
    print(i18n.text("notice.cleaning", lang, processed=processed, raw=raw), flush=True)
    processed.mkdir(parents=True, exist_ok=True)
    with folder_lock(processed / ".lock"):
        if not (processed / TABLE).exists():
            write_outputs(clean([raw]), processed)


def load_project(lang: str = "vi", processed_dir: str | None = None, external_dir: str | None = None,
                 table: pd.DataFrame | None = None) -> Context:
    """The project's data: cleaned the first time, charts set up, every district; `table`: the tidy table already
    loaded from `processed_dir` (`chodon_analysis.load`)."""
    processed, external = data_dir(processed_dir, PROCESSED), data_dir(external_dir, EXTERNAL)
    if table is None:
        ensure_clean(processed, lang)
    plots.setup()
    return load(processed, external, table=table)


def start(year: int, lang: str = "vi", district: str = "Chợ Đồn", processed_dir: str | None = None,
          external_dir: str | None = None, commune: str = "", table: pd.DataFrame | None = None,
          **others: object) -> Context:
    """Check the parameters (one plain line for a wrong one), clean if needed, set up charts, load the data of the
    district, or of one of its communes when `commune` names one (from 2025: a commune's own report); `table`: the
    tidy table as `chodon_analysis.load(processed_dir)` gave it."""
    parameters.check_injected()  # `papermill -p foo 1`: a name the notebook does not declare
    parameters.check(year=year, lang=lang, district=district, processed_dir=processed_dir,
                     external_dir=external_dir, commune=commune, **others)
    ctx = load_project(lang, processed_dir, external_dir, table)
    ind = ctx.indicators
    if commune:
        return _commune(ctx, year, commune, lang)
    districts = sorted(ind.loc[ind["area_level"] == "district", "area"].dropna().unique())
    if district not in districts:
        raise i18n.ParameterError(i18n.text("param.no_district", lang, district=repr(district),
                                            known=", ".join(districts) or "—"))
    ctx.communes = ind[ind["area_level"] == "commune"]  # the former district is rebuilt from them (from 2025)
    ctx.indicators = ind[(ind["area"] == district) & (ind["area_level"] == "district")]
    ctx.area, ctx.scope = district, district
    years = sorted({int(y) for y in ctx.indicators["year"].dropna().unique()}
                   | {int(y) for y in ctx.communes["year"].dropna().unique()})
    if year not in years:
        raise i18n.ParameterError(i18n.text("param.no_year", lang, year=str(year), years=", ".join(map(str, years))))
    return ctx


def _commune(ctx: Context, year: int, commune: str, lang: str) -> Context:
    """A commune's own report: its rows only; no rebuild, and no published figure (those are the district's)."""
    ind = ctx.indicators
    rows = ind[(ind["area"] == commune) & (ind["area_level"] == "commune")]
    if rows.empty:
        known = sorted(ind.loc[ind["area_level"] == "commune", "area"].dropna().unique())
        raise i18n.ParameterError(i18n.text("param.no_commune", lang, commune=repr(commune),
                                            known=", ".join(known) or "—"))
    years = sorted(int(y) for y in rows["year"].dropna().unique())
    if year not in years:
        raise i18n.ParameterError(i18n.text("param.commune_no_year", lang, commune=commune, year=str(year),
                                            years=", ".join(map(str, years))))
    ctx.indicators, ctx.communes = rows, ind.iloc[0:0]
    ctx.published = ctx.published.iloc[0:0]
    from ..base.units import area_label

    ctx.area, ctx.scope = area_label(commune, "commune", lang, year), None
    return ctx


def marked_samples(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """A forest or grain table whose values rebuilt from the communes say *minh họa* in the years those communes'
    figures are illustrative (provenance.csv, by digest): a sum of sample figures is a sample too."""
    from ..analysis.communes import scope_of
    from ..analysis.trends import illustrative_years
    from .words import sample_sources

    mine = ctx.communes[ctx.communes["area"].isin(scope_of(ctx.scope))] if ctx.scope else ctx.communes.iloc[0:0]
    return sample_sources(frame, illustrative_years(ctx.provenance, mine))


def warm_up(langs: tuple[str, ...] = i18n.LANGS) -> None:
    """Pay once what a report's first chart and table cost (plotly's figure classes and renderer, the table styler's
    templates, the number format of each language of `langs`): called by the run where its kernels start from (a
    forked kernel inherits it: runner/launch.py), so that no report's first cell pays it again. Draws nothing."""
    plots.setup()
    counts = pd.DataFrame({"status": ["exceeded", "met"], "computed": [1, 2], "year": [2024, 2024]})
    for lang in langs:
        fig = plots.over_years(counts, lang)
        fig.add_scatter(x=[2024], y=[1.5], mode="lines+markers")
        plots.OfflineHtmlRenderer().to_mimebundle(fig.to_dict())
        tables.table(counts, lang)._repr_html_()
        i18n.number(1234.5, lang, 1)
