"""The workbook's own ratios as a check on the reading: where `So sánh TH/KH (%)` disagrees with actual ÷ plan
as read, a column was probably misread, and the analyst is told."""

from __future__ import annotations

from ...base.issues import Log
from ...base.rule import direction_for
from ...base.text import fold
from ..formats.book import column_letter
from ..layout.header import Column
from .parse import Target, parse_target

_AGAINST_PLAN = ("kh", "ke hoach", "plan", "target", "muc tieu", "/1", "th/kh", "hoan thanh", "ty le dat", "dat %",
                 "% dat")
_AGAINST_OTHER = ("cung ky", "nam truoc", "same period", "previous", "last year")


def against_plan(col: Column) -> bool:
    """A comparison with the plan (`So sánh TH/KH`, `% so với KH`, `3=2/1`), not with last year (`so với cùng kỳ`)."""
    f = fold(col.header)
    return not any(w in f for w in _AGAINST_OTHER) and (any(w in f for w in _AGAINST_PLAN) or "=" in f
                                                        or f.strip(" ()%") in ("so sanh", "ty le", "comparison"))


def check_ratio(col: Column, raw: object, plan: Target | None, actual: Target | None, name: str, log: Log,
                sheet: str, row: int) -> None:
    """Log when the workbook's ratio (as a percent or a fraction) differs from actual ÷ plan beyond rounding
    (plan ÷ actual is accepted for an indicator where lower is better)."""
    if plan is None or actual is None or plan.op in ("range", "change") or not plan.value or raw in (None, ""):
        return
    wb = parse_target(f"{raw:.10g}" if isinstance(raw, float) else str(raw))
    if wb is None or wb.op != "=" or not against_plan(col):
        return
    ours = actual.value / plan.value * 100
    step = 0.5 * 10 ** -wb.decimals  # the workbook's ratio is rounded to the decimals it shows
    readings = [(ours, wb.value, step + 0.05), (ours, wb.value * 100, step * 100 + 0.05)]  # 98,5 (%) or 0,985
    if actual.value and direction_for(name, plan.op, plan.direction) == "lower":  # plan ÷ actual, as some offices write
        readings.append((plan.value / actual.value * 100, wb.value, step + 0.05))
    if any(abs(a - b) <= tol for a, b, tol in readings):
        return
    log.add(sheet, row, column_letter(col.index), raw, "ratio_disagrees", header=col.header,
            ratio=raw, actual=float(actual.value), plan=float(plan.value), computed=round(ours, 1))
