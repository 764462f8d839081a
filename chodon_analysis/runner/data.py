"""The data of a run: the clean, the check that there is something to report, and the derived tables, with one
writer of the processed folder at a time (runs of other years and slices of an area run share it)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..base.files import folder_lock, write_text_atomic
from .aside import Later, fork_beside
from .config import RunConfig
from .launch import can_fork
from .stamps import OUTPUTS, clean_into, clean_needed, folder_fingerprint, hash_files
from .steps import Step, err
from .stop import pause


def prepare(cfg: RunConfig, clean_key: str, code: str, cleaned: Callable[[], None] | None = None,
            then: Callable[[], Any] | None = None) -> tuple[list[Step], str | None, Later | None]:
    """Clean (unless the workbooks and code are those of the last clean) and derive, under the processed folder's
    lock: the steps, the fingerprint every notebook's starts from (None, said in one `error:` line, when there is
    nothing to report), and `then` going on in the process of the derived tables when there is one. `cleaned` is
    called once the workbooks are read (the run's kernels start then), while the derived tables are made by a
    process of their own (`beside`), which goes on with `then()` once they are written (a Later)."""
    with folder_lock(cfg.processed / ".lock"):
        pause("clean")
        if clean_needed(cfg.processed, clean_key, cfg.force):
            clean = clean_into(cfg.raw, cfg.processed, clean_key)
        else:
            clean = Step("clean", "skipped", 0.0, clean_key, "inputs and code unchanged")
        if problem := data_problem(cfg.year, cfg.params, cfg.processed):
            if cleaned is not None:
                cleaned()  # the kernels, shut down again by the run
            err(problem)
            return [clean], None, None
        later = None
        if cleaned is None:
            derived = derive_step(cfg, code)
        elif not can_fork():
            cleaned()
            derived = derive_step(cfg, code)
        else:
            derived, later = fork_beside(derive_step, (cfg, code), cleaned, then)
    return [clean, derived], derived.key, later


def beside(fn: Callable[..., Step], args: tuple, meanwhile: Callable[[], None]) -> Step:
    """`fn(*args)` in a process forked from this one while `meanwhile()` runs here (the derived tables are made while
    the kernels start: two cores at work instead of one); its result, or its error raised here. Without fork, or with
    another thread running, one after the other."""
    if not can_fork():
        meanwhile()
        return fn(*args)
    return fork_beside(fn, args, meanwhile)[0]


def data_problem(year: int, extra: Mapping[str, object], processed: Path) -> str | None:
    """Why there is nothing to report, in one plain line: no rows at all, none of `year`, or a `--param district`
    (or the explorer's `indicator`) that names nothing in the data."""
    import pandas as pd

    try:
        df = pd.read_parquet(processed / "indicators.parquet", columns=["year", "area", "area_level", "indicator"])
    except (OSError, ValueError):
        return f"{processed}: the cleaned table cannot be read; run again with --force"
    if df.empty:
        return ("no indicator rows were read (no workbook, or none could be read: see the errors above); "
                "nothing to report")
    years = sorted(int(y) for y in df["year"].dropna().unique())
    if year not in years:
        return f"--year {year}: the data has no rows of {year}; its years are {', '.join(map(str, years))}"
    if isinstance(wanted := extra.get("indicator"), str) and wanted:  # the explorer's: checked before anything runs
        from ..base import catalog

        if wanted not in catalog.entries() and not catalog.match(wanted) and wanted not in set(df["indicator"]):
            return (f"--param indicator: '{wanted}' is neither a catalog id nor a name in the data; ids are listed in "
                    "chodon_analysis/data/catalog.csv (poverty_rate, forest_cover, ...)")
    districts = set(df.loc[df["area_level"] == "district", "area"].dropna())
    if "district" in extra and extra["district"] not in districts:
        return (f"--param district: '{extra['district']}' is not in the data; the districts are: "
                f"{', '.join(sorted(districts)) or '(none)'}")
    return None


def derive_step(cfg: RunConfig, code: str) -> Step:
    """The derived tables of the year, skipped when the cleaned table, the reference data, the code and the year are
    those they were written from (the folder's stamp: another year's run, or an area run, may have written them)."""
    from ..analysis.context import load
    from ..analysis.derive import DERIVED, derived_tables, write_derived

    processed = cfg.processed
    lang = str(cfg.params.get("lang", "vi"))  # the words of data_quality.csv
    inputs = (f"{hash_files([processed / n for n in OUTPUTS])}|{folder_fingerprint(cfg.external)}|{code}|{cfg.year}"
              f"|{lang}")
    data_key = hashlib.sha256(inputs.encode()).hexdigest()
    stamp = processed / ".derived-key"
    stamped = stamp.read_text().strip() if stamp.exists() else ""
    if not cfg.force and all((processed / n).exists() for n in DERIVED) and data_key == stamped:
        return Step("derived", "skipped", 0.0, data_key)
    s = time.perf_counter()
    write_derived(derived_tables(load(processed, cfg.external), cfg.year, lang=lang), processed)
    write_text_atomic(stamp, data_key)
    return Step("derived", "done", time.perf_counter() - s, data_key)
