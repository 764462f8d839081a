"""plotly charts of the reports, in the reader's language (strings.csv: words; Babel: number separators), offline.

`setup()` (called first by every report notebook) sets the plotly renderer to `plotly_mimetype+chodon_html`:
JupyterLab draws the plotly mimetype; the `text/html` output (a div and a `Plotly.newPlot` call, no plotly.js,
no CDN) is what nbconvert keeps, and `chodon run` puts plotly.js into each HTML report once. Since plotly 6.1
a kernel emits only the mimetype by default, which nbconvert cannot render: the HTML would show no chart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

from ..analysis import english
from ..base import i18n
from .style import SERIES_COLORS as C
from .style import STATUS_COLORS

if TYPE_CHECKING:
    from IPython.display import Markdown

RENDERER = "plotly_mimetype+chodon_html"


class OfflineHtmlRenderer(MimetypeRenderer):
    """`text/html` for a figure without plotly.js: the page it ends up in carries the library once."""

    def to_mimebundle(self, fig_dict: dict) -> dict:
        """The figure's div; `fig_dict` comes from a figure plotly has validated already (`show`), so it is not
        built into a Figure and validated a second time (a few milliseconds a chart)."""
        lang = (fig_dict.get("layout", {}).get("meta") or {}).get("lang", "vi")
        html = pio.to_html(fig_dict, include_plotlyjs=False, include_mathjax=False, full_html=False,
                           config=chart_config(lang), validate=False)
        return {"text/html": html}


def chart_config(lang: str) -> dict:
    """plotly's config for a report page: its toolbar and messages in the report's language (strings.csv)."""
    from ..base import vocab

    words = vocab.strings()[lang if lang in i18n.LANGS else "vi"]
    dictionary = {k.removeprefix("plotly."): v for k, v in words.items() if k.startswith("plotly.")}
    return {"responsive": True, "displaylogo": False, "locale": lang, "locales": {lang: {"dictionary": dictionary}},
            "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendChartToCloud"], "showSendToCloud": False}
    # nothing in a report offers to send its data away


def setup() -> None:
    """Charts show in JupyterLab (mimetype) and in the exported HTML (`text/html`), with no network."""
    pio.renderers["chodon_html"] = OfflineHtmlRenderer()
    pio.renderers.default = RENDERER


def plotlyjs() -> str:
    """plotly.js of the installed plotly package (no network)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def plotlyjs_script() -> str:
    """plotly.js as one inline <script>, for a page that must stand alone."""
    return f'<script type="text/javascript">{plotlyjs()}</script>'


