"""The cleaner: indicator workbooks in, one tidy validated table and an issue log out (docs/reading.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..paths import RAW
from . import vocab
from .classify import Rule, classify
from .issues import Log, consistency_issues, issue_frame, issue_row
from .layout import find_layout
from .layoutlog import LAYOUT_COLUMNS
from .override import SUFFIX, load_override
from .read import EXTENSIONS, ReadError, read_workbook
from .rows import extract_workbook
from .schema import columns, validate
from .write import load_indicators, write_tables

DEFAULT_DISTRICT = "Chợ Đồn"
HELPERS = ["plan_decimals", "phrase_direction"]  # for the rule, not written
__all__ = ["CleanResult", "clean", "discover", "load_indicators", "read_file", "write_outputs"]


@dataclass
class CleanResult:
    """The tidy table, the issue log and the files that could not be read (path, reason)."""

    indicators: pd.DataFrame
    issues: pd.DataFrame
    failed: list[tuple[Path, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    layout: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LAYOUT_COLUMNS))

    @property
    def ok(self) -> bool:
        return not self.failed


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders into the workbooks they hold (sorted); report paths that do not exist."""
    found, missing = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS
                            and not f.name.startswith(("~$", ".")) and not f.name.endswith(SUFFIX))
        elif p.is_file():
            found.append(p)
        else:
            missing.append((p, "no such file or folder"))
    return found, missing


def read_file(path: Path, district: str = DEFAULT_DISTRICT) -> tuple[list[dict], list[dict], list[dict]]:
    """Records, issue rows and layout rows of one file; raises ReadError when it cannot be read."""
    if path.suffix.lower() not in EXTENSIONS:
        raise ReadError(f"unsupported file type '{path.suffix}'; use .xlsx, .xlsm, .xls, .ods or .csv")
    book = read_workbook(path)
    log = Log(path.name)
    if not book.sheets or not any(any(v not in (None, "") for row in s.grid for v in row) for s in book.sheets):
        raise ReadError("the workbook has no data (all sheets are empty)")
    override = load_override(path, [s.name for s in book.sheets])
    records, described = extract_workbook(book, path.name, district, log, override)
    if not records:
        if not any(find_layout(s) for s in book.sheets):
            raise ReadError("no indicator table found: no sheet has a header row with an indicator column "
                            "('Chỉ tiêu', 'Nội dung') and a plan or actual column ('Kế hoạch', 'Thực hiện')")
        log.add("", None, "", "", "the indicator table has a header but no indicator rows",
                "nothing to read; check that the rows were not deleted or moved to another sheet")
    return records, log.rows, described


def records_to_frame(records: list[dict]) -> pd.DataFrame:
    """Records of `rows.extract_workbook` -> the tidy columns (plus two helpers for the rule)."""
    rows = []
    for r in records:
        p, a = r["plan_target"], r["actual_target"]
        rows.append({
            "district": r["district"], "year": r["year"], "section": r["section"], "code": r["code"],
            "indicator": r["indicator"], "unit": r["unit"], "plan_text": r["plan_text"],
            "actual_text": r["actual_text"], "plan_op": p.op if p else "",
            "plan_value": p.value if p else None, "plan_value_high": p.high if p else None,
            "actual_value": a.value if a else None, "actual_is_estimate": bool(r["actual_is_estimate"]),
            "reported_status": r["reported_status"], "source_file": r["source_file"],
            "source_sheet": r["source_sheet"], "source_row": r["source_row"], "note": r["note"],
            "parent_indicator": r["parent_indicator"], "term_target_text": r["term_target_text"],
            "term_target_year": r["term_target_year"],
            "plan_decimals": p.decimals if p else 0, "phrase_direction": p.direction if p else None,
        })
    df = pd.DataFrame(rows, columns=[*columns(), *HELPERS])
    df["year"] = pd.array(df["year"], dtype="Int64")
    df["source_row"] = pd.array(df["source_row"], dtype="Int64")
    df["term_target_year"] = pd.array(df["term_target_year"], dtype="Int64")
    for c in ("plan_value", "plan_value_high", "actual_value"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    df["actual_is_estimate"] = df["actual_is_estimate"].astype(bool)
    df["plan_decimals"] = df["plan_decimals"].fillna(0).astype(int)
    return df


def clean(paths: Iterable[str | Path] = (RAW,), *, district: str = DEFAULT_DISTRICT, rule: Rule = Rule(),
          progress: Callable[[Path], None] | None = None) -> CleanResult:
    """Read every workbook in `paths` into the tidy table (docs/tidy-table.md).

    Unreadable files are listed in `.failed` with a plain reason; the others are still read. The vocabulary
    is checked first: a bad line raises VocabularyError before any workbook is read.
    """
    vocab.check_all()
    files, failed = discover(paths)
    records: list[dict] = []
    issues: list[dict] = []
    described: list[dict] = []
    for f in files:
        try:
            recs, log, lay = read_file(f, district)
        except ReadError as e:
            failed.append((f, str(e)))
        except Exception as e:  # a bug or an unforeseen file: never lose the other files
            failed.append((f, f"unexpected error while reading ({type(e).__name__}: {e}); please report it"))
        else:
            records += recs
            issues += log
            described += lay
        if progress:
            progress(f)
    issues += [issue_row(f.name, "", None, "", "", "file could not be read", reason) for f, reason in failed]
    frame = classify(records_to_frame(records), rule, issues)
    issues += consistency_issues(frame)
    frame = frame[columns()].sort_values(["district", "year", "source_file", "source_sheet", "source_row"],
                                         kind="stable", na_position="last").reset_index(drop=True)
    layout = pd.DataFrame(described, columns=LAYOUT_COLUMNS)
    layout["year"] = pd.array(layout["year"], dtype="Int64")
    return CleanResult(validate(frame), issue_frame(issues), failed, files, layout)


def write_outputs(result: CleanResult, out_dir: str | Path) -> list[Path]:
    """Write indicators.csv, indicators.parquet and issues.csv of a clean into `out_dir`."""
    return write_tables(result.indicators, result.issues, out_dir, result.layout)
