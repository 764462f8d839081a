"""Figures far from what is expected of them: over time (far from the area's own previous years: a digit typed too
many or too few) and across areas (far from the other areas of the same level and kind that year, wards with wards:
the modified z-score of Iglewicz and Hoaglin on a scale that suits the indicator). Thresholds and why:
docs/data-quality.md."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...base import catalog, i18n
from .common import finding

TIME_RATIO = 5.0  # a value 5 times its previous years' median, or a fifth of it (a slipped digit makes 10)
TIME_HISTORY = 3  # the previous years the median is taken over (the most recent, within the same definition)
Z_THRESHOLD = 3.5  # Iglewicz & Hoaglin (1993): |M| > 3.5 is a potential outlier
Z_CONSTANT = 0.6745  # the 0.75 quantile of the standard normal: MAD / 0.6745 estimates the standard deviation
MIN_AREAS = 5  # fewer areas of a level in a year give no spread to judge by
SPREAD_FLOOR = {"log": 0.15, "raw": 7.5}  # the least MAD: log10 units (×1.41), percentage points
SMALL = 10.0  # counts and shares below this are not judged by ratio or spread (0, 1, 2 cooperatives; 0.4% poor)


def modified_z(values: np.ndarray | list[float], floor: float = 0.0) -> np.ndarray:
    """0.6745 × (x − median) ÷ MAD of each value (Iglewicz & Hoaglin), the MAD taken at least `floor`; all 0 when
    the values have no spread at all."""
    x = np.asarray(values, dtype=float)
    med = np.median(x)
    spread = max(float(np.median(np.abs(x - med))), floor)
    return np.zeros_like(x) if spread == 0 else Z_CONSTANT * (x - med) / spread


def scale_of(key: str, unit: str) -> str:
    """`raw` for a share (in %), `log` for counts and amounts (their spread grows with their size)."""
    base = key.split("@")[0]
    entry = catalog.entries().get(base)
    return "raw" if (entry["unit"] if entry and "@" not in key else unit) == "%" else "log"


def _small(key: str, unit: str, size: float, counts: frozenset[str]) -> bool:
    """A count or a share too small for a ratio or a spread to mean anything."""
    return (key in counts or scale_of(key, unit) == "raw") and size < SMALL


def _segment(key: str, year: int) -> int:
    """Which definition of the indicator a year falls in (catalog_breaks.csv): never compared across a change."""
    return sum(year >= int(b["year"]) for b in catalog.breaks() if b["id"] == key.split("@")[0])


def time_findings(values: pd.DataFrame, years: set[int], counts: frozenset[str], lang: str = "vi",
                  skip: set[tuple] = frozenset()) -> list[dict]:
    """Each actual of `years` against the median of the same area's last TIME_HISTORY years (of the same
    definition). A year itself found far off, from its past or from the other areas (`skip`: area, level, year,
    file, row), is left out of the history of the next."""
    out: list[dict] = []
    series: dict[tuple, list[dict]] = {}
    for r in values.sort_values("year", kind="stable").to_dict("records"):
        series.setdefault((r["area"], r["area_level"], r["key"]), []).append(r)
    broken = {b["id"] for b in catalog.breaks()}
    for (_, _, key), rows in series.items():
        kept: list[tuple[int, float, int]] = []
        for r in rows:
            year, v = int(r["year"]), float(r["actual_value"])
            seg = _segment(key, year) if key.split("@")[0] in broken else 0
            past = [(y, x) for y, x, s in kept if s == seg][-TIME_HISTORY:]
            med = float(np.median([x for _, x in past])) if past else math.nan
            far = bool(past) and v > 0 and med > 0 and not _small(key, r["unit"], max(v, med), counts) and not (
                1 / TIME_RATIO < v / med < TIME_RATIO)
            if not far and (r["area"], r["area_level"], year, r["source_file"], r["source_row"]) not in skip:
                kept.append((year, v, seg))
            elif far and year in years:
                ratio = v / med
                out.append(finding(r, "jump_over_time", "warning", lang, value=v, expected=med,
                                   method="ratio_to_median_of_previous_years", threshold=TIME_RATIO,
                                   score=round(ratio, 3), ratio=i18n.number(ratio, lang, 2 if ratio < 1 else 1),
                                   years=", ".join(str(y) for y, _ in past)))
    return out


def kind_of(area: str, level: str, year: int) -> str:
    """What an area is compared with across areas: a unit of the commune level by its type as the crosswalk gives it
    (`area.commune`, `area.ward`, `area.town`, `area.special_zone`: a city ward's population is not a rural
    commune's), a district by its type (`huyện`, `thị xã`, `thành phố`), a province as a province."""
    from ...base import reform
    from ...base.units import area_key

    if level == "commune":
        return area_key(area, year)
    return reform.former_districts().get(area, "huyện") if level == "district" else level


def area_findings(values: pd.DataFrame, years: set[int], counts: frozenset[str], lang: str = "vi") -> list[dict]:
    """Each actual of `years` against the other areas of its level and kind that year (kind_of: wards with wards,
    communes with communes): |modified z| > Z_THRESHOLD, on the log scale (counts, amounts; values above 0) or raw
    (shares), with MIN_AREAS areas at least."""
    out: list[dict] = []
    mine = values[values["year"].isin(years)]
    places = list(zip(mine["area"], mine["area_level"], mine["year"].astype(int), strict=True))
    kinds = {p: kind_of(*p) for p in set(places)}
    mine = mine.assign(kind=[kinds[p] for p in places])
    for (_, _, _, key), g in mine.groupby(["year", "area_level", "kind", "key"], sort=True):
        unit = str(g["unit"].iloc[0])
        scale = scale_of(key, unit)
        g = g[g["actual_value"] > 0] if scale == "log" else g
        if len(g) < MIN_AREAS or _small(key, unit, float(g["actual_value"].median()), counts):
            continue
        x = g["actual_value"].to_numpy(dtype=float)
        t = np.log10(x) if scale == "log" else x
        z = modified_z(t, SPREAD_FLOOR[scale])
        middle = float(10 ** np.median(t)) if scale == "log" else float(np.median(t))
        for i in np.flatnonzero(np.abs(z) > Z_THRESHOLD):
            r = g.iloc[i]
            out.append(finding(r, "far_from_other_areas", "warning", lang, value=r["actual_value"],
                               expected=round(middle, 2), method=f"modified_z_{scale}", threshold=Z_THRESHOLD,
                               score=round(float(z[i]), 2)))
    return out
