"""The year's Excel workbook after the 2025 reform, agreeing with the HTML: the former district with its actuals
rebuilt from its communes and judged as the attainment report judges them, a sheet of the rebuilt figures (how
each was added up, from how many communes), and a sheet per area level: every former district rebuilt, every
commune against its own plan (one sheet for any number of them)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import attainment, english
from ..analysis.communes import fill_from_communes, origin_of_rebuilt, scope_of
from ..analysis.quality import marks
from ..base import i18n
from ..base.rule import Rule
from ..base.text import fold
from ..base.units import area_label
from . import trendbook, workbook
from .words import why
from .workbook import ATTAINMENT_COLUMNS, Cell, Sheet, _headers, attainment_cells, attainment_layout, table_cells

if TYPE_CHECKING:
    from ..analysis.context import Context

REBUILT_COLUMNS = ["indicator", "unit", "plan_text", "actual_value", "status", "method", "coverage", "source",
                   "reason", "finding"]
_NOT_IN_NAME = str.maketrans({c: " " for c in "[]:*?/\\"})  # characters Excel refuses in a sheet's name


def rebuilt(ctx: Context, communes: pd.DataFrame, district: str, year: int,
            lang: str = "vi") -> tuple[Context, pd.DataFrame]:
    """The district's rows with the year's actuals rebuilt from its communes and judged again (as the attainment
    report does), and the table of the rebuilt figures with the findings of the checks on them."""
    filled, targets, picture = fill_from_communes(ctx.indicators, communes, district, year, provenance=ctx.provenance)
    marked = marks.mark(filled, ctx.findings, lang, scope_of(district))
    targets = marks.on_rebuilt(targets, picture, marked, ctx.findings, year)[0]
    in_scope = communes[communes["area"].isin(scope_of(district))]
    targets = origin_of_rebuilt(targets.assign(year=year), in_scope, ctx.provenance).drop(columns="year")
    return replace(ctx, indicators=attainment.reclassify(filled, Rule()), scope=district), targets


def rebuilt_sheet(targets: pd.DataFrame, year: int, district: str, lang: str) -> Sheet:
    """The former district's figures added up from its communes: method, coverage and why one was not."""
    t = targets.assign(source=_sources(targets, lang)).reindex(columns=REBUILT_COLUMNS)
    words = {"method": lambda v: i18n.text(f"method.{v}", lang) if i18n.has(f"method.{v}", lang) else str(v or ""),
             "status": lambda v: i18n.status(v, lang), "reason": lambda v: why(v, lang),
             "indicator": lambda v: english.indicator(v, lang), "unit": lambda v: english.unit(v, lang),
             "plan_text": _text, "coverage": _text, "finding": _text, "source": _text}
    values = targets.reindex(columns=["plan_value"])["plan_value"]
    plans = [workbook.as_written(v, w, lang) for v, w in zip(values, t["plan_text"], strict=True)]
    cells = _with_plans(table_cells(t, lang, words), REBUILT_COLUMNS, plans, lang)
    cells = _with_actuals(cells, REBUILT_COLUMNS, list(t["actual_value"]), list(t["method"]), lang)
    return Sheet(_name(i18n.text("xl.sheet.rebuilt", lang)), i18n.text("xl.rebuilt_title", lang, year=year),
                 i18n.text("xl.rebuilt_subtitle", lang, area=district), REBUILT_COLUMNS,
                 _headers(REBUILT_COLUMNS, lang), cells)


COMMUNE_COLUMNS = ["area", "area_code", "former_district", *ATTAINMENT_COLUMNS]
DISTRICT_COLUMNS = ["former_district", "indicator", "unit", "plan_text", "actual_value", "status", "method", "coverage",
                    "source", "communes", "reason", "finding"]


