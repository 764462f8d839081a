"""Find the indicator table in a workbook and turn its rows into records (one per indicator per year).

The header, its columns, the year and the number format are found from the content, not assumed
(CONTRACT §4). Every repair and doubt is logged as an issue row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import vocab
from .parse import Target, number_convention, number_from_cell, parse_number, parse_target
from .read import FormulaCell, Sheet, Workbook
from .text import detect_legacy, fold, normalize, repair

HEADER_SCAN_ROWS = 40
VALUE_ROLES = ("plan", "actual", "actual_estimate")
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_CODE_IN_NAME = re.compile(r"^\s*((?:[IVXLC]+|[A-Z]|\d+(?:\.\d+)*|[a-zđ])[.)]|\d+(?:\.\d+)+|[-+*•])\s+(?=\S)")
_NOTE_START = re.compile(r"^(ghi chu|luu y|nguon|\(\*\)|\*|chu thich|nguoi lap|tm\.|t/m|kt\.|chu tich|"
                         r"truong phong|giam doc|noi nhan)")
_DIGITS_PUNCT = re.compile(r"[\d()\[\]:.,*]+")
_NAM = re.compile(r"\b(nam|năm)\b")
_NUM_TOKEN = re.compile(r"\d[\d.,]*\d")
_SIGNATURE = re.compile(r"^(nguoi lap|tm\.|t/m|kt\.|chu tich|noi nhan)")
_LETTER_CODE = re.compile(r"[A-Z]\.?")
_COLNUM_TOKEN = re.compile(r"^\(?[a-z0-9]{1,2}(?:\s*[=*/+\-x]\s*[a-z0-9]{1,2})*\)?$")


def plausible_year(y: int) -> bool:
    """A report year: not before 1975, not more than ten years ahead."""
    return 1975 <= y <= dt.date.today().year + 10


@dataclass
class Column:
    index: int
    role: str
    header: str
    year: int | None = None


@dataclass
class Layout:
    header_rows: tuple[int, ...]
    columns: list[Column]
    title_text: str

    def first(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)


@dataclass
class Log:
    """Issue rows of one file: file, sheet, row, column, value, problem, action."""

    file: str
    rows: list[dict] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, column: str, value: object, problem: str, action: str) -> None:
        self.rows.append({"file": self.file, "sheet": sheet, "row": row, "column": column,
                          "value": "" if value is None else str(value), "problem": problem, "action": action})


@cache
def _role_patterns() -> list[tuple[str, bool, frozenset[str], re.Pattern[str]]]:
    out = []
    for role, exact, aliases in vocab.column_aliases():
        rx = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(a) for a in aliases) + r")(?![\w/])")
        out.append((role, exact, frozenset(aliases), rx))
    return out


def header_role(text: str) -> str | None:
    """The role of a header cell (`Kế hoạch năm 2024` -> plan), by the alias table."""
    f = fold(text)
    bare = _NAM.sub(" ", _DIGITS_PUNCT.sub(" ", f)).strip()
    if not f:
        return None
    for role, exact, aliases, rx in _role_patterns():
        if exact:
            if f.strip(" .:") in aliases or bare in aliases:
                return role
        elif rx.search(f):
            return role
    return None


def column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_text(v: object) -> str:
    """A cell as text, the way a spreadsheet shows it (no `.0` on whole numbers)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    return str(v)


def _row_texts(row: list[object]) -> list[str]:
    """Cells as text; text cells are already repaired and normalized by `repair_sheet_text`."""
    return [v if isinstance(v, str) else "" if v is None else cell_text(v) for v in row]


def _merged_fill(sheet: Sheet, r: int, c: int) -> str | None:
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= r <= r1 and c0 <= c <= c1 and (r0, c0) != (r, c):
            return normalize(cell_text(sheet.grid[r0][c0])) if r0 < len(sheet.grid) and c0 < len(sheet.grid[r0]) else None
    return None


