"""The explorer's views of every indicator (analysis/series.py): one chart with a search box and the browser's own
list to pick an indicator (offline HTML, no kernel), and an overview of all of them, status by year, by section."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ..base import i18n
from .plots import _layout, _words
from .style import SERIES_COLORS as C
from .style import STATUS_COLORS, STATUS_TEXT


def _ordered(hist: pd.DataFrame) -> pd.DataFrame:
    """Sections in the catalog's order (Kinh tế first), names alphabetical within; unknown sections last."""
    from ..base import catalog

    order = {s: i for i, s in enumerate(dict.fromkeys(e[c] for e in catalog.entries().values()
                                                      for c in ("section", "section_en")))}
    return hist.assign(_o=hist["section"].map(order).fillna(len(order))).sort_values(["_o", "section", "name", "year"])


def _new_definitions(s: pd.DataFrame) -> list[int]:
    """The first year of each later definition segment of one series (where `segment` steps up), even when the
    break year itself has no figure."""
    firsts = s.sort_values("year").groupby("segment")["year"].min()
    return [int(y) for seg, y in firsts.items() if seg != firsts.index.min()]


def _view(s: pd.DataFrame, lang: str) -> dict:
    """The layout of one series' chart: its unit as the axis title, a dashed line and a note at each change of
    definition."""
    words = _words(lang)[0]
    cuts = _new_definitions(s)
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": y - 0.5, "x1": y - 0.5, "y0": 0, "y1": 1,
               "line": {"dash": "dash", "color": C["plan"]}} for y in cuts]
    notes = [{"xref": "x", "yref": "paper", "x": y - 0.5, "y": 1, "xanchor": "left", "showarrow": False,
              "text": html.escape(words["definition_break"])} for y in cuts]
    name, unit = html.escape(str(s["name"].iloc[0])), html.escape(str(s["unit"].iloc[0] or ""))
    return {"title.text": name, "yaxis.title.text": unit, "shapes": shapes, "annotations": notes}


def _traces(fig: go.Figure, k: str, s: pd.DataFrame, lang: str, shown: bool) -> None:
    """Plan (dotted) and actual (points coloured by status) of the series `k`, a trace pair per definition segment,
    each tagged with `k` in `meta` (the picker shows a series by its tag)."""
    words, status_words = _words(lang)
    for seg, part in s.groupby("segment"):
        first = seg == s["segment"].min()
        # a year without a figure stays a gap: never bridged by a line (no interpolation)
        part = part.set_index("year").reindex(range(part["year"].min(), part["year"].max() + 1))
        part = part.rename_axis("year").reset_index().assign(status=lambda d: d["status"].fillna(""))
        fig.add_scatter(x=part["year"], y=part["plan_value"], mode="lines+markers", name=words["plan"], meta=k,
                        line={"color": C["plan"], "dash": "dot"}, marker={"symbol": "line-ew-open"},
                        legendgroup="plan", showlegend=bool(first), visible=shown,
                        hovertemplate="%{x}: %{y:,}<extra>" + html.escape(words["plan"]) + "</extra>")
        fig.add_scatter(x=part["year"], y=part["actual_value"], mode="lines+markers", name=words["actual"], meta=k,
                        line={"color": C["actual"]}, legendgroup="actual", showlegend=bool(first),
                        marker={"size": 11, "color": [STATUS_COLORS.get(st, "#bdbdbd") for st in part["status"]],
                                "line": {"color": C["actual"], "width": 1}},
                        customdata=[status_words.get(st, "") for st in part["status"]], visible=shown,
                        hovertemplate="%{x}: %{y:,} (%{customdata})<extra></extra>")


def selector_chart(hist: pd.DataFrame, lang: str = "vi", selected: str | None = None) -> go.Figure:
    """Plan (line) and actual (points coloured by status) of every series over the years, `selected` (else the
    first) shown; a definition change starts a new segment (never joined) at a dashed line. `explorer()` adds the
    list that picks a series."""
    words = _words(lang)[0]
    fig = go.Figure()
    keys = list(dict.fromkeys(_ordered(hist)["key"]))
    selected = selected if selected in keys else (keys[0] if keys else None)
    for k in keys:
        _traces(fig, k, hist[hist["key"] == k].sort_values("year"), lang, k == selected)
    fig = _layout(fig, "", lang, xaxis_title=words["year"], hovermode="x unified")
    fig.update_layout(height=480)
    fig.update_xaxes(dtick=1, tickformat="d")
    if selected is not None:
        view = _view(hist[hist["key"] == selected], lang)
        fig.update_layout(title_text=view["title.text"], yaxis_title=view["yaxis.title.text"], shapes=view["shapes"],
                          annotations=view["annotations"])
    return fig


