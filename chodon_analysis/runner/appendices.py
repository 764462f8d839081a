"""A report folder's Word appendix (report/appendix.py): the district's year in a whole-year run; from the reform
on, in a run per area, the former district with its actuals rebuilt from its communes and each commune's own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..base import i18n
from ..base.places import REFORM_YEAR
from ..base.units import area_label as label_of
from ..cleaning.workbooks import shown
from ..paths import appendix_file
from .areas import Area
from .config import RunConfig
from .steps import err

if TYPE_CHECKING:
    import pandas as pd


def write_appendix(cfg: RunConfig, area: Area | None, folder: Path, table: pd.DataFrame | None) -> None:
    """Write the appendix of `area` (None: the district of a whole-year run) into `folder`; one that cannot be
    written is said in one line and the run goes on (the HTML reports are the product)."""
    from ..analysis import attainment
    from ..analysis.communes import fill_from_communes
    from ..analysis.context import Context, load, load_findings, load_provenance, load_published
    from ..base.rule import Rule
    from ..paths import PUBLISHED_FILE
    from ..report.appendix import build
    from .overview import area_label

    path = folder / appendix_file(cfg.year, cfg.lang)
    try:
        if table is None:
            ctx = load(cfg.processed, cfg.external, cfg.district)
        else:  # the table the run has read already: not read again for each area
            own = table[(table["area"] == cfg.district) & (table["area_level"] == "district")]
            ctx = Context(own, load_published(cfg.external / PUBLISHED_FILE), load_provenance(cfg.external, table),
                          cfg.processed, cfg.external, findings=load_findings(cfg.processed))
        label, notes = label_of(cfg.district, "district", cfg.lang, min(cfg.year, REFORM_YEAR - 1)), ()
        if area is not None and table is not None:
            rows = table[(table["area"] == area.name) & (table["area_level"] == area.level)]
            scope = None
            if area.level == "district":  # its own targets, actuals rebuilt from its communes after the reform
                rows, targets, _ = fill_from_communes(rows, table[table["area_level"] == "commune"], area.name,
                                                      cfg.year, provenance=ctx.provenance)
                rows, scope = _reasons(rows, targets, cfg.year), area.name
                notes = _rebuilt(cfg, area, targets) if cfg.year >= REFORM_YEAR else ()
            ctx, label = replace(ctx, indicators=rows, scope=scope), area_label(area, cfg.lang, cfg.year)
        rule = Rule(rel_tol=float(cfg.params.get("rel_tol", 0.0)))  # as the attainment page judges
        build(path, cfg.year, replace(ctx, indicators=attainment.reclassify(ctx.indicators, rule)), label, cfg.lang,
              notes)
    except (OSError, ValueError, KeyError) as e:
        err(f"{shown(path)}: the Word appendix could not be written: {e}")


def _reasons(rows: pd.DataFrame, targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """A former district's rows of `year` that its communes gave no figure for, with why (`reason`: no commune
    reports it, a rate that cannot be added up, a change target, ...), as its attainment page says."""
    said = targets[targets["reason"].fillna("") != ""].drop_duplicates("indicator").set_index("indicator")["reason"]
    missing = (rows["year"] == year) & rows["actual_value"].isna()
    return rows.assign(reason=rows["indicator"].map(said).where(missing, ""))


def _rebuilt(cfg: RunConfig, area: Area, targets: pd.DataFrame) -> tuple[str, ...]:
    """How a former district's figures of the year were made: added up from its communes (the method and their
    number: how many of them gave figures, when not all), as its attainment page says."""
    from ..analysis.communes import scope_of
    from .overview import area_label

    n = len(scope_of(area.name))
    coverage = targets["coverage"].fillna("").astype(str) if "coverage" in targets else ()
    covered = [int(c.split("/")[0]) for c in coverage if c.split("/")[0].isdigit()]
    k = max(covered, default=0)
    scope = i18n.text("scope.wholly_inside" if k >= n else "scope.reporting", cfg.lang, n=n, k=k)
    return (i18n.text("appendix.rebuilt", cfg.lang, year=cfg.year, area=area_label(area, cfg.lang, cfg.year),
                      scope=scope),)
