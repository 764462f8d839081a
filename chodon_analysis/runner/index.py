"""reports/YEAR/index.html: links to the reports and the headline figures (no script, no network)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .params import Notebook


def index_html(year: int, nbs: list[Notebook], out_dir: Path, processed: Path) -> str:
    """reports/YEAR/index.html: links to the reports and the headline figures (no script, no network)."""
    rows = []
    for nb in nbs:
        ok = (out_dir / f"{nb.name}.html").exists()
        failed = (out_dir / f"{nb.name}.failed.ipynb").exists()
        link = f'<a href="{nb.name}.html">{html.escape(nb.name)}</a>' if ok else html.escape(nb.name)
        note = " (failed in the last run; see the .failed.ipynb)" if failed else ""
        rows.append(f"<li>{link} · <a href=\"{nb.name}.ipynb\">notebook</a>{note}</li>")
    heads = []
    summary = processed / "attainment_summary.csv"
    if summary.exists():
        s = pd.read_csv(summary, encoding="utf-8-sig")
        s = s[s["year"] == year]
        if len(s):
            cells = "".join(f"<tr><td>{html.escape(r.status)}</td><td>{r.computed}</td><td>{r.reported}</td></tr>"
                            for r in s.itertuples())
            heads.append(f"<h2>Plan attainment {year}</h2><table><tr><th>status</th><th>computed</th>"
                         f"<th>reported</th></tr>{cells}</table>")
    for fname, col, label in (("forest_cover.csv", "forest_cover_pct", "Forest cover (%)"),
                              ("grain_per_capita.csv", "grain_per_capita_kg", "Grain per capita (kg/person/year)")):
        p = processed / fname
        if p.exists():
            d = pd.read_csv(p, encoding="utf-8-sig")
            d = d[(d["year"] <= year) & d[col].notna()]
            if len(d):
                r = d.iloc[-1]
                heads.append(f"<p><b>{label}</b>: {r[col]:g} in {int(r['year'])} "
                             f"(source: {html.escape(str(r['source']))})</p>")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Chợ Đồn — reports {year}</title>
<style>body{{font-family:sans-serif;max-width:52em;margin:2em auto}}td,th{{padding:.2em .8em;border-bottom:1px solid #ddd}}</style>
</head><body>
<h1>Chợ Đồn — báo cáo năm {year} / reports for {year}</h1>
<ul>{''.join(rows)}</ul>
{''.join(heads)}
<p><small>Values marked <i>illustrative</i> are sample values, not official figures: see data/external/PROVENANCE.md.</small></p>
</body></html>
"""
