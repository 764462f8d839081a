"""The attainment rule (docs/attainment.md): direction of each indicator and its computed status.

Every threshold is a parameter of `Rule`; the defaults are the documented rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING

from . import vocab
from .issues import issue_row
from .text import fold

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Rule:
    """Parameters of the attainment rule.

    rel_tol: relative tolerance for "equal" to a point target on top of the written precision
    (0 = only the precision the plan is written with).
    """

    rel_tol: float = 0.0


@vocab.derived
@lru_cache(maxsize=65536)
def direction_for(name: str, op: str | None, phrase_direction: str | None = None) -> str:
    """`higher` or `lower`: a one-sided target's side, else the phrase, else overrides, else keywords."""
    if op in (">", ">="):
        return "higher"
    if op in ("<", "<="):
        return "lower"
    if isinstance(phrase_direction, str) and phrase_direction in ("higher", "lower"):
        return phrase_direction
    f = fold(name)
    for fragment, direction in vocab.direction_overrides():
        if fragment in f:
            return direction
    return "lower" if any(k in f for k in vocab.lower_is_better_keywords()) else "higher"


def round_half_up(x: float, decimals: int) -> float:
    """Rounded as people and spreadsheets round (12.5 -> 13, 80.25 -> 80.3), not half-to-even on binary floats."""
    try:
        return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # infinite, or too many digits to round: as it is
        return float(x)


def _nan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or type(x).__name__ == "NAType"


def status_for(op: str | None, plan: float | None, plan_high: float | None, plan_decimals: int,
               actual: float | None, direction: str, rule: Rule = Rule()) -> str:
    """Computed status of one indicator; `change` targets are passed here as their computed change."""
    if _nan(actual) or _nan(plan) or not isinstance(op, str) or not op:
        return "not_evaluated"
    sign = 1 if direction == "higher" else -1
    if op in ("=", "change"):
        a = round_half_up(actual, plan_decimals)
        tol = abs(plan) * rule.rel_tol
        diff = (a - plan) * sign
        if abs(a - plan) <= tol + 1e-9:
            return "met"
        return "exceeded" if diff > 0 else "not_met"
    if op == "range":
        lo, hi = plan, plan_high if not _nan(plan_high) else plan
        if lo - 1e-9 <= actual <= hi + 1e-9:
            return "met"
        better = actual > hi if sign > 0 else actual < lo
        return "exceeded" if better else "not_met"
    ok = {">": actual > plan, ">=": actual >= plan - 1e-9, "<": actual < plan, "<=": actual <= plan + 1e-9}[op]
    return "met" if ok else "not_met"


def classify(table: pd.DataFrame, rule: Rule = Rule(), log: list[dict] | None = None,
             given: bool = False) -> pd.DataFrame:
    """Add `direction` and `status` to the tidy table; `change` targets use last year's actual.

    Expects the columns of the tidy table plus `plan_decimals` and `phrase_direction`. With `given`, the
    direction and status already set (by the processes that read the workbooks) are kept, but for `change`
    targets, which need the other workbooks.
    """
    t = table.copy()
    names, ops, phrases = t["indicator"].tolist(), t["plan_op"].tolist(), t["phrase_direction"].tolist()
    if given:
        directions = [d if isinstance(d, str) else direction_for(n, o, p)
                      for d, n, o, p in zip(t["direction"].tolist(), names, ops, phrases, strict=True)]
        statuses = t["status"].tolist()
    else:
        directions = [direction_for(n, o, p) for n, o, p in zip(names, ops, phrases, strict=True)]
        statuses = [None] * len(t)
    t["direction"] = directions
    todo = [i for i, (op, st) in enumerate(zip(ops, statuses, strict=True))
            if op == "change" or not isinstance(st, str)]
    if todo:
        from . import catalog

        # a renamed indicator is the same one (catalog.csv): the cleaner's ids, else looked up
        ids = (dict(zip(names, t["indicator_id"].fillna("").tolist(), strict=True)) if "indicator_id" in t
               else {n: catalog.match(n) for n in set(names)})
        keys = [f"{ids[n] or fold(n)}|{u}|{a}|{lv}" for n, u, a, lv in  # last year's actual: same area, same unit
                zip(names, t["unit"].fillna("").tolist(), t["area"].tolist(), t["area_level"].tolist(), strict=True)]
        cut = {(b["id"], int(b["year"])) for b in catalog.breaks()}
        years = [None if _nan(y) else int(y) for y in t["year"].tolist()]
        actuals = t["actual_value"].tolist()
        last_actual = {(k, y): a for k, y, a in zip(keys, years, actuals, strict=True) if not _nan(a)}
        cols = [t[c].tolist() for c in ("plan_value", "plan_value_high", "plan_decimals", "plan_text", "unit",
                                        "source_file", "source_sheet", "source_row")]
        for i in todo:
            plan, high, decimals, plan_text, unit, file, sheet, row = (c[i] for c in cols)
            if ops[i] == "change" and (ids[names[i]], years[i]) in cut:  # last year was measured another way
                if log is not None:
                    log.append(issue_row(file, sheet, row, "", plan_text, "change_across_break"))
                statuses[i] = "not_evaluated"
                continue
            statuses[i] = _status(ops[i], plan, high, decimals, actuals[i], directions[i], years[i], keys[i],
                                  plan_text, unit, last_actual, rule, log, (file, sheet, row))
    t["status"] = statuses
    return t


def _status(op, plan, high, decimals, actual, direction, year, key, plan_text, unit, last_actual, rule, log,
            where) -> str:
    """The status of one row; a `change` target against last year's actual in the table."""
    if op == "change" and not _nan(actual):
        prev = last_actual.get((key, year - 1)) if year is not None else None
        if prev is None:
            if log is not None:
                log.append(issue_row(*where, "", plan_text, "change_without_last_actual"))
            return "not_evaluated"
        relative = "%" in str(plan_text) and unit != "%"
        actual = (actual / prev - 1) * 100 if relative and prev else actual - prev
    return status_for(op, plan, high, int(decimals), actual, direction, rule)


def bound_holds(method: str, status: str, direction: object, lower_bound: bool) -> bool:
    """A sum's status that a bound of the true figure settles: a former district's communes wholly inside it give a
    lower bound, with the communes it shares an upper one; exceeded at the lower bound of a higher-is-better target
    stays exceeded, not met at it (lower is better) stays not met, and the other way round at the upper bound."""
    return method == "sum" and status == ("exceeded" if lower_bound == (direction != "lower") else "not_met")
