"""The year's Excel workbook for the office: attainment in the office layout, the counts, forest cover, grain
and the data issues; every word from the string catalog, every text from a workbook written as text."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..analysis import attainment, english, trends
from ..analysis.communes import scope_of
from ..analysis.quality import marks
from ..base import i18n
from ..base.files import write_atomic
from ..base.issues import row_words
from ..base.vocab import STATUSES
from . import trendbook
from .style import STATUS_COLORS, STATUS_TEXT
from .trendbook import FOREST_COLUMNS, GRAIN_COLUMNS
from .words import remark

if TYPE_CHECKING:
    from ..analysis.context import Context

HEADER_ROW = 2  # title, subtitle (or blank), then the header of every sheet
ATTAINMENT_COLUMNS = ["stt", "indicator", "unit", "plan", "actual", "ratio_pct", "status", "reported_status",
                      "remark"]
ISSUE_COLUMNS = ["file", "sheet", "row", "column", "value", "problem", "action"]  # shown: the words, not the code
WIDE = {"indicator", "remark", "series_break", "value", "problem", "action", "finding", "message", "source_detail",
        "note"}  # wrapped: 60
# characters at most
WHOLE = {"year", "row", "stt"}  # whole numbers shown without a thousands separator
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
_PLAIN = re.compile(r"\s*[\d.,]+\s*%?\s*")  # `28.500`, `80,5%`: a plan written as a plain number
_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]

Cell = tuple[Any, dict]  # a value and its format properties


@dataclass
class Sheet:
    """What one sheet shows: its name, title, subtitle, columns (names and header words) and cells."""

    name: str
    title: str
    subtitle: str
    columns: list[str]
    headers: list[str]
    rows: list[list[Cell]]
    freeze_cols: int = 1


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == ""


def _text(v: object) -> str:
    return "" if _missing(v) else str(v)


def roman(n: int) -> str:
    """1 -> I, 4 -> IV: the office's section numbers (up to 39)."""
    return "X" * (n // 10) + _ROMAN[n % 10]


def decimals(value: float, most: int = 3) -> int:
    """The decimals a value needs: 28500 -> 0, 80.5 -> 1, 95.32 -> 2."""
    return next((d for d in range(most) if abs(round(value, d) - value) < 1e-9), most)


def number_format(places: int, lang: str) -> str:
    """`#,##0.0`, with the Vietnamese locale tag in front for a Vietnamese reader."""
    return ("[$-42A]" if lang == "vi" else "") + "#,##0" + ("." + "0" * places if places else "")


def as_written(value: object, text: object, lang: str = "vi") -> object:
    """The number when the text is a plain number, else the text as written (`trên 500`; in English by the
    vocabulary, `above 500`); None when empty."""
    if not _missing(value) and isinstance(text, str) and _PLAIN.fullmatch(text):
        return float(value)
    return None if _missing(text) else english.plan(text, lang)


def attainment_layout(ctx: Context, year: int, lang: str = "vi") -> pd.DataFrame:
    """The attainment rows: `kind` (section, indicator), then ATTAINMENT_COLUMNS (statuses as codes), and the
    `finding` of the checks on the figure ("" when none; also first in its remark)."""
    in_year = (ctx.indicators["year"] == year).fillna(False).astype(bool)
    rows = marks.mark(attainment.primary_rows(ctx.indicators[in_year]), ctx.findings, lang, scope_of(ctx.scope))
    t = attainment.attainment_table(rows, lang)
    t = t.sort_values(["source_file", "source_sheet", "source_row"], kind="stable")
    sources = trends.value_sources(ctx.provenance, year)
    rows: list[dict] = []
    sections = 0
    for section, group in t.groupby("section", sort=False, dropna=False):
        if not _missing(section):
            sections += 1
            rows.append({"kind": "section", "stt": roman(sections), "indicator": english.section(section, lang)})
        for i, (_, r) in enumerate(group.iterrows(), start=1):
            name = english.indicator(r["indicator"], lang, r["indicator_id"])
            rows.append({"kind": "indicator", "stt": i, "indicator": name, "unit": english.unit(r["unit"], lang),
                         "plan": as_written(r["plan_value"], r["plan_text"], lang), "actual": _actual(r, lang),
                         "ratio_pct": None if _missing(r["ratio"]) else round(float(r["ratio"]) * 100, 1),
                         "status": r["status"], "reported_status": r["reported_status"],
                         "remark": "; ".join(remarks(r, ctx.provenance, year, lang, sources)),
                         "finding": r["finding"]})
    return pd.DataFrame(rows, columns=["kind", *ATTAINMENT_COLUMNS, "finding"])


def _actual(r: pd.Series, lang: str) -> object:
    """The actual as written; one rebuilt from the communes that is a ratio (forest cover, grain per head) to
    trendbook.RATIO_PLACES decimals, as every output gives it."""
    actual = as_written(r["actual_value"], r["actual_text"], lang)
    if isinstance(actual, float) and not _missing(r.get("coverage")) and trendbook.is_ratio(r["indicator"], r["unit"]):
        return trendbook.ratio_value(actual)
    return actual


def remarks(r: pd.Series, provenance: pd.DataFrame, year: int, lang: str,
            sources: dict[tuple[str, str, str], str] | None = None) -> list[str]:
    """A finding of the checks on the figure (⚠), the office's note, a disagreement of statuses with its rule, and
    `illustrative values` where so; `sources`: the year's trends.value_sources, for a table of many rows."""
    if sources is None:
        sources = trends.value_sources(provenance, year)
    out = [str(r["finding"])] if r.get("finding") else []
    out += [] if _missing(r.get("note")) else [str(r["note"])]
    if not _missing(r["reported_status"]) and r["reported_status"] != r["status"]:
        out.append(i18n.text("xl.disagree", lang, reported=i18n.status(r["reported_status"], lang),
                             computed=i18n.status(r["status"], lang), rule=r["rule"]))
    if not _missing(r.get("coverage")) and r.get("coverage"):  # after the reform: added up from the communes
        out.append(i18n.text("xl.rebuilt", lang, coverage=r["coverage"]))
    if r.get("actual_origin") == "illustrative" or any(
            sources.get((r["source_file"], r["indicator"], field)) == "illustrative" for field in ("plan", "actual")):
        out.append(i18n.text("xl.illustrative", lang))
    return out


def counts_table(ctx: Context, year: int, district: str) -> pd.DataFrame:
    """Per status and a `total` row: computed, reported (blank when the office gave none) and (where published)
    published counts."""
    s = attainment.summary(ctx.indicators)
    s = s[s["year"] == year].set_index("status").reindex(list(STATUSES), fill_value=0)
    s = s[["computed", "reported"]]
    pub = attainment.reconcile_published(ctx.indicators, ctx.published, district)
    pub = pub[pub["year"] == year].set_index("status")["published"]
    out = s.astype("Int64")
    if out["reported"].sum() == 0:
        out["reported"] = pd.NA  # the workbook has no assessment column: blank, not 0
    if len(pub):
        out["published"] = pub.reindex(out.index).astype("Int64")
    total = out.sum(min_count=1).to_frame("total").T
    assessed = out["reported"].notna().any()
    unassessed = int(out["computed"].sum()) - int(out["reported"].sum()) if assessed else 0
    if unassessed > 0:  # indicators the office gave no assessment: said, not hidden
        out.loc["no_office"] = pd.array([pd.NA, unassessed] + [pd.NA] * (out.shape[1] - 2), dtype="Int64")
        total["reported"] = total["computed"]
    if "total" in pub.index:
        total["published"] = int(pub["total"])
    return pd.concat([out, total]).rename_axis("status").reset_index()


def _number_cell(value: object, places: int, lang: str, extra: dict | None = None) -> Cell:
    num_format = "0" if places < 0 else number_format(places, lang)
    props = {"num_format": num_format, "align": "right", **(extra or {})}
    return (None if _missing(value) else float(value)), props


def written_cell(value: object, lang: str) -> Cell:
    """A plan or actual as `as_written` gives it: a number at the decimals it was written with, computable, or the
    office's words (`trên 500`: its operator kept) right-aligned."""
    return _number_cell(value, decimals(value), lang) if isinstance(value, float) else (value, {"align": "right"})


def _status_cell(code: object, lang: str) -> Cell:
    c = "" if _missing(code) else str(code)
    fill = {"bg_color": STATUS_COLORS[c], "font_color": STATUS_TEXT[c]} if c in STATUS_COLORS else {}
    return i18n.status(c, lang), {"align": "center", **fill}


def table_cells(df: pd.DataFrame, lang: str,
                texts: dict[str, Callable[[object], str]] | None = None) -> list[list[Cell]]:
    """A plain table's cells: years whole, numbers with their decimals, texts (through `texts`) as written."""
    texts = texts or {}
    places = {c: (-1 if c in WHOLE else max((decimals(float(v), 2) for v in df[c].dropna()), default=0))
              for c in df.columns if c not in texts and pd.api.types.is_numeric_dtype(df[c])}
    rows = []
    for _, r in df.iterrows():
        row: list[Cell] = []
        for c in df.columns:
            if c in places:
                row.append(_number_cell(r[c], places[c], lang))
            else:
                v = texts[c](r[c]) if c in texts else _text(r[c])
                row.append((v, {"text_wrap": True} if c in WIDE else {}))
        rows.append(row)
    return rows


def attainment_cells(layout: pd.DataFrame, lang: str) -> list[list[Cell]]:
    """The attainment rows as cells: bold section rows, numbers at the precision they were written with."""
    rows = []
    for _, r in layout.iterrows():
        if r["kind"] == "section":
            bold = {"bold": True, "bg_color": "#F2F2F2"}
            rows.append([(r["stt"], {**bold, "align": "center"}), (r["indicator"], bold)]
                        + [(None, bold)] * (len(ATTAINMENT_COLUMNS) - 2))
            continue
        cells: list[Cell] = [(int(r["stt"]), {"align": "center", "num_format": "0"}),
                             (r["indicator"], {"text_wrap": True}), (r["unit"], {"align": "center"})]
        cells += [written_cell(r[c], lang) for c in ("plan", "actual")]
        cells += [_number_cell(r["ratio_pct"], 1, lang), _status_cell(r["status"], lang),
                  _status_cell(r["reported_status"], lang), (r["remark"], {"text_wrap": True})]
        rows.append(cells)
    return rows


def _shown(value: object, props: dict) -> int:
    """About how many characters a cell shows."""
    if _missing(value):
        return 0
    if isinstance(value, float | int) and not isinstance(value, bool):
        places = props.get("num_format", "").partition(".")[2].count("0")
        return len(f"{value:,.{places}f}")
    return len(str(value))


def write_sheet(book: Any, fmt: Callable[..., Any], sheet: Sheet) -> None:
    """One sheet: merged title and subtitle, header, cells, frozen header, autofilter, widths, print setup."""
    title, subtitle, headers, rows = sheet.title, sheet.subtitle, sheet.headers, sheet.rows
    ws = book.add_worksheet(sheet.name)
    last_col = len(headers) - 1
    ws.merge_range(0, 0, 0, last_col, None, fmt(bold=True, font_size=13, align="center", border=0))
    ws.write_string(0, 0, title, fmt(bold=True, font_size=13, align="center", border=0))
    if subtitle:
        ws.merge_range(1, 0, 1, last_col, None, fmt(italic=True, text_wrap=True, border=0))
        ws.write_string(1, 0, subtitle, fmt(italic=True, text_wrap=True, border=0))
        ws.set_row(1, 32)
    head = fmt(bold=True, text_wrap=True, align="center", valign="vcenter", bg_color="#D9E1F2")
    for c, h in enumerate(headers):
        ws.write_string(HEADER_ROW, c, h, head)
    for i, row in enumerate(rows, start=HEADER_ROW + 1):
        for c, (value, props) in enumerate(row):
            f = fmt(**props)
            if _missing(value):
                ws.write_blank(i, c, None, f)
            elif isinstance(value, str):
                ws.write_string(i, c, value, f)
            else:
                ws.write_number(i, c, value, f)
    for c, col in enumerate(sheet.columns):
        longest = max([_shown(*row[c]) for row in rows] + [len(w) for w in headers[c].split()] + [6])
        ws.set_column(c, c, min(longest + 2, 60 if col in WIDE else 40))
    ws.freeze_panes(HEADER_ROW + 1, sheet.freeze_cols)
    ws.autofilter(HEADER_ROW, 0, HEADER_ROW + len(rows), last_col)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW)


