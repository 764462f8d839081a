"""The cleaner: indicator workbooks in, one tidy validated table and an issue log out (CONTRACT §3-4)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .classify import Rule, classify
from .read import EXTENSIONS, ReadError, read_workbook
from .table import Log, extract_workbook

DEFAULT_DISTRICT = "Chợ Đồn"

COLUMNS = [
    "district", "year", "section", "code", "indicator", "unit", "plan_text", "actual_text", "plan_op",
    "plan_value", "plan_value_high", "actual_value", "actual_is_estimate", "direction", "status",
    "reported_status", "source_file", "source_sheet", "source_row",
]
# Reference data kept beside the workbooks in data/raw/, read by the trend reports, not by the cleaner.
REFERENCE_FILES = frozenset({"published_figures.csv", "provenance.csv"})
ISSUE_COLUMNS = ["file", "sheet", "row", "column", "value", "problem", "action"]


@dataclass
class CleanResult:
    """The tidy table, the issue log and the files that could not be read (path, reason)."""

    indicators: pd.DataFrame
    issues: pd.DataFrame
    failed: list[tuple[Path, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders into the workbooks they hold (sorted); report paths that do not exist."""
    found, missing = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS
                            and not f.name.startswith(("~$", ".")) and f.name not in REFERENCE_FILES)
        elif p.is_file():
            found.append(p)
        else:
            missing.append((p, "no such file or folder"))
    return found, missing


def read_file(path: Path, district: str = DEFAULT_DISTRICT) -> tuple[list[dict], list[dict]]:
    """Records and issue rows of one file; raises ReadError when it cannot be read."""
    if path.suffix.lower() not in EXTENSIONS:
        raise ReadError(f"unsupported file type '{path.suffix}'; use .xlsx, .xlsm, .xls, .ods or .csv")
    book = read_workbook(path)
    log = Log(path.name)
    if not book.sheets or not any(any(v not in (None, "") for row in s.grid for v in row) for s in book.sheets):
        raise ReadError("the workbook has no data (all sheets are empty)")
    records = extract_workbook(book, path.name, district, log)
    if not records:
        from .table import find_layout

        if not any(find_layout(s) for s in book.sheets):
            raise ReadError("no indicator table found: no sheet has a header row with an indicator column "
                            "('Chỉ tiêu', 'Nội dung') and a plan or actual column ('Kế hoạch', 'Thực hiện')")
        log.add("", None, "", "", "the indicator table has a header but no indicator rows",
                "nothing to read; check that the rows were not deleted or moved to another sheet")
    return records, log.rows


