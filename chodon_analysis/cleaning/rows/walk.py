"""Turn the rows of an indicator table into records, one per indicator per year (docs/reading.md).

Each row below the header is told by the first rule of RULES whose test holds (rows/kinds.py): a signature or date
line, a repeated header, a column-number row, a name continued, a `Trong đó:` label, a note, a group or section
heading; its action logs it and moves the State. A row no rule takes is an indicator, read into records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ...base import vocab
from ...base.issues import Log
from ...base.places import REFORM_YEAR, Place, narrowed_by, place_from_name, place_from_title, settle
from ...base.text import fold
from ..formats import Sheet, Workbook
from ..formats.book import column_letter
from ..layout.content import assessment_by_content
from ..layout.header import VALUE_ROLES, Column, Layout, find_layout, row_texts
from ..layout.log import layout_rows
from ..layout.override import Override, apply_override
from ..layout.slots import SheetSlots, YearSlots, assign
from ..layout.split import tables, turned
from ..layout.years import resolve_years
from . import kinds, parents
from .cells import Cell, ambiguous_in, convention_votes, fix_fraction_without_format, log_cell, majority, read_value
from .kinds import Row, State, Table, notes_heading, split_name
from .ratios import check_ratio
from .repair import repair_sheet_text


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
    """The status code an assessment cell says (assessment_labels.csv), None for a label not in the list."""
    return vocab.assessment_labels().get(fold(text).strip(" .;:"))


def extract_workbook(book: Workbook, source_name: str, district: str, log: Log,
                     override: Override | None = None) -> tuple[list[dict], list[dict]]:
    """Every indicator row of every table of the workbook as records (one per indicator per year), and the
    layout the reader decided for each sheet (the rows of layout.csv)."""
    repair_sheet_text(book, log)
    records: list[dict] = []
    for s in (s for s in book.sheets if s.hidden):
        log.add(s.name, None, "", s.name, "hidden_sheet")
    described_sheets = set(override.sheets) if override else set()  # a layout file's sheet: as the file says
    views = [v for s in book.sheets if not s.hidden
             for v in ([s] if {s.name, "*"} & described_sheets else tables(s, log))]  # several tables on a sheet
    views = [turned(v, log) if not {v.name, "*"} & described_sheets else v for v in views]
    layouts = [(v, apply_override(v, find_layout(v), override, log)) for v in views]
    for v, lay in layouts:
        assessment_by_content(v, lay, log)  # a blank header over `Đạt`, `Vượt`: the office's assessment
    if not any(lay for _, lay in layouts):
        return records, []
    file_votes: Counter[str] = Counter()
    per_sheet_votes = {}
    for s, lay in layouts:
        if lay:
            votes = convention_votes(s, lay, lay.header_rows[-1] + 1)
            per_sheet_votes[id(s)] = votes
            for c in votes.values():
                file_votes.update(c)
    file_conv = majority(file_votes)
    seen = set(file_votes).union(*(v for s, lay in layouts if lay for v in convention_votes(
        s, lay, lay.header_rows[-1] + 1, ("comparison",)).values()))  # `101,3` in a `TH/KH (%)` column counts
    mixed = len(seen) > 1  # the file writes numbers both ways: a number the column decides is still a doubt
    unknown_units: set[str] = set()
    described: list[dict] = []
    named = [d for _, lay in layouts if lay for d in [place_from_title(lay.title_text)] if d]
    workbook_place = named[0] if named else place_from_name(source_name)  # a sheet without a title: the workbook's
    for sheet, layout in layouts:
        if layout is None:
            continue
        place = place_from_title(layout.title_text) or place_from_name(sheet.name, "sheet") or workbook_place
        assumed = place is None
        if place and place.odd:  # look-alike letters or invisible characters: read as the place they pass for
            log.add(sheet.name, None, "", place.written, "place_odd_characters", area=place.name, where=place.where,
                    characters=place.odd)
        if assumed:
            place = Place(district, "district", district)
            log.add(sheet.name, None, "", layout.title_text[:120], "no_place_in_title",
                    district=district)
        base = resolve_years(layout, source_name, sheet.name, log,
                             lambda sheet=sheet: " ".join(t for row in sheet.grid[-20:] for t in row_texts(row) if t))
        if assumed and base is not None and base >= REFORM_YEAR:  # no district reports after the reform
            log.add(sheet.name, None, "", layout.title_text[:120], "no_place_after_reform",
                    district=district)
        place = narrowed_by(settle(place, base), source_name, base)  # the file name's district, where the title's
        if place.shared:  # a name several units share, even with the year and file name: not guessed
            log.add(sheet.name, None, "", place.name, "place_ambiguous", area=place.name, units=place.shared)
        for c in layout.columns:
            if c.index in sheet.hidden_cols and not c.fixed:
                c.used, c.role = "not used: hidden in the workbook", f"{c.role} (hidden)"
                log.add(sheet.name, layout.header_rows[-1] + 1, column_letter(c.index), c.header, "hidden_column")
        slots = assign(layout, base, sheet.name, log)
        votes = per_sheet_votes.get(id(sheet), {})
        fallback = file_conv or ("en" if _english(layout) else None)  # English headers: English numbers, unless told
        conv = {c.index: (majority(votes.get(c.index)) or fallback) for c in layout.columns}
        context = {"district": place.district, "area": place.name, "area_level": place.level, "area_code": place.code,
                   "source_file": source_name, "source_sheet": sheet.name}
        records += _sheet_records(sheet, layout, slots, base, context, conv, log, unknown_units, mixed)
        described += layout_rows(source_name, sheet.name, layout)
    return records, described


_EMPTY = (None, Cell("", None, True), False)


def _read(sheet: Sheet, r: int, col: Column | None, conv: dict[int, str | None],
          log: Log, mixed: bool = False) -> tuple[object, Cell, bool]:
    """The cell of `col` in row `r` as (raw, Cell, percent-formatted), its repairs and doubts logged; in a file that
    writes numbers both ways (`mixed`), a number that reads either way is a doubt even where its column decides."""
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
    if mixed and conv and t is not None and type(raw) is str and ambiguous_in(raw):
        log.add(sheet.name, r + 1, column_letter(col.index), raw, "ambiguous_number", value=float(t.value),
                format="1.234,5" if conv == "vi" else "1,234.5")
    return raw, cell, pct


def _english(layout: Layout) -> bool:
    """A header written in English (`Indicator | Unit | Plan 2024 | Actual 2024`)."""
    texts = [c.header for c in layout.columns if c.role in ("indicator", *VALUE_ROLES)]
    return bool(texts) and all(t.isascii() for t in texts) and \
        any(w in fold(t).split() for t in texts for w in ("indicator", "plan", "actual", "target", "estimate"))


@dataclass
class Walk:
    """One sheet being read: its table, how its cells read (slots, report year, number conventions), where repairs
    and doubts go, the state the rows above leave, and the records made so far."""

    table: Table
    slots: SheetSlots
    base: int | None
    context: dict
    conv: dict[int, str | None]
    log: Log
    unknown_units: set[str]
    mixed: bool = False  # the file writes numbers both ways (`80.5` and `101,3`)
    state: State = field(default_factory=State)
    out: list[dict] = field(default_factory=list)


def _end_table(w: Walk, row: Row) -> None:
    """A signature or date line: the table ends; it and every row after it are logged."""
    sheet, log, excel_row, first = w.table.sheet, w.log, row.excel_row, row.first
    w.state.ended = True
    log.add(sheet.name, excel_row, "", first[:120], "signature_line")


def _skip_header(w: Walk, row: Row) -> None:
    """The header repeated inside the table: skipped."""
    sheet, log, excel_row, texts = w.table.sheet, w.log, row.excel_row, row.texts
    log.add(sheet.name, excel_row, "", " | ".join(t for t in texts if t), "header_repeated")


def _skip_column_numbers(w: Walk, row: Row) -> None:
    """The row that numbers the columns: skipped."""
    sheet, log, excel_row, texts = w.table.sheet, w.log, row.excel_row, row.texts
    log.add(sheet.name, excel_row, "", " | ".join(t for t in texts if t), "column_number_row")


def _join_name(w: Walk, row: Row) -> None:
    """The end of the name of the indicator above, joined to its records."""
    sheet, log, excel_row, c_name, name = w.table.sheet, w.log, row.excel_row, w.table.c_name, row.name
    for rec in w.state.last_records:  # `Tỷ lệ hộ gia đình` / `đạt danh hiệu văn hóa`: one name, two rows
        rec["indicator"] = f"{rec['indicator']} {name}"
    if (above := w.state.above) is not None:
        w.state.above = (f"{above[0]} {name}", *above[1:])
    log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", name,
            "name_continued")


def _open_of_which(w: Walk, row: Row) -> None:
    """A `Trong đó:` label: the rows below are parts of the indicator just above it (none: a doubt)."""
    if parent := parents.open_parts(w.state, row.excel_row):
        w.log.add(w.table.sheet.name, row.excel_row, "", row.name, "of_which_label", parent=parent)
    else:
        w.log.add(w.table.sheet.name, row.excel_row, "", row.name, "of_which_label_alone")


def _say(w: Walk, doubts: list[parents.Doubt]) -> None:
    for excel_row, value, code, params in doubts:
        w.log.add(w.table.sheet.name, excel_row, "", value, code, **params)


def _skip_note(w: Walk, row: Row) -> None:
    """A note: skipped; below the indicators, a `Ghi chú:` line opens a block of notes."""
    sheet, log, excel_row, first, s = w.table.sheet, w.log, row.excel_row, row.first, w.state
    s.in_notes = s.in_notes or (s.seen_indicator and notes_heading(first))
    log.add(sheet.name, excel_row, "", first[:120], "note_row")


def _open_group(w: Walk, row: Row) -> None:
    """A group heading: the rows below belong to it."""
    sheet, log, excel_row, c_name, name, s = w.table.sheet, w.log, row.excel_row, w.table.c_name, row.name, w.state
    _say(w, parents.open_group(s, name, row.code, excel_row))  # `2 Chăn nuôi` over `2.1 Tổng đàn trâu`, `- Lợn`
    log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", name,
            "group_heading")


def _open_section(w: Walk, row: Row) -> None:
    """A section heading: the section of the rows below, and the end of a group."""
    sheet, log, excel_row, c_name, name, s = w.table.sheet, w.log, row.excel_row, w.table.c_name, row.name, w.state
    _say(w, parents.doubts(s.frames[::-1]))
    s.section, s.frames, s.above = name, [], None
    log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", name,
            "section_heading")


class RowRule(NamedTuple):
    """What a row is (`kind`) when `test` holds, and what the walk does with it (`action`)."""

    kind: str
    test: Callable[[Table, State, Row], bool]
    action: Callable[[Walk, Row], None]


# In this order: the first rule whose test holds tells the row; a row that no rule takes is an indicator
RULES: tuple[RowRule, ...] = (
    RowRule("signature or date line", kinds.ends_table, _end_table),
    RowRule("repeated header", kinds.repeats_header, _skip_header),
    RowRule("column-number row", kinds.numbers_columns, _skip_column_numbers),
    RowRule("name continued", kinds.continues_name, _join_name),
    RowRule("'Trong đó' label", kinds.of_which_label, _open_of_which),
    RowRule("note", kinds.is_note, _skip_note),
    RowRule("group heading", kinds.heads_group, _open_group),
    RowRule("section heading", kinds.heads_section, _open_section),
)


def _sheet_records(sheet: Sheet, layout: Layout, slots: SheetSlots, base: int | None, context: dict,
                   conv: dict[int, str | None], log: Log, unknown_units: set[str], mixed: bool = False) -> list[dict]:
    """The records of one sheet's table: each row below the header told by RULES, or read as an indicator."""
    w = Walk(Table.of(sheet, layout), slots, base, context, conv, log, unknown_units, mixed)
    for r in range(layout.header_rows[-1] + 1, len(sheet.grid)):
        texts = row_texts(sheet.grid[r])
        if not any(texts):
            continue
        if r in sheet.hidden_rows:
            log.add(sheet.name, r + 1, "", " | ".join(t for t in texts if t)[:120], "hidden_row")
            continue
        row = Row(w.table, r, texts)
        for rule in RULES:
            if rule.test(w.table, w.state, row):
                rule.action(w, row)
                break
        else:
            _indicator(w, row)
    _say(w, parents.doubts(w.state.frames[::-1]))
    return w.out