def communes_sheet(ctx: Context, communes: pd.DataFrame, year: int, lang: str) -> Sheet:
    """The sheet of the commune level: every commune's (and ward's) indicators of the year against its own plan, in
    the attainment layout, led by the commune, its code and the former district wholly containing it; grouped by
    former district (those formed from several last), by name within. One sheet for any number of communes."""
    in_year = communes[communes["year"] == year]
    first = in_year.drop_duplicates("area").set_index("area")
    district = {n: _text(first.loc[n, "district"]) for n in first.index.dropna()}
    names = sorted(district, key=lambda n: (not district[n], fold(district[n]), fold(n)))
    rows: list[list] = []
    for name in names:
        own = replace(ctx, indicators=in_year[in_year["area"] == name])
        code = _text(first.loc[name, "area_code"]) if "area_code" in first else ""
        lead = [(area_label(name, "commune", lang, year), {"bold": True}), (code, {}), (district[name], {})]
        layout = attainment_layout(own, year, lang)
        rows += [lead + cells for cells, kind in zip(attainment_cells(layout, lang), layout["kind"], strict=True)
                 if kind == "indicator"]
    return Sheet(_name(i18n.text("xl.sheet.communes", lang)), i18n.text("xl.communes_title", lang, year=year),
                 i18n.text("xl.communes_subtitle", lang, n=len(names)), COMMUNE_COLUMNS,
                 _headers(COMMUNE_COLUMNS, lang, year=year), rows, freeze_cols=1)


def districts_sheet(rebuilt: pd.DataFrame, year: int, lang: str, table: pd.DataFrame | None = None,
                    found: pd.DataFrame | None = None, provenance: pd.DataFrame | None = None) -> Sheet:
    """The sheet of the former-district level: every former district rebuilt from its communes (former_district.csv,
    the communes wholly inside each), the year's figures with their method, coverage, the communes counted and the
    checks' findings on them (`found`); and, for a district whose own workbook set the year's targets (in `table`),
    its plan and status against them. With `provenance` (and `table`), a figure made of sample figures says so."""
    t = rebuilt[(rebuilt["year"] == year) & (rebuilt["scope"] == "wholly_inside")] if len(rebuilt) else rebuilt
    known = table is not None and provenance is not None  # else no source said: a sample's would lose its mark
    columns = DISTRICT_COLUMNS if known else [c for c in DISTRICT_COLUMNS if c != "source"]
    if len(t) and known:
        t = pd.concat([_origins(g, table, provenance) for _, g in t.groupby("district", sort=False)])
    t = t.assign(former_district=t["district"], finding=marks.on_districts(t, found, lang),
                 source=_sources(t, lang)).reindex(columns=columns) if len(t) else pd.DataFrame(columns=columns)
    if table is not None and len(t):
        judged = _judged(table, sorted(set(t["former_district"])), year, lang)
        keys = list(zip(t["former_district"], t["indicator"], strict=True))
        said = [judged.get(k, ("", "", ""))[2] for k in keys]  # why a target is not judged (the shared communes)
        t = t.assign(plan_text=[judged.get(k, ("", "", ""))[0] for k in keys],
                     status=[judged.get(k, ("", "", ""))[1] or None for k in keys],
                     reason=["; ".join(x for x in (_text(r), w) if x) for r, w in zip(t["reason"], said, strict=True)])
    t = t.sort_values("former_district", key=lambda s: s.map(fold), kind="stable")
    words = {"method": lambda v: i18n.text(f"method.{v}", lang) if i18n.has(f"method.{v}", lang) else _text(v),
             "reason": lambda v: why(v, lang), "indicator": lambda v: english.indicator(v, lang),
             "unit": lambda v: english.unit(v, lang),
             "former_district": lambda v: area_label(str(v), "district", lang, year)}
    words |= {c: _text for c in ("coverage", "communes", "plan_text", "finding", "source")} | {
        "status": lambda v: i18n.status(v, lang) if v else ""}
    cells = _with_plans(table_cells(t, lang, words), columns, list(t["plan_text"]), lang)
    cells = _with_actuals(cells, columns, list(t["actual_value"]), list(t["method"]), lang)
    return Sheet(_name(i18n.text("xl.sheet.districts", lang)), i18n.text("xl.districts_title", lang, year=year),
                 i18n.text("xl.districts_subtitle", lang), columns, _headers(columns, lang), cells,
                 freeze_cols=1)


