"""What is missing: the areas that sent no workbook for a year (from the 2025 reform every commune of the crosswalk
is expected, and every area that reported the year before, a district up to 2024), and the indicators an area
reported last year but not this year (docs/data-quality.md)."""

from __future__ import annotations

import pandas as pd

from ...base import i18n
from ...base.places import REFORM_YEAR
from ...base.text import fold
from .common import finding


def expected_areas(crosswalk: tuple[dict, ...] | list[dict], year: int,
                   reported_before: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(folded name, level) -> name of every area expected to report `year`: the new communes of the crosswalk in
    force by then (from REFORM_YEAR), and the areas that reported the year before (no district after the reform)."""
    out: dict[tuple[str, str], str] = {}
    if year >= REFORM_YEAR:
        for r in crosswalk:
            if int(r["in_force"][:4]) <= year:
                out.setdefault((fold(r["new_unit"]), "commune"), r["new_unit"])
    for name, level in sorted(reported_before):
        if not (level == "district" and year >= REFORM_YEAR):
            out.setdefault((fold(name), level), name)
    return out


def _reported(values: pd.DataFrame, year: int) -> set[tuple[str, str]]:
    y = values[values["year"] == year]
    return set(zip(y["area"], y["area_level"], strict=True))


def missing_workbooks(values: pd.DataFrame, crosswalk, years: list[int], lang: str = "vi") -> list[dict]:
    """An error for each area expected in a year of `years` that gave no actual that year."""
    out: list[dict] = []
    for year in years:
        have = {(fold(a), lvl) for a, lvl in _reported(values, year)}
        for (key, level), name in expected_areas(crosswalk, year, _reported(values, year - 1)).items():
            if (key, level) not in have:
                label = i18n.text(f"area.{level}", lang, name=name) if i18n.has(f"area.{level}", lang) else name
                out.append(finding({"year": year, "area": name, "area_level": level, "indicator": ""},
                                   "no_workbook", "error", lang, field="", method="expected_areas", area=label))
    return out


def dropped_indicators(values: pd.DataFrame, years: list[int], lang: str = "vi") -> list[dict]:
    """A warning for each indicator an area gave an actual for the year before and none for this year (compared by
    catalog id, so a renamed indicator is the same one; only areas that reported both years)."""
    records = values.assign(_id=values["key"].str.split("@").str[0]).to_dict("records")
    sent = {(r["area"], r["area_level"], int(r["year"])) for r in records}
    have = {(r["area"], r["area_level"], int(r["year"]), r["_id"]) for r in records}
    out: list[dict] = []
    for r in sorted(records, key=lambda r: (r["area"], r["area_level"], r["year"])):
        year = int(r["year"]) + 1
        if year in years and (r["area"], r["area_level"], year) in sent and \
                (r["area"], r["area_level"], year, r["_id"]) not in have:
            row = {**r, "year": year, "source_file": "", "source_row": None}
            out.append(finding(row, "indicator_dropped", "warning", lang, expected=r["actual_value"], field="",
                               method="previous_year"))
    return out
