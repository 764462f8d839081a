"""The explorer's views of every indicator (analysis/series.py): one chart with a search box and the browser's own
list to pick an indicator (offline HTML, no kernel), and an overview of all of them, status by year, by section."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

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
    return _cuts(list(zip(s["year"].astype(int), s["segment"], strict=True)))


def _cuts(years_segments: list[tuple[int, int]]) -> list[int]:
    firsts: dict[int, int] = {}
    for y, seg in sorted(years_segments):
        firsts.setdefault(int(seg), int(y))
    return [y for seg, y in sorted(firsts.items()) if seg != min(firsts)]


@dataclass
class _Series:
    """One series of the history as plain lists (built in one pass over the table, whatever the number of series)."""

    key: str
    name: str
    unit: str
    section: str
    rows: list[tuple]  # (year, segment, plan, actual, status, finding) by year

    @property
    def cuts(self) -> list[int]:
        return _cuts([(r[0], r[1]) for r in self.rows])


def _series(hist: pd.DataFrame) -> list[_Series]:
    """Each series in the explorer's order (sections as the catalog orders them, names alphabetical)."""
    ordered = _ordered(hist)
    out: dict[str, _Series] = {}
    cols = ("key", "name", "unit", "section", "year", "segment", "plan_value", "actual_value", "status")
    found = ordered["finding"].fillna("").tolist() if "finding" in ordered else [""] * len(ordered)
    for k, name, unit, section, year, seg, plan, actual, status, finding in zip(
            *(ordered[c].tolist() for c in cols), found, strict=True):
        if k not in out:
            out[k] = _Series(k, str(name), "" if pd.isna(unit) else str(unit), str(section), [])
        out[k].rows.append((int(year), int(seg), None if pd.isna(plan) else float(plan),
                            None if pd.isna(actual) else float(actual), "" if pd.isna(status) else str(status),
                            str(finding)))
    return list(out.values())


def _hover_note(finding: str) -> str:
    """A finding under a point's hover line: escaped, wrapped at about 60 characters ("" when none)."""
    if not finding:
        return ""
    return "".join("<br>" + html.escape(line) for line in textwrap.wrap(finding, 60))


def _flags(s: _Series, seg: int, words: dict, legend: bool, shown: bool) -> list[dict]:
    """A ⚠ over each actual of a segment that a finding of the checks is on (none when it has none)."""
    hit = [r for r in s.rows if r[1] == seg and r[5] and r[3] is not None]
    if not hit:
        return []
    return [{"type": "scatter", "x": [r[0] for r in hit], "y": [r[3] for r in hit], "mode": "markers+text",
             "text": ["⚠"] * len(hit), "textposition": "top center", "textfont": {"size": 18, "color": "#b71c1c"},
             "marker": {"symbol": "circle-open", "size": 20, "color": "#b71c1c", "line": {"width": 2}},  # the legend's
             "name": words["finding"], "meta": s.key, "legendgroup": "finding", "showlegend": legend,
             "visible": shown, "hoverinfo": "skip"}]


def _view(s: _Series, words: dict) -> dict:
    """The layout of one series' chart: its name as the title, its unit as the axis title, a dashed line and a
    note at each change of definition."""
    from ..base import catalog
    from ..base.places import REFORM_YEAR

    cuts = s.cuts
    defined = {int(b["year"]) for b in catalog.breaks() if b["id"] == s.key.split("@")[0]}
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": y - 0.5, "x1": y - 0.5, "y0": 0, "y1": 1,
               "line": {"dash": "dash", "color": C["plan"]}} for y in cuts]
    notes = [{"xref": "x", "yref": "paper", "x": y - 0.5, "y": 1, "xanchor": "left", "showarrow": False,
              "text": html.escape(words["reform" if y >= REFORM_YEAR and y not in defined else "definition_break"])}
             for y in cuts]
    return {"title.text": html.escape(s.name), "yaxis.title.text": html.escape(s.unit), "shapes": shapes,
            "annotations": notes}


def _traces(s: _Series, words: tuple[dict, dict], shown: bool) -> list[dict]:
    """Plan (dotted) and actual (points coloured by status) of one series, a trace pair per definition segment,
    each tagged with its key in `meta` (the picker shows a series by its tag); a year without a figure stays a
    gap, never bridged by a line (no interpolation)."""
    t, status_words = words
    out = []
    segments = sorted({r[1] for r in s.rows})
    flagged = {r[1] for r in s.rows if r[5] and r[3] is not None}  # segments with a ⚠: the first one's in the legend
    for seg in segments:
        part = {r[0]: r for r in s.rows if r[1] == seg}
        years = list(range(min(part), max(part) + 1))
        rows = [part.get(y, (y, seg, None, None, "", "")) for y in years]
        status = [r[4] for r in rows]
        legend = seg == segments[0]
        out.append({"type": "scatter", "x": years, "y": [r[2] for r in rows], "mode": "lines+markers",
                    "name": t["plan"], "meta": s.key, "line": {"color": C["plan"], "dash": "dot"},
                    "marker": {"symbol": "line-ew-open"}, "legendgroup": "plan", "showlegend": legend,
                    "visible": shown, "hovertemplate": "%{x}: %{y:,}<extra>" + html.escape(t["plan"]) + "</extra>"})
        out.append({"type": "scatter", "x": years, "y": [r[3] for r in rows], "mode": "lines+markers",
                    "name": t["actual"], "meta": s.key, "line": {"color": C["actual"]}, "legendgroup": "actual",
                    "showlegend": legend, "marker": {"size": 11, "color": [STATUS_COLORS.get(x, "#bdbdbd")
                                                                           for x in status],
                                                     "line": {"color": C["actual"], "width": 1}},
                    "customdata": [[status_words.get(r[4], ""), _hover_note(r[5])] for r in rows], "visible": shown,
                    "hovertemplate": "%{x}: %{y:,} (%{customdata[0]})%{customdata[1]}<extra></extra>"})
        out += _flags(s, seg, t, seg == min(flagged, default=None), shown)
    return out