def find_layout(sheet: Sheet) -> Layout | None:
    """The header row(s) and column roles of a sheet, or None when it holds no indicator table."""
    grid = sheet.grid
    for r in range(min(len(grid), HEADER_SCAN_ROWS)):
        top = _row_texts(grid[r])
        roles = {c: header_role(t) for c, t in enumerate(top) if t}
        if "indicator" not in roles.values() or len(roles) < 2:
            continue  # a title line such as `BIỂU CHỈ TIÊU` names no other column
        best: tuple[tuple[int, ...], list[str]] | None = None
        if any(v in VALUE_ROLES for v in roles.values()):
            best = ((r,), top)
        if r + 1 < len(grid):
            bottom = _row_texts(grid[r + 1])
            width = max(len(top), len(bottom))
            top = top + [""] * (width - len(top))
            bottom = bottom + [""] * (width - len(bottom))
            filled, last = [], ""
            for c in range(width):
                t = top[c] or (_merged_fill(sheet, r, c) or "")
                if not t and bottom[c] and last and header_role(last) in (None, *VALUE_ROLES):
                    t = last
                filled.append(t)
                if top[c]:
                    last = top[c]
                elif not bottom[c]:
                    last = ""
            combined = [" ".join(x for x in (filled[c], bottom[c]) if x) for c in range(width)]
            n_two = sum(header_role(t) in VALUE_ROLES for t in combined)
            n_one = sum(v in VALUE_ROLES for v in roles.values())
            numbers = sum(parse_number(b) is not None for b in bottom if b)
            if any(bottom) and numbers < 2 and any(header_role(b) for b in bottom if b) and n_two >= max(n_one, 1) and \
                    (n_two > n_one or any(not top[c] and bottom[c] for c in range(width))):
                best = ((r, r + 1), combined)
        if best is None:
            continue
        rows, texts = best
        columns = []
        for c, t in enumerate(texts):
            role = header_role(t) if t else None
            if role:
                columns.append(Column(c, role, t))
        title = " ".join(" ".join(x for x in _row_texts(grid[i]) if x) for i in range(r))
        return Layout(rows, columns, title)
    return None


# ---- years -------------------------------------------------------------------------------------
def _years_in(text: str) -> list[int]:
    return [int(y) for y in _YEAR_RE.findall(text)]


def _one_digit_apart(a: int, b: int) -> bool:
    return sum(x != y for x, y in zip(str(a), str(b), strict=True)) == 1


