"""The pages a run writes besides the notebooks': a report folder's index.html (and an area's summary.json) once its
notebooks are done, the pages across areas, and the one list of links they share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..base import i18n
from ..base.files import folder_lock, write_text_atomic
from ..paths import QUALITY_PAGE, appendix_file, workbook_file
from .appendices import write_appendix
from .areas import Area
from .config import AREA_LOCKS, RunConfig
from .index import index_html
from .overview import COMPARISON, SUMMARY, area_label, areas_index, comparison_page
from .params import Notebook
from .steps import Step

if TYPE_CHECKING:
    import pandas as pd


def links(cfg: RunConfig, prefix: str = "") -> list[tuple[str, str]]:
    """(href, label) of the year's own pages, for an index `prefix` below the year's folder (an area's `../`, which
    also links back to the index across areas): the communes compared (per area), data quality, the workbook."""
    lang = cfg.lang
    out = [(f"{prefix}index.html", i18n.text("areas.back", lang))] if prefix else []
    if cfg.per_area:
        out.append((prefix + COMPARISON, i18n.text("areas.comparison", lang)))
    return out + [(prefix + QUALITY_PAGE, i18n.text("report.data_quality", lang)),
                  (prefix + workbook_file(cfg.year), i18n.text("report.workbook", lang))]


def notebooks_of(steps: list[Step]) -> list[Notebook]:
    """The report notebooks a folder's steps name (executed, skipped or failed), by name: what its index lists."""
    names = {s.name.rpartition("/")[2].removeprefix("notebook:") for s in steps
             if s.name.rpartition("/")[2].startswith("notebook:")}
    return [Notebook(Path(f"{name}.ipynb"), {}) for name in sorted(names)]


def folder_pages(cfg: RunConfig, area: Area | None, staging: Path, steps: list[Step], table: pd.DataFrame | None,
                 issues: pd.DataFrame, appendix: bool = True) -> None:
    """A report folder's index.html: its reports, its headline figures (an area's own counts; the derived tables'
    for the whole year), the data quality of its files (an area's own, else the year's); an area's folder also gets
    summary.json, for the index across areas; and its Word appendix unless written already (`appendix` False)."""
    from .quality import area_files, year_files

    label, prefix, headline = cfg.district, "", None
    files = year_files(cfg.processed, issues, cfg.year)
    samples = sample_years(cfg, table, area)
    if area is not None:
        label, prefix = area_label(area, cfg.lang, cfg.year), "../"
        headline = _area_summary(cfg, area, staging, steps, table, samples)
        assert table is not None
        files &= area_files(table, issues, area.name, area.level, cfg.year)  # its own files, not the year's all
    if appendix:
        write_appendix(cfg, area, staging, table)  # the folder's own Word appendix, linked from its index
    own = [(appendix_file(cfg.year, cfg.lang), i18n.text("report.appendix", cfg.lang))]
    checks = area_checks(cfg, area)
    page = index_html(cfg.year, notebooks_of(steps), staging, cfg.processed, cfg.lang, label,
                      links(cfg, prefix) + own, issues, prefix + QUALITY_PAGE, headline, files,
                      checks | {"href": f"{prefix}{QUALITY_PAGE}#{checks['id']}"}, samples)
    write_text_atomic(staging / "index.html", page)


def sample_years(cfg: RunConfig, table: pd.DataFrame | None, area: Area | None,
                 prov: pd.DataFrame | None = None) -> frozenset[int] | None:
    """The years up to the run's in which the figures an area's pages show (the run's district when None) hold an
    illustrative value (PROVENANCE.md; analysis/trends.illustrative_years): its own rows and, for a district, those
    of the communes it is rebuilt from. A province's own workbooks give none: their pages carry no sample note.
    `prov`: provenance.csv as loaded for `table`, when the caller asks for many areas. None when the table cannot be
    read: not known, so every figure keeps its mark."""
    import pandas as pd

    from ..analysis.communes import scope_of
    from ..analysis.trends import illustrative_years, load_provenance

    if table is None:
        try:
            table = pd.read_parquet(cfg.processed / "indicators.parquet")
        except (OSError, ValueError):
            return None
    name, level = (cfg.district, "district") if area is None else (area.name, area.level)
    mine = (table["area"] == name) & (table["area_level"] == level)
    if level == "district":
        mine |= table["area"].isin(scope_of(name)) & (table["area_level"] == "commune")
    rows = table[mine & (table["year"] <= cfg.year).fillna(False).astype(bool)]
    return illustrative_years(load_provenance(cfg.external, table) if prov is None else prov, rows)


def area_checks(cfg: RunConfig, area: Area | None) -> dict[str, object]:
    """The count of the findings of the checks on an area's figures of the year (the run's district when None): its
    own, and from the reform on a former district's communes' too (its figures are added up from them); `id`: its
    place on the data-quality page."""
    from ..analysis.communes import scope_of
    from ..analysis.quality.marks import counts, load, of_area
    from ..base.places import REFORM_YEAR
    from ..report.checks import anchor

    name, level = (cfg.district, "district") if area is None else (area.name, area.level)
    rebuilt = level == "district" and cfg.year >= REFORM_YEAR
    found = of_area(load(cfg.processed), cfg.year, name, level, scope_of(name) if rebuilt else ())
    where = "checks" if rebuilt or found.empty else anchor(name, level)  # where its findings, or the clean, are
    return {**counts(found), "rebuilt": rebuilt and bool(len(found)), "id": where}


