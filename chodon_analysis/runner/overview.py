"""The pages of an area run that span areas: `reports/YEAR/index.html` (every area with its headline counts, linking
to its folder) and `reports/YEAR/comparison.html` (the communes ranked). Static HTML from report/templates/
(areas.html, comparison.html): no script, no network; every value escaped by the template."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..base import i18n
from ..base.vocab import STATUSES
from ..paths import QUALITY_PAGE
from ..report import pages
from .areas import Area

SUMMARY = "summary.json"  # written into each area's folder by its run: what the index across areas shows
COMPARISON = "comparison.html"


def area_label(area: Area, lang: str, year: int) -> str:
    """`xã Nam Cường`, `phường Phan Đình Phùng`; `huyện Chợ Đồn (cũ)` from the reform year on."""
    from ..base.units import area_label as label

    return label(area.name, area.level, lang, year)


def areas_index(year: int, areas: list[Area], year_dir: Path, lang: str, links: list[tuple[str, str]],
                absent: list[tuple[Area, dict]] = (), unplaced: frozenset[str] = frozenset()) -> str:
    """Every area of the year, grouped by former district (the district first, then its communes): level, counts by
    status, the count of the checks' findings (linking to them) and the state of its reports, linking to its folder;
    an area whose folder has no summary yet (another shard has not run) is listed as not run; an area in `absent`
    (expected, no workbook) as such. Counts resting on illustrative values are marked (their summary says so; one
    of an older run that does not say is taken as such), and the note on illustrative values is written only then."""
    groups: dict[tuple, list[dict]] = {}
    for a in areas:
        s = _summary(year_dir / a.slug)
        state = "areas.state_missing" if s is None else (
            "areas.state_failed" if s.get("failed") else "areas.state_done")
        groups.setdefault(_group(a, "", unplaced), []).append(
            {"name": area_label(a, lang, year), "slug": a.slug, "level": _level(a, year), "state": state,
             "counts": None if s is None else s.get("counts", {}),
             "findings": None if s is None else s.get("findings"), "sample": s is not None and s.get("illustrative",
                                                                                                      True)})
    for a, findings in absent:  # expected, sent nothing: said, with the checks' error
        groups.setdefault(_group(a), []).append({"name": area_label(a, lang, year), "slug": a.slug,
                                                 "level": _level(a, year),
                                                 "state": "areas.state_no_workbook", "counts": None,
                                                 "findings": findings, "sample": False})
    out = [{"title": _title(order, district, lang, year), "rows": rows}
           for (order, _, district), rows in sorted(groups.items())]
    return pages.render("areas.html", lang, year=year, statuses=STATUSES, groups=out, quality=QUALITY_PAGE,
                        links=[(h, t) for h, t in links if (year_dir / h).exists()],
                        sample_note=any(r["sample"] for g in out for r in g["rows"]))


def _group(area: Area, district: str = "", unplaced: frozenset[str] = frozenset()) -> tuple[int, str, str]:
    """Where an area is listed: under its former district (`district` when known, the district itself first), then
    the communes formed from several former districts, then those the crosswalk does not know or the reader could
    not place (`unplaced`: a name two units share, never grouped on a guess)."""
    from ..base import reform
    from ..base.text import fold

    if area.level == "commune" and area.name in unplaced:
        return 3, "", ""  # a name several units share: said so, apart
    if area.level == "district" or district:
        return 0, fold(district or area.name), district or area.name
    olds = {r["old_district"] for r in reform.crosswalk() if r["new_unit"] == area.name}
    if len(olds) == 1:
        district = next(iter(olds))
        return 0, fold(district), district
    return (1, "", "") if olds else (2, "", "")


def _level(area: Area, year: int) -> str:
    """The word of the index's level column (`level.*`): a ward is `phường`, a township `thị trấn`, not `xã`."""
    from ..base.units import area_key

    return area_key(area.name, year).removeprefix("area.") if area.level == "commune" else area.level


def _title(order: int, district: str, lang: str, year: int) -> str:
    """A group's heading: its former district, or what the communes under it have in common."""
    if order == 0:
        return area_label(Area(district, "district"), lang, year)
    return i18n.text({1: "cmp.shared_group", 2: "cmp.unknown_group", 3: "cmp.unplaced_group"}[order], lang)


def _summary(folder: Path) -> dict | None:
    try:
        return json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def comparison_page(year: int, ranked: pd.DataFrame, areas: list[Area], lang: str,
                    unplaced: frozenset[str] = frozenset(), checks: dict[str, dict] | None = None,
                    samples: frozenset[str] | None = None) -> str:
    """The communes ranked (analysis/compare.py), grouped by the former district wholly containing them (then those
    formed from several, then those the crosswalk does not know): their rank among all and within the group, counts,
    share met or exceeded, median actual/plan, with a bar for the share, and the checks' findings on their figures
    (`checks`: finish.area_checks by name, linking to them); each commune links to its folder. The communes whose
    figures of the year hold an illustrative value (`samples`; None: not known, taken as all) are marked, and the note
    on illustrative values is written only when one is."""
    slugs = {a.name: a.slug for a in areas if a.level == "commune"}
    groups: dict[tuple, list[dict]] = {}
    for r in ranked.to_dict("records"):
        share = r["met_share_pct"]
        district = r["district"] if isinstance(r["district"], str) else ""  # as the table has it (a heading's)
        groups.setdefault(_group(Area(r["area"], "commune"), district, unplaced), []).append(
            r | {"name": area_label(Area(r["area"], "commune"), lang, year), "slug": slugs.get(r["area"]),
                 "bar": None if pd.isna(share) else f"{share:.0f}%", "findings": (checks or {}).get(r["area"]),
                 "sample": samples is None or r["area"] in samples})
    out = []
    for (order, _, district), rows in sorted(groups.items()):
        title = _title(order, district, lang, year)
        ranks = [r["rank"] for r in rows]  # within the group: as the ranking does, equal figures share a rank
        out.append({"title": title, "rows": [r | {"group_rank": 1 + sorted(ranks).index(r["rank"])} for r in rows]})
    return pages.render("comparison.html", lang, year=year, statuses=STATUSES, groups=out, quality=QUALITY_PAGE,
                        sample_note=any(r["sample"] for g in out for r in g["rows"]))