def resolve_years(layout: Layout, file_name: str, sheet: str, log: Log) -> int | None:
    """Give each value column its year and return the base year (the year the actuals belong to).

    Years come from the header, else the title, else the file name. An implausible year (`2924`)
    becomes the plausible year one digit away that the rest of the file states, and is logged.
    """
    known = [y for c in layout.columns for y in _years_in(c.header)]
    known += _years_in(layout.title_text) + _years_in(Path(file_name).stem)
    plausible = Counter(y for y in known if plausible_year(y))
    header_row = layout.header_rows[-1] + 1
    for col in layout.columns:
        years = _years_in(col.header)
        if not years:
            continue
        y = years[-1]
        if not plausible_year(y):
            near = [k for k, _ in plausible.most_common() if _one_digit_apart(k, y)]
            if near:
                log.add(sheet, header_row, column_letter(col.index), col.header, f"implausible year {y}",
                        f"read as {near[0]}: the rest of the file says {near[0]}")
                y = near[0]
            else:
                log.add(sheet, header_row, column_letter(col.index), col.header, f"implausible year {y}",
                        "ignored; the year is taken from the title or file name")
                continue
        col.year = y
    value_cols = [c for c in layout.columns if c.role in VALUE_ROLES]
    actual_years = [c.year for c in value_cols if c.role != "plan" and c.year]
    plan_years = [c.year for c in value_cols if c.role == "plan" and c.year]
    if actual_years:
        base = max(actual_years)  # `TH 2023 | KH 2024 | Ước TH 2024`: the report is of 2024
    elif plan_years and any(c.role != "plan" for c in value_cols) and len(set(plan_years)) == 1 and \
            sum(1 for c in value_cols if c.role == "plan") > len(plan_years):
        base = min(plan_years) - 1  # `KH | TH | KH 2025`: the unnamed columns are the year before
    elif plan_years:
        base = min(plan_years)
    else:
        fallback = [y for y in _years_in(layout.title_text) if plausible_year(y)] or \
                   [y for y in _years_in(Path(file_name).stem) if plausible_year(y)]
        if not fallback:
            bad = [y for y in _years_in(layout.title_text) + _years_in(Path(file_name).stem) if not plausible_year(y)]
            near = [k for k in plausible if any(_one_digit_apart(k, b) for b in bad)]
            fallback = near
        if not fallback:
            log.add(sheet, header_row, "", layout.title_text[:80], "no year in the header, title or file name",
                    "rows written with an empty year; put the year in the header (e.g. 'Kế hoạch năm 2024')")
            return None
        base = Counter(fallback).most_common(1)[0][0]
    for col in layout.columns:
        if col.year is None:
            col.year = base
    groups = sorted({c.year for c in value_cols if c.year})
    odd = [y for y in groups if y != base and not (y == base + 1 and all(
        c.role == "plan" for c in value_cols if c.year == y))]
    base_has_plan = any(c.role == "plan" and c.year == base for c in value_cols)
    if odd or (len(groups) > 1 and not base_has_plan):
        log.add(sheet, header_row, "", " | ".join(c.header for c in value_cols),
                f"the header holds columns of different years ({', '.join(map(str, groups))})",
                "rows written for each year with the columns of that year")
    return base


# ---- rows --------------------------------------------------------------------------------------
@dataclass
class FileContext:
    """What is decided once per file: legacy encoding and number convention per column."""

    legacy: str | None
    conventions: dict[tuple[str, int], str | None]
    file_convention: str | None


def _text_cells(book: Workbook) -> list[str]:
    return [v for s in book.sheets for row in s.grid[:5000] for v in row if isinstance(v, str) and v]


def repair_sheet_text(book: Workbook, log: Log) -> str | None:
    """Repair every text cell of the workbook in place (encoding, NFC, spaces); log one line per sheet."""
    legacy = detect_legacy(_text_cells(book), book.font_hint)
    for sheet in book.sheets:
        counts: Counter[str] = Counter()
        example: dict[str, str] = {}
        for row in sheet.grid:
            for c, v in enumerate(row):
                if isinstance(v, str) and v and not isinstance(v, FormulaCell):
                    fixed, how = repair(v, legacy)
                    if how:
                        counts[how] += 1
                        example.setdefault(how, f"{v[:40]} -> {fixed[:40]}")
                    row[c] = fixed
        names = {"tcvn3": "TCVN3 (ABC, .VnTime fonts)", "vni": "VNI (VNI-Times fonts)",
                 "utf8-mojibake": "UTF-8 read as Windows-1252 (mojibake)"}
        for how, n in counts.items():
            log.add(sheet.name, None, "", example[how], f"text in {names[how]}",
                    f"converted {n} text cells to Unicode")
    return legacy


def _convention_votes(sheet: Sheet, layout: Layout, start: int) -> dict[int, Counter[str]]:
    votes: dict[int, Counter[str]] = {}
    cols = [c.index for c in layout.columns if c.role in VALUE_ROLES]
    for row in sheet.grid[start:]:
        for c in cols:
            v = row[c] if c < len(row) else None
            if isinstance(v, str):
                for tok in _NUM_TOKEN.findall(v):
                    ev, _ = number_convention(tok)
                    if ev:
                        votes.setdefault(c, Counter())[ev] += 1
    return votes


def _majority(c: Counter[str] | None) -> str | None:
    if not c:
        return None
    (a, na), *rest = c.most_common()
    return None if rest and rest[0][1] == na else a


