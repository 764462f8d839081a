"""The analyst's functions (docs/api.md): the tidy table, one indicator's history and chart, a year's attainment, the
communes ranked and the findings of the checks, from any working folder. Above the stages, like cli.py."""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import paths
from .base import i18n
from .base.i18n import ParameterError
from .base.text import fold

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from .base.rule import Rule

TABLE = "indicators.parquet"
SERIES_COLUMNS = ["year", "indicator_id", "name", "unit", "plan_text", "actual_text", "plan_value", "actual_value",
                  "status", "ratio", "gap_pct", "segment", "break_reason"]
FIRST = ["section", "code", "indicator", "indicator_id", "unit", "plan_text", "actual_text", "plan_value",
         "actual_value", "status", "reported_status", "ratio", "gap_pct"]  # an attainment table's columns, first
SHOWN = ["section", "indicator", "unit", "plan_text", "actual_text", "status", "reported_status", "ratio"]
LEVELS = {"commune": ("xa", "commune"), "district": ("huyen", "district")}  # the levels of an area
TYPE_WORDS = {"commune": (("xa", "phuong", "thi tran", "dac khu"), ("commune", "ward", "township", "special zone")),
              "district": (("huyen", "thanh pho", "thi xa"), ("district", "city", "town"))}  # before or after a name
_CLEANED: dict[Path, str] = {}  # the inputs' key each folder was cleaned from in this session (a failed file too)


def load(processed_dir: str | Path | None = None, *, lang: str = "vi") -> pd.DataFrame:
    """The tidy table (one row per indicator, area and year), cleaned first from the project's data/raw when the
    workbooks, the vocabulary or the code changed; `processed_dir`: another cleaned folder, read as it is.

    Example: ``table = load(); table[table["year"] == 2024]``
    """
    from .report import parameters, start

    i18n.check_lang(lang)
    parameters.check(processed_dir=str(processed_dir) if isinstance(processed_dir, Path) else processed_dir)
    if processed_dir is None:
        processed = paths.data_dir(None, paths.PROCESSED)
        _refresh(processed, paths.project_dir() / paths.RAW, lang)
    else:
        processed = paths.data_dir(processed_dir, paths.PROCESSED)
        start.ensure_clean(processed, lang)  # a folder without a table yet: the project's workbooks, once
    return _read(processed)


def _refresh(processed: Path, raw: Path, lang: str) -> None:
    """Clean `raw` into `processed` when the workbooks or the code changed since its last clean (the key `chodon run`
    keeps), under the folder's lock, saying so in one line."""
    from .base.files import folder_lock
    from .runner.stamps import clean_into, clean_key, clean_needed, code_fingerprint

    if not raw.is_dir():
        if (processed / TABLE).exists():
            return  # no workbooks to compare with: the table as it is
        raise ParameterError(i18n.text("api.no_data", lang, processed=processed, raw=raw))
    key = clean_key(raw, code_fingerprint())
    if _CLEANED.get(processed) == key or not clean_needed(processed, key):
        return
    processed.mkdir(parents=True, exist_ok=True)
    with folder_lock(processed / ".lock"):
        if clean_needed(processed, key):  # another process may have cleaned it meanwhile
            notice = "api.cleaning_again" if (processed / TABLE).exists() else "notice.cleaning"
            print(i18n.text(notice, lang, processed=processed, raw=raw), flush=True)
            clean_into(raw, processed, key)
    _CLEANED[processed] = key


def _read(processed: Path) -> pd.DataFrame:
    """The table of `processed` (read again only when its file was replaced), as a copy the caller may change."""
    from .analysis import stamped
    from .cleaning.outputs import load_indicators

    return stamped.read(processed / TABLE, lambda p: load_indicators(p.parent))