def _area_summary(cfg: RunConfig, area: Area, staging: Path, steps: list[Step], table: pd.DataFrame | None,
                  samples: frozenset[int] | None = None) -> pd.DataFrame | None:
    """Write the area's summary.json (its counts by status, whether they rest on illustrative values (`samples`: the
    years that hold one), whether a notebook failed) and return the headline of its index: its own counts (None for
    the default district, whose headline is the derived tables')."""
    from ..analysis.communes import fill_from_communes
    from ..analysis.compare import area_counts
    from ..cleaning.workbooks import DEFAULT_DISTRICT

    assert table is not None, "an area's pages need the tidy table"
    rows = table[(table["area"] == area.name) & (table["area_level"] == area.level)]
    if area.level == "district":  # its own targets, actuals rebuilt from its communes after the reform
        rows = fill_from_communes(rows, table[table["area_level"] == "commune"], area.name, cfg.year)[0]
    counts = area_counts(rows, cfg.year)
    summary = {"area": area.name, "level": area.level, "slug": area.slug, "year": cfg.year,
               "failed": any(s.status == "failed" for s in steps),
               "counts": {r.status: int(r.computed) for r in counts.itertuples()},
               "illustrative": samples is None or cfg.year in samples,
               "findings": {k: v for k, v in area_checks(cfg, area).items() if k in ("error", "warning", "id")}}
    write_text_atomic(staging / SUMMARY, json.dumps(summary, ensure_ascii=False, indent=1))
    if area.level == "district" and area.name == DEFAULT_DISTRICT:  # the derived tables are the default district's
        return None
    return counts


def year_pages(cfg: RunConfig, areas: list[Area], table: pd.DataFrame | None = None) -> None:
    """The index across areas (every area of the year, whichever slice ran it) and, given the table, the communes'
    comparison: written before the areas' pages (which link to them), the index again at the end; under a short
    lock of their own."""
    from ..analysis.compare import ranking
    from ..analysis.trends import load_provenance

    year_dir = cfg.year_dir
    unplaced = _unplaced(cfg, table)  # a name two units share: grouped apart, never under a district on a guess
    with folder_lock(year_dir / AREA_LOCKS / "year.lock"):
        if table is not None:
            communes = table[table["area_level"] == "commune"]
            checks = {a.name: area_checks(cfg, a) for a in areas if a.level == "commune"}  # ⚠ beside a rank
            prov = load_provenance(cfg.external, table)
            samples = frozenset(a.name for a in areas
                                if a.level == "commune" and cfg.year in (sample_years(cfg, table, a, prov) or ()))
            write_text_atomic(year_dir / COMPARISON, comparison_page(cfg.year, ranking(communes, cfg.year), areas,
                                                                     cfg.lang, unplaced, checks, samples))
        write_text_atomic(year_dir / "index.html", areas_index(cfg.year, areas, year_dir, cfg.lang, links(cfg),
                                                               absent(cfg, areas), unplaced))


def _unplaced(cfg: RunConfig, table: pd.DataFrame | None) -> frozenset[str]:
    """The communes of the year the reader could not place (communes.placed): from the table, else the processed
    folder's."""
    import pandas as pd

    from ..analysis.communes import placed

    if table is None:
        try:
            table = pd.read_parquet(cfg.processed / "indicators.parquet",
                                    columns=["area", "area_level", "year", "area_code"])
        except (OSError, ValueError):
            return frozenset()
    mine = table[(table["area_level"] == "commune") & (table["year"] == cfg.year)]
    return frozenset(mine.loc[~placed(mine), "area"].dropna())


def drop_stale(cfg: RunConfig, areas: list[Area]) -> None:
    """Remove the folder of an area an earlier run reported (it holds that run's summary) that the year's data no
    longer has (its workbook taken out, or another folder of workbooks reported into the same reports): its old
    figures would stand beside an index that says it sent nothing. Said, one line each."""
    import shutil
    import sys

    from ..base.visible import shown

    keep = {a.slug for a in areas}
    for folder in sorted(p for p in cfg.year_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name not in keep and (folder / SUMMARY).is_file():
            with folder_lock(cfg.year_dir / AREA_LOCKS / f"{folder.name}.lock", tidy=False):
                shutil.rmtree(folder, ignore_errors=True)
            print(shown(f"removed {folder}: the data of {cfg.year} has no such area any more"), file=sys.stderr)


def absent(cfg: RunConfig, areas: list[Area]) -> list[tuple[Area, dict]]:
    """The areas expected this year that sent no workbook (the checks' `no_workbook`), with their findings' count:
    listed on the index across areas as such, never left out."""
    from ..analysis.quality.marks import counts, load, of_area
    from ..report.checks import anchor

    found = load(cfg.processed)
    gone = found[(found["year"] == cfg.year) & (found["check"] == "no_workbook")]
    out = []
    for name, level in dict.fromkeys(zip(gone["area"], gone["area_level"], strict=True)):
        if Area(name, level) not in areas:
            out.append((Area(name, level), {**counts(of_area(found, cfg.year, name, level)),
                                            "id": anchor(name, level)}))
    return out
