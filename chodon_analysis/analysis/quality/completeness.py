"""What is missing: the areas that sent no workbook for a year (from the 2025 reform the new communes of every former
district that reported that year or the year before, and every area that reported the year before, a district up to
2024), and the indicators an area reported last year but not this year (docs/data-quality.md)."""

from __future__ import annotations

import pandas as pd

from ...base.places import REFORM_YEAR
from ...base.text import fold
from ...base.units import area_label
from ...cleaning.workbooks import DEFAULT_DISTRICT
from .common import finding


def expected_areas(crosswalk: tuple[dict, ...] | list[dict], year: int, reported_before: set[tuple[str, str]],
                   districts: set[str] | None = None) -> dict[tuple[str, str], str]:
    """(folded name, level) -> name of every area expected to report `year`: the new units of the crosswalk in force
    by then (from REFORM_YEAR) that took in units of one of `districts` (folded former districts; all when None),
    and the areas that reported the year before (after the reform no district, nor a former commune that is no new
    unit's name: it went into one)."""
    out: dict[tuple[str, str], str] = {}
    ended: set[str] = set()
    if year >= REFORM_YEAR:
        rows = [r for r in crosswalk if int(r["in_force"][:4]) <= year]
        for r in rows:
            if districts is None or fold(r["old_district"]) in districts:
                out.setdefault((fold(r["new_unit"]), "commune"), r["new_unit"])
        # the year after the reform, a former unit of last year is expected again only when every former unit of
        # its name went on as itself (a name that also ended elsewhere, phường Tân Thành into Tích Lương: not)
        ended = {fold(r["old_unit"]) for r in rows if fold(r["old_unit"]) != fold(r["new_unit"])}
        if year > REFORM_YEAR:  # last year's communes were new units already: each expected again
            ended -= {fold(r["new_unit"]) for r in rows}
    for name, level in sorted(reported_before):
        if not (level == "district" and year >= REFORM_YEAR) and fold(name) not in ended:
            out.setdefault((fold(name), level), name)
    return out


def _reported(values: pd.DataFrame, year: int) -> set[tuple[str, str]]:
    y = values[values["year"] == year]
    return set(zip(y["area"], y["area_level"], strict=True))


def reporting_districts(values: pd.DataFrame, years: tuple[int, ...], crosswalk, own: str = DEFAULT_DISTRICT
                        ) -> set[str]:
    """The folded former districts whose communes are expected: those of the areas that reported in `years` (a
    district itself; a commune by the former district wholly containing it, as the cleaner wrote it in `district`,
    or by the crosswalk for a table without that column; a commune shared between former districts, or whose name
    several units share, brings none), or the run's own district when none reported."""
    inside: dict[str, set[str]] = {}
    for r in crosswalk:
        inside.setdefault(fold(r["new_unit"]), set()).add(fold(r["old_district"]))
    y = values[values["year"].isin(years)]
    if "district" in y:
        written = y["district"].fillna("")
    else:
        written = pd.Series([next(iter(d)) if len(d := inside.get(fold(a), set())) == 1 else "" for a in y["area"]],
                            index=y.index, dtype=object)
    out = {fold(district or area) for area, level, district in zip(y["area"], y["area_level"], written, strict=True)
           if level == "district" or district}
    return out or {fold(own)}


def missing_workbooks(values: pd.DataFrame, crosswalk, years: list[int], lang: str = "vi",
                      district: str = DEFAULT_DISTRICT) -> list[dict]:
    """An error for each area expected in a year of `years` that gave no actual that year."""
    from ..communes import placed

    out: list[dict] = []
    known = values[(values["area_level"] != "commune") | placed(values)]  # a name two units share: neither's workbook
    for year in years:
        have = {(fold(a), lvl) for a, lvl in _reported(known, year)}
        scope = reporting_districts(values, (year - 1, year), crosswalk, district)
        for (key, level), name in expected_areas(crosswalk, year, _reported(values, year - 1), scope).items():
            if (key, level) not in have:
                label = area_label(name, level, lang, year)
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


def absent_indicators(values: pd.DataFrame, years: list[int], lang: str = "vi") -> list[dict]:
    """A warning for each catalog indicator most of the year's other communes of its kind (a ward beside wards: a town
    has no forest) give an actual for, two at least, that a commune which sent its workbook gives none for: the year
    after the reform has no last year to compare with (`indicator_dropped`, which goes first), yet a missing
    population leaves its former district unjudged."""
    from ...base.units import area_key

    c = values[(values["area_level"] == "commune") & ~values["key"].str.startswith("?")]
    c = c.assign(_id=c["key"].str.split("@").str[0],
                 _kind=[area_key(a, int(y)) for a, y in zip(c["area"], c["year"], strict=True)])
    have = set(zip(c["area"], c["year"].astype(int), c["_id"], strict=True))
    out: list[dict] = []
    for (year, _), y in c[c["year"].isin(years)].groupby(["year", "_kind"], sort=True):  # a ward beside wards
        year = int(year)
        communes = sorted(set(y["area"]))
        for iid, rows in y.groupby("_id", sort=True):
            givers = set(rows["area"])
            if len(givers) < 2 or len(givers) * 2 <= len(communes):
                continue
            first = rows.iloc[0].to_dict()
            for area in communes:
                if area not in givers and (area, year - 1, iid) not in have:
                    row = {**first, "area": area, "source_file": "", "source_row": None}
                    out.append(finding(row, "indicator_absent", "warning", lang, field="", method="other_communes",
                                       others=str(len(givers))))
    return out
