"""The year of each value column and of the report, with implausible years (`2924`) corrected and logged."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from .issues import Log
from .layout import VALUE_ROLES, Layout, column_letter

_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def plausible_year(y: int) -> bool:
    """A report year: not before 1975, not more than ten years ahead."""
    return 1975 <= y <= dt.date.today().year + 10



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
