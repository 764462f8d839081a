"""`chodon run --year`: clean, derive, execute every report notebook with papermill, export offline HTML.

Incremental (a fingerprint of inputs, code, notebook and parameters per step), safe (temporary names
moved into place, one run at a time per report folder), and plain-spoken about failures (docs/yearly-run.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from ..analysis.context import load
from ..analysis.derive import DERIVED, derived_tables, write_derived
from ..paths import EXTERNAL, NOTEBOOKS, PROCESSED, RAW, REPORTS, project_root
from .files import run_lock, write_text_atomic
from .index import index_html
from .kernels import WorkerPool
from .params import check_params, report_notebooks
from .stamps import OUTPUTS, clean_into, clean_state, code_fingerprint, folder_fingerprint, hash_files
from .steps import RunState, Step, err, say


def run_year(year: int, raw: Path = RAW, processed: Path = PROCESSED, reports: Path = REPORTS,
             notebooks: Path | None = None, jobs: int | None = None, force: bool = False, show_code: bool = False,
             extra_params: dict[str, object] | None = None, external: Path = EXTERNAL) -> int:
    """The yearly run; returns its exit status (0 ok, 1 a workbook or notebook failed; docs/yearly-run.md)."""
    t0 = time.perf_counter()
    raw, processed, reports, external = raw.resolve(), processed.resolve(), reports.resolve(), external.resolve()
    notebooks = (notebooks or _default_notebooks()).resolve()
    out_dir = reports / str(year)
    try:
        lock = run_lock(out_dir)
        lock.__enter__()
    except RuntimeError as e:
        err(str(e))
        return 1
    try:
        return _run_locked(year, (raw, external, processed, out_dir, notebooks), jobs, force, show_code,
                           extra_params or {}, t0)
    finally:
        lock.__exit__(None, None, None)


def _default_notebooks() -> Path:
    return (project_root() or Path.cwd()) / NOTEBOOKS


def _unknown_district(value: object, processed: Path) -> str | None:
    """A `--param district=...` that names no district of the data: one plain line naming the known ones."""
    import pandas as pd

    try:
        known = sorted(pd.read_parquet(processed / "indicators.parquet", columns=["district"])["district"].unique())
    except (OSError, ValueError):
        return None
    if value in known:
        return None
    return f"--param district: '{value}' is not in the data; the districts are: {', '.join(known) or '(none)'}"


def _run_locked(year: int, folders: tuple[Path, Path, Path, Path, Path], jobs: int | None, force: bool,
                show_code: bool, extra: dict[str, object], t0: float) -> int:
    """The run once the report folder is locked: clean, derived tables, notebooks, index and log."""
    raw, external, processed, out_dir, nb_dir = folders
    state = RunState()
    for stale in out_dir.glob(".*.tmp"):  # left by a run that was killed; we hold the lock now
        stale.unlink(missing_ok=True)
    for stale in out_dir.glob(".*.ipynb"):
        stale.unlink(missing_ok=True)
    log_path = out_dir / "run.json"
    previous = json.loads(log_path.read_text(encoding="utf-8")) if log_path.exists() else {}
    prev_keys = {s["name"]: s.get("key", "") for s in previous.get("steps", []) if s.get("status") in ("done", "skipped")}
    code_fp = code_fingerprint()
    nbs = report_notebooks(nb_dir)

    # 0. parameters, checked before anything runs
    base = {"year": year, "processed_dir": str(processed), "external_dir": str(external)}
    for name in extra:  # a parameter goes to the notebooks that declare it; refused only if none does
        if nbs and not any(name in nb.params for nb in nbs):
            err(f"--param {name}: unknown parameter '{name}': no report notebook of {nb_dir} declares it "
                f"(they declare: {', '.join(sorted({p for nb in nbs for p in nb.params}))})")
            state.steps.append(Step(f"param:{name}", "failed", 0.0, "", "no notebook declares it"))
            state.failed = True
    runnable = []
    for nb in nbs:
        params = {k: v for k, v in base.items() if k in nb.params} | {k: v for k, v in extra.items() if k in nb.params}
        problems = check_params(nb, params)
        for p in problems:
            err(p)
        if problems:
            state.steps.append(Step(f"notebook:{nb.name}", "failed", 0.0, "", "; ".join(problems)))
            state.failed = True
        else:
            runnable.append((nb, params))
    if state.failed:
        return 1  # a refused parameter: nothing runs

    pool = None
    try:
        # 1. clean
        clean_key, clean_needed = clean_state(raw, processed, code_fp, force)
        if runnable and "district" not in extra and (clean_needed or previous.get("code") != code_fp or
                                                      any(not (out_dir / f"{nb.name}.html").exists() for nb, _ in runnable)):
            # notebooks will run: start their kernels now, so that they boot while the data is cleaned
            pool = WorkerPool(max(1, min(jobs or os.cpu_count() or 1, len(runnable))), nb_dir, out_dir, show_code)
        if clean_needed:
            step = clean_into(raw, processed, clean_key)
        else:
            step = Step("clean", "skipped", 0.0, clean_key, "inputs and code unchanged")
        state.steps.append(step)
        state.failed |= step.status == "failed"

        if "district" in extra and (problem := _unknown_district(extra["district"], processed)):
            err(problem)
            state.failed, runnable = True, []
            state.steps.append(Step("param:district", "failed", 0.0, "", problem))

        # 2. derived tables
        inputs = f"{hash_files([processed / n for n in OUTPUTS])}|{folder_fingerprint(external)}|{code_fp}|{year}"
        data_key = hashlib.sha256(inputs.encode()).hexdigest()
        derived_ok = all((processed / n).exists() for n in DERIVED)
        if not force and derived_ok and prev_keys.get("derived") == data_key:
            state.steps.append(Step("derived", "skipped", 0.0, data_key))
        else:
            s = time.perf_counter()
            ctx = load(processed, external)
            write_derived(derived_tables(ctx, year), processed)
            state.steps.append(Step("derived", "done", time.perf_counter() - s, data_key))

        # 3. notebooks
        todo = []
        for nb, params in runnable:
            key = hashlib.sha256(json.dumps([data_key, hash_files([nb.path]), params, show_code], sort_keys=True,
                                            default=str).encode()).hexdigest()
            done = (out_dir / f"{nb.name}.html").exists() and (out_dir / f"{nb.name}.ipynb").exists()
            if not force and done and prev_keys.get(f"notebook:{nb.name}") == key:
                state.steps.append(Step(f"notebook:{nb.name}", "skipped", 0.0, key, "unchanged"))
            else:
                todo.append((nb, params, key))
        if todo:
            if pool is None:
                pool = WorkerPool(max(1, min(jobs or os.cpu_count() or 1, len(todo))), nb_dir, out_dir, show_code)
            say(f"executing {len(todo)} notebook(s) with {pool.size} worker(s) ...")
            for step in pool.run(todo):
                state.steps.append(step)
                state.failed |= step.status == "failed"
        elif pool is not None:
            pool.run([])
    except BaseException:
        if pool is not None:
            pool.stop()  # the kernels are shut down: an error here ends the run instead of leaving it hanging
        raise

    # 4. index and log
    did_work = any(s.status != "skipped" for s in state.steps)
    if did_work or not (out_dir / "index.html").exists():
        write_text_atomic(out_dir / "index.html", index_html(year, nbs, out_dir, processed))
    log = {"year": year, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "code": code_fp,
           "seconds": round(time.perf_counter() - t0, 3), "failed": state.failed,
           "steps": [s.__dict__ | {"seconds": round(s.seconds, 3)} for s in state.steps]}
    if did_work or not log_path.exists():
        write_text_atomic(log_path, json.dumps(log, ensure_ascii=False, indent=2))
    if not did_work:
        print(f"{out_dir}: nothing changed; no work done (use --force to redo)", file=sys.stderr)
    else:
        n_done = sum(s.status == "done" for s in state.steps if s.name.startswith("notebook:"))
        print(f"{out_dir}: {n_done} notebook(s) executed in {time.perf_counter() - t0:.1f} s"
              + (" with errors" if state.failed else ""), file=sys.stderr)
    return 1 if state.failed else 0
