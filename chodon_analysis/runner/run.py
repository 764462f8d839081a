"""`chodon run --year`: clean, derive, execute every report notebook with papermill, export offline HTML.

Incremental (a fingerprint of inputs, code, notebook and parameters per step), safe (temporary names
moved into place, one run at a time per report folder), and plain-spoken about failures (docs/yearly-run.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.context import load
from ..analysis.derive import DERIVED, derived_tables, write_derived
from ..base import i18n
from ..base.files import folder_lock, write_text_atomic
from ..cleaning.workbooks import DEFAULT_DISTRICT, discover, shown
from ..paths import (
    EXTERNAL,
    NOTEBOOKS,
    PROCESSED,
    QUALITY_PAGE,
    RAW,
    REPORTS,
    project_dir,
    project_root,
    workbook_file,
)
from . import reportset
from .export import ensure_library, library_name
from .index import index_html
from .kernels import WorkerPool
from .params import check_params, report_notebooks
from .stamps import OUTPUTS, clean_into, clean_state, code_fingerprint, folder_fingerprint, hash_files
from .steps import RunState, Step, err, say

AREA_LOCKS = ".locks"  # in reports/Y/ of a run per area: its locks (and the mark of that layout)

if TYPE_CHECKING:
    import pandas as pd


def run_year(year: int, raw: Path = RAW, processed: Path = PROCESSED, reports: Path = REPORTS,
             notebooks: Path | None = None, jobs: int | None = None, force: bool = False, show_code: bool = False,
             extra_params: dict[str, object] | None = None, external: Path = EXTERNAL) -> int:
    """The yearly run; returns its exit status (0 ok, 1 a workbook or notebook failed; docs/yearly-run.md)."""
    t0 = time.perf_counter()
    raw, processed, reports, external = raw.resolve(), processed.resolve(), reports.resolve(), external.resolve()
    notebooks = (notebooks or default_notebooks()).resolve()
    out_dir = reports / str(year)
    if problem := folder_problem(raw, processed, reports, notebooks):
        err(problem)
        return 1
    if (out_dir / AREA_LOCKS).is_dir():  # one layout per folder: a run per area wrote here
        err(f"{out_dir} holds reports per area (from `chodon run --area`); run with --area all, or give another "
            "--reports folder")
        return 1
    if "commune" in (extra_params or {}):
        err("--param commune: a commune's reports go to their own folder; use --area NAME instead")
        return 1
    lock = folder_lock(reports / f".{year}.lock", busy=f"another `chodon run` is writing {out_dir} right now; "
                                                        "wait for it to finish")
    try:
        lock.__enter__()
    except RuntimeError as e:
        err(str(e))
        return 1
    try:
        staging = reportset.begin(out_dir)
        ensure_library(reportset.real(out_dir).parent)  # the pages' one plotly.js, restored if it went missing
        try:
            status, changed = _run_locked(year, (raw, external, processed, staging, notebooks), jobs, force,
                                          show_code, extra_params or {}, t0, out_dir)
        except BaseException:
            reportset.discard(out_dir)  # the previous set stays as it was
            raise
        (reportset.commit if changed else reportset.discard)(out_dir)
        return status
    finally:
        lock.__exit__(None, None, None)


def default_notebooks() -> Path:
    return (project_root() or project_dir()) / NOTEBOOKS  # from any folder: the installed project's notebooks


def data_problem(year: int, extra: dict[str, object], processed: Path) -> str | None:
    """Why there is nothing to report, in one plain line: no rows at all, none of `year`, or a `--param district`
    that names no district of the data."""
    import pandas as pd

    try:
        df = pd.read_parquet(processed / "indicators.parquet", columns=["year", "area", "area_level", "indicator"])
    except (OSError, ValueError):
        return f"{processed}: the cleaned table cannot be read; run again with --force"
    if df.empty:
        return "no indicator rows were read (no workbook, or none could be read: see the errors above); nothing to report"
    years = sorted(int(y) for y in df["year"].dropna().unique())
    if year not in years:
        return f"--year {year}: the data has no rows of {year}; its years are {', '.join(map(str, years))}"
    districts = set(df.loc[df["area_level"] == "district", "area"].dropna())
    if isinstance(wanted := extra.get("indicator"), str) and wanted:  # the explorer's: checked before anything runs
        from ..base import catalog

        if wanted not in catalog.entries() and not catalog.match(wanted) and wanted not in set(df["indicator"]):
            return (f"--param indicator: '{wanted}' is neither a catalog id nor a name in the data; ids are listed in "
                    "chodon_analysis/data/catalog.csv (poverty_rate, forest_cover, ...)")
    if "district" in extra and extra["district"] not in districts:
        known = sorted(districts)
        return (f"--param district: '{extra['district']}' is not in the data; the districts are: "
                f"{', '.join(known) or '(none)'}")
    return None


def write_book(year: int, folders: tuple[Path, Path, Path], extra: dict[str, object]) -> tuple[Step, pd.DataFrame]:
    """The Excel workbook and the data-quality page, in the report's language (while the notebooks run); a
    workbook that cannot be written is a failed step, the page is still written."""
    from ..report.workbook import write_workbook
    from .quality import load_issues, quality_page

    processed, external, out_dir = folders
    s = time.perf_counter()
    lang, area = str(extra.get("lang", "vi")), str(extra.get("district", DEFAULT_DISTRICT))
    issues = load_issues(processed)
    book = out_dir / workbook_file(year)
    status, detail = "done", ""
    try:
        write_workbook(book, year, load(processed, external, area), issues, lang, area)
    except (OSError, ValueError, KeyError) as e:
        status, detail = "failed", f"{book.name}: {e}"
        err(f"{shown(book)}: the workbook could not be written: {e}")
    write_text_atomic(out_dir / QUALITY_PAGE, quality_page(issues, lang, area, year))
    return Step("workbook", status, time.perf_counter() - s, "", detail), issues  # the index shows them too


def _write_index(year: int, nbs: list, folders: tuple[Path, Path, Path], extra: dict[str, object],
                 issues: pd.DataFrame) -> None:
    """index.html, once the notebooks have run: it links what exists and marks what failed."""
    processed, _, out_dir = folders
    lang, area = str(extra.get("lang", "vi")), str(extra.get("district", DEFAULT_DISTRICT))
    links = [(QUALITY_PAGE, i18n.text("report.data_quality", lang)),
             (workbook_file(year), i18n.text("report.workbook", lang))]
    write_text_atomic(out_dir / "index.html", index_html(year, nbs, out_dir, processed, lang, area, links, issues))


def folder_problem(raw: Path, processed: Path, reports: Path, notebooks: Path) -> str | None:
    """A folder argument that cannot work, said before anything starts."""
    if not raw.exists():
        return f"--raw {raw}: no such file or folder"
    if not notebooks.is_dir():
        return f"--notebooks {notebooks}: no such folder of report notebooks"
    for option, folder in (("--processed", processed), ("--reports", reports)):
        if folder.exists() and not folder.is_dir():
            return f"{option} {folder}: this is a file, not a folder; give a folder (it is created if missing)"
    return None


def notebook_key(data_key: str, nb, params: dict[str, object], show_code: bool) -> str:
    """What a notebook's output is made from: the data, the notebook file, its parameters and the HTML option."""
    return hashlib.sha256(json.dumps([data_key, hash_files([nb.path]), params, show_code], sort_keys=True,
                                     default=str).encode()).hexdigest()