@dataclass
class Cell:
    text: str
    target: Target | None
    missing: bool


def read_value(v: object, percent_fmt: bool, convention: str | None) -> tuple[Cell, str | None]:
    """One plan/actual cell -> (Cell, problem or None)."""
    if v is None or v == "":
        return Cell("", None, True), None
    if isinstance(v, bool):
        return Cell(cell_text(v), None, True), "a TRUE/FALSE value where a number was expected"
    if isinstance(v, int | float):
        n = number_from_cell(float(v), percent_fmt)
        text = (f"{n.value:g}%" if percent_fmt else cell_text(v))
        return Cell(text, Target("=", n.value, None, n.decimals, n.percent), False), None
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return Cell(cell_text(v), None, True), "a date where a number was expected"
    text = str(v)
    if isinstance(v, FormulaCell):
        return Cell(text, None, True), "formula without a saved value"
    f = fold(text)
    if f in vocab.missing_markers() or f.upper() in vocab.missing_markers():
        return Cell(text, None, True), ("Excel error value" if text.startswith("#") else None)
    if text.startswith("#") and text.endswith(("!", "?", "A")):
        return Cell(text, None, True), "Excel error value"
    t = parse_target(text, convention)
    if t is None:
        return Cell(text, None, True), "cannot read a number"
    return Cell(text, t, False), None


def _is_heading(code: str, name: str) -> bool:
    """`I`, `II`, `A` in the order column, or a name in capitals without a code: a section heading."""
    if _ROMAN.match(code.rstrip(".")) or _LETTER_CODE.fullmatch(code):
        return True
    letters = [ch for ch in name if ch.isalpha()]
    return not code and len(letters) > 3 and all(ch.isupper() for ch in letters)


def _is_colnum_row(texts: list[str], layout: Layout) -> bool:
    toks = [fold(t) for t in texts if t]
    return len(toks) >= 3 and all(_COLNUM_TOKEN.match(t) for t in toks)


def canonical_unit(text: str) -> tuple[str, bool]:
    """(canonical unit, known?) by units.toml."""
    key = fold(text).replace(" ", "")
    if not key:
        return "", True
    syn = vocab.unit_synonyms()
    if key in syn:
        return syn[key], True
    if key.strip("()") in syn:
        return syn[key.strip("()")], True
    return text, False


def assessment_status(text: str) -> str | None:
    return vocab.assessment_labels().get(fold(text).strip(" .;:"))


def _district_from(title: str, default: str) -> str:
    """`... huyện Chợ Đồn ...` / `HUYỆN ỦY CHỢ ĐỒN` in the title -> `Chợ Đồn` (two words, title case)."""
    m = re.search(r"(?i)\bhuyện\s+(?:ủy\s+|uỷ\s+)?(\w+\s+\w+)", title)
    if not m:
        return default
    name = " ".join(w.capitalize() for w in m.group(1).split())
    return default if fold(name) == fold(default) else name


def extract_workbook(book: Workbook, source_name: str, district: str, log: Log) -> list[dict]:
    """Every indicator row of every table of the workbook as records (one per indicator per year)."""
    repair_sheet_text(book, log)
    records: list[dict] = []
    layouts = [(s, find_layout(s)) for s in book.sheets]
    if not any(lay for _, lay in layouts):
        return records
    file_votes: Counter[str] = Counter()
    per_sheet_votes = {}
    for s, lay in layouts:
        if lay:
            start = lay.header_rows[-1] + 1
            votes = _convention_votes(s, lay, start)
            per_sheet_votes[s.name] = votes
            for c in votes.values():
                file_votes.update(c)
    file_conv = _majority(file_votes)
    unknown_units: set[str] = set()
    for sheet, layout in layouts:
        if layout is None:
            continue
        base = resolve_years(layout, source_name, sheet.name, log)
        sheet_district = _district_from(layout.title_text, district)
        votes = per_sheet_votes.get(sheet.name, {})
        conv = {c.index: (_majority(votes.get(c.index)) or file_conv) for c in layout.columns}
        records += _sheet_records(sheet, layout, base, sheet_district, source_name, conv, log, unknown_units)
    return records


