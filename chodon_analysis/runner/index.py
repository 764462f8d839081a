"""reports/YEAR/index.html in the report's language: links to every report, the workbook and the notebooks, the
headline figures and the data-quality summary (static HTML from report/templates/index.html: no script, no
network; every value escaped by the template)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..base import i18n
from ..report import pages
from ..report.words import source_word
from .params import Notebook
from .quality import summary


def _name(nb: str, lang: str) -> str:
    return i18n.text(f"report.{nb}", lang) if i18n.has(f"report.{nb}", lang) else nb


def _reports(nbs: list[Notebook], out_dir: Path, lang: str) -> list[dict[str, object]]:
    """Each report: its name, whether its page exists (else it is named without a link), its notebook and the
    notebook a failed last run left."""
    def present(name: str) -> str | None:
        return name if (out_dir / name).exists() else None

    return [{"name": _name(nb.name, lang), "page": present(f"{nb.name}.html"), "notebook": f"{nb.name}.ipynb",
             "failed": present(f"{nb.name}.failed.ipynb")} for nb in nbs]


def _counts(s: pd.DataFrame) -> dict[str, object]:
    """The counts table's rows, the indicators the office did not assess (said, not hidden; 0 when none) and whether
    the office assessed any (if not, its column says so with a dash, not with counts of 0)."""
    missing = int(s["computed"].sum() - s["reported"].sum())
    assessed = bool(s["reported"].sum())
    return {"rows": s[["status", "computed", "reported"]].to_dict("records"),
            "missing": missing if assessed and missing > 0 else 0, "assessed": assessed}


def _latest(year: int, processed: Path, lang: str, samples: frozenset[int] | None) -> list[dict[str, object]]:
    """The latest forest cover and grain per head up to `year`, with their source; `sample` when it is illustrative:
    a sample workbook's value, or one rebuilt from the communes in a year their figures are (`samples`; None: not
    known, taken as illustrative: nothing illustrative loses its mark)."""
    out = []
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
            sample = r["source"] == "illustrative" or (r["source"] == "rebuilt" and (
                samples is None or int(r["year"]) in samples))
            source = source_word(r["source"], lang)
            if sample and r["source"] != "illustrative":  # a sum of sample figures is a sample too: said
                source = f"{source}, {source_word('illustrative', lang)}"
            out.append({"what": i18n.text(name, lang), "value": fmt(r[col], lang), "year": int(r["year"]),
                        "source": source, "sample": sample})
    return out


def _headline(year: int, processed: Path, lang: str, samples: frozenset[int] | None) -> dict[str, object]:
    """The year's counts by status (None without the summary table) and the latest forest cover and grain per
    head."""
    counts = None
    summary = processed / "attainment_summary.csv"
    if summary.exists():
        s = pd.read_csv(summary, encoding="utf-8-sig")
        s = s[s["year"] == year]
        counts = _counts(s) if len(s) else None
    return {"counts": counts, "latest": _latest(year, processed, lang, samples)}


def index_html(year: int, nbs: list[Notebook], out_dir: Path, processed: Path, lang: str = "vi",
               area: str = "Chợ Đồn", extra: list[tuple[str, str]] | None = None, issues: pd.DataFrame | None = None,
               quality_page: str = "data_quality.html", headline: pd.DataFrame | None = None,
               files: set[str] | None = None, checks: dict | None = None,
               samples: frozenset[int] | None = None) -> str:
    """reports/YEAR/index.html: reports, workbook and notebooks linked; headline figures (the district's, unless
    `headline` gives an area's own counts by status); data quality of `files` (default: the year's) and the count
    of the findings of the checks (`checks`: error, warning, href, rebuilt). `samples`: the years whose figures hold
    an illustrative value (finish.sample_years; None: not known, taken as all): the counts and values shown that rest
    on them are marked, and the note on illustrative values is written only then."""
    from .quality import load_issues, year_files

    issues = load_issues(processed) if issues is None else issues
    files = year_files(processed, issues, year) if files is None else files
    own = _headline(year, processed, lang, samples) if headline is None else {"counts": _counts(headline),
                                                                                "latest": []}
    sample = own["counts"] is not None and (samples is None or year in samples)  # the counts rest on samples
    return pages.render("index.html", lang, area=area, year=year, reports=_reports(nbs, out_dir, lang),
                        links=[(href, label) for href, label in extra or [] if (out_dir / href).exists()],
                        **own, quality=summary(processed, issues, lang, quality_page, files) | {"checks": checks},
                        sample=sample, sample_note=sample or any(line["sample"] for line in own["latest"]))