def _with_plans(cells: list[list[Cell]], columns: list[str], plans: list[object], lang: str) -> list[list[Cell]]:
    """The plan column of `cells` as the attainment sheets show it (workbook.written_cell): a number an office can
    compute with where the plan is a plain number, else the office's words with their operator (`trên 500`)."""
    at = columns.index("plan_text")
    for row, plan in zip(cells, plans, strict=True):
        row[at] = workbook.written_cell(None if _text(plan) == "" else plan, lang)
    return cells


def _with_actuals(cells: list[list[Cell]], columns: list[str], actuals: list[object], methods: list[object],
                  lang: str) -> list[list[Cell]]:
    """The actual column of `cells` at the decimals each figure has (a sum of whole numbers whole: 28.420, not
    28.420,00); a ratio recomputed from its components to trendbook.RATIO_PLACES, as every output gives it."""
    at = columns.index("actual_value")
    for row, value, method in zip(cells, actuals, methods, strict=True):
        number = None if _text(value) == "" else float(value)
        row[at] = workbook.written_cell(trendbook.ratio_value(number) if method == "ratio" else number, lang)
    return cells


def _origins(rows: pd.DataFrame, table: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    """One former district's rows with `actual_origin` (communes.origin_of_rebuilt): made of its own communes'
    figures only, those wholly inside it."""
    communes = table[(table["area_level"] == "commune") & table["area"].isin(scope_of(str(rows["district"].iloc[0])))]
    return origin_of_rebuilt(rows, communes, provenance)


def _sources(rows: pd.DataFrame, lang: str) -> list[str]:
    """Where each figure comes from: rebuilt from the communes (`tính lại từ các xã`), illustrative when made of
    sample figures (`actual_origin`); "" where there is no figure."""
    origin = rows["actual_origin"] if "actual_origin" in rows else pd.Series("", index=rows.index)
    return [trendbook.rebuilt_source(o == "illustrative", lang) if _text(v) != "" else ""
            for v, o in zip(rows["actual_value"], origin.fillna(""), strict=True)]


def _judged(table: pd.DataFrame, districts: list[str], year: int,
            lang: str) -> dict[tuple[str, str], tuple[object, str, str]]:
    """(district, measure's label) -> (its plan: the number of a plain number, else as written; its status; why it is
    not judged when the communes it shares decide, else "") of each former district that set targets for `year` (its
    own rows), judged as its attainment report judges."""
    from ..analysis.communes import measure_of
    from ..base import reform

    communes, rules = table[table["area_level"] == "commune"], reform.aggregation_rules()
    out: dict[tuple[str, str], tuple[object, str, str]] = {}
    for d in districts:
        own = table[(table["area"] == d) & (table["area_level"] == "district")]
        if own.empty or not (own["year"] == year).any():
            continue
        for r in fill_from_communes(own, communes, d, year)[1].itertuples():
            if (rule := measure_of(r.indicator, rules, r.unit)) is not None:
                shared = "; ".join(p for p in str(r.reason).split("; ") if "shared communes" in p)
                out.setdefault((d, rule["label"]), (workbook.as_written(r.plan_value, r.plan_text, lang), r.status,
                                                    shared))
    return out


def _text(v: object) -> str:
    return "" if v is None or v != v else str(v)


def _name(text: str) -> str:
    """A sheet's name as Excel takes it: no `[]:*?/\\`, at most 31 characters."""
    return text.translate(_NOT_IN_NAME).strip()[:31]
