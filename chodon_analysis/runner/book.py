"""The year's Excel workbook and data-quality page: they need no notebook, so they are written on a thread of their
own while the notebooks run."""

from __future__ import annotations

import contextlib
import io
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ..base.files import write_text_atomic
from ..paths import QUALITY_PAGE, workbook_file
from .config import RunConfig
from .steps import Step, err, where

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.context import Context
    from ..report.workbook import Sheet
    from .aside import Later


class Book:
    """The workbook and the data-quality page of `cfg`'s year, being written into `folder`; and, for a whole year's
    run (`appendix`), the folder's Word appendix after them, which needs no notebook either."""

    def __init__(self, cfg: RunConfig, folder: Path, table: pd.DataFrame | None = None, appendix: bool = False):
        from .appendices import write_appendix

        writer = ThreadPoolExecutor(1, thread_name_prefix="workbook")
        self._future: Future = writer.submit(write_book, cfg, folder, table)
        self.appendix: Future | None = writer.submit(write_appendix, cfg, None, folder, table) if appendix else None
        writer.shutdown(wait=False)  # the thread ends with its tasks

    def result(self) -> tuple[Step, pd.DataFrame]:
        """The workbook's step and the year's issue rows (the index pages show them too), once written."""
        return self._future.result()

    def settle(self) -> None:
        """Wait until nothing is left writing (into a set about to be thrown away), whatever happened to it."""
        for future in (self._future, self.appendix):
            with contextlib.suppress(Exception):
                if future is not None:
                    future.result()


class MadeAside:
    """The workbook, data-quality page and Word appendix of a whole year's run made by the process of its derived
    tables, once they are written (runner/aside.py), as a Book is on its thread: a process of its own works beside
    the kernels and the notebooks' pages, where a thread would wait for the run's lock on Python."""

    appendix = True  # written with the workbook

    def __init__(self, later: Later) -> None:
        self.later = later
        self.said = False

    def result(self) -> tuple[Step, pd.DataFrame]:
        """The workbook's step and the year's issue rows; the lines its process said, said here once."""
        made, said = self.later.result()
        if not self.said:
            self.said = True
            print(said, end="", file=sys.stderr, flush=True)
        return made

    def settle(self) -> None:
        with contextlib.suppress(Exception):
            self.later.result()


def book_and_appendix(cfg: RunConfig, folder: Path) -> tuple[tuple[Step, pd.DataFrame], str]:
    """What MadeAside's process makes: the workbook and data-quality page, then the Word appendix of a whole year;
    with the lines it says (a workbook that cannot be written), for the run to say (its stderr may be no file)."""
    from .appendices import write_appendix

    with contextlib.redirect_stderr(io.StringIO()) as said:
        made = write_book(cfg, folder)
        write_appendix(cfg, None, folder, None)
    return made, said.getvalue()


def write_book(cfg: RunConfig, folder: Path, table: pd.DataFrame | None = None) -> tuple[Step, pd.DataFrame]:
    """The Excel workbook and the data-quality page of the year's files, in the report's language; a workbook that
    cannot be written is a failed step, the page is still written. `table`: the tidy table when the run has read it
    already. Returns the step and the year's issue rows."""
    from ..analysis.quality.marks import load as load_findings
    from ..report import checks
    from ..report.workbook import write_workbook
    from .quality import load_issues, only, quality_page, year_files

    s = time.perf_counter()
    issues = load_issues(cfg.processed)
    issues = only(issues, year_files(cfg.processed, issues, cfg.year))  # the year's files, not every year's
    book = folder / workbook_file(cfg.year)
    status, detail = "done", ""
    found = load_findings(cfg.processed)  # the checks of the figures, first after the counts
    try:
        ctx, extra, label = _content(cfg, table)
        extra = [checks.sheet(found, cfg.year, cfg.lang), *extra]
        write_workbook(book, cfg.year, ctx, issues, cfg.lang, cfg.district, extra, label)
    except (OSError, ValueError, KeyError) as e:
        what = e.strerror if isinstance(e, OSError) and e.strerror else str(e)  # not the temporary file's name
        status, detail = "failed", f"{book.name}: {what}"
        err(f"{where(cfg.year_dir / book.name)} (the workbook) could not be written: {what}")
    year = table[table["year"] == cfg.year] if table is not None else None
    areas = {(cfg.district, "district")} if year is None else set(zip(year["area"], year["area_level"], strict=True))
    write_text_atomic(folder / QUALITY_PAGE, quality_page(issues, cfg.lang, _scope(cfg, year), cfg.year,
                                                          checks.by_area(found, cfg.year, cfg.lang, areas)))
    return Step("workbook", status, time.perf_counter() - s, "", detail), issues


def _scope(cfg: RunConfig, year: pd.DataFrame | None) -> str:
    """What the data-quality page covers: the district of a district's run; in a run per area the former districts
    of the year's areas (a province folder may hold none of the run's own district), or how many there are."""
    from ..base.i18n import text
    from ..base.units import area_label

    if year is None or not cfg.per_area:
        return cfg.district
    districts = sorted({d for d in year["district"].dropna() if d})
    if not districts:
        return text("dq.scope_areas", cfg.lang, n=year["area"].nunique())
    if len(districts) > 3:
        return text("dq.scope_districts", cfg.lang, n=len(districts))
    return ", ".join(area_label(d, "district", cfg.lang, cfg.year) for d in districts)


def _content(cfg: RunConfig, table: pd.DataFrame | None) -> tuple[Context, list[Sheet], str | None]:
    """What the workbook shows: the district's year; from the reform on, in a run per area, the former district
    with its actuals rebuilt from its communes, the rebuilt figures and a sheet per area level: every former district,
    every commune (as the HTML does)."""
    import pandas as pd

    from ..analysis.context import load
    from ..base.places import REFORM_YEAR
    from ..base.units import area_label
    from ..cleaning.outputs import load_indicators
    from ..report import areabook

    ctx = load(cfg.processed, cfg.external, cfg.district)
    if not cfg.per_area or cfg.year < REFORM_YEAR:
        return ctx, [], None
    table = load_indicators(cfg.processed) if table is None else table  # an area run has read it once already
    communes = table[table["area_level"] == "commune"]
    ctx, targets = areabook.rebuilt(ctx, communes, cfg.district, cfg.year, cfg.lang)
    label = area_label(cfg.district, "district", cfg.lang, cfg.year)
    every = cfg.processed / "former_district.csv"  # each former district, as the derived tables rebuilt it
    rebuilt = pd.read_csv(every, encoding="utf-8-sig") if every.exists() else pd.DataFrame()
    own = [areabook.rebuilt_sheet(targets, cfg.year, label, cfg.lang)] if len(targets) else []  # its targets, if any
    extra = [*own, areabook.districts_sheet(rebuilt, cfg.year, cfg.lang, table, ctx.findings, ctx.provenance),
             areabook.communes_sheet(ctx, communes, cfg.year, cfg.lang)]
    return ctx, extra, label
