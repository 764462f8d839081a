"""Which column gives which value of which year: the plan and the full-year actual of each year, its assessment
and comparison columns, the term target, and the previous year's actual (docs/reading.md, "Which column is
used"). Every column not used says why, and every choice between two readings is logged."""

from __future__ import annotations

from dataclasses import dataclass, field

from .issues import Log
from .layout import VALUE_ROLES, Column, Layout, column_letter


@dataclass
class YearSlots:
    """The columns of one year: plan, actual (full-year actual, else full-year estimate), assessment, comparison."""

    plan: Column | None = None
    actual: Column | None = None
    assessment: Column | None = None
    comparison: list[Column] = field(default_factory=list)


@dataclass
class SheetSlots:
    """The years that give rows (the report year, and any other year with a plan column), the previous year's
    actual (context for `tăng 5%` targets, not a row), and the term-target column."""

    years: dict[int | None, YearSlots]
    previous_actual: Column | None = None
    term_target: Column | None = None


def _first(cols: list[Column], why: str, log: Log, sheet: str, row: int) -> Column | None:
    """The first candidate; the others are marked unused and the choice is logged."""
    if not cols:
        return None
    for c in cols[1:]:
        c.used = f"not used: {why} (column {column_letter(cols[0].index)} is)"
        log.add(sheet, row, column_letter(c.index), c.header, f"two columns could give {why}",
                f"column {column_letter(cols[0].index)} ('{cols[0].header}') used, this one not; "
                "check with `chodon inspect`, or say it in a layout file")
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
    previous = None
    for y in years:
        plans = [c for c in full if c.role == "plan" and c.year == y]
        actuals = [c for c in full if c.role == "actual" and c.year == y]
        estimates = [c for c in full if c.role == "actual_estimate" and c.year == y]
        if actuals and estimates:
            for c in estimates:
                c.used = "not used: the year's actual is given too"
            log.add(sheet, row, column_letter(estimates[0].index), estimates[0].header,
                    f"both an actual and an estimate for {y}",
                    f"the actual (column {column_letter(actuals[0].index)}, '{actuals[0].header}') used")
        slot = YearSlots(_first(plans, f"the plan of {y}", log, sheet, row),
                         _first(actuals or estimates, f"the actual of {y}", log, sheet, row))
        if slot.plan is None and slot.actual is not None and base is not None and y is not None and y < base:
            slot.actual.used = "context: the previous year's actual, for change targets (not a row)"
            previous = slot.actual if y == base - 1 else previous
            if y != base - 1:
                slot.actual.used = "not used: an earlier year's actual without its plan (its own report holds it)"
            continue
        out[y] = slot
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
                c.used = "a check: compared with actual ÷ plan"
    terms = [c for c in cols if c.role == "plan" and c.period == "term"]
    term = _first(terms, "the term target", log, sheet, row)
    if term is not None:
        term.used = f"the term target{f' ({term.year})' if term.year else ''}: kept beside the rows, not an annual plan"
    return SheetSlots(out, previous, term)
