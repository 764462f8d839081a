"""Write the tidy table and the issue log: CSV in UTF-8 with BOM, formula-safe, and parquet, moved into place."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

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
            risky = out[c].astype(str).str.match(_FORMULA_RE, na=False)
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


def _temporary(path: Path) -> Path:
    """A fresh temporary file beside `path`, created exclusively (never a planted file or link), with the
    permissions an ordinary file gets: readable by a web server or a colleague."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return Path(tmp)


def write_atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a fresh temporary file beside `path` and move it into place: readers never see half a file."""
    return write_all([(path, write)])[0]


def write_all(jobs: list[tuple[Path, Callable[[Path], None]]], parallel: bool = False) -> list[Path]:
    """Write every file through its temporary file, then move them all into place, only if every one was
    written: a full disk half-way leaves the previous set of files, not a mix."""
    from concurrent.futures import ThreadPoolExecutor

    temps: list[Path] = []
    try:
        for path, _ in jobs:
            temps.append(_temporary(path))
        if parallel and len(jobs) > 1:  # Arrow writes without holding Python's lock: the files in parallel
            with ThreadPoolExecutor(len(jobs)) as pool:
                list(pool.map(lambda pair: pair[0][1](pair[1]), zip(jobs, temps, strict=True)))
        else:
            for (_, write), tmp in zip(jobs, temps, strict=True):
                write(tmp)
        for (path, _), tmp in zip(jobs, temps, strict=True):
            tmp.replace(path)
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise
    return [path for path, _ in jobs]


_HELD: set[Path] = set()


def _open_lock(lock_file: Path):
    """The lock file, never through a link: a link planted at its name is removed and a real file made."""
    for _ in range(2):
        try:
            return os.fdopen(os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666), "r+")
        except OSError as e:
            if not lock_file.is_symlink():
                raise
            lock_file.unlink()  # ELOOP: someone put a link there
            err = e
    raise err
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")  # the names write_atomic gives (mkstemp)


@contextlib.contextmanager
def folder_lock(lock_file: Path, busy: str | None = None, shared: bool = False) -> Iterator[None]:
    """Hold `lock_file` (flock: it goes away with the process, even on kill -9). With `busy`, refuse at once with
    that message when another process holds it; else wait for it. Stale temporary files beside it are removed.
    `shared`: held together with other shared holders (slices of an area run), never with an exclusive one; others
    may be writing then, so nothing is removed."""
    lock_file = lock_file.absolute()
    if lock_file in _HELD and not shared:  # this process holds it already (a run cleaning into its processed folder)
        yield
        return
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fh = _open_lock(lock_file)
    try:
        try:
            fcntl.flock(fh, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            if busy:
                raise RuntimeError(busy) from None
            print(f"waiting for another chodon writing {lock_file.parent} ...", file=sys.stderr, flush=True)
            fcntl.flock(fh, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        if not shared:
            for stale in lock_file.parent.glob(".*.tmp"):  # left by a killed writer: nobody else writes here now
                if _TEMPORARY.fullmatch(stale.name):
                    with contextlib.suppress(OSError):
                        stale.unlink()
            _HELD.add(lock_file)
        yield
    finally:
        if not shared:
            _HELD.discard(lock_file)
        fh.close()  # closing releases the lock


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
