"""reports/YEAR/index.html in the report's language: links to every report, the workbook and the notebooks, the
headline figures and the data-quality summary (static HTML: no script, no network)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..base import i18n
from ..report.style import STATUS_COLORS, STATUS_TEXT
from ..report.words import source_word
from .params import Notebook
from .quality import PAGE_STYLE, summary_html


def _e(key: str, lang: str, **values: object) -> str:
    return html.escape(i18n.text(key, lang, **values))


def _name(nb: str, lang: str) -> str:
    return i18n.text(f"report.{nb}", lang) if i18n.has(f"report.{nb}", lang) else nb


def _links(nbs: list[Notebook], out_dir: Path, lang: str, extra: list[tuple[str, str]]) -> str:
    rows = []
    for nb in nbs:
        name = html.escape(_name(nb.name, lang))
        link = f'<a href="{html.escape(nb.name)}.html">{name}</a>' if (out_dir / f"{nb.name}.html").exists() else name
        note = ""
        if (out_dir / f"{nb.name}.failed.ipynb").exists():
            note = f" ({_e('index.failed', lang, file=nb.name + '.failed.ipynb')})"
        rows.append(f'<li>{link} · <a href="{html.escape(nb.name)}.ipynb">{_e("report.notebook", lang)}</a>{note}</li>')
    rows += [f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>' for href, label in extra
             if (out_dir / href).exists()]
    return f"<h2>{_e('index.reports', lang)}</h2><ul>{''.join(rows)}</ul>"


def counts_html(s: pd.DataFrame, lang: str) -> str:
    """A year's counts by status (columns status, computed, reported), coloured as everywhere; indicators the office
    did not assess are said, not hidden."""
    cells = "".join(
        f'<tr><td style="background:{STATUS_COLORS.get(r.status, "")};color:{STATUS_TEXT.get(r.status, "")}">'
        f"{html.escape(i18n.status(r.status, lang))}</td><td>{i18n.number(r.computed, lang)}</td>"
        f"<td>{i18n.number(r.reported, lang)}</td></tr>" for r in s.itertuples())
    missing = int(s["computed"].sum() - s["reported"].sum())
    if s["reported"].sum() and missing > 0:
        cells += f"<tr><td>{_e('status.no_office', lang)}</td><td></td><td>{i18n.number(missing, lang)}</td></tr>"
    return (f"<table><tr><th>{_e('col.status', lang)}</th><th>{_e('col.computed', lang)}</th>"
            f"<th>{_e('col.reported', lang)}</th></tr>{cells}</table>")


def _headline(year: int, processed: Path, lang: str) -> str:
    """The year's counts by status (coloured as everywhere) and the latest forest cover and grain per head."""
    out = []
    summary = processed / "attainment_summary.csv"
    if summary.exists():
        s = pd.read_csv(summary, encoding="utf-8-sig")
        s = s[s["year"] == year]
        if len(s):
            out.append(counts_html(s, lang))
    for fname, col, name, fmt in (("forest_cover.csv", "forest_cover_pct", "name.forest_cover", i18n.percent),
                                  ("grain_per_capita.csv", "grain_per_capita_kg", "name.grain_per_capita",
                                   lambda v, lang: i18n.number(v, lang, 1) + " kg")):
        p = processed / fname
        if not p.exists():
            continue
        d = pd.read_csv(p, encoding="utf-8-sig")
        d = d[(d["year"] <= year) & d[col].notna()]
        if len(d):
            r = d.iloc[-1]
            source = source_word(r["source"], lang)
            line = html.escape(i18n.text("index.latest", lang, what="\0", value=fmt(r[col], lang), year=int(r["year"]),
                                         source=source))
            out.append("<p>" + line.replace("**\0**", f"<b>{_e(name, lang)}</b>") + "</p>")
    return f"<h2>{_e('index.headline', lang, year=year)}</h2>" + "".join(out) if out else ""


def index_html(year: int, nbs: list[Notebook], out_dir: Path, processed: Path, lang: str = "vi",
               area: str = "Chợ Đồn", extra: list[tuple[str, str]] | None = None, issues: pd.DataFrame | None = None,
               quality_page: str = "data_quality.html", headline: str | None = None) -> str:
    """reports/YEAR/index.html: reports, workbook and notebooks linked; headline figures (the district's, unless
    `headline` gives an area's own); data quality."""
    from .quality import load_issues

    issues = load_issues(processed) if issues is None else issues
    title = _e("index.title", lang, area=area, year=year)
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{PAGE_STYLE}</style></head><body>\n<h1>{title}</h1>\n"
            + _links(nbs, out_dir, lang, extra or []) + "\n"
            + (_headline(year, processed, lang) if headline is None else headline) + "\n"
            + summary_html(processed, issues, lang, quality_page)
            + f"\n<p><small>{_e('notice.illustrative', lang)}</small></p>\n</body></html>\n")