def catalog() -> pd.DataFrame:
    """Every indicator the catalog knows: its id, Vietnamese and English names, unit, which way is better, section
    and the other names offices give it (what `series`, `chart` accept).

    Example: ``catalog()[["id", "name_vi", "name_en"]]``
    """
    from .base import catalog as cat
    from .base.vocab import read_rows

    aliases: dict[str, list[str]] = {}
    for _, r in read_rows("catalog_aliases.csv", ("id", "alias")):
        aliases.setdefault(r["id"], []).append(r["alias"])
    rows = [{c: e[c] for c in ("id", "name_vi", "name_en", "unit", "direction", "section")}
            | {"aliases": "; ".join(aliases.get(i, []))} for i, e in cat.entries().items()]
    return pd.DataFrame(rows)


def series(indicator: str, area: str | None = None, *, lang: str = "vi",
           data: pd.DataFrame | None = None) -> pd.DataFrame:
    """One indicator's history in an area (None: the district; from 2025 the former district rebuilt from its
    communes): year, plan, actual, status, unit and definition segment; by id, name in either language or alias.

    Example: ``series("grain_per_capita")``, ``series("Tỷ lệ hộ nghèo", "Nam Cường")``
    """
    hist, key, _ = _history(indicator, area, lang, data)
    return hist.loc[hist["key"] == key, SERIES_COLUMNS].reset_index(drop=True)


def chart(indicator: str, area: str | None = None, lang: str = "vi", *, data: pd.DataFrame | None = None) -> go.Figure:
    """The chart the indicators report draws for one indicator: plan and actual by year, points coloured by status,
    a dashed line where its definition changed.

    Example: ``chart("forest_cover")``, ``chart("poverty_rate", lang="en")``
    """
    from .report import explorer, plots

    hist, key, label = _history(indicator, area, lang, data)
    one = hist[hist["key"] == key]
    if one.empty:
        raise ParameterError(i18n.text("api.no_figures", lang, area=label, indicator=indicator))
    plots.setup()  # drawn in JupyterLab and in an exported page alike
    return explorer.selector_chart(one, lang, key)


@dataclass
class Attainment:
    """One year's plan attainment of one area: its indicators with their status and the office's own label, and the
    counts by status (each indicator once: `counts`, and `office_counts` by the office's labels)."""

    year: int
    area: str  # as a reader names it: `huyện Chợ Đồn`, `xã Nam Cường`
    indicators: pd.DataFrame
    counts: dict[str, int]
    office_counts: dict[str, int]
    lang: str = field(default="vi", repr=False)

    def __repr__(self) -> str:
        counts = ", ".join(f"{s} {n}" for s, n in self.counts.items())
        return f"Attainment({self.year}, {self.area}: {counts}; {len(self.indicators)} rows)"

    def _repr_html_(self) -> str:
        from markupsafe import Markup

        from .report import pages, tables
        from .report.sentences import summary_sentence

        shown = tables.table(self.indicators[SHOWN], self.lang).to_html()  # every cell escaped by the table
        return pages.render("attainment.html", self.lang, area=self.area, year=self.year,
                            sentence=summary_sentence(self.counts, self.lang), table=Markup(shown))  # noqa: S704


def attainment(year: int, area: str | None = None, *, lang: str = "vi", rule: Rule | None = None,
               include_shared: bool = False, data: pd.DataFrame | None = None) -> Attainment:
    """The year's indicators of an area (None: the district; from 2025 its targets against its communes' figures)
    with status, the office's label and the counts by status, as the attainment report has them.

    Example: ``attainment(2024).counts``, ``attainment(2025, "Nam Cường").indicators``
    """
    from .analysis import attainment as at
    from .base.places import REFORM_YEAR
    from .base.rule import Rule

    year, table = _year(year, lang), _table(data, lang)
    name, level = _area(table, area, lang)
    rows = _rows(table, name, level, include_shared, last_year=year)
    judged = at.reclassify(rows, rule or Rule())
    this = judged[judged["year"] == year]
    label = _label(name, level, lang, year >= REFORM_YEAR)
    if this.empty:
        years = ", ".join(str(int(y)) for y in sorted(rows["year"].dropna().unique())) or "—"
        raise ParameterError(i18n.text("api.no_year", lang, area=label, year=year, years=years))
    summary = at.summary(this)  # each indicator once, as the report counts
    office = {str(s): int(n) for s, n in zip(summary["status"], summary["reported"], strict=True)}
    t = at.attainment_table(this, lang)
    t = t[[*FIRST, *(c for c in t.columns if c not in FIRST)]].reset_index(drop=True)
    return Attainment(year, label, t, at.counts(summary, year), office, lang)


