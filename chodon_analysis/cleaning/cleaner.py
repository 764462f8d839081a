"""The cleaner: indicator workbooks in, one tidy validated table and an issue log out (docs/reading.md).

pandas is imported once the workers have started reading (`workbooks.read_all`), so the two overlap.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..base import catalog
from ..base.datafiles import check_all
from ..base.issues import issue_row
from ..base.rule import Rule, classify
from ..base.table import HELPERS, columns, frame, validate
from ..paths import RAW
from .layout.log import LAYOUT_COLUMNS
from .workbooks import DEFAULT_DISTRICT, discover, read_all, read_file, shown

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_DISTRICT", "CleanResult", "clean", "discover", "read_file", "write_outputs"]


def _empty_layout() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(columns=LAYOUT_COLUMNS)


@dataclass
class CleanResult:
    """The tidy table, the issue log, the files that could not be read (path, reason), the files read, and the
    layout decided for each sheet."""

    indicators: pd.DataFrame
    issues: pd.DataFrame
    failed: list[tuple[Path, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    layout: pd.DataFrame = field(default_factory=_empty_layout)

    @property
    def ok(self) -> bool:
        return not self.failed


def records_to_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows of `workbooks.record_row` -> the tidy columns in their written order (plus the helpers for the rule),
    each of its declared type (base/table.py)."""
    return frame(rows)[[*columns(), *HELPERS]]


SUGGESTED = 200  # unknown names given suggestions in issues.csv


def catalog_ids(frame: pd.DataFrame, issues: list[dict]) -> pd.DataFrame:
    """Each row's catalog id by its name; a name the catalog does not know keeps its own series and is logged once
    per file and sheet with the closest entries (never merged on a guess)."""
    ids = {n: catalog.match(n) for n in frame["indicator"].dropna().unique()}
    frame["indicator_id"] = frame["indicator"].map(ids).fillna("")
    # the few columns the checks below read (a selection of the whole table copies every column: slow with text)
    few = frame[["source_file", "source_sheet", "source_row", "indicator", "unit", "indicator_id",
                    "parent_indicator", "area", "area_level", "year"]]
    unknown = catalog.unknown_rows(few)
    names = list(dict.fromkeys(unknown["indicator"]))
    # suggestions cost a millisecond a name: for the first SUGGESTED names; a sheet of thousands of unknown names
    # (a formula column read as names) is logged without them, and `chodon catalog` has them all
    close_for = {n: catalog.suggestions(n) for n in names[:SUGGESTED]}
    for r in unknown.drop_duplicates(["source_file", "source_sheet", "indicator"]).itertuples():
        close = close_for.get(r.indicator)
        if close is None:
            issues.append(issue_row(r.source_file, r.source_sheet, r.source_row, "", r.indicator,
                                    "not_in_catalog_unsearched", {"indicator": r.indicator}))
        else:
            issues.append(issue_row(r.source_file, r.source_sheet, r.source_row, "", r.indicator, "not_in_catalog",
                                    {"indicator": r.indicator, "closest": "; ".join(
                                        f"{i} ({catalog.entries()[i]['name_vi']})" for i in close) or "—"}))
    entries = catalog.entries()
    known = few[(few["indicator_id"] != "") & (few["parent_indicator"].fillna("") == "")]  # parts: no series
    differs = known[[u not in ("", entries[i]["unit"]) for u, i in zip(known["unit"].fillna("").tolist(),
                                                                        known["indicator_id"].tolist(), strict=True)]]
    # once per workbook, sheet, name and unit (a name repeated on thousands of rows is one doubt, not thousands)
    for r in differs.drop_duplicates(["source_file", "source_sheet", "indicator", "unit"]).itertuples():
        issues.append(issue_row(r.source_file, r.source_sheet, r.source_row, "", f"{r.indicator} ({r.unit})",
                                "unit_differs_from_catalog", {"unit": r.unit, "id": r.indicator_id,
                                                              "catalog_unit": entries[r.indicator_id]["unit"]}))
    top = known
    by = ["area", "area_level", "year", "indicator_id", "unit"]
    named = top.groupby(by, dropna=False)["indicator"].transform("nunique")  # vectorised: rarely more than one
    for (_a, _l, _y, i, _u), rows in top[named > 1].groupby(by, dropna=False):
        if rows["indicator"].nunique() > 1:  # two names of one indicator in one year: which one is it?
            r = rows.iloc[-1]
            issues.append(issue_row(r.source_file, r.source_sheet, r.source_row, "",
                                    " | ".join(rows["indicator"].unique()), "several_names_one_indicator", {"id": i}))
    return frame


def judged(rows: list[tuple], issues: list[dict], rule: Rule = Rule()) -> pd.DataFrame:
    """The rows read, as one table with their catalog ids and statuses; the doubts found once the rows are together
    (the catalog, duplicates, workbooks that disagree) are added to `issues`. The clean and `chodon inspect` share
    it, so that both count the same doubts."""
    from .doubts import consistency_issues

    frame = classify(catalog_ids(records_to_frame(rows), issues), rule, issues, given=rule == Rule())
    issues += consistency_issues(frame)
    return frame


def clean(paths: Iterable[str | Path] = (RAW,), *, district: str = DEFAULT_DISTRICT, rule: Rule = Rule(),
          progress: Callable[[Path], None] | None = None, jobs: int | None = None) -> CleanResult:
    """Read every workbook in `paths` into the tidy table (docs/tidy-table.md).

    Unreadable files are listed in `.failed` with a plain reason; the others are still read. The vocabulary
    is checked first: a bad line raises VocabularyError before any workbook is read. Many files are read on
    `jobs` processes (default: one per core).
    """
    check_all()
    files, failed = discover(paths)
    collecting = gc.isenabled()
    gc.disable()  # many small objects, no cycles among them: the collector would only slow the reading down
    try:
        return _clean(files, failed, district, rule, progress, jobs)
    finally:
        if collecting:
            gc.enable()


def _clean(files: list[Path], failed: list[tuple[Path, str]], district: str, rule: Rule,
           progress: Callable[[Path], None] | None, jobs: int | None) -> CleanResult:
    """The body of `clean`, once the files are found."""
    results = read_all(files, district, jobs)  # the workers read while pandas is imported here
    import pandas as pd

    from .doubts import issue_frame
    from .outputs import preload_writers

    preload_writers()  # and the writers' libraries, while they still read

    rows: list[tuple] = []
    issues: list[dict] = []
    described: list[dict] = []
    for f, reason, read in results:
        if reason is not None:
            failed.append((f, reason))
        else:
            rows += read[0]
            issues += read[1]
            described += read[2]
        if progress:
            progress(f)
    issues += [issue_row(shown(f.name), "", None, "", "", getattr(reason, "code", "file_unreadable"),
                         getattr(reason, "params", None) if hasattr(reason, "code") else {"reason": str(reason)})
               for f, reason in failed]
    frame = judged(rows, issues, rule)
    frame = frame[columns()].sort_values(["area_level", "area", "year", "source_file", "source_sheet", "source_row"],
                                         kind="stable", na_position="last").reset_index(drop=True)
    layout = pd.DataFrame(described, columns=LAYOUT_COLUMNS)
    layout["year"] = pd.array(layout["year"], dtype="Int64")
    return CleanResult(validate(frame), issue_frame(issues), failed, files, layout)


def write_outputs(result: CleanResult, out_dir: str | Path) -> list[Path]:
    """Write indicators.csv, indicators.parquet, issues.csv and layout.csv of a clean into `out_dir`."""
    from .outputs import write_tables

    return write_tables(result.indicators, result.issues, out_dir, result.layout)