def _sheet_records(sheet: Sheet, layout: Layout, base: int | None, district: str, source: str,
                   conv: dict[int, str | None], log: Log, unknown_units: set[str]) -> list[dict]:
    cols = layout.columns
    c_order, c_name = layout.first("order"), layout.first("indicator")
    c_unit, c_assess, c_note = layout.first("unit"), layout.first("assessment"), layout.first("note")
    years = sorted({c.year for c in cols if c.role in VALUE_ROLES}, key=lambda y: (y is None, y))
    by_year: dict[int | None, dict[str, Column]] = {}
    for y in years:
        plan = [c for c in cols if c.role == "plan" and c.year == y]
        actual = [c for c in cols if c.role == "actual" and c.year == y] or \
                 [c for c in cols if c.role == "actual_estimate" and c.year == y]
        by_year[y] = {"plan": plan[0] if plan else None, "actual": actual[0] if actual else None}
        for extra in (plan[1:], actual[1:]):
            for c in extra:
                log.add(sheet.name, layout.header_rows[-1] + 1, column_letter(c.index), c.header,
                        f"a second {c.role} column for {y}", "not used; the first one is kept")
    start = layout.header_rows[-1] + 1
    section = ""
    seen_indicator = False
    out = []
    ended = False
    value_idx = [c.index for c in cols if c.role in VALUE_ROLES]
    for r in range(start, len(sheet.grid)):
        row = sheet.grid[r]
        excel_row = r + 1
        texts = _row_texts(row)
        if not any(texts):
            continue
        width = len(texts)

        def get(col: Column | None, texts: list[str] = texts, width: int = width) -> str:
            return texts[col.index] if col is not None and col.index < width else ""

        has_values = any(texts[i] for i in value_idx if i < width)
        name, code, unit_text = get(c_name), get(c_order), get(c_unit)
        first = next(t for t in texts if t)
        if ended or (_NOTE_START.match(fold(first)) and not has_values) or \
                (seen_indicator and not has_values and not unit_text and not code and len(first) > 80):
            ended = ended or bool(_SIGNATURE.match(fold(first)))
            log.add(sheet.name, excel_row, "", first[:120], "note row below or inside the table",
                    "not an indicator; kept here only")
            continue
        if not seen_indicator and _is_colnum_row(texts, layout):
            log.add(sheet.name, excel_row, "", " | ".join(t for t in texts if t), "column-number row",
                    "skipped (it numbers the columns)")
            continue
        if not code and name and (m := _CODE_IN_NAME.match(name)):
            code, name = m.group(1).rstrip(".)") if m.group(1) not in "-+*•" else m.group(1), name[m.end():]
        if not name and not has_values:
            name = next((t for i, t in enumerate(texts) if t and (c_order is None or i != c_order.index)), "")
        if not has_values and not unit_text and _is_heading(code, name):
            section = name
            log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", name,
                    "section heading", "sets the section of the rows below")
            continue
        if not name:
            log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", "",
                    "indicator row without a name", "kept with an empty name; fill in the name")
        seen_indicator = True
        unit, known = canonical_unit(unit_text)
        if not known and unit_text not in unknown_units:
            unknown_units.add(unit_text)
            log.add(sheet.name, excel_row, column_letter(c_unit.index) if c_unit else "", unit_text,
                    "unit not in the unit list", "kept as written; add it to chodon_analysis/data/units.toml")
        reported = ""
        assess_text = get(c_assess)
        if assess_text:
            reported = assessment_status(assess_text) or ""
            if not reported:
                log.add(sheet.name, excel_row, column_letter(c_assess.index), assess_text,
                        "assessment label not recognised", "reported_status left empty")
        for y, pair in by_year.items():
            if y != base and not any(get(c) for c in pair.values()):
                continue  # `KH năm 2025` left blank for this indicator: no 2025 row
            rec = {
                "district": district, "year": y, "section": section, "code": code, "indicator": name,
                "unit": unit, "source_file": source, "source_sheet": sheet.name, "source_row": excel_row,
                "reported_status": reported if (y == base or (c_assess and c_assess.year == y)) else "",
                "note": get(c_note),
            }
            for kind in ("plan", "actual"):
                col = pair[kind]
                raw = row[col.index] if col is not None and col.index < len(row) else None
                pct = col is not None and (r, col.index) in sheet.percent_cells
                cell, problem = read_value(raw, pct, conv.get(col.index) if col else None)
                if col is not None:
                    _log_cell(log, sheet.name, excel_row, col, raw, cell, problem, pct, conv.get(col.index))
                rec[f"{kind}_text"] = cell.text
                rec[f"{kind}_target"] = cell.target
                rec[f"{kind}_percent_fraction"] = pct
                if kind == "actual":
                    rec["actual_is_estimate"] = col is not None and col.role == "actual_estimate"
            _fix_fraction_without_format(rec, unit, log, sheet.name, excel_row, pair)
            out.append(rec)
    return out


