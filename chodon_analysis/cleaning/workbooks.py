"""Reading the workbooks: find them, read each into records, issue rows and layout rows, on several cores when
there are many. Free of pandas, so that the worker processes start reading while the main one imports it."""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from ..base.files import digest
from ..base.issues import Log
from ..base.rule import direction_for, status_for
from ..base.table import row_columns
from ..base.visible import shown  # file names as they can be shown (the CLI and the runner import it here)
from .formats import EXTENSIONS, ReadError, Reason, read_workbook
from .layout.header import find_layout
from .layout.override import SUFFIX, load_override
from .layout.split import looks_transposed
from .rows.walk import extract_workbook

DEFAULT_DISTRICT = "Chợ Đồn"
PER_WORKER = 40  # files a worker process should have before a second one pays for itself

# Reference data that earlier versions kept beside the workbooks (now in data/external/): not workbooks
# and the project's own outputs, when --out points inside the folder read
REFERENCE_FILES = frozenset({"published_figures.csv", "provenance.csv", "indicators.csv", "issues.csv", "layout.csv",
                             "attainment_summary.csv", "forest_cover.csv", "grain_per_capita.csv"})


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders into the workbooks they hold (sorted); report paths that do not exist. A file given twice,
    or given and inside a given folder, is read once."""
    found, missing = [], []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if (f.suffix.lower() not in EXTENSIONS or f.name.startswith(("~$", ".")) or f.name.endswith(SUFFIX)
                        or f.name in REFERENCE_FILES or f.is_dir() or _page_files(f, p)):
                    continue
                if f.is_file():
                    found.append(f)
                else:
                    missing.append((f, _not_a_file(f)))
        elif p.is_file() and not p.name.endswith(SUFFIX):  # a layout file belongs to its workbook
            found.append(p)
        elif p.is_file():
            continue
        else:
            missing.append((p, _not_a_file(p)))
    seen: set[Path] = set()
    unique = []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, missing


def _page_files(f: Path, top: Path) -> bool:
    """A file of the folder a browser (or Excel) saves beside a web page, `<page>_files/`: the page's pictures,
    scripts and frames, not a workbook."""
    for folder in f.relative_to(top).parents:
        if folder.name.endswith("_files") and any((top / folder.parent / (folder.name[:-6] + ext)).is_file()
                                                  for ext in (".htm", ".html")):
            return True
    return False


def _not_a_file(path: Path) -> Reason:
    """Why a path named like a workbook is not read: missing, a broken link, or not a file (a pipe, a device)."""
    if path.is_symlink() and not path.exists():
        return Reason.of("dangling_link")
    if path.exists():
        return Reason.of("not_a_regular_file")
    return Reason.of("no_such_file")


def read_file(path: Path, district: str = DEFAULT_DISTRICT) -> tuple[list[dict], list[dict], list[dict]]:
    """Records, issue rows and layout rows of one file; raises ReadError when it cannot be read."""
    if path.suffix.lower() not in EXTENSIONS:
        raise ReadError("unsupported_type", ext=path.suffix, supported=", ".join(EXTENSIONS))
    book = read_workbook(path)
    log = Log(shown(path.name))
    if not book.sheets or not any(any(v not in (None, "") for row in s.grid for v in row) for s in book.sheets):
        raise ReadError("workbook_empty")
    override = load_override(path, [s.name for s in book.sheets])
    records, described = extract_workbook(book, shown(path.name), district, log, override)
    stamp(records, path)
    if not records:
        if not any(find_layout(s) for s in book.sheets):
            if any(looks_transposed(s) for s in book.sheets):
                raise ReadError("table_transposed")
            raise ReadError("no_table")
        log.add("", None, "", "", "no_indicator_rows")
    return records, log.rows, described


def stamp(records: list[dict], path: Path) -> None:
    """Each record with the digest of its file's bytes: which copy of the file (provenance.csv names the samples
    by it)."""
    sha256 = digest(path).hex()  # read once: the run's fingerprint of the workbooks has it already
    for r in records:
        r["source_sha256"] = sha256


def record_row(r: dict) -> tuple:
    """A record of `walk.extract_workbook` as a row of `table.row_columns()`, its direction and (but for `change`
    targets, which need the other workbooks) its status already computed, here in the reading process."""
    p, a = r["plan_target"], r["actual_target"]
    op = p.op if p else ""
    direction = direction_for(r["indicator"], op, p.direction if p else None)
    status = None if op == "change" else status_for(op, p.value if p else None, p.high if p else None,
                                                    p.decimals if p else 0, a.value if a else None, direction)
    blank, columns = _row_shape(row_columns())
    return columns({**blank, **r, "indicator_id": "",  # by `cleaner.catalog_ids`, once every file's rows are together
                    "plan_op": op, "plan_value": p.value if p else None, "plan_value_high": p.high if p else None,
                    "actual_value": a.value if a else None, "actual_is_estimate": bool(r["actual_is_estimate"]),
                    "direction": direction, "status": status,
                    "plan_decimals": p.decimals if p else 0, "phrase_direction": p.direction if p else None})


@lru_cache(maxsize=4)
def _row_shape(columns: tuple[str, ...]) -> tuple[dict[str, None], itemgetter]:
    """Every column of a row empty (a declared column no code fills yet stays so), and the getter of a row's values
    in the order of `columns` (`table.row_columns()`)."""
    return dict.fromkeys(columns), itemgetter(*columns)


def _read_one(path: Path, district: str) -> tuple[Path, Reason | None, tuple]:
    """One file read in a worker process: (path, reason it could not be read or None, what was read). The reason
    is the English sentence, carrying its `code` and `params` (formats/book.py) across processes."""
    try:
        records, log, described = read_file(path, district)
        return path, None, ([record_row(r) for r in records], log, described)
    except ReadError as e:
        return path, e.reason, ()
    except Exception as e:  # a bug or an unforeseen file: never lose the other files
        return path, Reason.of("unexpected_error", error=f"{type(e).__name__}: {e}"), ()


def read_all(files: list[Path], district: str, jobs: int | None) -> Iterator[tuple[Path, str | None, tuple]]:
    """Read every file in reader processes, on several cores when there are many (results in the order of
    `files`): a reader that dies in native code (a crash, an allocation abort) costs only its file, whatever the
    number of files. The worker processes start at once: the caller may import pandas while they read. They are
    short-lived and build many small objects: the cycle collector would only slow them down, so it is off in them."""
    if not files:
        return iter(())
    workers = min(jobs or os.cpu_count() or 1, max(1, len(files) // PER_WORKER))
    # fork is fast, but not safe while other threads run (the yearly run's kernels): then spawn
    fork = threading.active_count() == 1 and "fork" in mp.get_all_start_methods()
    if os.environ.get("CHODON_READERS") == "in-process":  # no containment: for many tiny cleans (the test suite)
        return (_read_one(f, district) for f in files)
    if workers == 1 and fork:
        return _read_forked(files, district)
    return _read_pooled(files, district, workers, mp.get_context("fork" if fork else "spawn"))


def _read_forked(files: list[Path], district: str) -> Iterator[tuple[Path, str | None, tuple]]:
    """Read `files` in one forked reader process (a few milliseconds to start), its results coming back through a
    pipe as they are read. When the reader dies, the file it was reading is named and the rest read anew."""
    while files:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the reader
            try:
                os.close(r)
                gc.disable()
                with os.fdopen(w, "wb") as out:
                    for f in files:
                        pickle.dump(_read_one(f, district), out, protocol=pickle.HIGHEST_PROTOCOL)
                        out.flush()
            finally:
                os._exit(0)
        os.close(w)
        done = 0
        try:
            with os.fdopen(r, "rb") as results:
                while done < len(files):
                    try:
                        result = pickle.load(results)
                    except (EOFError, pickle.UnpicklingError):
                        break  # the reader died on files[done]
                    done += 1
                    yield result
        finally:
            os.waitpid(pid, 0)
        if done < len(files):
            yield files[done], Reason.of("reader_crashed"), ()
        files = files[done + 1:]


def _read_pooled(files: list[Path], district: str, workers: int, ctx) -> Iterator[tuple[Path, str | None, tuple]]:
    """Read `files` on `workers` processes, in order. When a reader process dies (a crash in native code), the
    first file not yet read is read again alone, and the rest on fresh processes: a crash costs only its file."""
    while files:
        pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=gc.disable)
        done = 0
        try:
            with pool:  # a worker may die while the files are still being handed out: inside the try too
                results = pool.map(_read_one, files, [district] * len(files),
                                   chunksize=max(1, len(files) // (workers * 8)))
                for result in results:
                    done += 1
                    yield result
            return
        except BrokenProcessPool:
            yield _read_isolated(files[done], district, ctx)
            files = files[done + 1:]


def _read_isolated(path: Path, district: str, ctx) -> tuple[Path, Reason | None, tuple]:
    """One file read in a process of its own, after a reader process died."""
    try:
        with ProcessPoolExecutor(1, mp_context=ctx) as one:
            return one.submit(_read_one, path, district).result()
    except BrokenProcessPool:
        return path, Reason.of("reader_crashed"), ()
