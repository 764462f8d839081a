"""`chodon run --year Y --area NAME|all [--shard K/N] [--jobs J]`: the report notebooks once per area, each area in its
own folder `reports/Y/<area>/` (replaced as a whole, like a year's set), then the pages across areas.

One data clean and one set of kernels serve every area: the notebooks of all areas are queued to the same workers
(one kernel process each), so a hundred areas do not pay a hundred kernel start-ups (docs/yearly-run.md)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from ..analysis.communes import fill_from_communes
from ..analysis.compare import area_counts, ranking
from ..base import i18n
from ..base.files import folder_lock, write_text_atomic
from ..cleaning.workbooks import DEFAULT_DISTRICT
from ..paths import QUALITY_PAGE, workbook_file
from . import reportset
from .areas import Area, areas_of, parse_shard, select, shard
from .export import ensure_library
from .index import counts_html, index_html
from .kernels import Target, WorkerPool
from .overview import COMPARISON, SUMMARY, area_label, areas_index, comparison_page
from .params import Notebook, report_notebooks
from .run import (
    AREA_LOCKS,
    checked_notebooks,
    data_problem,
    default_notebooks,
    derive_step,
    folder_problem,
    notebook_key,
    write_book,
)
from .stamps import clean_into, clean_state, code_fingerprint, folder_fingerprint
from .steps import RunState, Step, err, say


def run_areas(year: int, spec: str, shard_spec: str | None, raw: Path, processed: Path, reports: Path,
              notebooks: Path | None = None, jobs: int | None = None, force: bool = False, show_code: bool = False,
              extra_params: dict[str, object] | None = None, external: Path | None = None) -> int:
    """Reports of `year` for the areas `spec` names (`all`, or one), the K-th of N slices with `shard_spec`; exit
    status 0 when every notebook of every area ran."""
    t0 = time.perf_counter()
    raw, processed, reports = raw.resolve(), processed.resolve(), reports.resolve()
    external = (external or processed).resolve()
    nb_dir = (notebooks or default_notebooks()).resolve()
    extra = dict(extra_params or {})
    if problem := folder_problem(raw, processed, reports, nb_dir):
        err(problem)
        return 1
    if chosen_by := sorted({"district", "commune"} & set(extra)):
        err(f"--param {chosen_by[0]}: with --area the area is chosen by --area; leave out --param {chosen_by[0]}")
        return 1
    try:
        k, n = parse_shard(shard_spec) if shard_spec else (1, 1)
    except ValueError as e:
        err(str(e))
        return 1
    year_dir = reports / str(year)
    if (year_dir / "run.json").exists():  # one layout per folder: a whole-year run wrote here
        err(f"{year_dir} holds a whole-year run's reports (without --area); give another --reports folder, or "
            "remove that one first")
        return 1
    busy = f"a whole-year `chodon run` (without --area) is writing {year_dir} right now; wait for it to finish"
    try:
        with folder_lock(reports / f".{year}.lock", busy, shared=True):
            return _run_areas(year, spec, (k, n), (raw, processed, reports, external, nb_dir), jobs, force,
                              show_code, extra, t0)
    except RuntimeError as e:
        if str(e) != busy:
            raise
        err(busy)
        return 1


def _run_areas(year: int, spec: str, slice_: tuple[int, int], folders: tuple[Path, ...], jobs: int | None,
               force: bool, show_code: bool, extra: dict[str, object], t0: float) -> int:
    """The run, once the year's folder is held (shared with other slices, never with a whole-year run)."""
    raw, processed, reports, external, nb_dir = folders
    k, n = slice_
    state = RunState()
    nbs = report_notebooks(nb_dir)
    base = {"year": year, "processed_dir": str(processed), "external_dir": str(external)}
    runnable = checked_notebooks(nbs, base, extra, nb_dir, state)
    if state.failed:
        return 1
    year_dir = reports / str(year)
    (year_dir / AREA_LOCKS).mkdir(parents=True, exist_ok=True)
    code_fp = code_fingerprint()
    pool: WorkerPool | None = None  # started once the notebooks to run are known: as many kernels as they need
    locks: dict[str, contextlib.ExitStack] = {}  # each area's lock, released when its folder is committed
    staged: dict[str, Area] = {}
    finishing = threading.Lock()
    try:
        with folder_lock(processed / ".lock"):  # one writer of the cleaned table at a time (shards share it)
            clean_key, needed = clean_state(raw, processed, code_fp, force)
            state.steps.append(clean_into(raw, processed, clean_key) if needed else
                               Step("clean", "skipped", 0.0, clean_key, "inputs and code unchanged"))
            state.failed |= state.steps[-1].status == "failed"  # a workbook that could not be read: exit 1
            if problem := data_problem(year, extra, processed):
                err(problem)
                return 1
            state.steps.append(derive_step(year, processed, external, code_fp, force))
        table = pd.read_parquet(processed / "indicators.parquet")  # read once for the areas, their pages, the index
        areas = areas_of(table, year)
        try:
            chosen = shard(select(areas, spec), k, n)
        except ValueError as e:
            err(str(e))
            return 1
        library = ensure_library(reportset.real(year_dir).parent)  # beside the real year folder (a link is followed)
        lang = str(extra.get("lang", "vi"))
        # the year's workbook and data-quality page, by every slice (a slice on a machine of its own has them too),
        # while the notebooks run; the communes compared, which the areas' pages link to
        writer = ThreadPoolExecutor(1, thread_name_prefix="workbook")
        book = writer.submit(write_book, year, (processed, external, year_dir), extra)
        writer.shutdown(wait=False)
        _year_pages(year, areas, year_dir, lang, table)
        todo, plans = [], {}
        data_key = state.steps[-1].key
        for a in chosen:
            locks[a.slug] = contextlib.ExitStack()
            locks[a.slug].enter_context(folder_lock(year_dir / AREA_LOCKS / f"{a.slug}.lock"))  # a second run waits
            staging = reportset.begin(year_dir / a.slug)
            staged[a.slug] = a
            plans[a] = _plan(a, runnable, staging, _area_key(a, table, data_key, external, code_fp, year), force,
                             show_code, library)
            todo += [t for t in plans[a] if isinstance(t, tuple)]
        left = {a.slug: sum(isinstance(t, tuple) for t in plans[a]) for a in chosen}
        mine = {a.slug: [s for s in plans[a] if isinstance(s, Step)] for a in chosen}

        def finish(slug: str) -> None:
            """The area's pages written and its folder committed as soon as its last notebook is done: a slice
            stopped later (a scheduler's time limit) keeps the areas it finished."""
            a = staged[slug]
            _finish_area(a, year, mine[slug], year_dir, table, processed, lang, book.result()[1], t0)
            reportset.commit(year_dir / slug)
            del staged[slug]
            locks.pop(slug).close()

        def on_step(step: Step) -> None:
            slug = step.name.split("/")[0]
            with finishing:
                mine[slug].append(step)
                left[slug] -= 1
                if left[slug] == 0:
                    finish(slug)

        with finishing:
            for slug in [s for s, n_left in left.items() if n_left == 0]:  # nothing to execute: done already
                finish(slug)
        steps = []
        if todo:
            pool = WorkerPool(max(1, min(jobs or os.cpu_count() or 1, len(todo))), nb_dir, year_dir, show_code,
                              [nb.path for nb, _ in runnable], fresh_log=False)
            pool.on_step = on_step
            say(f"{len(chosen)} area(s), {len(todo)} notebook(s) to execute with {pool.size} worker(s) ...")
            steps = pool.run(todo)
        state.failed |= any(s.status == "failed" for ss in mine.values() for s in ss)
    except BaseException:
        if pool is not None:
            pool.stop()
        with finishing:
            for slug in list(staged):
                reportset.discard(year_dir / slug)  # an unfinished area's previous set stays as it was
        raise
    finally:
        for held in locks.values():
            held.close()
    _year_pages(year, areas, year_dir, lang)  # the index again, with this run's areas
    failed = sorted({s.name.split("/")[0] for s in steps if s.status == "failed"})
    print(f"{year_dir}: {len(chosen)} area(s), {sum(s.status == 'done' for s in steps)} notebook(s) executed in "
          f"{time.perf_counter() - t0:.1f} s" + (f"; failed in: {', '.join(failed)}" if failed else ""), file=sys.stderr)
    return 1 if state.failed or failed else 0


