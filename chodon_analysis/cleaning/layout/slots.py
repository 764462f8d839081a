"""Which column gives which value of which year: the plan and the full-year actual of each year, its assessment
and comparison columns, and the term target (docs/reading.md, "Which column is used"). Every column not used says
why, and every choice between two readings is logged."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...base.issues import Log
from ..formats.book import column_letter
from ..rows.ratios import against_plan
from .header import VALUE_ROLES, Column, Layout


@dataclass
class YearSlots:
    """The columns of one year: plan, actual (full-year actual, else full-year estimate), assessment, comparison."""

    plan: Column | None = None
    actual: Column | None = None
    assessment: Column | None = None
    estimate: Column | None = None  # beside an actual column: used on the rows where the actual is empty
    comparison: list[Column] = field(default_factory=list)


@dataclass
class SheetSlots:
    """The years that give rows (each year with a full-year column, and the report year) and the term-target
    column."""

    years: dict[int | None, YearSlots]
    term_target: Column | None = None


def _first(cols: list[Column], why: str, code: str, year: int | None, log: Log, sheet: str,
           row: int) -> Column | None:
    """The first candidate; the others are marked unused and the choice is logged (`code`, for `year`)."""
    if not cols:
        return None
    for c in cols[1:]:
        c.used = f"not used: {why} (column {column_letter(cols[0].index)} is)"
        when = {} if code == "two_term_targets" else {"year": "—" if year is None else year}
        log.add(sheet, row, column_letter(c.index), c.header, code, used=column_letter(cols[0].index),
                header=cols[0].header, **when)
    return cols[0]


def assign(layout: Layout, base: int | None, sheet: str, log: Log) -> SheetSlots:
    """Decide the use of every column of the layout; mark the others unused, with the reason."""
    row = layout.header_rows[-1] + 1
    cols = layout.columns
    for c in cols:
        if c.role in VALUE_ROLES and c.period == "partial":
            c.used = "not used: part of a year, never the year's figure"
        elif c.role in VALUE_ROLES and c.period == "cumulative":
            c.used = "not used: cumulative to date, never the year's figure"
        elif c.role in ("actual", "actual_estimate") and c.period == "term":
            c.used = "not used: a figure for the whole term"
    full = [c for c in cols if c.role in VALUE_ROLES and c.period == "year"]
    years = sorted({c.year for c in full}, key=lambda y: (y is None, y))
    if base not in years:
        years = sorted({*years, base}, key=lambda y: (y is None, y))
    out: dict[int | None, YearSlots] = {}
    for y in years:
        plans = [c for c in full if c.role == "plan" and c.year == y]
        actuals = [c for c in full if c.role == "actual" and c.year == y]
        estimates = [c for c in full if c.role == "actual_estimate" and c.year == y]
        estimate = None
        if actuals and estimates:
            estimate = _first(estimates, f"the estimate of {y}", "two_estimate_columns", y, log, sheet, row)
            estimate.used = f"used where the actual (column {column_letter(actuals[0].index)}) is empty"
            log.add(sheet, row, column_letter(estimate.index), estimate.header, "actual_and_estimate",
                    year="—" if y is None else y, actual_column=column_letter(actuals[0].index),
                    header=actuals[0].header)
        out[y] = YearSlots(_first(plans, f"the plan of {y}", "two_plan_columns", y, log, sheet, row),
                           _first(actuals or estimates, f"the actual of {y}", "two_actual_columns", y, log, sheet, row),
                           estimate=estimate)
    for kind in ("assessment", "comparison"):
        for c in (c for c in cols if c.role == kind):
            y = c.year if c.year in out else (base if base in out else next(iter(out), None))
            if c.period in ("partial", "cumulative"):
                c.used = "not used: about part of a year"
            elif kind == "assessment":
                if out.get(y) is not None and out[y].assessment is None:
                    out[y].assessment = c
                else:
                    c.used = f"not used: a second assessment column for {y}"
            elif out.get(y) is not None:
                out[y].comparison.append(c)
                c.used = ("a check: compared with actual ÷ plan" if against_plan(c)
                          else "not used: a comparison with another period, not with the plan")
    terms = [c for c in cols if c.role == "plan" and c.period == "term"]
    term = _first(terms, "the term target", "two_term_targets", None, log, sheet, row)
    if term is not None:
        term.used = f"the term target{f' ({term.year})' if term.year else ''}: kept beside the rows, not an annual plan"
    return SheetSlots(out, term)
