"""The report tree (`--reports`): which of its folders a run may write, the lock every run holds on it, the clean-up
of what killed runs left, and a refused run's undo (docs/yearly-run.md#safety).

Every run holds the tree's lock (`reports/.lock`) shared while it lives. A run that finds no other holder, so no
other run writing in the tree, first removes what killed runs left anywhere in it: temporary files, staging folders
(a swap left half-way is finished), markers. A run that is refused after it has taken its locks removes the lock
files and empty folders it made, so that the tree is as it found it."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..base.files import drop_lock, folder_lock, remove_temporaries
from ..cleaning.workbooks import shown
from . import runlog
from .reportset import LOCKS, repair
from .steps import err

TREE_LOCK = ".lock"
_STAGED = re.compile(r"\.(.+)\.(staging|old)")  # a report set's staging folder, or its previous set mid-swap
_YEAR = re.compile(r"\d+")
_TREE_MARKS = re.compile(r"\.lock|\.gitkeep|\.\d+\.(lock|staging|old)|plotly-.+\.min\.js|report-[0-9a-f]+\.css")
_NOTHING = {".gitkeep", ".DS_Store", "Thumbs.db", "desktop.ini"}  # a folder holding only these is empty


def _names(folder: Path) -> set[str]:
    with os.scandir(folder) as entries:
        return {e.name for e in entries}


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _area_ours(folder: Path) -> bool:
    return runlog.exists(folder) or (folder / "summary.json").is_file()


def _year_ours(folder: Path) -> bool:
    """A year's folder a run wrote: a whole year's set (run.json) or a folder of areas (its lock folder, an area's)."""
    return runlog.exists(folder) or _real_dir(folder / LOCKS) or any(
        _real_dir(folder / n) and _area_ours(folder / n) for n in _names(folder))


def _tree_ours(folder: Path) -> bool:
    """A report tree a run wrote: its locks, shared plotly.js and styles, a year's folder; or the project's own."""
    return any(_TREE_MARKS.fullmatch(n) or (_YEAR.fullmatch(n) and _real_dir(folder / n) and _year_ours(folder / n))
               for n in _names(folder))


def _problem(path: Path, ours, label: str, fix: str) -> str | None:
    """Why `path` cannot be a folder the run writes: a link, a file, or a folder of files it did not write (a folder
    that is missing, empty or of the run's own is fine). `label` names it, `fix` says what to do."""
    if path.is_symlink():
        return (f"{label}: this is a link (to {shown(os.readlink(path))}), not a folder; a run writes only into real "
                f"folders of its own, never through a link: {fix}")
    if not path.exists():
        return None
    if not path.is_dir():
        return f"{label}: this is a file, not a folder; {fix}"
    foreign = sorted(_names(path) - _NOTHING)
    if not foreign or ours(path):
        return None
    more = ", ..." if len(foreign) > 3 else ""
    return (f"{label}: this folder holds files no run wrote ({', '.join(shown(n) for n in foreign[:3])}{more}); "
            f"{fix}")


def refusal(reports: Path, year_dir: Path) -> str | None:
    """Why the report tree or the year's folder in it cannot be written (checked before anything is)."""
    elsewhere = "give --reports another folder (it is created if missing)"
    tree = _problem(reports, _tree_ours, f"--reports {reports}", f"{elsewhere}, or the folder of earlier reports")
    if tree and not _real_dir(reports):
        return tree
    year = _problem(year_dir, _year_ours, str(year_dir), f"move it away, or {elsewhere}")
    if year and not _real_dir(year_dir):
        return year
    return (_problem(year_dir / LOCKS, lambda _p: True, str(year_dir / LOCKS), f"remove it, or {elsewhere}")
            or year or tree)


def area_refusal(folder: Path) -> str | None:
    """Why an area's report folder cannot be written (checked before any area's is)."""
    return _problem(folder, _area_ours, str(folder), "move it away, or give --reports another folder")


def sweep(reports: Path) -> None:
    """What killed runs left in the tree, while no other run writes in it: temporary files beside the shared files
    and the year's pages, staging folders of a whole year's set or of an area's (a swap left half-way finished or
    undone), markers left in a set. Links are never followed."""
    remove_temporaries(reports)
    for name in sorted(_names(reports)):
        if m := _STAGED.fullmatch(name):
            repair(reports / m.group(1))
        elif _YEAR.fullmatch(name) and _real_dir(year := reports / name):
            remove_temporaries(year)
            for sub in sorted(_names(year)):
                if m := _STAGED.fullmatch(sub):
                    repair(year / m.group(1))
                elif _real_dir(year / sub):
                    with contextlib.suppress(OSError):
                        (year / sub / ".complete").unlink()
            with contextlib.suppress(OSError):
                (year / ".complete").unlink()


def hold(reports: Path, year: int, per_area: bool) -> contextlib.ExitStack | None:
    """The tree's lock, shared with every other run (the first to find no other one cleans up what killed runs left),
    and the year's: one whole-year run, or any number of area runs (slices) and no whole-year run, at a time; None,
    said in one line, when another run holds the year's."""
    year_dir = reports / str(year)
    if per_area:
        busy = f"a whole-year `chodon run` (without --area) is writing {year_dir} right now; wait for it to finish"
    else:
        busy = f"another `chodon run` is writing {year_dir} right now; wait for it to finish"
    held = contextlib.ExitStack()
    try:
        held.enter_context(folder_lock(reports / TREE_LOCK, shared=True, tidy=lambda: sweep(reports)))
        held.enter_context(folder_lock(reports / f".{year}.lock", busy, shared=per_area, tidy=False))
    except RuntimeError as e:
        held.close()
        err(str(e))
        return None
    except BaseException:
        held.close()
        raise
    return held


@dataclass
class Footprint:
    """The folders a run may add to (the tree, the year's folder, its lock folder) as they were before it, by name;
    None for a folder that did not exist."""

    before: dict[Path, set[str] | None]

    @classmethod
    def of(cls, reports: Path, year_dir: Path) -> Footprint:
        folders = (reports, year_dir, year_dir / LOCKS)
        return cls({f: _names(f) if _real_dir(f) else None for f in folders})

    def restore(self) -> None:
        """After a refused run, once its locks are let go: the lock files and empty folders it made are removed (a
        lock another run holds meanwhile, and anything else, stay)."""
        for folder, had in reversed(self.before.items()):
            if not _real_dir(folder):
                continue
            for name in _names(folder) - (had or set()):
                path = folder / name
                if name.endswith(".lock") and path.is_file() and not path.is_symlink():
                    drop_lock(path)
                elif _real_dir(path):
                    with contextlib.suppress(OSError):
                        path.rmdir()  # only when empty
            if had is None:
                with contextlib.suppress(OSError):
                    folder.rmdir()
