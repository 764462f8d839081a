"""The year's Excel workbook after the 2025 reform, agreeing with the HTML: the former district with its actuals
rebuilt from its communes and judged as the attainment report judges them, a sheet of the rebuilt figures (how
each was added up, from how many communes), and one attainment sheet per commune against its own plan."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..analysis import attainment, english
from ..analysis.communes import fill_from_communes, scope_of
from ..analysis.quality import marks
from ..base import i18n
from ..base.rule import Rule
from ..base.text import fold
from ..base.units import area_label
from .words import why
from .workbook import ATTAINMENT_COLUMNS, Sheet, _headers, attainment_cells, attainment_layout, table_cells

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.context import Context

REBUILT_COLUMNS = ["indicator", "unit", "plan_text", "actual_value", "status", "method", "coverage", "reason",
                   "finding"]
_NOT_IN_NAME = str.maketrans({c: " " for c in "[]:*?/\\"})  # characters Excel refuses in a sheet's name


def rebuilt(ctx: Context, communes: pd.DataFrame, district: str, year: int,
            lang: str = "vi") -> tuple[Context, pd.DataFrame]:
    """The district's rows with the year's actuals rebuilt from its communes and judged again (as the attainment
    report does), and the table of the rebuilt figures with the findings of the checks on them."""
    filled, targets, picture = fill_from_communes(ctx.indicators, communes, district, year, provenance=ctx.provenance)
    marked = marks.mark(filled, ctx.findings, lang, scope_of(district))
    targets = marks.on_rebuilt(targets, picture, marked, ctx.findings, year)[0]
    return replace(ctx, indicators=attainment.reclassify(filled, Rule()), scope=district), targets


def rebuilt_sheet(targets: pd.DataFrame, year: int, district: str, lang: str) -> Sheet:
    """The former district's figures added up from its communes: method, coverage and why one was not."""
    t = targets.reindex(columns=REBUILT_COLUMNS)
    words = {"method": lambda v: i18n.text(f"method.{v}", lang) if i18n.has(f"method.{v}", lang) else str(v or ""),
             "status": lambda v: i18n.status(v, lang), "reason": lambda v: why(v, lang),
             "indicator": lambda v: english.indicator(v, lang), "unit": lambda v: english.unit(v, lang),
             "plan_text": lambda v: english.plan(v, lang), "coverage": lambda v: "" if v is None or v != v else str(v),
             "finding": lambda v: "" if v is None or v != v else str(v)}
    return Sheet(_name(i18n.text("xl.sheet.rebuilt", lang)), i18n.text("xl.rebuilt_title", lang, year=year),
                 i18n.text("xl.rebuilt_subtitle", lang, area=district), REBUILT_COLUMNS,
                 _headers(REBUILT_COLUMNS, lang), table_cells(t, lang, words))


def commune_sheets(ctx: Context, communes: pd.DataFrame, year: int, lang: str) -> list[Sheet]:
    """One attainment sheet per commune of the year, its own rows against its own plan, by name."""
    out = []
    in_year = communes[communes["year"] == year]
    for name in sorted(in_year["area"].dropna().unique(), key=fold):  # Đồng Phúc among the D's
        own = replace(ctx, indicators=in_year[in_year["area"] == name])
        area = area_label(name, "commune", lang, year)
        out.append(Sheet(_name(area), i18n.text("xl.title", lang, year=year), i18n.text("xl.subtitle", lang, area=area),
                         ATTAINMENT_COLUMNS, _headers(ATTAINMENT_COLUMNS, lang, year=year),
                         attainment_cells(attainment_layout(own, year, lang), lang), freeze_cols=2))
    return out


def _name(text: str) -> str:
    """A sheet's name as Excel takes it: no `[]:*?/\\`, at most 31 characters."""
    return text.translate(_NOT_IN_NAME).strip()[:31]