def _formats(book: Any) -> Callable[..., Any]:
    """Formats made once per set of properties (XlsxWriter keeps every format it is given)."""
    made: dict[tuple, Any] = {}

    def fmt(**props: Any) -> Any:
        props = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "border": 1, **props}
        key = tuple(sorted(props.items()))
        if key not in made:
            made[key] = book.add_format(props)
        return made[key]

    return fmt


def _headers(columns: list[str], lang: str, **values: object) -> list[str]:
    return [i18n.text(f"col.{c}", lang, **values) for c in columns]


def _issue_log(issues: pd.DataFrame, lang: str) -> pd.DataFrame:
    """issues.csv as the sheet shows it: problem and action in the reader's words, by file, sheet and row."""
    shown = [row_words(r, lang) for r in issues.to_dict("records")]
    log = issues.reindex(columns=ISSUE_COLUMNS).assign(row=lambda d: pd.to_numeric(d["row"], errors="coerce"),
                                                       problem=[p for p, _ in shown], action=[a for _, a in shown])
    return log.sort_values(["file", "sheet", "row"], kind="stable", na_position="first")


def sheets(year: int, ctx: Context, issues: pd.DataFrame, lang: str, district: str, extra: Sequence[Sheet] = (),
           label: str | None = None) -> list[Sheet]:
    """The sheets of the workbook: attainment, counts, `extra` (after the reform: the communes'), forest cover,
    grain, data issues; `label` names the area in the subtitle (the district's name if not given). A district the
    data has no row of (a province's folder without it) gets none of its own sheets, rather than empty ones."""
    t = partial(i18n.text, lang=lang)
    layout = attainment_layout(ctx, year, lang)
    counts = counts_table(ctx, year, district)
    count_cells = [[(t("xl.total"), {"bold": True}) if s == "total" else _status_cell(s, lang)]
                   + [_number_cell(v, 0, lang, {"bold": s == "total"}) for v in r[1:]]
                   for s, r in zip(counts["status"], counts.itertuples(index=False), strict=True)]
    has = not ctx.indicators.empty  # the district's rows: none in a province's folder without it
    trend = _trend_sheets(ctx, year, district, lang) if has else []
    log = _issue_log(issues, lang)
    texts = {c: _text for c in ISSUE_COLUMNS if c != "row"}
    own = [
        Sheet(t("xl.sheet.attainment", year=year), t("xl.title", year=year), t("xl.subtitle", area=label or district),
              ATTAINMENT_COLUMNS, _headers(ATTAINMENT_COLUMNS, lang, year=year), attainment_cells(layout, lang),
              freeze_cols=2),
        Sheet(t("xl.sheet.counts"), t("xl.counts_title", year=year), "", list(counts.columns),
              _headers(["attainment", *counts.columns[1:]], lang), count_cells)]
    return [*(own if has else []), *extra, *trend,
            Sheet(t("xl.sheet.issues"), t("xl.issues_title"), "", ISSUE_COLUMNS, _headers(ISSUE_COLUMNS, lang),
                  table_cells(log, lang, texts), freeze_cols=0)]


