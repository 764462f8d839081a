"""Turn the rows of an indicator table into records, one per indicator per year (docs/reading.md)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ...base import vocab
from ...base.issues import Log
from ...base.places import REFORM_YEAR, Place, place_from_name, place_from_title
from ...base.text import fold
from ..formats.book import column_letter
from ..formats.reader import Sheet, Workbook
from ..layout.header import VALUE_ROLES, Column, Layout, find_layout, row_texts
from ..layout.log import layout_rows
from ..layout.override import Override, apply_override
from ..layout.slots import SheetSlots, assign
from ..layout.years import resolve_years
from .cells import Cell, convention_votes, fix_fraction_without_format, log_cell, majority, read_value
from .kinds import note_row, notes_heading, of_which, signature_or_date, split_name
from .parse import parse_target
from .ratios import check_ratio
from .repair import repair_sheet_text

_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_CODE_IN_NAME = re.compile(r"^\s*((?:[IVXLC]+|[A-Z]|\d+(?:\.\d+)*|[a-zđ])[.)]|\d+(?:\.\d+)+|[-+*•])\s+(?=\S)")
_LETTER_CODE = re.compile(r"[A-Z]\.?")
_COLNUM_TOKEN = re.compile(r"^\(?[a-z0-9]{1,2}(?:\s*[=*/+\-x:]\s*[a-z0-9]{1,2})*\)?$")
_LEVEL_CODE = re.compile(r"^(\d+(\.\d+)*\.?|[IVXLC]+\.?|[A-Z]\.?)$")


def _is_heading(code: str, name: str) -> bool:
    """`I`, `II`, `A` in the order column, or a name in capitals without a code: a section heading."""
    if _ROMAN.match(code.rstrip(".")) or _LETTER_CODE.fullmatch(code):
        return True
    letters = [ch for ch in name if ch.isalpha()]
    return not code and len(letters) > 3 and all(ch.isupper() for ch in letters)


def _is_colnum_row(texts: list[str]) -> bool:
    toks = [fold(t) for t in texts if t]
    return len(toks) >= 3 and all(_COLNUM_TOKEN.match(t) for t in toks)


@vocab.derived
@lru_cache(maxsize=65536)
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


def extract_workbook(book: Workbook, source_name: str, district: str, log: Log,
                     override: Override | None = None) -> tuple[list[dict], list[dict]]:
    """Every indicator row of every table of the workbook as records (one per indicator per year), and the
    layout the reader decided for each sheet (the rows of layout.csv)."""
    repair_sheet_text(book, log)
    records: list[dict] = []
    for s in (s for s in book.sheets if s.hidden):
        log.add(s.name, None, "", s.name, "hidden sheet", "not read (a draft or a helper sheet); unhide it if it counts")
    layouts = [(s, apply_override(s, find_layout(s), override, log)) for s in book.sheets if not s.hidden]
    if not any(lay for _, lay in layouts):
        return records, []
    file_votes: Counter[str] = Counter()
    per_sheet_votes = {}
    for s, lay in layouts:
        if lay:
            votes = convention_votes(s, lay, lay.header_rows[-1] + 1)
            per_sheet_votes[s.name] = votes
            for c in votes.values():
                file_votes.update(c)
    file_conv = majority(file_votes)
    unknown_units: set[str] = set()
    described: list[dict] = []
    named = [d for _, lay in layouts if lay for d in [place_from_title(lay.title_text)] if d]
    workbook_place = named[0] if named else place_from_name(source_name)  # a sheet without a title: the workbook's
    for sheet, layout in layouts:
        if layout is None:
            continue
        place = place_from_title(layout.title_text) or place_from_name(sheet.name) or workbook_place
        assumed = place is None
        if assumed:
            place = Place(district, "district", district)
            log.add(sheet.name, None, "", layout.title_text[:120], "no district named in the title",
                    f"'{district}' assumed; put the place in the title (UBND HUYỆN ..., UBND XÃ ...) if it is another")
        base = resolve_years(layout, source_name, sheet.name, log,
                             lambda sheet=sheet: " ".join(t for row in sheet.grid[-20:] for t in row_texts(row) if t))
        if assumed and base is not None and base >= REFORM_YEAR:  # no district reports after the reform
            log.add(sheet.name, None, "", layout.title_text[:120], "no place named in a report of 2025 or later",
                    f"read as the district '{district}', which no longer reports: if it is a commune's report, put the "
                    "commune in its heading (UBND XÃ ...) or its file name (bao-cao-xa-...); check it before use")
        for c in layout.columns:
            if c.index in sheet.hidden_cols and not c.fixed:
                c.used, c.role = "not used: hidden in the workbook", f"{c.role} (hidden)"
                log.add(sheet.name, layout.header_rows[-1] + 1, column_letter(c.index), c.header, "hidden column",
                        "not used; unhide it, or say it in a layout file, if it counts")
        slots = assign(layout, base, sheet.name, log)
        votes = per_sheet_votes.get(sheet.name, {})
        fallback = file_conv or ("en" if _english(layout) else None)  # English headers: English numbers, unless told
        conv = {c.index: (majority(votes.get(c.index)) or fallback) for c in layout.columns}
        context = {"district": place.district, "area": place.name, "area_level": place.level, "area_code": "",
                   "source_file": source_name, "source_sheet": sheet.name}
        records += _sheet_records(sheet, layout, slots, base, context, conv, log, unknown_units)
        described += layout_rows(source_name, sheet.name, layout)
    return records, described


_EMPTY = (None, Cell("", None, True), False)


def _read(sheet: Sheet, r: int, col: Column | None, conv: dict[int, str | None], log: Log):
    """The cell of `col` in row `r` as (raw, Cell, percent-formatted), its repairs and doubts logged."""
    if col is None:
        return _EMPTY
    row = sheet.grid[r]
    raw = row[col.index] if col.index < len(row) else None
    if raw is None or raw == "":
        return raw, _EMPTY[1], False
    key = (r, col.index)
    pct = key in sheet.percent_cells
    conv = conv.get(col.index)
    cell, problem = read_value(raw, pct, conv, sheet.decimals.get(key))
    t = cell.target
    if problem or pct or (t is not None and (t.ambiguous or (t.op != "=" and col.role != "plan"))):
        log_cell(log, sheet.name, r + 1, col, raw, cell, problem, pct, conv)
    return raw, cell, pct


def _merged_down(sheet: Sheet, cols: list[Column], start: int) -> dict[tuple[int, int], str]:
    """(row, column) -> text of cells of the order, name and unit columns covered by a merge from a row above
    (rows from `start` on: merges of the header are not data)."""
    wanted = {c.index for c in cols}
    out = {}
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= start and c0 in wanted and c0 == c1 and r1 > r0 and r0 < len(sheet.grid) and c0 < len(sheet.grid[r0]):
            text = row_texts([sheet.grid[r0][c0]])[0]
            out.update({(r, c0): text for r in range(r0 + 1, min(r1, r0 + 50) + 1)})
    return out


def _english(layout: Layout) -> bool:
    """A header written in English (`Indicator | Unit | Plan 2024 | Actual 2024`)."""
    texts = [c.header for c in layout.columns if c.role in ("indicator", *VALUE_ROLES)]
    return bool(texts) and all(t.isascii() for t in texts) and \
        any(w in fold(t).split() for t in texts for w in ("indicator", "plan", "actual", "target", "estimate"))


def _next_code(sheet: Sheet, r: int, c_order: Column | None, c_name: Column | None) -> str:
    """The order code of the next non-empty row (written in the order column, or at the start of the name)."""
    for row in sheet.grid[r + 1: r + 4]:
        texts = row_texts(row)
        if any(texts):
            code = texts[c_order.index] if c_order is not None and c_order.index < len(texts) else ""
            name = texts[c_name.index] if c_name is not None and c_name.index < len(texts) else ""
            if not code and (m := _CODE_IN_NAME.match(name)):
                code = m.group(1).rstrip(".)") if m.group(1) not in "-+*•" else m.group(1)
            return code
    return ""


def _child_code(code: str, parent: str) -> bool:
    """`2.1` under `2`, or a bullet (`-`, `+`, `a`): the code of a row that belongs to the row above it."""
    return code.startswith(parent.rstrip(".") + ".") or code in ("-", "+", "*", "•") or \
        (len(code) == 1 and code.islower())


def _value_like(text: str) -> bool:
    """A cell that reads as a value: a number, a plan phrase or a missing-value marker (not a name or a date line)."""
    return bool(text) and (parse_target(text) is not None or fold(text) in vocab.missing_markers())


def _sheet_records(sheet: Sheet, layout: Layout, slots: SheetSlots, base: int | None, context: dict,
                   conv: dict[int, str | None], log: Log, unknown_units: set[str]) -> list[dict]:
    c_order, c_name = layout.first("order"), layout.first("indicator")
    c_unit, c_note = layout.first("unit"), layout.first("note")
    value_idx = [c.index for c in layout.columns if c.role in VALUE_ROLES]
    header = [fold(t) for t in row_texts(sheet.grid[layout.header_rows[0]])]
    merged_names = _merged_down(sheet, [c for c in (c_order, c_name, c_unit) if c is not None],
                                layout.header_rows[-1] + 1)
    merged_cols = sorted({c for _, c in merged_names})
    section, parent, last_indicator, parent_code, last_code = "", "", "", "", ""
    last_row = 0
    seen_indicator = ended = in_notes = False
    out = []
    name_at = c_name.index if c_name is not None else -1
    note_at = c_note.index if c_note is not None else -1
    header_name = header[name_at] if 0 <= name_at < len(header) else None
    for r in range(layout.header_rows[-1] + 1, len(sheet.grid)):
        raw_row = sheet.grid[r]
        texts = row_texts(raw_row)
        if not any(texts):
            continue
        if r in sheet.hidden_rows:
            log.add(sheet.name, r + 1, "", " | ".join(t for t in texts if t)[:120], "hidden row",
                    "not read (hidden in the workbook); unhide it if it counts")
            continue
        for c in merged_cols:  # a name merged down over two rows (one per unit)
            if c < len(texts) and not texts[c] and (r, c) in merged_names:
                texts[c] = merged_names[(r, c)]
        excel_row, width = r + 1, len(texts)

        def get(col: Column | None, texts: list[str] = texts, width: int = width) -> str:
            return texts[col.index] if col is not None and col.index < width else ""

        has_values = any(texts[i] for i in value_idx if i < width)
        numeric = has_values and all(isinstance(raw_row[i], int | float) for i in value_idx if i < width and texts[i])

        def reads_as_value(texts: list[str] = texts, width: int = width, numeric: bool = numeric,
                           has_values: bool = has_values) -> bool:
            return numeric or (has_values and any(_value_like(texts[i]) for i in value_idx if i < width))

        name, code, unit_text = get(c_name), get(c_order), get(c_unit)
        first = next(t for t in texts if t)
        if ended or (not numeric and signature_or_date(texts, skip=note_at) and not reads_as_value()):
            ended = True
            log.add(sheet.name, excel_row, "", first[:120], "signature, date or note line below the table",
                    "not an indicator; the table ends at the signature or date line")
            continue
        if header_name is not None and name_at < width and fold(texts[name_at]) == header_name and \
                [fold(t) for t in texts[: len(header)]] == header[: len(texts)]:
            log.add(sheet.name, excel_row, "", " | ".join(t for t in texts if t), "the header repeated inside the table",
                    "skipped")
            continue
        if (not seen_indicator or len(get(c_name)) <= 2) and _is_colnum_row(texts):
            log.add(sheet.name, excel_row, "", " | ".join(t for t in texts if t), "column-number row",
                    "skipped (it numbers the columns)")
            continue
        if code and not name and len(code.split()) > 3:  # a note typed in the order column
            code, name = "", code
        if not code and name and (m := _CODE_IN_NAME.match(name)):
            code, name = m.group(1).rstrip(".)") if m.group(1) not in "-+*•" else m.group(1), name[m.end():]
        if not name and not has_values:
            name = next((t for i, t in enumerate(texts) if t and (c_order is None or i != c_order.index)), "")
        if not code and not has_values and not unit_text and name[:1].islower() and out and \
                out[-1]["source_row"] == last_row and not of_which(name)[0]:
            for rec in out[-len(slots.years):]:  # `Tỷ lệ hộ gia đình` / `đạt danh hiệu văn hóa`: one name, two rows
                if rec["source_row"] == last_row:
                    rec["indicator"] = f"{rec['indicator']} {name}"
            log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", name,
                    "indicator name continued on the next row", "joined to the name of the row above")
            continue
        label, rest = of_which(name)
        if label and not rest and not has_values:
            parent, parent_code = last_indicator, last_code
            log.add(sheet.name, excel_row, "", name, "'Trong đó' label",
                    f"not an indicator; the rows below belong to '{parent}'" if parent else "not an indicator")
            continue
        if note_row(first, name, has_values, bool(unit_text), seen_indicator) or \
                (in_notes and not unit_text and not _is_heading(code, name) and not reads_as_value()):
            # below the indicators, a `Ghi chú:` line opens a block of notes
            in_notes = in_notes or (seen_indicator and notes_heading(first))
            log.add(sheet.name, excel_row, "", first[:120], "note row below or inside the table",
                    "not an indicator; kept here only")
            continue
        if not has_values and not unit_text and _LEVEL_CODE.match(code) and not _is_heading(code, name) and \
                _child_code(_next_code(sheet, r, c_order, c_name), code):
            parent, parent_code = name, code  # `2 Chăn nuôi` with no values over `2.1 Tổng đàn trâu`, `- Lợn`
            log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", name,
                    "group heading (no values)", "not an indicator; the rows below belong to it")
            continue
        if not has_values and not unit_text and _is_heading(code, name):
            section, parent = name, ""
            log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", name,
                    "section heading", "sets the section of the rows below")
            continue
        if label:
            name, parent, parent_code = rest, last_indicator, last_code
        elif parent and _LEVEL_CODE.match(code) and not (parent_code and code.startswith(parent_code.rstrip(".") + ".")):
            parent = ""  # a row at the parent's level ends the `Trong đó` group (1.1 under 1 does not)
        name, unit_in_name, mark = split_name(name, c_unit is None or not unit_text)
        if not name:
            log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", "",
                    "indicator row without a name", "kept with an empty name; fill in the name")
        seen_indicator = True
        unit, known = canonical_unit(unit_text)
        if unit_in_name and not unit:
            unit, known = unit_in_name, True
            log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", f"{name} ({unit})",
                    "unit written in the indicator name", f"unit '{unit}' taken from the name")
        if not known and unit_text not in unknown_units:
            unknown_units.add(unit_text)
            log.add(sheet.name, excel_row, column_letter(c_unit.index) if c_unit else "", unit_text,
                    "unit not in the unit list", "kept as written; add it to chodon_analysis/data/units.csv")
        note = " ".join(x for x in (mark, get(c_note)) if x)
        term_raw, term, _ = _read(sheet, r, slots.term_target, conv, log)
        for y, slot in slots.years.items():
            if y != base and not any(get(c) for c in (slot.plan, slot.actual)):
                continue  # `KH năm 2025` left blank for this indicator: no 2025 row
            reported = ""
            if (assess_text := get(slot.assessment)):
                reported = assessment_status(assess_text) or ""
                if not reported:
                    log.add(sheet.name, excel_row, column_letter(slot.assessment.index), assess_text,
                            "assessment label not recognised", "reported_status left empty")
            rec = {**context, "year": y, "section": section, "code": code, "indicator": name, "unit": unit,
                   "source_row": excel_row, "reported_status": reported, "note": note, "parent_indicator": parent,
                   "term_target_text": term.text, "term_target": term.target,
                   "term_target_year": slots.term_target.year if slots.term_target is not None and term.text else None}
            pair = {"plan": slot.plan, "actual": slot.actual}
            for kind, col in pair.items():
                _, cell, pct = _read(sheet, r, col, conv, log)
                if kind == "actual" and cell.missing and slot.estimate is not None and get(slot.estimate):
                    pair["actual"] = slot.estimate  # `TH năm` empty or `chưa có số liệu`: `Ước TH năm`, an estimate
                    _, cell, pct = _read(sheet, r, slot.estimate, conv, log)
                if kind == "plan" and cell.target is not None and col is not None and (r, col.index) in sheet.decimals:
                    # the plan is what the cell shows: 95.3 formatted `0` is a plan of 95
                    cell = cell._replace(target=cell.target._replace(value=round(cell.target.value, cell.target.decimals)))
                rec[f"{kind}_text"], rec[f"{kind}_target"], rec[f"{kind}_percent_fraction"] = cell.text, cell.target, pct
            rec["actual_is_estimate"] = pair["actual"] is not None and pair["actual"].role == "actual_estimate"
            fix_fraction_without_format(rec, unit, log, sheet.name, excel_row, pair)
            for comp in slot.comparison:
                raw = sheet.grid[r][comp.index] if comp.index < len(sheet.grid[r]) else None
                check_ratio(comp, raw, rec["plan_target"], rec["actual_target"], name, log, sheet.name, excel_row)
            out.append(rec)
        last_row = excel_row
        if not label and not parent:
            last_indicator, last_code = name, code
    return out
