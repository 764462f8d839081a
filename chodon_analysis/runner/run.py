"""`chodon run`: one pipeline for a year's reports, the whole year in reports/Y/ or a folder per area under it.

Every run takes the same steps: refusals, the year's lock, parameters checked, the data cleaned and derived (kernels
booting meanwhile when the notebooks to run are known), report folders staged, a Job per notebook to redo, the
workbook on its own thread, the jobs on shared workers, each folder finished and put in place as soon as its last
job ends. The whole year is the case of one folder, the year's own, which also holds the year's workbook and
data-quality page and records the data steps in its run.json (docs/yearly-run.md)."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..base.files import folder_lock, whole
from ..cleaning.workbooks import discover
from . import reportset, runlog
from .areas import Area, areas_of, select, shard
from .book import Book, MadeAside, book_and_appendix
from .config import AREA_LOCKS, USAGE, RunConfig, state_refusal, usage_refusal
from .data import prepare
from .export import ensure_library
from .finish import drop_stale, folder_pages, year_pages
from .jobs import Job, Runnable, Target, area_data_key, check_notebooks, plan
from .kernels import WorkerPool, pool_size
from .params import report_notebooks
from .stamps import clean_key, clean_needed, code_fingerprint
from .steps import Step, err, last_line, left_by_stop, say
from .tree import Footprint, area_refusal, hold

if TYPE_CHECKING:
    import pandas as pd


class Stopped(KeyboardInterrupt):
    """The run was stopped (Ctrl-C, SIGTERM, SIGHUP); its message says what it leaves in the report folder."""


def run(config: RunConfig) -> int:
    """The run `config` asks for; its exit status (docs/yearly-run.md#exit-status). A stop raises Stopped, once
    the run has shut its kernels down and thrown away what it had not put in place."""
    t0 = time.perf_counter()
    cfg = config.resolved()
    done: list[str] = []  # the report folders put in place so far
    try:
        return _checked(cfg, t0, done)
    except KeyboardInterrupt:
        raise Stopped(left_by_stop(cfg.year_dir, cfg.per_area, done)) from None


def _checked(cfg: RunConfig, t0: float, done: list[str]) -> int:
    """The refusals said before anything is written, then the run under its locks; a run refused once it holds
    them leaves the report folder as it found it."""
    if refused := usage_refusal(cfg):  # wrong usage first, whatever the state of the folders
        err(refused.message)
        return refused.status
    runnable = _runnable(cfg)
    if runnable is None:
        return USAGE  # a refused parameter: nothing runs
    if refused := state_refusal(cfg):
        err(refused.message)
        return refused.status
    found = Footprint.of(cfg.reports, cfg.year_dir)
    held = hold(cfg.reports, cfg.year, cfg.per_area)
    if held is None:
        found.restore()
        return 1
    the_run = _Run(cfg, t0, runnable, done)
    with held:
        status = the_run.run()
    if the_run.refused:
        found.restore()
    return status


def _runnable(cfg: RunConfig) -> list[Runnable] | None:
    """The report notebooks with their parameters checked (a wrong `--param` is wrong usage, said before anything
    runs); None when one is refused; an empty list without notebooks (their folder is checked with the others)."""
    if cfg.notebooks is None or not cfg.notebooks.is_dir():
        return []
    nbs = report_notebooks(cfg.notebooks)
    if not nbs:
        say(f"no report notebook in {cfg.notebooks} (none has a cell tagged `parameters`): only the tables "
            "are written")
    return check_notebooks(nbs, cfg)


@dataclass
class Folder:
    """A report set being written: the year's folder (`area` None) or an area's, staged until its last job ends."""

    final: Path
    area: Area | None
    staging: Path
    previous: runlog.RunLog
    lock: contextlib.ExitStack  # an area's own lock (a second run of it waits), held until the folder is in place
    steps: list[Step] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    left: int = 0  # jobs not ended yet
    pending: bool = True  # False: nothing in it needs doing, so it is left as it is

    @property
    def label(self) -> str:
        return f"{self.area.slug}/" if self.area else ""


class _Run:
    """One run once the year is held: its workers, workbook thread and staged folders, cleaned up however it ends."""

    def __init__(self, cfg: RunConfig, t0: float, runnable: list[Runnable], done: list[str]) -> None:
        self.cfg, self.t0, self.runnable, self.done = cfg, t0, runnable, done
        self.wrong_area = False  # `--area` named no area of the year, or several: wrong usage
        self.refused = False  # nothing to report, or an area that cannot be: the report folder stays as it was
        self.code = code_fingerprint()
        self.steps: list[Step] = []  # every step of the run: its exit status and last line
        self.data_steps: list[Step] = []  # clean, derived
        self.shared_dir = cfg.year_dir  # the workbook, data-quality page and kernels.log (staged for the whole year)
        self.folders: list[Folder] = []
        self.staged: dict[str, Folder] = {}  # by label: folders neither in place nor thrown away yet
        self.table: pd.DataFrame | None = None  # the tidy table, read once when the folders are areas
        self.areas: list[Area] = []
        self.pool: WorkerPool | None = None
        self.book: Book | MadeAside | None = None
        self.aside: MadeAside | None = None
        self.book_done: tuple[Step, pd.DataFrame] | None = None
        self.finishing = threading.RLock()  # one folder finished at a time (worker threads and the main one)
        self.stopping = threading.Event()  # set before the kernels are killed: a job they end finishes nothing

    def run(self) -> int:
        """The run's exit status; whatever happens, nothing of it is left running or half in place."""
        try:
            return self._run()
        finally:
            self._close()

    def _run(self) -> int:
        """Parameters, the folders staged (the year's at once), the data, a plan per folder, the jobs, the pages."""
        cfg, runnable = self.cfg, self.runnable
        if not cfg.per_area:  # the whole year: one folder, known before the data, holding the year's files
            self.shared_dir = self._stage(None).staging
        key = clean_key(cfg.raw, self.code)
        boot = then = None
        if self._foreseen(runnable, key):  # kernels start as soon as the workbooks are read, before the derived tables
            nbs = [r.notebook.path for r in runnable]
            boot = functools.partial(self._boot, pool_size(cfg.jobs, len(runnable)), nbs)
            then = functools.partial(book_and_appendix, cfg, self.shared_dir)  # made aside once the tables are
        self.data_steps, data_key, later = prepare(cfg, key, self.code, boot, then)
        self.aside = MadeAside(later) if later is not None else None  # the book, made by the derived tables' process
        self.steps += self.data_steps
        if data_key is None or (cfg.per_area and not self._stage_areas()):
            self.refused = True  # nothing to report: the previous reports stay as they were
            return USAGE if self.wrong_area else 1
        library = ensure_library(cfg.reports)  # restored if it went missing
        for f in self.folders:
            self._plan(f, runnable, data_key, library)
        self._execute()
        if cfg.per_area:
            year_pages(cfg, self.areas)  # the index again, with this run's areas
        return self._report()

    def _stage(self, area: Area | None) -> Folder:
        """Take an area's lock and begin the folder's staging copy, with the record of its last run."""
        final = self.cfg.year_dir / area.slug if area else self.cfg.year_dir
        lock = contextlib.ExitStack()
        try:
            if area is not None:
                lock.enter_context(folder_lock(self.cfg.year_dir / AREA_LOCKS / f"{area.slug}.lock", tidy=False))
            staging = reportset.begin(final)
        except BaseException:
            with whole():
                reportset.discard(final)  # a copy stopped half-way
                lock.close()
            raise
        folder = Folder(final, area, staging, runlog.read(staging), lock)
        self.folders.append(folder)
        self.staged[folder.label] = folder
        return folder

    def _stage_areas(self) -> bool:
        """The areas asked for (`--area`, `--shard`) among those of the year, each staged; the year's workbook and
        pages across areas written first (by every slice: a slice on a machine of its own has them too). False,
        said, when `--area` names no area or several."""
        import pandas as pd

        self.table = pd.read_parquet(self.cfg.processed / "indicators.parquet")  # for areas, pages and the index
        self.areas = areas_of(self.table, self.cfg.year)
        try:
            chosen = shard(select(self.areas, str(self.cfg.area)), *(self.cfg.shard or (1, 1)))
        except ValueError as e:
            err(str(e))
            self.wrong_area = True
            return False
        for area in chosen:
            if problem := area_refusal(self.cfg.year_dir / area.slug):
                err(problem)
                return False
        (self.cfg.year_dir / AREA_LOCKS).mkdir(parents=True, exist_ok=True)  # the mark of this layout
        drop_stale(self.cfg, self.areas)  # an area no longer in the data: its old pages never stand beside the new
        year_pages(self.cfg, self.areas, self.table)  # the areas' pages link to them (the workbook: written later)
        for area in chosen:
            self._stage(area)
        return True

    def _foreseen(self, runnable: list[Runnable], key: str) -> bool:
        """Whether notebooks will run, as far as can be told before the data is cleaned (only when the folders are
        known: the whole year's): the data or code changed, or a report is missing; and there are workbooks."""
        if not runnable or not self.folders:
            return False
        stale = clean_needed(self.cfg.processed, key, self.cfg.force) or any(
            f.previous.code != self.code or any(not (f.staging / f"{r.notebook.name}.html").exists() for r in runnable)
            for f in self.folders)
        return stale and bool(discover([self.cfg.raw])[0])

    def _boot(self, size: int, notebooks: list[Path]) -> None:
        """Start `size` workers, each booting a kernel and importing what `notebooks` import."""
        fresh = self.shared_dir != self.cfg.year_dir  # a log of its own in a staged year; slices share theirs
        self.pool = WorkerPool(size, self.cfg.notebooks, self.shared_dir / "kernels.log", self.cfg.show_code,
                               notebooks, fresh_log=fresh, lang=self.cfg.lang)

    def _plan(self, f: Folder, runnable: list[Runnable], data_key: str, library: Path) -> None:
        """The folder's jobs and skipped steps, and whether it needs writing at all: an area's folder always is (its
        pages show the latest data of every slice); the year's when a step did work or a file is missing."""
        plotly_src = os.path.relpath(library, f.final)  # from where the pages are served
        target = Target(f.staging, f.final, plotly_src, f.label)
        key = area_data_key(f.area, self.table, data_key, self.cfg, self.code)
        f.jobs, skipped = plan(runnable, f.area, target, f.previous, key, self.cfg)
        f.steps += skipped
        self.steps += skipped
        f.left = len(f.jobs)
        f.pending = (f.area is not None or bool(f.jobs) or any(s.status != "skipped" for s in self.data_steps)
                     or not (f.staging / "index.html").exists() or not runlog.exists(f.staging))

    def _start_book(self) -> None:
        """The year's workbook and data-quality page, started once, on their own thread."""
        if self.book is None:  # a whole year's folder: its appendix too
            self.book = self.aside or Book(self.cfg, self.shared_dir, self.table, appendix=not self.cfg.per_area)

    def _execute(self) -> None:
        """Every folder's jobs on the same workers; a folder is finished the moment its last job ends (at once when
        it has none), or thrown away when nothing in it needed doing."""
        jobs = [job for f in self.folders for job in f.jobs]
        if not jobs and self.pool is not None:
            self.pool.run([])  # the kernels booted for nothing shut down
            self.pool = None
        if jobs and self.pool is None:  # before the workbook's thread: the kernels can be forked (launch.py)
            self._boot(pool_size(self.cfg.jobs, len(jobs)), list({job.notebook.path: None for job in jobs}))
        if self.cfg.per_area or any(f.pending for f in self.folders):
            self._start_book()
        elif self.aside is not None:
            self.aside.later.kill()  # made for nothing: its staging folder is thrown away
        with self.finishing:
            for f in [f for f in self.folders if not f.jobs]:
                (self._finish if f.pending else self._discard)(f)
        if not jobs:
            return
        assert self.pool is not None
        self.pool.on_step = self._on_step
        areas = f"{len(self.folders)} area(s), " if self.cfg.per_area else ""
        say(f"{areas}{len(jobs)} notebook(s) to execute with {self.pool.size} worker(s) ...")
        self.pool.run(jobs)
        self.pool = None

    def _on_step(self, job: Job, step: Step) -> None:
        """A job ended (told on the pool's reporter thread): recorded, and its folder finished if it was the last."""
        with self.finishing:
            f = self.staged.get(job.target.label)
            if f is None or self.stopping.is_set():  # a job ended by the stop: its folder is thrown away
                return
            f.steps.append(step)
            self.steps.append(step)
            f.left -= 1
            if f.left == 0:
                self._finish(f)

    def _book_result(self) -> tuple[Step, pd.DataFrame]:
        """The workbook's step (once in the run's steps) and the issue log, waiting for them if need be."""
        if self.book_done is None:
            assert self.book is not None
            self.book_done = self.book.result()
            self.steps.append(self.book_done[0])
        return self.book_done

    def _finish(self, f: Folder) -> None:
        """The folder's pages and run.json, then it takes its final place in one step and its lock is let go. The
        folder holding the year's files records the data steps and the workbook's too."""
        book, issues = self._book_result()
        steps = [*self.data_steps, *f.steps, book] if f.staging == self.shared_dir else f.steps
        written = self.book is not None and self.book.appendix is not None and f.staging == self.shared_dir
        if written:
            self.book.settle()  # its appendix, written with the workbook
        folder_pages(self.cfg, f.area, f.staging, steps, self.table, issues, not written)
        head: dict[str, object] = {"year": self.cfg.year}
        if f.area is not None:
            head |= {"area": f.area.name, "level": f.area.level}
        runlog.write(f.staging, head, steps, self.code, time.perf_counter() - self.t0)
        with whole():  # in place, said and let go, or none of it, whenever a stop comes
            reportset.commit(f.final)
            self.done.append(f.label)
            self._say_failed(f, kept=True)
            self._let_go(f)

    def _discard(self, f: Folder) -> None:
        """Throw the folder's staging copy away: its previous set stays as it was."""
        reportset.discard(f.final)
        self._say_failed(f, kept=False)
        self._let_go(f)

    def _say_failed(self, f: Folder, kept: bool) -> None:
        """One line per notebook that failed in the folder, said once the folder is in place or thrown away, so that
        it names the partly executed notebook only where it is."""
        for s in f.steps:
            if s.status == "failed" and s.error:
                saved = f.final / s.saved if kept and s.saved else None
                where = f" (partly executed notebook saved as {saved})" if saved and saved.exists() else ""
                err(s.error + where)

    def _let_go(self, f: Folder) -> None:
        del self.staged[f.label]
        f.lock.close()

    def _close(self) -> None:
        """However the run ended: no kernel left running, nothing left writing, every folder not finished thrown
        away (its previous set stays), every lock let go; a stop meanwhile waits until this is done."""
        with whole():
            self.stopping.set()
            if self.pool is not None:
                self.pool.stop()  # the kernels killed: an error or a stop ends the run instead of leaving it hanging
            for book in {id(b): b for b in (self.book, self.aside) if b is not None}.values():
                book.settle()
            with self.finishing:
                for f in list(self.staged.values()):
                    self._discard(f)

    def _report(self) -> int:
        """The run's last line, and its exit status: 1 when a step failed."""
        if self.book is not None:
            self._book_result()  # a slice with no area still waits for the year's workbook
        print(last_line(self.cfg.year_dir, self.cfg.per_area, self.steps, len(self.folders), self.book is not None,
                        time.perf_counter() - self.t0), file=sys.stderr)
        return 1 if any(s.status == "failed" for s in self.steps) else 0
