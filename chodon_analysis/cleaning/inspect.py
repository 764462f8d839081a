"""`chodon inspect FILE`: the layout the reader decided for each sheet, with sample values, and the first rows as
read, so that an analyst checks a new workbook before trusting its numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..base import i18n
from ..base.issues import Log, counted, row_words, tally
from ..base.units import area_label
from .cleaner import DEFAULT_DISTRICT, judged
from .formats import read_workbook
from .formats.book import column_index
from .layout.header import find_layout, row_texts
from .layout.override import apply_override, load_override
from .rows.walk import extract_workbook
from .workbooks import record_row, shown

SAMPLES = 3
PLACE_DOUBTS = ("no_place_in_title", "no_place_after_reform", "place_ambiguous", "place_odd_characters")


@dataclass
class SheetView:
    """One sheet: its layout rows (with sample values), the places its rows are read as (as the clean reads them:
    the tidy table's `area`, `area_level`, `district`, `area_code`) and its first records as read; or why it holds
    no table."""

    name: str
    columns: list[dict] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    problem: str = ""
    places: list[dict] = field(default_factory=list)


def inspect_file(path: Path, rows: int = 8) -> tuple[list[SheetView], list[dict]]:
    """The sheets of a workbook as the reader sees them, and the issues a clean of it logs (those of the reader
    and those found once its rows are together: the catalog, duplicates), as on the data-quality page, from one
    read of the file; raises ReadError."""
    book = read_workbook(path)
    log = Log(path.name)
    override = load_override(path, [s.name for s in book.sheets])
    records, described = extract_workbook(book, path.name, DEFAULT_DISTRICT, log, override)
    views = []
    for sheet in book.sheets:
        view = SheetView(sheet.name)
        layout = apply_override(sheet, find_layout(sheet), override, Log(path.name))
        if layout is None:
            view.problem = "no indicator table (no header row with an indicator and a plan or actual column)"
        else:
            mine = [r for r in records if r["source_sheet"] == sheet.name]
            start = min(r["source_row"] for r in mine) - 1 if mine else layout.header_rows[-1] + 1
            data = [row_texts(r) for r in sheet.grid[start:]]
            for d in (d for d in described if d["sheet"] == sheet.name):
                index = column_index(d["column"])
                samples = [r[index] for r in data if index < len(r) and r[index]][:SAMPLES]
                view.columns.append({**d, "samples": " | ".join(s[:14] for s in samples)})
            view.records = mine[:rows]
            view.places = places_of(mine)
        views.append(view)
    return views, _all_issues(records, log.rows)


def places_of(records: list[dict]) -> list[dict]:
    """The places a sheet's records are read as, each once in the order met, with the first year of its rows (which
    names it: `huyện Chợ Đồn (cũ)` from 2025)."""
    out: dict[tuple, int | None] = {}
    for r in records:
        key = (r["area"], r["area_level"], r["district"] or "", r.get("area_code") or "")
        year = r["year"]
        out[key] = year if out.get(key) is None or (year is not None and year < out[key]) else out[key]
    return [{"area": a, "area_level": lv, "district": d, "area_code": c, "year": y} for (a, lv, d, c), y in out.items()]


def place_lines(view: SheetView, issues: list[dict], lang: str = "vi") -> list[str]:
    """What the clean reads the sheet's rows as, in the reader's words (`inspect.*` of the string catalog): the area
    with its type, its level and the tidy table's `area_level`, the former district and the code; then the doubts
    about the place, if any."""
    none = i18n.text("inspect.none", lang)
    if not view.places:
        return [i18n.text("inspect.no_place", lang)]
    lines = []
    for p in view.places:
        level = p["area_level"]
        district = area_label(p["district"], "district", lang, p["year"]) if p["district"] else none
        lines.append(i18n.text("inspect.place", lang, area=area_label(p["area"], level, lang, p["year"]),
                               level=i18n.text(f"inspect.level.{level}", lang)
                               if i18n.has(f"inspect.level.{level}", lang) else level,
                               level_code=level, district=district, code=p["area_code"] or none))
    doubts = [row_words(i, lang)[0] for i in issues if i.get("sheet") == view.name and i.get("code") in PLACE_DOUBTS]
    if doubts:
        lines.append(i18n.text("inspect.place_doubt", lang, doubts="; ".join(dict.fromkeys(doubts))))
    return lines


def _all_issues(records: list[dict], logged: list[dict]) -> list[dict]:
    """The reader's issues of the file and those the clean adds once its rows are together (the catalog,
    duplicates), as issues.csv and the data-quality page have them."""
    issues = list(logged)
    judged([record_row(r) for r in records], issues)
    return issues


def print_views(path: Path, views: list[SheetView], issues: list[dict], lang: str = "vi") -> None:
    """Print the layout, the place and first rows of each sheet as tables (plain text when not on a terminal); the
    place in the reader's language `lang`. What the workbook
    says is shown as text whatever it holds: escaped by `shown` (no escape sequence, line break or direction mark
    reaches the terminal), never read as markup (`[link=...]`) or emoji codes, and every line outside a table is
    printed as one line, never broken where a workbook's words could start a line of their own."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 140), markup=False, emoji=False, highlight=False)
    _line(console, str(path), "bold")
    for v in views:
        if v.problem:
            _line(console, f"  sheet '{v.name}': {v.problem}")
            continue
        header_rows = v.columns[0]["header_rows"] if v.columns else ""
        _line(console, f"sheet '{v.name}', header row(s) {header_rows}")
        for line in place_lines(v, issues, lang):
            _line(console, f"  {line}")
        t = Table()
        for c in ("col", "header", "role", "year", "period", "use", "sample values"):
            t.add_column(c, overflow="fold")
        for c in v.columns:
            t.add_row(*_texts(c["column"], c["header_text"], c["role"] or "-",
                              "" if c["year"] is None else str(c["year"]), c["period"], c["use"], c["samples"]))
        console.print(t)
        _line(console, f"first {len(v.records)} rows as read")
        r = Table()
        for c in ("row", "year", "indicator", "unit", "plan", "actual", "reported"):
            r.add_column(c, overflow="fold")
        for rec in v.records:
            actual = rec["actual_text"] + (" (estimate)" if rec["actual_is_estimate"] else "")
            r.add_row(*_texts(str(rec["source_row"]), str(rec["year"]), rec["indicator"][:48], rec["unit"],
                              rec["plan_text"], actual, rec["reported_status"]))
        console.print(r)
    doubts = counted(issues)  # as the data-quality page counts them: no routine notes (headings, column numbers)
    if doubts:
        _line(console, f"repairs and doubts: {len(doubts)} (counted as on the data-quality page), by kind:")
        for k in tally(doubts, "en"):
            _line(console, f"  {k['count']} × {k['problem']} ({k['kind']})")
        _line(console, "the first ones:")
        for i in doubts[:12]:
            where = ", ".join(x for x in (f"sheet {i['sheet']}" if i["sheet"] else "",
                                          f"row {i['row']}" if i["row"] else "",
                                          f"column {i['column']}" if i["column"] else "") if x)
            _line(console, f"  {where}: {i['problem']} — {i['action']}")


def _line(console, text: str, style: str = "") -> None:
    """One line of text, escaped, as it is (no markup), unbroken (the terminal wraps it, rich does not)."""
    from rich.text import Text

    console.print(Text(shown(text), style=style), soft_wrap=True)


def _texts(*values: object) -> list:
    """Table cells as plain text, escaped: never markup."""
    from rich.text import Text

    return [Text(shown(v)) for v in values]