def figure_dict(hist: pd.DataFrame, lang: str = "vi", selected: str | None = None) -> dict:
    """The explorer's chart as plotly's plain figure (no per-trace validation: thousands of series stay fast):
    every series, `selected` (else the first) shown; a definition change is a new segment at a dashed line."""
    words = _words(lang)
    series = _series(hist)
    keys = [s.key for s in series]
    selected = selected if selected in keys else (keys[0] if keys else None)
    frame = _layout(go.Figure(), "", lang, xaxis_title=words[0]["year"], hovermode="x unified")
    frame.update_layout(height=480)
    frame.update_xaxes(dtick=1, tickformat="d")
    layout = frame.to_plotly_json()["layout"]
    if selected is not None:
        view = _view(series[keys.index(selected)], words[0])
        layout.update(shapes=view["shapes"], annotations=view["annotations"])
        layout["title"] = {**layout.get("title", {}), "text": view["title.text"]}
        layout["yaxis"] = {**layout.get("yaxis", {}), "title": {"text": view["yaxis.title.text"]}}
    return {"data": [t for s in series for t in _traces(s, words, s.key == selected)], "layout": layout}


def selector_chart(hist: pd.DataFrame, lang: str = "vi", selected: str | None = None) -> go.Figure:
    """The explorer's chart as a plotly figure (for a few series; `explorer()` draws any number)."""
    return go.Figure(figure_dict(hist, lang, selected))


class Explorer:
    """The chart of every series with a search box and the browser's own list to pick one (the exported page);
    JupyterLab shows the chart of the series picked by the notebook's `indicator`."""

    def __init__(self, hist: pd.DataFrame, lang: str = "vi", selected: str | None = None) -> None:
        self.hist, self.lang = hist, lang
        self.figure = figure_dict(hist, lang, selected)
        shown = [t["meta"] for t in self.figure["data"] if t["visible"]]
        self.selected = shown[0] if shown else None

    def html(self) -> str:
        """The picker and the chart as one block of HTML (plotly.js is the page's, loaded once)."""
        import uuid

        import plotly.io as pio
        from markupsafe import Markup

        from .pages import render
        from .plots import chart_config

        series = _series(self.hist)
        sections: dict[str, list[tuple[str, str]]] = {}
        for s in series:
            sections.setdefault(s.section, []).append((s.key, s.name))
        words = _words(self.lang)[0]
        views = {s.key: _view(s, words) for s in series}
        chart = pio.to_html(self.figure, include_plotlyjs=False, include_mathjax=False, full_html=False,
                            config=chart_config(self.lang), validate=False)
        return render("explorer.html", self.lang, id=f"explorer-{uuid.uuid4().hex[:8]}", groups=list(sections.items()),
                      selected=self.selected, total=len(series), rows=min(14, len(series) + len(sections)),
                      views=views, chart=Markup(chart))  # noqa: S704 (plotly's own div and script)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        import plotly.io as pio

        bundle = pio.renderers["plotly_mimetype"].to_mimebundle(dict(self.figure))
        return {**bundle, "text/html": self.html()}


def explorer(hist: pd.DataFrame, lang: str = "vi", selected: str | None = None) -> Explorer:
    """Every series, one at a time: found by typing part of its name or picked in the list (mouse or keyboard)."""
    return Explorer(hist, lang, selected)


class Overview:
    """The overview table as HTML (report/templates/overview.html, autoescaped): one row per series."""

    def __init__(self, rows: list[dict], years: list[int], lang: str) -> None:
        self.rows, self.years, self.lang = rows, years, lang

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_html_(self) -> str:
        from .pages import render

        if not self.rows:  # as every table without rows: the word that says so
            return f"<p>{html.escape(i18n.text('table.empty', self.lang))}</p>"
        return render("overview.html", self.lang, rows=self.rows, years=self.years)


def overview(hist: pd.DataFrame, lang: str = "vi") -> Overview:
    """Every series at a glance: its status each year as a coloured cell (blank where it has none; `|` before a
    year with a new definition), grouped by section; names escaped. Linear in the number of series."""
    status_words = _words(lang)[1]
    years = [int(y) for y in sorted(hist["year"].unique())]
    rows = []
    for s in _series(hist):
        by_year = {r[0]: r[4] for r in s.rows}
        found = {r[0]: r[5] for r in s.rows}
        cuts = set(s.cuts)
        cells = []
        for y in years:
            st = by_year.get(y, "")
            flag = "⚠ " if found.get(y) else ""
            cells.append({"text": ("| " if y in cuts else "") + flag + status_words.get(st, "") if st else "",
                          "note": found.get(y, ""),
                          "fill": STATUS_COLORS.get(st, ""), "ink": STATUS_TEXT.get(st, "")})
        rows.append({"section": s.section, "name": s.name, "unit": s.unit, "cells": cells})
    return Overview(rows, years, lang)


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
    """The series the chart opens on: `indicator` as a catalog id, a Vietnamese or English name or an alias (as the
    analyst's functions find it, catalog.find), or a name as written; "" for the first. A name the data does not
    have is refused in one line naming a few that it has."""
    from ..base import catalog

    if not indicator:
        return None
    for k in (indicator, catalog.find(indicator), catalog.match(indicator), "?" + indicator):
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