def _trend_sheets(ctx: Context, year: int, district: str, lang: str) -> list[Sheet]:
    """Forest cover and grain as the derived tables and the HTML pages give them (trendbook.trend_tables): a year
    rebuilt from the communes says so in its source (illustrative when its figures are) and its series break."""
    t = partial(i18n.text, lang=lang)
    forest, grain = trendbook.trend_tables(ctx, year, district)
    samples = trendbook.sample_years(ctx, year, district)
    texts = {c: _text for c in trendbook.SOURCES} | {c: partial(remark, lang=lang) for c in ("series_break", "note")}
    return [Sheet(t("xl.sheet.forest"), t("xl.forest_title"), "", FOREST_COLUMNS, _headers(FOREST_COLUMNS, lang),
                  table_cells(trendbook.shown_sources(forest, samples, lang), lang, texts | {"source_detail": _text})),
            Sheet(t("xl.sheet.grain"), t("xl.grain_title"), "", GRAIN_COLUMNS, _headers(GRAIN_COLUMNS, lang),
                  table_cells(trendbook.shown_sources(grain, samples, lang), lang, texts))]


def build(filename: Path, year: int, ctx: Context, issues: pd.DataFrame, lang: str, district: str,
          extra: Sequence[Sheet] = (), label: str | None = None) -> None:
    """Write the sheets to `filename` (text always as text, never a formula or a link)."""
    import xlsxwriter

    content = sheets(year, ctx, issues, lang, district, extra, label)
    with xlsxwriter.Workbook(str(filename), OPTIONS) as book:
        book.set_properties({"title": content[0].title})
        fmt = _formats(book)
        for sheet in content:
            write_sheet(book, fmt, sheet)


def write_workbook(path: Path, year: int, ctx: Context, issues: pd.DataFrame, lang: str = "vi",
                   district: str = "Chợ Đồn", extra: Sequence[Sheet] = (), label: str | None = None) -> Path:
    """The year's Excel workbook (XlsxWriter) in the office layout; written atomically."""
    i18n.check_lang(lang)
    return write_atomic(Path(path), lambda tmp: build(tmp, int(year), ctx, issues, lang, district, extra, label))