def _indicator(w: Walk, row: Row) -> None:
    """An indicator row: its name, unit and note, then a record for each year it gives figures for."""
    s, sheet, log, unknown_units = w.state, w.table.sheet, w.log, w.unknown_units
    c_name, c_unit, excel_row, code, unit_text = w.table.c_name, w.table.c_unit, row.excel_row, row.code, row.unit_text
    name, unit_in_name, mark = split_name(row.rest if row.label else row.name, c_unit is None or not unit_text)
    if not name:
        log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", "",
                "unnamed_indicator")
    s.seen_indicator = True
    unit, known = canonical_unit(unit_text)
    if unit_in_name and not unit:
        unit, known = unit_in_name, True
        log.add(sheet.name, excel_row, column_letter(c_name.index) if c_name else "", f"{name} ({unit})",
                "unit_in_name", unit=unit)
    if not known and unit_text not in unknown_units:
        unknown_units.add(unit_text)
        log.add(sheet.name, excel_row, column_letter(c_unit.index) if c_unit else "", unit_text,
                "unknown_unit")
    parent, doubts = parents.parent_of(s, row.label, row.name, code, unit, excel_row)
    _say(w, doubts)
    _, term, _ = _read(sheet, row.r, w.slots.term_target, w.conv, log, w.mixed)
    common = {**w.context, "section": s.section, "code": code, "indicator": name, "unit": unit,
              "source_row": excel_row, "note": " ".join(x for x in (mark, row.get(w.table.c_note)) if x),
              "parent_indicator": parent, "term_target_text": term.text, "term_target": term.target,
              "term_target_year": w.slots.term_target.year if w.slots.term_target is not None and term.text else None}
    s.last_records = [rec for y, slot in w.slots.years.items() if (rec := _year_record(w, row, y, slot, common))]
    w.out += s.last_records
    s.above, s.above_label = (name, code, unit), row.label