def _log_cell(log: Log, sheet: str, row: int, col: Column, raw: object, cell: Cell, problem: str | None,
              pct: bool, conv: str | None) -> None:
    t = cell.target
    if not (problem or pct or (t is not None and (t.ambiguous or (col.role != "plan" and t.op != "=")))):
        return
    letter = column_letter(col.index)
    if problem:
        action = {"Excel error value": "treated as missing",
                  "formula without a saved value": "value left empty; open and save the workbook in Excel or "
                                                   "LibreOffice so that the values are stored"}.get(
            problem, "value left empty; correct the cell")
        log.add(sheet, row, letter, raw, problem, action)
    if pct and isinstance(raw, int | float):
        log.add(sheet, row, letter, raw, "percent stored as a fraction with a percent format",
                f"read as {cell.target.value:g}%" if cell.target else "read as percent")
    if t is not None and t.ambiguous:
        fmt = "Vietnamese (. thousands, , decimal)" if (conv or "vi") == "vi" else "English (, thousands, . decimal)"
        why = "the other cells of the column and file" if conv else "no other cell decides; Vietnamese assumed"
        log.add(sheet, row, letter, raw, "ambiguous number format",
                f"read as {t.value:g} in {fmt} format, by {why}")
    if t is not None and col.role != "plan" and t.op != "=":
        log.add(sheet, row, letter, raw, f"actual given as a phrase ({t.op})", f"value {t.value:g} used")


def _fix_fraction_without_format(rec: dict, unit: str, log: Log, sheet: str, row: int, pair: dict) -> None:
    """A percent indicator whose cell holds 0.805 with no percent format, beside a plan of 80.5."""
    if unit != "%":
        return
    p, a = rec["plan_target"], rec["actual_target"]
    for kind, t, other in (("plan", p, a), ("actual", a, p)):
        if t is None or other is None or rec[f"{kind}_percent_fraction"] or t.percent:
            continue
        text = rec[f"{kind}_text"]
        if 0 < abs(t.value) <= 1.0 and abs(other.value) > 1.5 and "," not in text and "%" not in text:
            new = Target(t.op, round(t.value * 100, 10), None if t.high is None else t.high * 100,
                         max(t.decimals - 2, 0), True, t.convention, t.ambiguous, t.direction)
            rec[f"{kind}_target"] = new
            col = pair[kind]
            log.add(sheet, row, column_letter(col.index) if col else "", text,
                    "percent written as a fraction (no percent format)",
                    f"read as {new.value:g}% (the {'actual' if kind == 'plan' else 'plan'} is {other.value:g})")