def compare(year: int, *, lang: str = "vi", data: pd.DataFrame | None = None) -> pd.DataFrame:
    """The communes of the year ranked as on comparison.html: each one's counts against its own plan, the share met
    or exceeded, the median actual/plan; equal figures share a rank.

    Example: ``compare(2025)[["rank", "area", "met_share_pct"]]``
    """
    from .analysis.compare import ranking

    year, table = _year(year, lang), _table(data, lang)
    communes = table[table["area_level"] == "commune"]
    if not (communes["year"] == year).any():
        years = ", ".join(str(int(y)) for y in sorted(communes["year"].dropna().unique())) or "—"
        raise ParameterError(i18n.text("api.no_communes", lang, year=year, years=years))
    return ranking(communes, year)


def quality(year: int, *, lang: str = "vi", data: pd.DataFrame | None = None) -> pd.DataFrame:
    """The findings of the checks of the year's figures (docs/data-quality.md), every area, errors first: the rows
    `chodon check --year` counts.

    Example: ``quality(2025).query("severity == 'error'")``
    """
    from .analysis.quality import findings

    year, table = _year(year, lang), _table(data, lang)
    if not (table["year"] == year).any():  # not a year whose every commune "sent nothing"
        years = ", ".join(str(int(y)) for y in sorted(table["year"].dropna().unique())) or "—"
        raise ParameterError(i18n.text("api.no_year_data", lang, year=year, years=years))
    found = findings(table, year, lang)
    return found[found["year"] == year].reset_index(drop=True)


# ---- what the functions share ------------------------------------------------------------------------------------
def _year(year: object, lang: str) -> int:
    """`year` as a whole number (2024, numpy's 2024, "2024", 2024.0), else a ParameterError; `lang` checked."""
    i18n.check_lang(lang)
    if isinstance(year, str) and year.strip().isdigit():
        return int(year)
    if isinstance(year, float) and year.is_integer():
        return int(year)
    if isinstance(year, bool) or not isinstance(year, numbers.Integral):
        raise ParameterError(i18n.text("api.year_type", lang, year=repr(year)))
    return int(year)