_KEYS = {kind: (f"{kind}_text", f"{kind}_target", f"{kind}_percent_fraction") for kind in ("plan", "actual")}


def _year_record(w: Walk, row: Row, y: int | None, slot: YearSlots, common: dict) -> dict | None:
    """The record of year `y` of an indicator row: that year's plan, actual (or the estimate standing in for it)
    and assessment, the workbook's own ratio checked; None for another year than the report year left blank."""
    sheet, log, conv, r, excel_row, get = w.table.sheet, w.log, w.conv, row.r, row.excel_row, row.get
    name, unit = common["indicator"], common["unit"]
    if y != w.base and not (get(slot.plan) or get(slot.actual)):
        return None  # `KH năm 2025` left blank for this indicator: no 2025 row
    reported = ""
    if (assess_text := get(slot.assessment)):
        reported = assessment_status(assess_text) or ""
        if not reported:
            log.add(sheet.name, excel_row, column_letter(slot.assessment.index), assess_text,
                    "unknown_assessment")
    rec = {**common, "year": y, "reported_status": reported}
    pair = {"plan": slot.plan, "actual": slot.actual}
    for kind, col in pair.items():
        _, cell, pct = _read(sheet, r, col, conv, log, w.mixed)
        if kind == "actual" and cell.missing and slot.estimate is not None and get(slot.estimate):
            pair["actual"] = slot.estimate  # `TH năm` empty or `chưa có số liệu`: `Ước TH năm`, an estimate
            _, cell, pct = _read(sheet, r, slot.estimate, conv, log, w.mixed)
        if kind == "plan" and cell.target is not None and col is not None and (r, col.index) in sheet.decimals:
            # the plan is what the cell shows: 95.3 formatted `0` is a plan of 95
            cell = cell._replace(target=cell.target._replace(value=round(cell.target.value, cell.target.decimals)))
        text_key, target_key, fraction_key = _KEYS[kind]
        rec[text_key], rec[target_key], rec[fraction_key] = cell.text, cell.target, pct
    rec["actual_is_estimate"] = pair["actual"] is not None and pair["actual"].role == "actual_estimate"
    fix_fraction_without_format(rec, unit, log, sheet.name, excel_row, pair)
    for comp in slot.comparison:
        raw = sheet.grid[r][comp.index] if comp.index < len(sheet.grid[r]) else None
        check_ratio(comp, raw, rec["plan_target"], rec["actual_target"], name, log, sheet.name, excel_row)
    return rec