def _area_key(area: Area, table: pd.DataFrame, data_key: str, external: Path, code_fp: str, year: int) -> str:
    """What an area's reports are made from: a commune's own rows (a change in another commune's workbook does not
    redo it), the reference data, the code and the year; the district reads every commune: the whole table."""
    if area.level != "commune":
        return data_key
    rows = table[(table["area"] == area.name) & (table["area_level"] == "commune")].drop(columns=["source_row"],
                                                                                       errors="ignore")
    digest = hashlib.sha256(pd.util.hash_pandas_object(rows.astype(str), index=False).values.tobytes()).hexdigest()
    return hashlib.sha256(f"{digest}|{folder_fingerprint(external)}|{code_fp}|{year}".encode()).hexdigest()


def _plan(area: Area, runnable: list, staging: Path, data_key: str, force: bool, show_code: bool,
          library: Path) -> list:
    """The area's notebooks: a queue item for each to execute, a skipped Step for each unchanged since its last
    run. A notebook with no `commune` parameter is a district report: not run for a commune."""
    log = staging / "run.json"
    previous = json.loads(log.read_text(encoding="utf-8")) if log.exists() else {}
    prev = {s["name"]: s.get("key", "") for s in previous.get("steps", []) if s.get("status") in ("done", "skipped")}
    home = staging.parent.resolve() / area.slug  # where the pages are served from (a linked year folder followed)
    target = Target(staging, staging.parent / area.slug, os.path.relpath(library, home), f"{area.slug}/")
    out = []
    for nb, params in runnable:
        if area.level == "commune" and "commune" not in nb.params:
            continue
        p = params | {k: v for k, v in area.params().items() if k in nb.params}
        key = notebook_key(data_key, nb, p, show_code)
        name = f"{area.slug}/notebook:{nb.name}"
        done = (staging / f"{nb.name}.html").exists() and (staging / f"{nb.name}.ipynb").exists()
        if not force and done and prev.get(name) == key:
            out.append(Step(name, "skipped", 0.0, key, "unchanged"))
        else:
            out.append((nb, p, key, target))
    return out


