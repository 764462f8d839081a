"""The yearly analysis as a plain script, without notebooks: the baseline of benchmark 3 (the four reports).

Cleans, writes the tidy table and the derived tables, computes the same tables as the report notebooks
and writes the same charts into one HTML page per report (plotly.js written once beside them, as the run does).
"""

from __future__ import annotations

import sys
from pathlib import Path

from chodon_analysis.speed import skip_unused_imports

skip_unused_imports()  # the same start-up saving as the package's command line

import plotly.io as pio  # noqa: E402

from chodon_analysis import Rule  # noqa: E402
from chodon_analysis.analysis import attainment as at  # noqa: E402
from chodon_analysis.analysis import series as indicator_series  # noqa: E402
from chodon_analysis.analysis import trends  # noqa: E402
from chodon_analysis.analysis.context import load  # noqa: E402
from chodon_analysis.analysis.derive import derived_tables, write_derived  # noqa: E402
from chodon_analysis.analysis.progress import progress  # noqa: E402
from chodon_analysis.cleaning.cleaner import clean, write_outputs  # noqa: E402
from chodon_analysis.report import explorer, plots  # noqa: E402


def page(title: str, figures, tables) -> str:
    """One page: the report's charts (plotly.js loaded from the one copy beside the pages) and tables."""
    parts = [f"<h1>{title}</h1>"]
    parts += [pio.to_html(fig, include_plotlyjs=False, full_html=False) for fig in figures]
    parts += [t if isinstance(t, str) else t.to_html() for t in tables]
    return ("<html><head><meta charset='utf-8'><script src='plotly.min.js'></script></head><body>" + "".join(parts)
            + "</body></html>")


def main(year: int, raw: Path, processed: Path, out: Path, external: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    plots.setup()
    (out / "plotly.min.js").write_text(plots.plotlyjs(), encoding="utf-8")  # once, shared by the pages
    write_outputs(clean([raw]), processed)
    ctx = load(processed, external)
    write_derived(derived_tables(ctx, year), processed)
    ind = at.reclassify(ctx.indicators, Rule())
    summary = at.summary(ind)
    counts = summary[summary["year"] == year][["status", "computed", "reported"]]
    behind = at.not_met(ind, year)
    figs = [plots.headline_counts(counts), plots.by_section_bar(at.by_section(ind, year)), plots.gap_bar(behind),
            plots.over_years(summary[summary["year"] <= year])]
    tables = [counts, at.reconcile_published(ind, ctx.published), behind, at.disagreements(ind),
              at.next_year_targets(ind, year)]
    (out / "attainment.html").write_text(page("Attainment", figs, tables), encoding="utf-8")
    forest = trends.forest_cover(ctx.indicators, ctx.published, ctx.provenance, year)
    term = trends.term_planting(forest, ctx.published)
    series = forest[(forest["year"] <= year) & (forest["series_break"] == "")].set_index("year")["forest_cover_pct"]
    progress(series, 80.5, 2025, 2020)
    figs = [plots.forest_cover_chart(forest), plots.planting_chart(forest[forest["year"] >= 2020]),
            plots.cumulative_chart(forest[(forest["year"] >= 2020) & (forest["year"] <= year)], term["published_ha"])]
    (out / "forest_cover.html").write_text(page("Forest", figs, [forest]), encoding="utf-8")
    grain = trends.grain_per_capita(ctx.indicators, ctx.published, ctx.provenance, year)
    observed = grain[grain["year"] <= year].set_index("year")
    progress(observed["grain_per_capita_kg"], 500, 2025, 2020)
    progress(observed["grain_output_t"], 28320, 2025, 2020)
    figs = [plots.grain_chart(grain), plots.per_capita_chart(grain[grain["year"] >= 2020])]
    (out / "grain_per_capita.html").write_text(page("Grain", figs, [grain]), encoding="utf-8")
    district = ctx.indicators[(ctx.indicators["area_level"] == "district") & (ctx.indicators["year"] <= year)]
    hist = indicator_series.history(district)
    found = indicator_series.shortfalls(hist, year)
    (out / "indicators.html").write_text(page("Indicators", [], [
        explorer.explorer(hist).html(), explorer.overview(hist)._repr_html_(), explorer.shortfall_table(found)]),
        encoding="utf-8")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