def checked_notebooks(nbs: list, base: dict[str, object], extra: dict[str, object], nb_dir: Path,
                      state: RunState) -> list:
    """(notebook, its parameters) for every notebook whose parameters pass the checks; each refused value said once,
    as a failed step of `state`. A parameter goes to the notebooks that declare it; refused only if none does."""
    for name in extra:
        if nbs and not any(name in nb.params for nb in nbs):
            err(f"--param {name}: unknown parameter '{name}': no report notebook of {nb_dir} declares it "
                f"(they declare: {', '.join(sorted({p for nb in nbs for p in nb.params}))})")
            state.steps.append(Step(f"param:{name}", "failed", 0.0, "", "no notebook declares it"))
            state.failed = True
    runnable = []
    said: set[str] = set()
    for nb in nbs:
        params = {k: v for k, v in base.items() if k in nb.params} | {k: v for k, v in extra.items() if k in nb.params}
        problems = check_params(nb, params)
        for p in problems:
            if p not in said:  # the same refused value in every notebook: said once
                err(p)
                said.add(p)
        if problems:
            state.steps.append(Step(f"notebook:{nb.name}", "failed", 0.0, "", "; ".join(problems)))
            state.failed = True
        else:
            runnable.append((nb, params))
    return runnable


def derive_step(year: int, processed: Path, external: Path, code_fp: str, force: bool) -> Step:
    """The derived tables of `year`, skipped when the cleaned table, the reference data, the code and the year are
    those they were written from (the folder's stamp: another year's run, or an area run, may have written them)."""
    inputs = f"{hash_files([processed / n for n in OUTPUTS])}|{folder_fingerprint(external)}|{code_fp}|{year}"
    data_key = hashlib.sha256(inputs.encode()).hexdigest()
    stamp = processed / ".derived-key"
    stamped = stamp.read_text().strip() if stamp.exists() else ""
    if not force and all((processed / n).exists() for n in DERIVED) and data_key == stamped:
        return Step("derived", "skipped", 0.0, data_key)
    s = time.perf_counter()
    write_derived(derived_tables(load(processed, external), year), processed)
    write_text_atomic(stamp, data_key)
    return Step("derived", "done", time.perf_counter() - s, data_key)


