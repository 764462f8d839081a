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
    """`xã Nam Cường`; `huyện Chợ Đồn (cũ)` from the reform year on."""
    from ..base.places import REFORM_YEAR

    key = "area.commune" if area.level == "commune" else (
        "area.former_district" if year >= REFORM_YEAR else "area.district")
    return i18n.text(key, lang, name=area.name)


def areas_index(year: int, areas: list[Area], year_dir: Path, lang: str, links: list[tuple[str, str]]) -> str:
    """Every area of the year: level, counts by status, the count of the checks' findings (linking to them) and the
    state of its reports, linking to its folder; an area whose folder has no summary yet (another shard has not run)
    is listed as not run."""
    rows = []
    for a in areas:
        s = _summary(year_dir / a.slug)
        state = "areas.state_missing" if s is None else (
            "areas.state_failed" if s.get("failed") else "areas.state_done")
        rows.append({"name": area_label(a, lang, year), "slug": a.slug, "level": a.level, "state": state,
                     "counts": None if s is None else s.get("counts", {}),
                     "findings": None if s is None else s.get("findings")})
    return pages.render("areas.html", lang, year=year, statuses=STATUSES, rows=rows, quality=QUALITY_PAGE,
                        links=[(h, t) for h, t in links if (year_dir / h).exists()])


def _summary(folder: Path) -> dict | None:
    try:
        return json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def comparison_page(year: int, ranked: pd.DataFrame, areas: list[Area], lang: str) -> str:
    """The communes ranked (analysis/compare.py): their counts, share met or exceeded, median actual/plan, with a bar
    for the share; each commune links to its folder."""
    from ..base import reform

    slugs = {a.name: a.slug for a in areas if a.level == "commune"}
    known = {row["new_unit"] for row in reform.crosswalk()} if not ranked.empty else set()
    rows = []
    for r in ranked.to_dict("records"):
        share, district = r["met_share_pct"], r["district"]
        rows.append(r | {"name": i18n.text("area.commune", lang, name=r["area"]), "slug": slugs.get(r["area"]),
                         "district": district if isinstance(district, str) and district else None,
                         "shared": r["area"] in known, "bar": None if pd.isna(share) else f"{share:.0f}%"})
    return pages.render("comparison.html", lang, year=year, statuses=STATUSES, rows=rows)
