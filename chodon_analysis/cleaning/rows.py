"""Turn the rows of an indicator table into records, one per indicator per year (docs/reading.md)."""

from __future__ import annotations

import re
from collections import Counter

from . import vocab
from .cells import convention_votes, fix_fraction_without_format, log_cell, majority, read_value
from .issues import Log
from .layout import VALUE_ROLES, Column, Layout, column_letter, find_layout, row_texts
from .read import FormulaCell, Sheet, Workbook
from .text import detect_legacy, fold, repair
from .years import resolve_years

_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_CODE_IN_NAME = re.compile(r"^\s*((?:[IVXLC]+|[A-Z]|\d+(?:\.\d+)*|[a-zđ])[.)]|\d+(?:\.\d+)+|[-+*•])\s+(?=\S)")
_LETTER_CODE = re.compile(r"[A-Z]\.?")
_COLNUM_TOKEN = re.compile(r"^\(?[a-z0-9]{1,2}(?:\s*[=*/+\-x]\s*[a-z0-9]{1,2})*\)?$")


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
    """(canonical unit, known?) by units.csv."""
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
            votes = convention_votes(s, lay, start)
            per_sheet_votes[s.name] = votes
            for c in votes.values():
                file_votes.update(c)
    file_conv = majority(file_votes)
    unknown_units: set[str] = set()
    for sheet, layout in layouts:
        if layout is None:
            continue
        base = resolve_years(layout, source_name, sheet.name, log)
        sheet_district = _district_from(layout.title_text, district)
        votes = per_sheet_votes.get(sheet.name, {})
        conv = {c.index: (majority(votes.get(c.index)) or file_conv) for c in layout.columns}
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
    openings = vocab.row_openings()
    section = ""
    seen_indicator = False
    out = []
    ended = False
    value_idx = [c.index for c in cols if c.role in VALUE_ROLES]
    for r in range(start, len(sheet.grid)):
        row = sheet.grid[r]
        excel_row = r + 1
        texts = row_texts(row)
        if not any(texts):
            continue
        width = len(texts)

        def get(col: Column | None, texts: list[str] = texts, width: int = width) -> str:
            return texts[col.index] if col is not None and col.index < width else ""

        has_values = any(texts[i] for i in value_idx if i < width)
        name, code, unit_text = get(c_name), get(c_order), get(c_unit)
        first = next(t for t in texts if t)
        opening = fold(first)
        if ended or (opening.startswith(openings["note"] + openings["signature"]) and not has_values) or \
                (seen_indicator and not has_values and not unit_text and not code and len(first) > 80):
            ended = ended or opening.startswith(openings["signature"])
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
                    "unit not in the unit list", "kept as written; add it to chodon_analysis/data/units.csv")
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
                    log_cell(log, sheet.name, excel_row, col, raw, cell, problem, pct, conv.get(col.index))
                rec[f"{kind}_text"] = cell.text
                rec[f"{kind}_target"] = cell.target
                rec[f"{kind}_percent_fraction"] = pct
                if kind == "actual":
                    rec["actual_is_estimate"] = col is not None and col.role == "actual_estimate"
            fix_fraction_without_format(rec, unit, log, sheet.name, excel_row, pair)
            out.append(rec)
    return out