def _run_locked(year: int, folders: tuple[Path, Path, Path, Path, Path], jobs: int | None, force: bool,
                show_code: bool, extra: dict[str, object], t0: float, shown: Path) -> tuple[int, bool]:
    """The run once the report folder is locked, writing into `out_dir` (the staging copy of `shown`): clean,
    derived tables, notebooks, index and log. Returns the exit status and whether the set changed."""
    raw, external, processed, out_dir, nb_dir = folders
    state = RunState()
    log_path = out_dir / "run.json"
    previous = json.loads(log_path.read_text(encoding="utf-8")) if log_path.exists() else {}
    prev_keys = {s["name"]: s.get("key", "") for s in previous.get("steps", []) if s.get("status") in ("done", "skipped")}
    code_fp = code_fingerprint()
    nbs = report_notebooks(nb_dir)
    if not nbs:
        say(f"no report notebook in {nb_dir} (none has a cell tagged `parameters`): only the tables are written")

    # 0. parameters, checked before anything runs
    base = {"year": year, "processed_dir": str(processed), "external_dir": str(external)}
    runnable = checked_notebooks(nbs, base, extra, nb_dir, state)
    if state.failed:
        return 1, False  # a refused parameter: nothing runs

    pool = None
    book: Future | None = None
    processed_lock = contextlib.ExitStack()  # the clean and the derived tables: one writer of `processed` at a time
    try:
        # 1. clean
        clean_key, clean_needed = clean_state(raw, processed, code_fp, force)
        stale = clean_needed or previous.get("code") != code_fp or any(not (out_dir / f"{nb.name}.html").exists()
                                                                       for nb, _ in runnable)
        if runnable and stale and discover([raw])[0]:
            # notebooks will run (there are workbooks): start their kernels now, to boot while the data is cleaned
            pool = WorkerPool(max(1, min(jobs or os.cpu_count() or 1, len(runnable))), nb_dir, out_dir, show_code,
                              [nb.path for nb, _ in runnable])
        processed_lock.enter_context(folder_lock(processed / ".lock"))
        if clean_needed:
            step = clean_into(raw, processed, clean_key)
        else:
            step = Step("clean", "skipped", 0.0, clean_key, "inputs and code unchanged")
        state.steps.append(step)
        state.failed |= step.status == "failed"

        if problem := data_problem(year, extra, processed):
            err(problem)
            if pool is not None:
                pool.stop()
            return 1, False  # nothing to report: the previous reports stay as they were

        # 2. derived tables
        state.steps.append(derive_step(year, processed, external, code_fp, force))
        data_key = state.steps[-1].key
        processed_lock.close()

        # 3. notebooks
        todo = []
        for nb, params in runnable:
            key = notebook_key(data_key, nb, params, show_code)
            done = (out_dir / f"{nb.name}.html").exists() and (out_dir / f"{nb.name}.ipynb").exists()
            if not force and done and prev_keys.get(f"notebook:{nb.name}") == key:
                state.steps.append(Step(f"notebook:{nb.name}", "skipped", 0.0, key, "unchanged"))
            else:
                todo.append((nb, params, key))
        pending = (any(s.status != "skipped" for s in state.steps) or bool(todo)
                   or not (out_dir / "index.html").exists() or not log_path.exists())
        if pending:  # the workbook and the data-quality page need no notebook: written while they run
            writer = ThreadPoolExecutor(1, thread_name_prefix="workbook")
            book = writer.submit(write_book, year, (processed, external, out_dir), extra)
            writer.shutdown(wait=False)  # the thread ends with its one task
        if todo:
            if pool is None:
                pool = WorkerPool(max(1, min(jobs or os.cpu_count() or 1, len(todo))), nb_dir, out_dir, show_code,
                                  [nb.path for nb, _, _ in todo])
            pool.shown = shown
            pool.plotly_src = os.path.relpath(reportset.real(shown).parent / library_name(), reportset.real(shown))
            say(f"executing {len(todo)} notebook(s) with {pool.size} worker(s) ...")
            for step in pool.run(todo):
                state.steps.append(step)
                state.failed |= step.status == "failed"
        elif pool is not None:
            pool.run([])
    except BaseException:
        if pool is not None:
            pool.stop()  # the kernels are shut down: an error here ends the run instead of leaving it hanging
        if book is not None:
            with contextlib.suppress(Exception):
                book.result()  # nothing is left writing into the set that is thrown away
        raise
    finally:
        processed_lock.close()

    # 4. workbook and data-quality page (written meanwhile), index and log
    wrote = book is not None
    if wrote:
        step, issues = book.result()
        state.steps.append(step)
        state.failed |= state.steps[-1].status == "failed"
        _write_index(year, nbs, (processed, external, out_dir), extra, issues)
    did_work = wrote
    log = {"year": year, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "code": code_fp,
           "seconds": round(time.perf_counter() - t0, 3), "failed": state.failed,
           "steps": [s.__dict__ | {"seconds": round(s.seconds, 3)} for s in state.steps]}
    if did_work or not log_path.exists():
        write_text_atomic(log_path, json.dumps(log, ensure_ascii=False, indent=2))
    if not did_work:
        print(f"{shown}: nothing changed; no work done (use --force to redo)", file=sys.stderr)
    else:
        n_done = sum(s.status == "done" for s in state.steps if s.name.startswith("notebook:"))
        failed = [s.name.removeprefix("notebook:") for s in state.steps if s.status == "failed"]
        print(f"{shown}: {n_done} notebook(s) executed in {time.perf_counter() - t0:.1f} s"
              + (f"; failed: {', '.join(failed)} (see the error lines above)" if failed else ""), file=sys.stderr)
    return (1 if state.failed else 0), wrote
