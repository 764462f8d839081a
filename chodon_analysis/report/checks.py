"""The findings of the checks of the figures (data_quality.csv, docs/data-quality.md) as the reader sees them: per
area on the data-quality page, a sheet of the Excel workbook, a count per area on the indexes; in the reader's
language, an area named as a reader names it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import english
from ..analysis.quality.marks import counts, of_area
from ..base import i18n, reform
from ..base.text import fold
from ..base.units import area_label
from .workbook import Sheet, _headers, table_cells

if TYPE_CHECKING:
    from ..analysis.context import Context

SHOWN = ["area", "indicator", "check", "severity", "value", "expected", "message", "source_file", "source_row"]
_LEVELS = {"province": 0, "district": 1, "commune": 2}


def shown(found: pd.DataFrame, year: int, lang: str) -> pd.DataFrame:
    """The year's findings as a table shows them (SHOWN): the area, the indicator and the check in words, errors
    first; the message as the checks wrote it."""
    y = found[found["year"] == year]
    return pd.DataFrame({
        "area": [area_label(a, lvl, lang, year) for a, lvl in zip(y["area"], y["area_level"], strict=True)],
        "indicator": [english.indicator(n, lang, i) if n else "" for n, i in zip(y["indicator"], y["indicator_id"],
                                                                               strict=True)],
        "check": [i18n.text(f"dq.check.{c}", lang) if i18n.has(f"dq.check.{c}", lang) else c for c in y["check"]],
        "severity": [i18n.text(f"dq.severity.{s}", lang) for s in y["severity"]],
        "value": y["value"].astype(float), "expected": y["expected"].astype(float), "message": y["message"],
        "source_file": y["source_file"], "source_row": y["source_row"].astype("Int64")}, columns=SHOWN)


def sheet(found: pd.DataFrame, year: int, lang: str) -> Sheet:
    """The workbook's sheet of the year's findings, one row each (a sheet with its header only when none)."""
    t = shown(found, year, lang)
    texts = {c: (lambda v: "" if v is None or v != v else str(v)) for c in SHOWN if c not in ("value", "expected",
                                                                                               "source_row")}
    return Sheet(i18n.text("dq.sheet", lang), i18n.text("dq.sheet_title", lang, year=year),
                 i18n.text("dq.page_none", lang, year=year) if t.empty else "", SHOWN, _headers(SHOWN, lang),
                 table_cells(t, lang, texts), freeze_cols=0)


def by_area(found: pd.DataFrame, year: int, lang: str, areas: Iterable[tuple[str, str]] = ()) -> dict[str, object]:
    """What the data-quality page shows of the checks: each area with findings (districts first) with its counts
    and rows, and the areas of `areas` (name, level) that have none, named in one line."""
    y = found[found["year"] == year]
    keys = sorted(set(zip(y["area"], y["area_level"], strict=True)),
                  key=lambda a: (_LEVELS.get(a[1], 3), fold(a[0]), a[0]))
    rows = []
    for area, level in keys:
        own = of_area(y, year, area, level)
        table = shown(own, year, lang).drop(columns="area")
        rows.append({"name": area_label(area, level, lang, year), "id": anchor(area, level), **counts(own),
                     "rows": _texts(table, lang)})
    clean = sorted({area_label(a, lvl, lang, year) for a, lvl in areas if (a, lvl) not in set(keys)}, key=fold)
    return {"areas": rows, "clean": clean, **counts(y)}


def on_series(ctx: Context, year: int, ids: Iterable[str], lang: str) -> pd.DataFrame:
    """The findings of `year` on the figures a trend page draws (catalog `ids`): the area's own and, for a former
    district, its communes' (a figure added up from them carries them): the page says them above its verdicts."""
    from ..analysis.communes import scope_of
    from ..analysis.quality.marks import MARK

    found = ctx.findings
    if found is None or found.empty or ctx.indicators.empty:
        return pd.DataFrame(columns=["indicator", "finding"])
    level = "district" if ctx.scope else "commune"
    own = set(ctx.indicators["area"].dropna())
    communes = set(scope_of(ctx.scope)) if ctx.scope else set()
    parts = {p for i in ids for p in reform.made_of().get(i, (i,))}  # a rate added up is recomputed from its parts
    y = found[found["year"] == year]
    y = y[(y["area"].isin(own) & (y["area_level"] == level) & y["indicator_id"].isin(list(ids))) |
          (y["area"].isin(communes) & (y["area_level"] == "commune") & y["indicator_id"].isin(parts))]
    return pd.DataFrame({
        "indicator": [english.indicator(n, lang, i) for n, i in zip(y["indicator"], y["indicator_id"], strict=True)],
        "finding": [f"{MARK} {area_label(a, lvl, lang, year)}: {m}"
                    for a, lvl, m in zip(y["area"], y["area_level"], y["message"], strict=True)]},
        columns=["indicator", "finding"])


def anchor(area: str, level: str) -> str:
    """The id of an area's findings on the data-quality page (`dq-commune-` and a digest of its name: two names
    that differ only by their marks stay apart): indexes link to it."""
    import hashlib

    return f"dq-{level}-" + hashlib.sha256(area.encode()).hexdigest()[:10]


def _texts(table: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    """Each cell as the page shows it: numbers in the reader's format, rows whole, blanks empty."""
    out = []
    for r in table.to_dict("records"):
        out.append({c: i18n.number(v, lang) if c in ("value", "expected") else
                    ("" if v is None or v is pd.NA or v != v else str(v)) for c, v in r.items()})
    return out
