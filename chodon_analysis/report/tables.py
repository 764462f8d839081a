"""Tables for the reports in the reader's language: headers and status words from the catalog, numbers in the
language's format (Babel), statuses coloured as in the charts, empty cells blank, every text HTML-escaped."""

from __future__ import annotations

import pandas as pd

from ..analysis import english
from ..base import i18n
from ..base.vocab import STATUSES
from .style import STATUS_COLORS, STATUS_TEXT
from .words import as_written, remark, source_word, why

YEAR_COLUMNS = ("year", "last_year", "base_year", "latest_year", "target_year", "source_row", "row")
STATUS_COLUMNS = ("status", "reported_status")
SOURCE_COLUMNS = ("source", "new_forest_source", "population_source")
RATIOS = ("ratio",)  # actual / plan: shown in percent, as offices write TH/KH
WRITTEN = ("plan_text", "actual_text", "target")  # as the office wrote them
NAMES = ("indicator", "name", "parent_indicator")  # an indicator's name: the catalog's English in English


def header(column: object, lang: str) -> str:
    """`plan_text` -> `Kế hoạch`; a status code as a column (a pivot) -> its word; else as it is."""
    c = str(column)
    if c in STATUSES:
        return i18n.status(c, lang)
    return i18n.text(f"col.{c}", lang) if i18n.has(f"col.{c}", lang) else c


def _words(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Codes shown as words: statuses, sources, yes/no, kinds of target, remarks."""
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if c in STATUS_COLUMNS:
            out[c] = col.map(lambda v: i18n.status(v, lang))
        elif c in WRITTEN:
            out[c] = col.map(lambda v: as_written(v, lang) if lang == "vi" else english.plan(v, lang))
        elif c in NAMES and not pd.api.types.is_numeric_dtype(col):
            ids = out["indicator_id"] if "indicator_id" in out and c == "indicator" else pd.Series("", index=out.index)
            out[c] = [english.indicator(v, lang, i) for v, i in zip(col, ids.fillna(""), strict=True)]
        elif c == "unit":
            out[c] = col.map(lambda v: english.unit(v, lang))
        elif c == "section":
            out[c] = col.map(lambda v: english.section(v, lang))
        elif c in SOURCE_COLUMNS:
            out[c] = col.map(lambda v: source_word(v, lang))
        elif c in ("series_break", "flag", "note") and not pd.api.types.is_numeric_dtype(col):
            out[c] = col.map(lambda v: remark(v, lang))
        elif c == "method":
            out[c] = col.map(lambda v: i18n.text(f"method.{v}", lang)
                             if isinstance(v, str) and i18n.has(f"method.{v}", lang) else v)
        elif c == "reason":
            out[c] = col.map(lambda v: why(v, lang))
        elif c == "plan_op":
            out[c] = col.map(lambda v: i18n.text(f"op.{v}", lang) if isinstance(v, str) and i18n.has(f"op.{v}", lang)
                             else v)
        elif col.dtype == bool or (col.dtype == object and col.notna().any()
                                   and all(isinstance(v, bool) for v in col.dropna())):
            out[c] = col.map(lambda v: "" if v is None or v != v else i18n.text(f"bool.{str(bool(v)).lower()}", lang))
    return out


def _formatter(df: pd.DataFrame, c: str, lang: str, precision: int):
    """The display of a numeric column: whole years plain, ratios and `_pct` columns in percent, whole numbers
    grouped, others with up to `precision` decimals (no trailing zeros: `-3.350`, `1,78`)."""
    if c in YEAR_COLUMNS:
        return lambda v: "" if pd.isna(v) else str(int(v))
    if c in RATIOS:
        return lambda v: i18n.percent(v * 100, lang, 1) if not pd.isna(v) else ""
    if c.endswith("_pct") and c not in ("forest_cover_pct", "plan_pct"):
        return lambda v: i18n.percent(v, lang, 1)
    values = df[c].dropna()
    whole = pd.api.types.is_integer_dtype(df[c]) or (len(values) and values.map(float.is_integer).all())
    if whole:
        return lambda v: i18n.number(v, lang, 0)
    return lambda v: "" if pd.isna(v) else i18n.number(round(float(v), precision), lang)


def _status_css(df: pd.DataFrame) -> pd.DataFrame:
    """Fill of the status cells (and of pivot columns named by a status): the colours of the charts."""
    css = pd.DataFrame("", index=df.index, columns=df.columns)
    for c in df.columns:
        if c in STATUS_COLUMNS:
            css[c] = df[c].map(lambda s: f"background-color:{STATUS_COLORS[s]};color:{STATUS_TEXT[s]}"
                               if s in STATUS_COLORS else "")
    return css


def table(df: pd.DataFrame, lang: str = "vi", precision: int = 1):
    """A table for a report: headers, codes and numbers in `lang`, empty cells blank, no index, statuses
    coloured; every text HTML-escaped (what came from a workbook is shown, never run). A table without rows is
    the word that says so (*Không có.*), not a row of headers."""
    i18n.check_lang(lang)
    if df.empty:
        from IPython.display import Markdown

        return Markdown(i18n.text("table.empty", lang))
    df = df.reset_index(drop=True)
    css = _status_css(df)
    shown = _words(df, lang)
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    formats = {c: _formatter(df, c, lang, precision) for c in numeric}
    names = [header(c, lang) for c in df.columns]
    names = [n if names.count(n) == 1 else f"{n} ({c})" for n, c in zip(names, df.columns, strict=True)]
    rename = dict(zip(df.columns, names, strict=True))
    shown = shown.rename(columns=rename)
    css = css.rename(columns=rename)
    style = shown.style.format(na_rep="", escape="html")  # every cell escaped, then the numbers formatted
    style = style.format({rename[c]: f for c, f in formats.items()}, na_rep="", escape="html")
    style = style.format_index(escape="html", axis=1)
    text = [rename[c] for c in df.columns if c not in numeric]
    style = style.set_properties(subset=text, **{"text-align": "left"}).set_table_styles(
        [{"selector": "th", "props": "text-align: left"}], overwrite=False)
    return style.apply(lambda _: css, axis=None).hide(axis="index")