def _finish_area(area: Area, year: int, steps: list[Step], year_dir: Path, table: pd.DataFrame, processed: Path,
                 lang: str, issues: pd.DataFrame | None, t0: float) -> None:
    """The area's summary.json (for the index across areas), its own index.html and run.json."""
    staging = reportset._siblings(year_dir / area.slug)[0]
    rows = table[(table["area"] == area.name) & (table["area_level"] == area.level)]
    if area.level == "district":  # its own targets, actuals rebuilt from its communes after the reform
        filled = fill_from_communes(rows, table[table["area_level"] == "commune"], area.name, year)[0]
        counts = area_counts(filled, year)
        headline = None if area.name == DEFAULT_DISTRICT else (  # the derived tables are the default district's
            f"<h2>{i18n.text('index.headline', lang, year=year)}</h2>{counts_html(counts, lang)}")
    else:
        counts = area_counts(rows, year)
        headline = f"<h2>{i18n.text('index.headline', lang, year=year)}</h2>{counts_html(counts, lang)}"
    failed = any(s.status == "failed" for s in steps)
    summary = {"area": area.name, "level": area.level, "slug": area.slug, "year": year, "failed": failed,
               "counts": {r.status: int(r.computed) for r in counts.itertuples()}}
    write_text_atomic(staging / SUMMARY, json.dumps(summary, ensure_ascii=False, indent=1))
    nbs = [Notebook(Path(f"{name}.ipynb"), {}) for name in sorted(s.name.split(":", 1)[1] for s in steps)]
    links = [("../index.html", i18n.text("areas.back", lang)), (f"../{COMPARISON}", i18n.text("areas.comparison", lang)),
             (f"../{QUALITY_PAGE}", i18n.text("report.data_quality", lang)),
             (f"../{workbook_file(year)}", i18n.text("report.workbook", lang))]
    write_text_atomic(staging / "index.html", index_html(year, nbs, staging, processed, lang,
                                                         area_label(area, lang, year), links, issues,
                                                         f"../{QUALITY_PAGE}", headline))
    log = {"year": year, "area": area.name, "level": area.level, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
           "seconds": round(time.perf_counter() - t0, 3), "failed": failed,
           "steps": [s.__dict__ | {"seconds": round(s.seconds, 3)} for s in steps]}
    write_text_atomic(staging / "run.json", json.dumps(log, ensure_ascii=False, indent=2))


def _year_pages(year: int, areas: list[Area], year_dir: Path, lang: str, table: pd.DataFrame | None = None) -> None:
    """The index across areas (every area of the year, whichever slice ran it) and, given the table, the communes'
    comparison: written before the areas' pages (which link to them), the index again at the end; under a short
    lock of their own."""
    with folder_lock(year_dir / AREA_LOCKS / "year.lock"):
        if table is not None:
            communes = table[table["area_level"] == "commune"]
            write_text_atomic(year_dir / COMPARISON, comparison_page(year, ranking(communes, year), areas, lang))
        links = [(COMPARISON, i18n.text("areas.comparison", lang)),
                 (QUALITY_PAGE, i18n.text("report.data_quality", lang)),
                 (workbook_file(year), i18n.text("report.workbook", lang))]
        write_text_atomic(year_dir / "index.html", areas_index(year, areas, year_dir, lang, links))
