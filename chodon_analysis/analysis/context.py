"""Everything a report or a derived table reads, loaded once: the tidy table, the published figures, provenance and
the findings of the checks of the figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..cleaning.outputs import load_indicators
from ..paths import EXTERNAL, PROCESSED, PUBLISHED_FILE, resolve_dir
from .quality.marks import load as load_findings
from .trends import load_provenance

PUBLISHED_COLUMNS = ["area", "year", "figure", "value", "unit", "note", "source", "quote"]


@dataclass
class Context:
    """The tidy table (one district if asked), the published figures and the provenance of the sample values."""

    indicators: pd.DataFrame
    published: pd.DataFrame
    provenance: pd.DataFrame
    processed_dir: Path
    external_dir: Path
    communes: pd.DataFrame | None = None  # the commune rows (from 2025), when a report asks for them
    area: str = ""  # the report's area as a reader names it (`Chợ Đồn`, `xã Nam Cường`)
    scope: str | None = None  # the district whose rows, published figures and communes a report reads; None: a commune
    findings: pd.DataFrame | None = None  # the checks of the figures (data_quality.csv), shown on the figures
    table: pd.DataFrame | None = None  # the whole tidy table as loaded (every area), for the analyst's functions

    @property
    def published_here(self) -> bool:
        """The report's district has published figures (Chợ Đồn's): the notes on their series breaks are its own,
        never said on another district's page."""
        return self.scope is not None and bool((self.published["area"] == self.scope).any())


def load_published(path: str | Path) -> pd.DataFrame:
    """`published_figures.csv` with the number and its bound split (`>29000` -> op `>`, 29000); empty when absent."""
    from .stamped import read

    p = Path(path)
    return read(p.absolute(), _read_published) if p.exists() else _read_published(None)


def _read_published(p: Path | None) -> pd.DataFrame:
    df = pd.read_csv(p, dtype=str, keep_default_na=False) if p is not None else pd.DataFrame(columns=PUBLISHED_COLUMNS)
    ops = df["value"].str.extract(r"^(?P<op>>=|<=|>|<)?(?P<num>[-\d.]+)$")
    df["op"] = ops["op"].fillna("=")
    df["number"] = pd.to_numeric(ops["num"], errors="coerce")
    return df


def load(processed_dir: str | Path = PROCESSED, external_dir: str | Path = EXTERNAL,
         district: str | None = None, table: pd.DataFrame | None = None) -> Context:
    """Load the processed table (one district if given; `table`: the tidy table already read from it) with the
    published figures and provenance."""
    pdir = resolve_dir(processed_dir)
    try:
        edir = resolve_dir(external_dir)
    except FileNotFoundError:  # no reference data: the reports still draw, without published points
        edir = Path(external_dir)
    whole = load_indicators(pdir) if table is None else table
    ind = whole
    if district is not None:
        ind = ind[(ind["area"] == district) & (ind["area_level"] == "district")]
    return Context(ind, load_published(edir / PUBLISHED_FILE), load_provenance(edir, whole), pdir, edir,
                   findings=load_findings(pdir), table=whole)