def _words(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Chart words and status labels of `lang`, from the string catalog."""
    from ..base import vocab

    words = vocab.strings()[i18n.check_lang(lang)]
    chart = {k.removeprefix("chart."): v for k, v in words.items() if k.startswith("chart.")}
    status = {k.removeprefix("status."): v for k, v in words.items() if k.startswith("status.")}
    return chart, status


def _template() -> go.layout.Template:
    """plotly_white without what these charts never use (colour scales, maps, 3-D, polar axes; trace types other
    than bar and scatter): each figure carries its template, and this cuts a page's charts by about 6 kB each."""
    if "chodon" not in pio.templates:
        full = pio.templates["plotly_white"].to_plotly_json()
        layout = {k: v for k, v in full["layout"].items()
                  if k not in ("polar", "ternary", "colorscale", "scene", "geo", "coloraxis", "mapbox")}
        data = {k: v for k, v in full["data"].items() if k in ("bar", "scatter")}
        pio.templates["chodon"] = go.layout.Template(layout=layout, data=data)
    return pio.templates["chodon"]


def _layout(fig: go.Figure, title: str, lang: str, **kw) -> go.Figure:
    """The common look; numbers in full with the language's separators (`51.855`, never `51.855k`)."""
    fig.update_layout(title=title, template=_template(), height=420, margin={"l": 60, "r": 20, "t": 60, "b": 40},
                      legend={"orientation": "h", "y": -0.15}, separators=i18n.separators(lang),
                      meta={"lang": lang}, **kw)
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    if "yaxis2" in kw:
        fig.update_layout(yaxis2={"exponentformat": "none", "separatethousands": True})
    return fig


def _reform(fig: go.Figure, df: pd.DataFrame, lang: str) -> go.Figure:
    """A line where the rebuilt years begin (from 1 July 2025: communes, Thái Nguyên province)."""
    if "series_break" in df and (df["series_break"] == "reform").any():
        first = int(df.loc[df["series_break"] == "reform", "year"].min())
        fig.add_vline(x=first - 0.5, line_dash="dash", line_color=C["plan"], annotation_position="top left",
                      annotation_text=_words(lang)[0]["reform"])
    return fig


def _years_axis(fig: go.Figure, years: pd.Series) -> go.Figure:
    """Whole years on the x axis (no 2,020.5), without a thousands separator."""
    span = (years.max() - years.min()) if len(years) else 0
    fig.update_xaxes(tickformat="d", dtick=1 if span <= 12 else 5, separatethousands=False)
    return fig


def _one_year(fig: go.Figure, years, lang: str) -> go.Figure:
    """A chart over the years with values of one year only (a commune's first report) says on it that one year is
    not a trend; one with none says so instead of empty axes (a ward without forest: years -1 to 6)."""
    seen = {int(y) for y in years if y is not None and y == y}
    if len(seen) == 1:
        fig.add_annotation(text=i18n.text("chart.one_year", lang, year=seen.pop()), xref="paper", yref="paper",
                           x=0.5, y=1.08, showarrow=False, font={"size": 13})
    elif not any(v is not None and v == v for trace in fig.data for v in (trace.y if trace.y is not None else ())):
        fig.add_annotation(text=i18n.text("chart.no_data", lang), xref="paper", yref="paper", x=0.5, y=0.5,
                           showarrow=False, font={"size": 15})
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        fig.update_layout(shapes=[], annotations=fig.layout.annotations[-1:], height=160, showlegend=False)
    return fig


def _label(values) -> list[str]:
    """Workbook text as a plotly category or label: `<b>`, `<br>`, `<a href>` shown as written, not as markup."""
    return [str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for v in values]


def _sources(values: pd.Series, lang: str) -> list[str]:
    """`published` / `illustrative` / a file name, in the reader's words, for hover text."""
    from .words import source_word

    return [source_word(v, lang) for v in values]


def _gapped(df: pd.DataFrame, col: str) -> tuple[list, list]:
    """x, y of a line that breaks where years are missing: nothing is drawn across a gap (no interpolation,
    and a series break such as atlas 2016 / census 2019 stays visibly apart)."""
    d = df[df[col].notna()].sort_values("year")
    xs: list = []
    ys: list = []
    last = None
    reform = set(d.loc[d["series_break"] == "reform", "year"]) if "series_break" in d else set()
    for year, value in zip(d["year"], d[col], strict=True):
        if last is not None and (year - last > 1 or (year in reform) != (last in reform)):  # the reform: apart
            xs.append(None)
            ys.append(None)
        xs.append(year)
        ys.append(value)
        last = year
    return xs, ys


def headline_counts(counts: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Grouped bars: computed, reported and published counts per status (columns of those names). The computed counts
    alone are in the statuses' colours; beside the office's or the published counts, each source has its own."""
    t, labels = _words(lang)
    fig = go.Figure()
    shown = [c for c in ("computed", "reported", "published")
             if c in counts and pd.api.types.is_numeric_dtype(counts[c])]  # a dash: the office assessed none
    for col in shown:
        color = C[col] if len(shown) > 1 else [STATUS_COLORS.get(s, C[col]) for s in counts["status"]]
        fig.add_bar(name=t[col], x=[labels[s] for s in counts["status"]], y=counts[col], marker_color=color,
                    text=counts[col], textposition="outside", hovertemplate="%{x}: %{y:,}<extra>" + t[col]
                    + "</extra>")
    return _layout(fig, "", lang, barmode="group", yaxis_title=t["count"])


def by_section_bar(df: pd.DataFrame, lang: str = "vi") -> go.Figure | Markdown:
    """Stacked horizontal bars: statuses per section (indicators under no section heading on a bar of their own,
    named so). A workbook without section headings (a commune's, often) gets the sentence that says so instead of
    one unnamed bar."""
    t, labels = _words(lang)
    if not df["section"].fillna("").astype(str).str.strip().ne("").any():
        from IPython.display import Markdown

        return Markdown(i18n.text("att.no_sections", lang))
    sections = df["section"].fillna("").astype(str).str.strip()
    sections = sections.map(lambda v: english.section(v, lang) if v else t["no_section"])  # in English: Economy
    fig = go.Figure()
    for status, color in STATUS_COLORS.items():
        d = df["status"] == status
        fig.add_bar(name=labels[status], y=_label(sections[d]), x=df.loc[d, "count"], orientation="h",
                    marker_color=color, hovertemplate="%{y}: %{x:,}<extra>" + labels[status] + "</extra>")
    return _layout(fig, "", lang, barmode="stack", xaxis_title=t["count"], yaxis={"automargin": True})


def over_years(summary: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Stacked bars: computed statuses per year."""
    t, labels = _words(lang)
    fig = go.Figure()
    for status, color in STATUS_COLORS.items():
        d = summary[summary["status"] == status]
        fig.add_bar(name=labels[status], x=d["year"].astype(str), y=d["computed"], marker_color=color,
                    hovertemplate="%{x}: %{y:,}<extra>" + labels[status] + "</extra>")
    return _one_year(_layout(fig, "", lang, barmode="stack", xaxis_title=t["year"], yaxis_title=t["count"],
                             xaxis_type="category"), summary["year"], lang)


def gap_bar(df: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Horizontal bars of the gap to plan in percent (negative = behind), in the not-met colour."""
    t = _words(lang)[0]
    fig = go.Figure(go.Bar(y=_label(df["indicator"]), x=df["gap_pct"], orientation="h",
                           marker_color=STATUS_COLORS["not_met"], text=[i18n.percent(v, lang) for v in df["gap_pct"]],
                           textposition="outside", textangle=0, cliponaxis=False,
                           hovertemplate="%{y}: %{text}<extra></extra>"))
    return _layout(fig, "", lang, xaxis_title=t["gap"], yaxis={"automargin": True, "autorange": "reversed"})


_KINDS = {"": "circle-open", "published": "circle", "rebuilt": "diamond"}  # "": any other source, a workbook's value


def _points(fig: go.Figure, d: pd.DataFrame, col: str, source: str, name: str, lang: str, hover: str,
            marker: dict, **kw) -> None:
    """The markers of a series, one trace per kind of source: filled circles published, diamonds rebuilt from the
    communes, open circles the workbooks' values; each kind drawn is named in the legend (*Thực hiện: công bố*)."""
    kinds = d[source].map(lambda s: "rebuilt" if s == "rebuilt_illustrative" else s if s in _KINDS else "")
    for kind, symbol in _KINDS.items():
        p = d[kinds == kind]
        if len(p):
            word = i18n.text(f"source.{kind}" if kind else "chart.from_workbooks", lang)
            fig.add_scatter(x=p["year"], y=p[col], mode="markers", name=f"{name}: {word}",
                            marker={**marker, "symbol": symbol}, customdata=_sources(p[source], lang),
                            hovertemplate=hover, **kw)


def forest_cover_chart(forest: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Forest cover with the plan line; open markers are the workbooks' values (illustrative in the sample data),
    filled ones published, diamonds rebuilt from the communes."""
    t = _words(lang)[0]
    d = forest[forest["forest_cover_pct"].notna()]
    fig = go.Figure()
    x, y = _gapped(forest, "forest_cover_pct")
    fig.add_scatter(x=x, y=y, mode="lines", name=t["actual"], line={"color": C["actual"]}, hoverinfo="skip",
                    showlegend=False)
    _points(fig, d, "forest_cover_pct", "source", t["actual"], lang, "%{x}: %{y:,.1f}% (%{customdata})<extra></extra>",
            {"size": 10, "color": C["actual"]})
    x, y = _gapped(forest, "plan_pct")
    fig.add_scatter(x=x, y=y, mode="lines+markers", name=t["plan"], line={"dash": "dash", "color": C["plan"]},
                    marker={"color": C["plan"], "symbol": "square"},
                    hovertemplate="%{x}: %{y:,.1f}%<extra>" + t["plan"] + "</extra>")
    fig = _years_axis(_layout(fig, "", lang, xaxis_title=t["year"], yaxis_title=t["cover"]), forest["year"])
    return _one_year(_reform(fig, forest, lang), d["year"], lang)


def planting_chart(forest: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """New forest planted per year against its plan (no labels on the bars: the values are in the hover)."""
    t = _words(lang)[0]
    fig = go.Figure()
    fig.add_bar(x=forest["year"], y=forest["new_forest_plan_ha"], name=t["plan"], marker_color=C["plan_bar"],
                marker_line={"color": C["plan"], "width": 1},
                hovertemplate="%{x}: %{y:,} ha<extra>" + t["plan"] + "</extra>")
    fig.add_bar(x=forest["year"], y=forest["new_forest_ha"], name=t["actual"], marker_color=C["actual"],
                customdata=_sources(forest["new_forest_source"], lang),
                hovertemplate="%{x}: %{y:,} ha (%{customdata})<extra></extra>")
    fig = _years_axis(_layout(fig, "", lang, barmode="group", xaxis_title=t["year"], yaxis_title=t["planted"]),
                      forest["year"])
    return _one_year(_reform(fig, forest, lang), forest.loc[forest["new_forest_ha"].notna(), "year"], lang)


def cumulative_chart(forest: pd.DataFrame, term_total: float, lang: str = "vi") -> go.Figure:
    """Cumulative planting over the term against the published term total."""
    t = _words(lang)[0]
    d = forest[forest["cumulative_new_forest_ha"].notna()]
    fig = go.Figure(go.Scatter(x=d["year"], y=d["cumulative_new_forest_ha"], mode="lines+markers", name=t["cumulative"],
                               line={"color": C["actual"]}, hovertemplate="%{x}: %{y:,.1f} ha<extra></extra>"))
    if term_total == term_total:
        fig.add_hline(y=term_total, line_dash="dot", line_color=C["published"],
                      annotation_text=f"{t['term']}: {i18n.number(term_total, lang, 0)} ha",
                      annotation_position="top left")  # above the line, at the start: the series is low there
    return _one_year(_years_axis(_layout(fig, "", lang, xaxis_title=t["year"], yaxis_title=t["cumulative"]), d["year"]),
                     d["year"], lang)


def grain_chart(grain: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Grain output (bars, left axis) and population (line, right axis); the values are in the hover, not
    written over the bars, so nothing covers the line."""
    t = _words(lang)[0]
    fig = go.Figure()
    d = grain[grain["grain_output_t"].notna()]
    tonnes = i18n.text("unit.t", lang)
    fig.add_bar(x=d["year"], y=d["grain_output_t"], name=t["output"], marker_color=C["output"],
                customdata=_sources(d["source"], lang),
                hovertemplate="%{x}: %{y:,} " + tonnes + " (%{customdata})<extra></extra>")
    p = grain[grain["population"].notna()]
    x, y = _gapped(grain, "population")
    fig.add_scatter(x=x, y=y, name=t["population"], yaxis="y2", mode="lines", line={"color": C["population"]},
                    hoverinfo="skip", showlegend=False)
    _points(fig, p, "population", "population_source", t["population"], lang,
            "%{x}: %{y:,} (%{customdata})<extra></extra>", {"color": C["population"], "size": 9}, yaxis="y2")
    fig = _years_axis(_layout(fig, "", lang, xaxis_title=t["year"], yaxis_title=t["output"],
                              yaxis2={"title": t["population"], "overlaying": "y", "side": "right",
                                      "rangemode": "tozero"}), grain["year"])
    return _one_year(_reform(fig, grain, lang), pd.concat([d["year"], p["year"]]), lang)


def per_capita_chart(grain: pd.DataFrame, lines: tuple[float, ...] = (500, 550), lang: str = "vi") -> go.Figure:
    """Per-capita grain computed against reported, with reference lines (500 and 550 kg)."""
    t = _words(lang)[0]
    d = grain[grain["grain_per_capita_kg"].notna() | grain["reported_kg"].notna()]
    fig = go.Figure()
    x, y = _gapped(d, "grain_per_capita_kg")
    fig.add_scatter(x=x, y=y, name=t["pc_computed"], mode="lines", line={"color": C["actual"]}, hoverinfo="skip",
                    showlegend=False)
    _points(fig, d[d["grain_per_capita_kg"].notna()], "grain_per_capita_kg", "source", t["pc_computed"], lang,
            "%{x}: %{y:,.1f} kg (%{customdata})<extra></extra>", {"size": 8, "color": C["actual"]})
    fig.add_scatter(x=d["year"], y=d["reported_kg"], name=t["pc_reported"], mode="markers",  # diamonds: rebuilt
                    marker={"symbol": "square-open", "size": 11, "color": C["published"]},
                    hovertemplate="%{x}: %{y:,.1f} kg<extra></extra>")
    for v in lines:
        fig.add_hline(y=v, line_dash="dot", line_color=C["plan"], annotation_text=f"{i18n.number(v, lang)} kg",
                      annotation_position="bottom left")
    fig = _years_axis(_layout(fig, "", lang, xaxis_title=t["year"], yaxis_title=t["pc"]), d["year"])
    return _one_year(_reform(fig, d, lang), d["year"], lang)


def indicator_chart(rows: pd.DataFrame, title: str = "", lang: str = "vi") -> go.Figure:
    """Plan and actual of one indicator over the years (whole years on the axis): for your own questions."""
    t = _words(lang)[0]
    d = rows.sort_values("year")
    fig = go.Figure()
    for col, name, dash in (("plan_value", t["plan"], "dash"), ("actual_value", t["actual"], "solid")):
        color = C["plan" if col == "plan_value" else "actual"]
        fig.add_scatter(x=d["year"], y=d[col], name=name, mode="lines+markers", line={"color": color, "dash": dash},
                        hovertemplate="%{x}: %{y:,}<extra>" + name + "</extra>")
    fig = _years_axis(_layout(fig, title, lang, xaxis_title=t["year"], yaxis_title=t["value"]), d["year"])
    return _one_year(fig, d.loc[d["actual_value"].notna(), "year"], lang)
