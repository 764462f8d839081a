"""Progress toward a target by the Open SDG / Eurostat method (docs/progress.md)."""

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


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate: (end / start)^(1 / years) − 1."""
    return (end / start) ** (1 / years) - 1


def progress(series: pd.Series, target: float, target_year: int, base_year: int | None = None,
             direction: str = "higher", thresholds: tuple[float, float, float] = (0.95, 0.6, 0.0)) -> Progress:
    """Progress toward a target by the Open SDG / Eurostat method (ratio of growth rates).

    With x₀ the value of the base year t₀, x_t the latest value and x* the target for year T:
        observed rate  CR_a = (x_t / x₀)^(1/(t − t₀)) − 1
        required rate  CR_r = (x* / x₀)^(1/(T − t₀)) − 1
        ratio          CR_a / CR_r  → ≥ 0.95 substantial, ≥ 0.6 moderate, ≥ 0 limited, < 0 deterioration
    and `target_achieved` when x_t already meets x* (x_t ≥ x* when higher is better, ≤ when lower).
    Projection of the observed trend: x_t · (1 + CR_a)^(T − t).
    Source: Eurostat, "SDG indicators: methodology for assessing progress" (Sustainable development in the
    EU, 2023 edition, annex) and Open SDG's `progress_measure` (open-sdg.readthedocs.io).
    Fewer than two points, or a zero or negative base, → `not_assessed`, with the reason.
    """
    s = series.dropna().astype(float).sort_index()
    if base_year is not None:
        s = s[s.index >= base_year]
    s = s[s.index <= target_year]
    if len(s) < 2:
        return Progress("not_assessed", f"fewer than two observed points ({len(s)}) from the base year",
                        target=target, target_year=target_year)
    t0, x0 = int(s.index[0]), float(s.iloc[0])
    t, xt = int(s.index[-1]), float(s.iloc[-1])
    p = Progress("not_assessed", "", t0, x0, t, xt, target, target_year)
    achieved = xt >= target if direction == "higher" else xt <= target
    if x0 <= 0 or xt < 0:
        p.reason = "the base value is zero or negative: growth rates are undefined"
        if achieved:
            p.verdict, p.reason = "target_achieved", "the latest value already meets the target"
        return p
    p.observed_rate = cagr(x0, xt, t - t0)
    p.projection = xt * (1 + p.observed_rate) ** (target_year - t)
    if achieved:
        p.verdict, p.reason = "target_achieved", "the latest value already meets the target"
        return p
    if target_year <= t0 or target <= 0:
        p.reason = "the target year is not after the base year, or the target is not positive"
        return p
    p.required_rate = cagr(x0, target, target_year - t0)
    if p.required_rate == 0:
        p.reason = "the target equals the base value"
        return p
    p.ratio = p.observed_rate / p.required_rate
    hi, mid, low = thresholds
    p.verdict = ("substantial" if p.ratio >= hi else "moderate" if p.ratio >= mid else
                 "limited" if p.ratio >= low else "deterioration")
    p.reason = f"observed rate {p.observed_rate:+.2%} a year against {p.required_rate:+.2%} required"
    return p