def _table(data: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    """The tidy table given as `data`, else `load()`'s."""
    if data is None:
        return load(lang=lang)
    if not isinstance(data, pd.DataFrame) or not {"area", "area_level", "year", "indicator"} <= set(data.columns):
        raise ParameterError(i18n.text("api.data_type", lang))
    return data


def _label(name: str, level: str, lang: str, former: bool = False) -> str:
    """An area as a reader names it: `xã Nam Cường`, `phường Phan Đình Phùng`, `huyện Chợ Đồn`, `huyện Chợ Đồn (cũ)`
    (`former`)."""
    from .base.places import REFORM_YEAR
    from .base.units import area_label

    return area_label(name, level, lang, REFORM_YEAR if former else None if level == "commune" else REFORM_YEAR - 1)


def _area(table: pd.DataFrame, area: str | None, lang: str) -> tuple[str, str]:
    """(name, level) of `area`: None is the district of the data; else a commune or a district by its name, with or
    without `xã`/`huyện` (`commune`/`district`), or its report folder (`xa-nam-cuong`)."""
    from .cleaning.workbooks import DEFAULT_DISTRICT
    from .runner.areas import Area

    t = table[table["area_level"].isin(list(LEVELS))].dropna(subset=["area"])
    known = sorted(set(zip(t["area"], t["area_level"], strict=True)), key=lambda a: (a[1] != "district", fold(a[0])))
    if area is None:
        districts = [n for n, level in known if level == "district"]
        if len(districts) == 1 or DEFAULT_DISTRICT in districts:
            return (districts[0] if len(districts) == 1 else DEFAULT_DISTRICT), "district"
        raise ParameterError(i18n.text("api.which_district", lang, districts=", ".join(districts) or "—"))
    spec = re.sub(r"^former\s+|\s*\((cũ|former)\)\s*$", "", str(area).strip())
    name, level = spec, None
    if not any(fold(n) == fold(spec) for n, _ in known):  # `xã Nam Cường`, `phường Đức Xuân`, `Nam Cường commune`
        words = spec.split()
        for lvl, (before, after) in TYPE_WORDS.items():
            for n in (2, 1):  # `thị trấn`, `thành phố`, `special zone`: two words
                if fold(" ".join(words[:n])) in before and words[n:]:
                    name, level = " ".join(words[n:]), lvl
                elif fold(" ".join(words[-n:])) in after and words[:-n]:
                    name, level = " ".join(words[:-n]), lvl
    found = [(n, lv) for n, lv in known if (_same(n, name) and level in (None, lv)) or Area(n, lv).slug == spec]
    if len(found) > 1 and len(same := [a for a in found if a[0] == name]) == 1:  # Phú Thông, not Phủ Thông
        found = same
    if len(found) == 1:
        return found[0]
    names = ", ".join(_label(n, lv, lang) for n, lv in (found or known)) or "—"
    raise ParameterError(i18n.text("api.area_ambiguous" if found else "api.no_area", lang, area=area, areas=names))


def _same(known: str, asked: str) -> bool:
    """`asked` names the area `known`: the same letters; a name the reader left without its marks (`Van Lang`, which
    two units share) is never taken for one asked with them (`Văn Lăng`)."""
    return fold(known) == fold(asked) and (not known.isascii() or asked.isascii())


def _rows(table: pd.DataFrame, name: str, level: str, include_shared: bool = False,
          last_year: int | None = None) -> pd.DataFrame:
    """An area's rows; a district's with the actuals rebuilt from its communes where it reports none (from 2025), up
    to `last_year` (a year's figures never depend on a later year's: not rebuilt for nothing)."""
    from .analysis.communes import fill_years

    own = table[(table["area"] == name) & (table["area_level"] == level)]
    if level != "district":
        return own
    communes = table[table["area_level"] == "commune"]
    rows = fill_years(own, communes, name, last_year, include_shared=include_shared)
    if len(communes) and "coverage" not in rows:  # as when a later year was rebuilt: the column, empty
        rows = rows.assign(coverage="")
    return rows


def _history(indicator: str, area: str | None, lang: str, data: pd.DataFrame | None) -> tuple[pd.DataFrame, str, str]:
    """Every series of the area (analysis/series.py), the key of `indicator` among them, and the area's label."""
    from .analysis.series import history

    i18n.check_lang(lang)
    table = _table(data, lang)
    name, level = _area(table, area, lang)
    hist = history(_rows(table, name, level), lang)
    return hist, _key(indicator, hist, lang), _label(name, level, lang)


def _key(indicator: str, hist: pd.DataFrame, lang: str) -> str:
    """The series of `indicator`: its catalog id (in the catalog's unit, else the unit with most years), or a name
    the catalog does not know as the workbooks write it; else a ParameterError naming the closest entries."""
    from .base import catalog

    ident = catalog.find(indicator)
    keys = hist["key"].value_counts()
    if ident:
        other = [k for k in keys.index if k.split("@")[0] == ident]
        return ident if ident in keys.index or not other else other[0]
    written = {fold(k[1:]): k for k in keys.index if k.startswith("?")}
    if (k := written.get(fold(str(indicator)))) is not None:
        return k
    entries = catalog.entries()
    column = "name_vi" if lang == "vi" else "name_en"
    near = ", ".join(f"{i} ({entries[i][column]})" for i in catalog.closest(str(indicator)))
    raise ParameterError(i18n.text("api.no_indicator" if near else "api.no_indicator_far", lang,
                                   indicator=indicator, closest=near))