def records_to_frame(records: list[dict]) -> pd.DataFrame:
    """Records of `table.extract_workbook` -> the tidy columns (plus helpers for the rule)."""
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
            "source_sheet": r["source_sheet"], "source_row": r["source_row"],
            "plan_decimals": p.decimals if p else 0, "phrase_direction": p.direction if p else None,
        })
    df = pd.DataFrame(rows, columns=[*COLUMNS, "plan_decimals", "phrase_direction"])
    df["year"] = pd.array(df["year"], dtype="Int64")
    df["source_row"] = pd.array(df["source_row"], dtype="Int64")
    for c in ("plan_value", "plan_value_high", "actual_value"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    df["actual_is_estimate"] = df["actual_is_estimate"].astype(bool)
    df["plan_decimals"] = df["plan_decimals"].fillna(0).astype(int)
    return df


def clean(paths: Iterable[str | Path] = ("data/raw",), *, district: str = DEFAULT_DISTRICT, rule: Rule = Rule(),
          progress: Callable[[Path], None] | None = None) -> CleanResult:
    """Read every workbook in `paths` into the tidy table of CONTRACT §3.

    Unreadable files are listed in `.failed` with a plain reason; the others are still read.
    """
    files, failed = discover(paths)
    records: list[dict] = []
    issues: list[dict] = []
    for f in files:
        try:
            recs, log = read_file(f, district)
        except ReadError as e:
            failed.append((f, str(e)))
        except Exception as e:  # a bug or an unforeseen file: never lose the other files
            failed.append((f, f"unexpected error while reading ({type(e).__name__}: {e}); please report it"))
        else:
            records += recs
            issues += log
        if progress:
            progress(f)
    for f, reason in failed:
        issues.append({"file": f.name, "sheet": "", "row": None, "column": "", "value": "",
                       "problem": "file could not be read", "action": reason})
    frame = records_to_frame(records)
    frame = classify(frame, rule, issues)
    issues += consistency_issues(frame)
    frame = frame[COLUMNS].sort_values(["district", "year", "source_file", "source_sheet", "source_row"],
                                       kind="stable", na_position="last").reset_index(drop=True)
    from .schema import validate

    frame = validate(frame)
    issue_frame = pd.DataFrame(issues, columns=ISSUE_COLUMNS)
    issue_frame["row"] = pd.array(issue_frame["row"], dtype="Int64")
    return CleanResult(frame, issue_frame, failed, files)


def consistency_issues(frame: pd.DataFrame) -> list[dict]:
    """Doubts across rows and files: an indicator twice in one year, a unit that changes between years.

    Both rows are kept (nothing is dropped); the analyst decides which one holds.
    """
    from .text import fold

    out: list[dict] = []
    if frame.empty:
        return out
    key = frame["indicator"].map(fold)
    dup = frame[frame["indicator"].ne("") & frame.assign(_k=key).duplicated(["district", "year", "_k"], keep=False)]
    for (_d, year, _k), g in dup.assign(_k=key[dup.index]).groupby(["district", "year", "_k"], dropna=False):
        where = "; ".join(f"{r.source_file} {r.source_sheet}!{r.source_row}" for r in g.itertuples())
        for r in g.itertuples():
            out.append({"file": r.source_file, "sheet": r.source_sheet, "row": r.source_row, "column": "",
                        "value": r.indicator, "problem": f"duplicate indicator in {year}",
                        "action": f"all {len(g)} rows kept ({where}); keep one in the workbook"})
    with_unit = frame[frame["unit"].ne("")].assign(_k=key)
    n_units = with_unit.groupby(["district", "_k"])["unit"].transform("nunique")
    for (_d, _k), g in with_unit[n_units > 1].groupby(["district", "_k"]):
        by_year = g.sort_values("year").drop_duplicates("unit")
        seq = " → ".join(f"{r.unit} ({r.year})" for r in by_year.itertuples())
        last = by_year.iloc[-1]
        out.append({"file": last.source_file, "sheet": last.source_sheet, "row": last.source_row, "column": "",
                    "value": last.indicator, "problem": f"unit changes between years: {seq}",
                    "action": "values kept as written; compare the years with care"})
    return out


# ---- writing -----------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_INERT = {"", "-", "=", "+", "@"}  # a lone sign runs nothing (and `=` is a plan_op code of the contract)


def formula_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers and `-` stay."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START) or value.strip() in _INERT:
        return value
    try:
        float(value.replace(",", "."))
        return value
    except ValueError:
        return "'" + value


_FORMULA_RE = r"^[=+\-@\t\r]"


def _safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns made formula-safe; only the few cells that start like a formula are touched."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            risky = out[c].astype(str).str.match(_FORMULA_RE, na=False)
            if risky.any():
                out[c] = out[c].astype(object)
                out.loc[risky, c] = out.loc[risky, c].map(formula_safe)
    return out


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8 with BOM (Excel reads the Vietnamese text right), formula-safe, written by Arrow (fast)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    safe = _safe_frame(df)
    for c in safe.columns:  # keep `1`, not `1.0`, for whole numbers in text columns written as objects
        if safe[c].dtype == object:
            safe[c] = safe[c].map(lambda v: "" if v is None or v is pd.NA else str(v)).astype(str)
    table = pa.Table.from_pandas(safe, preserve_index=False)
    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf")
        pacsv.write_csv(table, fh, pacsv.WriteOptions(quoting_style="needed"))


def write_outputs(result: CleanResult, out_dir: str | Path) -> list[Path]:
    """Write indicators.csv (UTF-8 with BOM, formula-safe), indicators.parquet and issues.csv atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    targets = {
        "indicators.csv": lambda p: write_csv(result.indicators, p),
        "indicators.parquet": lambda p: result.indicators.to_parquet(p, index=False),
        "issues.csv": lambda p: write_csv(result.issues, p),
    }
    written = []
    for name, write in targets.items():
        final = out / name
        tmp = out / f".{name}.tmp"
        write(tmp)
        tmp.replace(final)
        written.append(final)
    return written


def load_indicators(processed_dir: str | Path = "data/processed") -> pd.DataFrame:
    """The tidy table written by `chodon clean` (parquet, with its types)."""
    return pd.read_parquet(Path(processed_dir) / "indicators.parquet")
