"""The pages of an area run that span areas: `reports/YEAR/index.html` (every area with its headline counts, linking
to its folder) and `reports/YEAR/comparison.html` (the communes ranked). Static HTML: no script, no network."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from ..base import i18n
from ..base.vocab import STATUSES
from ..report.style import STATUS_COLORS, STATUS_TEXT
from .areas import Area
from .quality import PAGE_STYLE

SUMMARY = "summary.json"  # written into each area's folder by its run: what the index across areas shows
COMPARISON = "comparison.html"


def _e(key: str, lang: str, **values: object) -> str:
    return html.escape(i18n.text(key, lang, **values))


def _page(title: str, lang: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{PAGE_STYLE}</style></head><body>\n<h1>{title}</h1>\n{body}\n"
            f"<p><small>{_e('notice.illustrative', lang)}</small></p>\n</body></html>\n")


def _status_headers(lang: str) -> str:
    return "".join(f'<th style="background:{STATUS_COLORS[s]};color:{STATUS_TEXT[s]}">'
                   f"{html.escape(i18n.status(s, lang))}</th>" for s in STATUSES)


def area_label(area: Area, lang: str, year: int) -> str:
    """`xã Nam Cường`; `huyện Chợ Đồn (cũ)` from the reform year on."""
    from ..base.places import REFORM_YEAR

    key = "area.commune" if area.level == "commune" else (
        "area.former_district" if year >= REFORM_YEAR else "area.district")
    return i18n.text(key, lang, name=area.name)


def areas_index(year: int, areas: list[Area], year_dir: Path, lang: str, links: list[tuple[str, str]]) -> str:
    """Every area of the year: level, counts by status and the state of its reports, linking to its folder; an area
    whose folder has no summary yet (another shard has not run) is listed as not run."""
    rows = []
    for a in areas:
        s = _summary(year_dir / a.slug)
        name = html.escape(area_label(a, lang, year))
        if s is None:
            counts, state, link = "<td></td>" * len(STATUSES), _e("areas.state_missing", lang), name
        else:
            counts = "".join(f"<td>{i18n.number(s['counts'].get(st, 0), lang)}</td>" for st in STATUSES)
            state = _e("areas.state_failed" if s.get("failed") else "areas.state_done", lang)
            link = f'<a href="{html.escape(a.slug)}/index.html">{name}</a>'
        rows.append(f"<tr><td>{link}</td><td>{_e('level.' + a.level, lang)}</td>{counts}<td>{state}</td></tr>")
    items = "".join(f'<li><a href="{html.escape(h)}">{html.escape(t)}</a></li>' for h, t in links
                    if (year_dir / h).exists())
    body = (f"<p>{_e('areas.intro', lang)}</p>\n<ul>{items}</ul>\n<table><tr><th>{_e('col.area', lang)}</th>"
            f"<th>{_e('col.level', lang)}</th>{_status_headers(lang)}<th>{_e('col.reports_state', lang)}</th></tr>"
            + "".join(rows) + "</table>")
    return _page(_e("areas.title", lang, year=year), lang, body)


def _summary(folder: Path) -> dict | None:
    try:
        return json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def comparison_page(year: int, ranked: pd.DataFrame, areas: list[Area], lang: str) -> str:
    """The communes ranked (analysis/compare.py): their counts, share met or exceeded, median actual/plan, with a bar
    for the share; each commune links to its folder."""
    title = _e("cmp.title", lang, year=year)
    if ranked.empty:
        return _page(title, lang, f"<p>{_e('cmp.none', lang, year=year)}</p>")
    from ..base import reform

    slugs = {a.name: a.slug for a in areas if a.level == "commune"}
    known = {row["new_unit"] for row in reform.crosswalk()}
    rows = []
    for r in ranked.itertuples():
        name = html.escape(i18n.text("area.commune", lang, name=r.area))
        if r.area in slugs:
            name = f'<a href="{html.escape(slugs[r.area])}/index.html">{name}</a>'
        if r.workbooks > 1:  # two workbooks for one commune and year: counted as given, and said
            name += f"<br><small>⚠ {_e('cmp.workbooks', lang, n=r.workbooks)}</small>"
        district = html.escape(r.district) or _e("cmp.shared" if r.area in known else "cmp.not_in_crosswalk", lang)
        share = "" if pd.isna(r.met_share_pct) else i18n.number(r.met_share_pct, lang, 1)
        bar = "" if pd.isna(r.met_share_pct) else (
            f'<div style="background:{STATUS_COLORS["met"]};height:.6em;width:{r.met_share_pct:.0f}%"></div>')
        rows.append(
            f"<tr><td>{r.rank}</td><td>{name}</td><td>{district}</td>"
            f"<td>{i18n.number(r.indicators, lang)}</td>"
            + "".join(f"<td>{i18n.number(getattr(r, s), lang)}</td>" for s in STATUSES)
            + f'<td style="min-width:8em">{share}{bar}</td>'
            f"<td>{'' if pd.isna(r.median_ratio_pct) else i18n.number(r.median_ratio_pct, lang, 1)}</td></tr>")
    head = (f"<tr><th>{_e('col.rank', lang)}</th><th>{_e('col.area', lang)}</th><th>{_e('col.former_district', lang)}"
            f"</th><th>{_e('col.indicators', lang)}</th>{_status_headers(lang)}<th>{_e('col.met_share_pct', lang)}</th>"
            f"<th>{_e('col.median_ratio_pct', lang)}</th></tr>")
    return _page(title, lang, f"<p>{_e('cmp.intro', lang)}</p>\n<table>{head}{''.join(rows)}</table>")
