"""Write the tidy table and the issue log: CSV in UTF-8 with BOM, formula-safe, and parquet, moved into place."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..base.files import folder_lock, write_all
from ..paths import PROCESSED

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_INERT = {"", "-", "=", "+", "@"}  # a lone sign runs nothing (and `=` is a plan_op code)
_FORMULA_RE = r"^[=+\-@\t\r]"


def formula_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers and `-` stay."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START) or value.strip() in _INERT:
        return value
    try:
        float(value.replace(",", "."))
        return value
    except ValueError:
        return "'" + value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns made formula-safe; only the few cells that start like a formula are touched."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            text = out[c].astype(str)
            risky = text.str.match(_FORMULA_RE, na=False)
            if risky.any():  # but a lone sign (`=`, the plan_op of most rows) runs nothing: left as it is
                risky &= ~text.str.strip().isin(_INERT)
            if risky.any():
                out[c] = out[c].astype(object)
                out.loc[risky, c] = out.loc[risky, c].map(formula_safe)
    return out


def preload_writers() -> None:
    """Import what writing needs (Arrow's CSV and Parquet writers) ahead of time, while other work goes on."""
    import pyarrow.csv  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8 with BOM (Excel reads the Vietnamese text right), formula-safe, written by Arrow (fast)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    safe = safe_frame(df)
    for c in safe.columns:  # keep `1`, not `1.0`, for whole numbers in text columns written as objects
        if safe[c].dtype == object:
            safe[c] = safe[c].map(lambda v: "" if v is None or v is pd.NA else str(v)).astype(str)
    table = pa.Table.from_pandas(safe, preserve_index=False)
    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf")
        pacsv.write_csv(table, fh, pacsv.WriteOptions(quoting_style="needed"))


def write_tables(indicators: pd.DataFrame, issues: pd.DataFrame, out_dir: str | Path,
                 layout: pd.DataFrame | None = None) -> list[Path]:
    """Write indicators.csv (UTF-8 with BOM, formula-safe), indicators.parquet, issues.csv and layout.csv, as a
    set: all of them or none."""
    out = Path(out_dir)
    jobs = [(out / "indicators.csv", lambda p: write_csv(indicators, p)),
            (out / "indicators.parquet", lambda p: indicators.to_parquet(p, index=False)),
            (out / "issues.csv", lambda p: write_csv(issues, p))]
    if layout is not None:
        jobs.append((out / "layout.csv", lambda p: write_csv(layout, p)))
    with folder_lock(out / ".lock"):
        return write_all(jobs, parallel=True)


def load_indicators(processed_dir: str | Path = PROCESSED) -> pd.DataFrame:
    """The tidy table written by `chodon clean` (parquet, with its types)."""
    return pd.read_parquet(Path(processed_dir) / "indicators.parquet")
