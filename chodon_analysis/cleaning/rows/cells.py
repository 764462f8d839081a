"""Read one plan or actual cell into a number or phrase, and log what was repaired or doubtful."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import NamedTuple

from ...base import vocab
from ...base.issues import Log
from ...base.text import fold
from ..formats import FormulaCell, Sheet
from ..formats.book import column_letter
from ..layout.header import VALUE_ROLES, Column, Layout, cell_text
from .parse import Target, number_convention, number_from_cell, parse_target

_NUM_TOKEN = re.compile(r"\d[\d.,]*\d")


def convention_votes(sheet: Sheet, layout: Layout, start: int,
                     roles: tuple[str, ...] = VALUE_ROLES) -> dict[int, Counter[str]]:
    """Column -> how many of its text numbers show each format (`vi`: `1,75`; `en`: `1.72`), in columns of `roles`."""
    votes: dict[int, Counter[str]] = {}
    cols = [c.index for c in layout.columns if c.role in roles]
    for row in sheet.grid[start:]:
        for c in cols:
            v = row[c] if c < len(row) else None
            if isinstance(v, str):
                for tok in _NUM_TOKEN.findall(v):
                    ev, _ = number_convention(tok)
                    if ev:
                        votes.setdefault(c, Counter())[ev] += 1
    return votes


def ambiguous_in(text: str) -> bool:
    """A number in `text` that reads either way (`4.850`, `28,320`)."""
    return any(number_convention(tok) == (None, True) for tok in _NUM_TOKEN.findall(text))


def majority(c: Counter[str] | None) -> str | None:
    if not c:
        return None
    (a, na), *rest = c.most_common()
    return None if rest and rest[0][1] == na else a


class Cell(NamedTuple):
    text: str
    target: Target | None
    missing: bool


def read_value(v: object, percent_fmt: bool, convention: str | None,
               decimals: int | None = None) -> tuple[Cell, str | None]:
    """One plan/actual cell -> (Cell, the code of its problem or None). `decimals`: what the cell's number format shows
    (`0.0%` shows one decimal), the precision the value is written with."""
    if v is None or v == "":
        return Cell("", None, True), None
    if isinstance(v, bool):
        return Cell(cell_text(v), None, True), "boolean_not_number"
    if isinstance(v, int | float):
        n = number_from_cell(float(v), percent_fmt, decimals)
        if decimals is not None:
            shown = f"{n.value:.{n.decimals}f}"
        else:
            shown = str(int(n.value)) if n.value.is_integer() and abs(n.value) < 1e15 else repr(n.value)
        text = shown + "%" if percent_fmt else shown
        return Cell(text, Target("=", n.value, None, n.decimals, n.percent), False), None
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return Cell(cell_text(v), None, True), "date_not_number"
    text = str(v)
    if isinstance(v, FormulaCell):
        return Cell(text, None, True), "formula_without_value"
    f = fold(text)
    if f in vocab.missing_markers():
        return Cell(text, None, True), ("excel_error" if text.startswith("#") else None)
    if text.startswith("#") and text.endswith(("!", "?", "A")):
        return Cell(text, None, True), "excel_error"
    t = parse_target(text, convention)
    if t is None:
        return Cell(text, None, True), "unreadable_number"
    return Cell(text, t, False), None


def log_cell(log: Log, sheet: str, row: int, col: Column, raw: object, cell: Cell, problem: str | None,
              pct: bool, conv: str | None) -> None:
    t = cell.target
    if not (problem or pct or (t is not None and (t.ambiguous or (col.role != "plan" and t.op != "=")))):
        return
    letter = column_letter(col.index)
    if problem:
        log.add(sheet, row, letter, raw, problem)
    if pct and isinstance(raw, int | float):
        log.add(sheet, row, letter, raw, "percent_fraction_formatted",
                value=float(cell.target.value if cell.target else raw * 100))
    if t is not None and t.ambiguous:
        if conv:
            log.add(sheet, row, letter, raw, "ambiguous_number", value=float(t.value),
                    format="1.234,5" if conv == "vi" else "1,234.5")
        else:
            log.add(sheet, row, letter, raw, "ambiguous_number_assumed", value=float(t.value))
    if t is not None and col.role != "plan" and t.op != "=":
        log.add(sheet, row, letter, raw, "actual_phrase", value=float(t.value), op=t.op)


def fix_fraction_without_format(rec: dict, unit: str, log: Log, sheet: str, row: int, pair: dict) -> None:
    """A percent indicator whose cell holds 0.805 with no percent format, beside a plan of 80.5."""
    if unit != "%":
        return
    p, a = rec["plan_target"], rec["actual_target"]
    for kind, t, other in (("plan", p, a), ("actual", a, p)):
        if t is None or other is None or rec[f"{kind}_percent_fraction"] or t.percent:
            continue
        text = rec[f"{kind}_text"]
        # 0.92 (or `0,92` typed) beside 90 is 92 %; 0.95 beside `dưới 1,6` is a genuine 0.95 %: the scaled value must
        # be near the other
        if 0 < abs(t.value) <= 1.0 and abs(other.value) > 5 and "%" not in text and \
                0.5 <= abs(t.value) * 100 / abs(other.value) <= 2:
            new = Target(t.op, round(t.value * 100, 10), None if t.high is None else t.high * 100,
                         max(t.decimals - 2, 0), True, t.convention, t.ambiguous, t.direction)
            rec[f"{kind}_target"] = new
            col = pair[kind]
            log.add(sheet, row, column_letter(col.index) if col else "", text, "percent_fraction_unformatted",
                    value=float(new.value), other=float(other.value))