class Explorer:
    """The chart of every series with a search box and the browser's own list to pick one (the exported page);
    JupyterLab shows the chart of the series picked by the notebook's `indicator`."""

    def __init__(self, hist: pd.DataFrame, lang: str = "vi", selected: str | None = None) -> None:
        self.hist, self.lang = hist, lang
        self.figure = selector_chart(hist, lang, selected)
        keys = list(dict.fromkeys(_ordered(hist)["key"]))
        self.selected = selected if selected in keys else (keys[0] if keys else None)

    def html(self) -> str:
        """The picker and the chart as one block of HTML (plotly.js is the page's, loaded once)."""
        import uuid

        import plotly.io as pio
        from markupsafe import Markup

        from .pages import render
        from .plots import chart_config

        ordered = _ordered(self.hist).drop_duplicates("key")
        groups = [(section, list(zip(part["key"], part["name"], strict=True)))
                  for section, part in ordered.groupby("section", sort=False)]
        views = {k: _view(self.hist[self.hist["key"] == k], self.lang) for k in ordered["key"]}
        chart = pio.to_html(self.figure, include_plotlyjs=False, include_mathjax=False, full_html=False,
                            config=chart_config(self.lang))
        return render("explorer.html", self.lang, id=f"explorer-{uuid.uuid4().hex[:8]}", groups=groups,
                      selected=self.selected, total=len(ordered), rows=min(14, len(ordered) + len(groups)),
                      views=views, chart=Markup(chart))  # noqa: S704 (plotly's own div and script)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        import plotly.io as pio

        bundle = pio.renderers["plotly_mimetype"].to_mimebundle(self.figure.to_dict())
        return {**bundle, "text/html": self.html()}


def explorer(hist: pd.DataFrame, lang: str = "vi", selected: str | None = None) -> Explorer:
    """Every series, one at a time: found by typing part of its name or picked in the list (mouse or keyboard)."""
    return Explorer(hist, lang, selected)


def overview(hist: pd.DataFrame, lang: str = "vi"):
    """Every series at a glance: its status each year as a coloured cell (blank where it has none; `|` before a
    year with a new definition), grouped by section; names escaped."""
    status_words = _words(lang)[1]
    years = sorted(hist["year"].unique())
    rows, css = [], []
    for (section, _key), s in _ordered(hist).groupby(["section", "key"], sort=False):
        by_year = s.set_index("year")
        row = {i18n.text("col.section", lang): section, i18n.text("col.indicator", lang): s["name"].iloc[0],
               i18n.text("col.unit", lang): s["unit"].iloc[0]}
        style = {k: "" for k in row}
        cuts = _new_definitions(s)
        for y in years:
            st = by_year["status"].get(y, "")
            mark = "| " if y in cuts else ""
            row[str(y)] = mark + status_words.get(st, "") if st else ""
            style[str(y)] = (f"background-color:{STATUS_COLORS[st]};color:{STATUS_TEXT[st]}" if st in STATUS_COLORS
                             else "")
        rows.append(row)
        css.append(style)
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    styles = pd.DataFrame(css, columns=df.columns)
    text = [c for c in df.columns if not c.isdigit()]
    return (df.style.format(na_rep="", escape="html").apply(lambda _: styles, axis=None).hide(axis="index")
            .set_properties(subset=text, **{"text-align": "left"})
            .set_table_styles([{"selector": "th", "props": "text-align: left"}]))


def shortfall_table(found: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The persistent shortfalls for a report table: name, unit, kind in words, years, latest gap, and each judged
    year's status and gap (`2023: Không đạt (−5%)`)."""
    status_words = _words(lang)[1]
    rows = []
    for r in found.itertuples():
        steps = [f"{int(h.year)}: {status_words.get(h.status, h.status)}"
                 + ("" if pd.isna(h.gap_pct) else f" ({i18n.number(h.gap_pct, lang, 1, sign=True)}%)")
                 for h in r.history.itertuples()]
        rows.append({"name": r.name, "unit": r.unit, "kind": i18n.text(f"kind.{r.kind}", lang), "years": r.years,
                     "latest_gap_pct": r.latest_gap_pct, "history": "; ".join(steps)})
    return pd.DataFrame(rows, columns=["name", "unit", "kind", "years", "latest_gap_pct", "history"])


def pick(hist: pd.DataFrame, indicator: str) -> str | None:
    """The series the chart opens on: `indicator` as a catalog id, a catalog name or alias, or a name as written;
    "" for the first. A name the data does not have is refused in one line naming a few that it has."""
    from ..base import catalog

    if not indicator:
        return None
    for k in (indicator, catalog.match(indicator), "?" + indicator):
        if k and k in set(hist["key"]):
            return k
    some = ", ".join(list(dict.fromkeys(hist.loc[hist["indicator_id"] != "", "indicator_id"]))[:8])
    raise i18n.ParameterError(f"indicator: {indicator!r} is not an indicator of the data; give a catalog id such as "
                              f"{some}, or a name as the workbooks write it")


def breaks_table(hist: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The definition changes of the series shown (catalog_breaks.csv): indicator, first year, reason, source."""
    from ..base import catalog

    shown = dict(zip(hist["key"], hist["name"], strict=False))
    rows = [{"name": shown[b["id"]], "year": int(b["year"]), "reason": b["reason_vi" if lang == "vi" else "reason_en"],
             "source": b["source"]} for b in catalog.breaks() if b["id"] in shown]
    return pd.DataFrame(rows, columns=["name", "year", "reason", "source"])
