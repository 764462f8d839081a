"""The checks of the figures before anyone reads a chart (issue 24; docs/data-quality.md): validation rules as data
(rules.csv), outliers over time and across areas, completeness; one table of findings, `data_quality.csv`, and the
summary `chodon check` prints. Pure functions of the tidy table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...base import i18n, reform, validation
from ...base.text import fold
from ...base.units import area_label
from ...cleaning.workbooks import DEFAULT_DISTRICT
from .common import COLUMNS, FILE, actuals, frame, prepared
from .completeness import absent_indicators, dropped_indicators, missing_workbooks
from .outliers import area_findings, modified_z, time_findings
from .rules import rule_findings

RULE_CHECKS = ("out_of_range", "negative", "not_whole", "ratio_mismatch", "part_exceeds_total")
__all__ = ["COLUMNS", "FILE", "findings", "has_errors", "modified_z", "summary_lines", "write"]


def findings(indicators: pd.DataFrame, last_year: int, lang: str = "vi", crosswalk=None,
             rules: tuple[dict, ...] | None = None, first_year: int | None = None,
             district: str = DEFAULT_DISTRICT) -> pd.DataFrame:
    """Every finding of the years from `first_year` (default: the first in the data) to `last_year`, one row each
    (COLUMNS), errors first; the years before `first_year` serve as history. `district`: whose communes are expected
    in a year no area reported (completeness.reporting_districts)."""
    rows = prepared(indicators)
    rows = rows[rows["year"] <= last_year]
    crosswalk = reform.crosswalk() if crosswalk is None else crosswalk
    rules = validation.rules() if rules is None else rules
    start = first_year if first_year is not None else int(rows["year"].min()) if len(rows) else last_year
    years = list(range(start, last_year + 1))
    counts = frozenset(r["indicator"] for r in rules if r["check"] == "whole")
    found = rule_findings(rows[rows["year"] >= start], rules, lang)
    values = actuals(_without(rows, found))  # a figure a rule already refused is not judged again as an outlier
    far = area_findings(values, set(values["year"]), counts, lang)  # earlier years too: not history
    jumps = time_findings(values, set(years), counts, lang, skip=_where(far))
    slips = _where(jumps)  # a figure far from its own past and from the others: one finding, the sharper one
    found += [f for f in far if f["year"] >= start and _where([f]).isdisjoint(slips)] + jumps
    every = actuals(rows)
    found += missing_workbooks(every, crosswalk, years, lang, district)
    found += dropped_indicators(every, years, lang) + absent_indicators(every, years, lang)
    return frame(found)


def _where(found: list[dict]) -> set[tuple]:
    return {(f["area"], f["area_level"], f["year"], f["source_file"], f["source_row"]) for f in found}


def _without(rows: pd.DataFrame, found: list[dict]) -> pd.DataFrame:
    """The rows but those whose actual a rule refused (out of range, negative, not whole, a ratio that does not
    match its components, a part over its total): one defect, one finding."""
    bad = _where([f for f in found if f["field"] == "actual" and f["check"] in RULE_CHECKS])
    if not bad:
        return rows
    keys = zip(rows["area"], rows["area_level"], rows["year"], rows["source_file"], rows["source_row"], strict=True)
    return rows[[k not in bad for k in keys]]


def has_errors(found: pd.DataFrame, year: int | None = None) -> bool:
    """Whether a finding of error severity exists (in `year` when given)."""
    if year is not None:
        found = found[found["year"] == year]
    return bool((found["severity"] == "error").any())


def summary_lines(found: pd.DataFrame, indicators: pd.DataFrame, year: int, lang: str = "vi",
                  path: Path | None = None) -> list[str]:
    """One line per area of `year` (those with rows that year and those with findings), the districts first: its
    count of errors and warnings, or that it has none; then, with `path`, the year's total and where the details
    are."""
    ind = indicators[indicators["year"] == year]
    mine = found[found["year"] == year]
    areas = set(zip(ind["area"], ind["area_level"], strict=True)) | set(zip(mine["area"], mine["area_level"],
                                                                            strict=True))
    order = {"province": 0, "district": 1, "commune": 2}
    lines = []
    for area, level in sorted(areas, key=lambda a: (order.get(a[1], 3), fold(a[0]), a[0])):
        label = area_label(area, level, lang, year)
        own = mine[(mine["area"] == area) & (mine["area_level"] == level)]
        errors, warnings = int((own["severity"] == "error").sum()), int((own["severity"] == "warning").sum())
        lines.append(i18n.text("dq.summary", lang, area=label, errors=errors, warnings=warnings) if len(own)
                     else i18n.text("dq.summary_ok", lang, area=label))
    if path is not None:
        lines.append(i18n.text("dq.total", lang, year=str(year), path=str(path),
                               errors=int((mine["severity"] == "error").sum()),
                               warnings=int((mine["severity"] == "warning").sum())))
    return lines


def write(found: pd.DataFrame, folder: Path) -> Path:
    """`data_quality.csv` in `folder` (UTF-8 with BOM, formula-safe), through a temporary name."""
    from ...base.files import write_atomic
    from ...cleaning.outputs import write_csv

    return write_atomic(Path(folder) / FILE, lambda p: write_csv(found, p))
