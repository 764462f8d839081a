"""Progress toward a target by the Open SDG / Statistics Canada method, as published (docs/progress.md)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class Progress:
    verdict: str
    reason: str
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target: float | None = None
    target_year: int | None = None
    observed_rate: float | None = None
    required_rate: float | None = None
    ratio: float | None = None
    projection: float | None = None
    code: str = ""  # why not assessed, as a catalog key `reason.<code>` (the reason in the reader's words)


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate: (end / start)^(1 / years) − 1."""
    return (end / start) ** (1 / years) - 1


ZERO = 0.001  # the published method replaces a zero base or target by this (its growth rates need > 0)


def progress(series: pd.Series, target: float, target_year: int, base_year: int | None = None,
             direction: str = "higher", thresholds: tuple[float, float, float] = (0.95, 0.6, 0.0)) -> Progress:
    """Progress toward a target by the Open SDG / Statistics Canada method (docs/progress.md).

    With x₀ the value of the base year t₀, x_t the latest value (after the target year too) and x* the target
    for year T, d = +1 when higher is better and −1 when lower is better:
        target achieved first: x_t meets x* (one value is enough)
        observed rate  CAGR_i = (x_t / x₀)^(1/(t − t₀)) − 1
        required rate  CAGR_T = (x* / x₀)^(1/(T − t₀)) − 1
        ratio          R = d · CAGR_i / |CAGR_T|  → ≥ 0.95 substantial, ≥ 0.6 moderate, ≥ 0 limited, < 0 deterioration
    A zero base or target counts as 0.001; values of both signs, or fewer than two values, are not assessed;
    all values negative flips d. A target equal to the base: not achieved means moved away → deterioration.
    """
    s = series.dropna().astype(float).sort_index()
    if base_year is not None:
        s = s[s.index >= base_year]
    if s.empty:
        return Progress("not_assessed", "no value from the base year on", target=target, target_year=target_year,
                        code="no_value")
    t, xt = int(s.index[-1]), float(s.iloc[-1])
    p = Progress("not_assessed", "", int(s.index[0]), float(s.iloc[0]), t, xt, target, target_year)
    if (xt >= target) if direction == "higher" else (xt <= target):
        p.verdict, p.reason = "target_achieved", "the latest value already meets the target"
        return p
    if len(s) < 2:
        p.reason, p.code = f"fewer than two observed values ({len(s)}) from the base year on", "few_values"
        return p
    d = 1 if direction == "higher" else -1
    values = s.to_numpy()
    if (values < 0).any() and (values > 0).any() or (target < 0 < values.max()) or (target > 0 > values.min()):
        p.reason, p.code = "the values (or the target) are of both signs: growth rates are undefined", "signs"
        return p
    x0, xt_, goal = (abs(v) or ZERO for v in (p.base_value, xt, target))
    if values.max() <= 0 and target <= 0:  # all negative: the method flips the desired direction
        d = -d
    t0 = p.base_year
    p.observed_rate = cagr(x0, xt_, t - t0)
    if target_year > t:
        p.projection = xt * (1 + p.observed_rate) ** (target_year - t)
    if target_year <= t0:
        p.reason, p.code = "the target year is not after the base year", "target_year"
        return p
    p.required_rate = cagr(x0, goal, target_year - t0)
    if p.required_rate == 0:  # the target is the base value, and the latest value is on the wrong side of it
        p.verdict, p.reason = "deterioration", "the target equals the base value and the series moved away from it"
        return p
    p.ratio = d * p.observed_rate / abs(p.required_rate)
    hi, mid, low = thresholds
    p.verdict = ("substantial" if p.ratio >= hi else "moderate" if p.ratio >= mid else
                 "limited" if p.ratio >= low else "deterioration")
    p.reason = f"observed rate {p.observed_rate:+.2%} a year against {p.required_rate:+.2%} required"
    return p
