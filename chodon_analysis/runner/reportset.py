"""A report set is replaced as a whole: a run writes into a staging folder beside it, which takes the set's place in
one step when the run has finished. A killed run leaves the previous set (or, on a first run, none); its staging
folder is thrown away by the next run that may (docs/yearly-run.md#safety), which then redoes what is missing."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
from pathlib import Path

from ..base.files import whole
from .stop import pause

_RENAME_EXCHANGE = 2
_COMPLETE = ".complete"  # written into a staging folder just before it takes the set's place
LOCKS = ".locks"  # in reports/Y/ of a run per area: its locks (and the mark of that layout)


def siblings(final: Path) -> tuple[Path, Path]:
    """The staging folder of `final` and the name its previous set takes in the fallback swap."""
    return final.with_name(f".{final.name}.staging"), final.with_name(f".{final.name}.old")


def _ours(name: str) -> bool:
    """The run's own passing files: locks, markers, temporary files and notebooks; never carried over."""
    return name in (".lock", _COMPLETE) or (name.startswith(".") and name.endswith((".tmp", ".ipynb")))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links
        shutil.copy2(src, dst)


def remove(path: Path) -> None:
    """Remove a leftover, whatever it is; a link is removed, never followed."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def repair(final: Path) -> None:
    """What a killed run left of `final`'s staging: a swap it did not finish is completed (or undone), its staging
    folder and the previous set's thrown away, its marker removed. Only while no other run may be writing `final`."""
    staging, old = siblings(final)
    if not final.exists() and not final.is_symlink() and old.is_dir() and not old.is_symlink():
        # killed between the two renames of the fallback swap
        (staging if (staging / _COMPLETE).is_file() else old).rename(final)
    for leftover in (staging, old):
        if leftover.exists() or leftover.is_symlink():
            remove(leftover)
    if final.is_dir() and not final.is_symlink():
        with contextlib.suppress(OSError):
            (final / _COMPLETE).unlink()


def begin(final: Path) -> Path:
    """The staging folder of `final`, holding a copy (hard links) of the current set; leftovers of a killed run
    are repaired first (a swap it did not finish) or thrown away (a run it did not finish)."""
    repair(final)
    staging = siblings(final)[0]
    if final.is_dir():  # everything a person put there too (sub-folders, .htaccess): the new set keeps it
        shutil.copytree(final, staging, symlinks=True, copy_function=_link_or_copy,
                        ignore=lambda _d, names: [n for n in names if _ours(n)])
    else:
        staging.mkdir(parents=True)
    return staging


def discard(final: Path) -> None:
    """Throw away the staging folder of `final` (the run did not finish)."""
    staging = siblings(final)[0]
    if staging.exists() or staging.is_symlink():
        remove(staging)


def commit(final: Path) -> None:
    """The staging folder takes the place of `final` in one step (rename, or an atomic exchange of the two); a stop
    waits until the step is done."""
    staging, old = siblings(final)
    with whole():
        (staging / _COMPLETE).touch()
        if not final.exists():
            staging.rename(final)
            pause("swap")
        elif _exchange(staging, final):
            pause("swap")
            shutil.rmtree(staging, ignore_errors=True)  # now the previous set
        else:  # two renames; the next run finishes them if this one is killed in between
            final.rename(old)
            staging.rename(final)
            pause("swap")
            shutil.rmtree(old, ignore_errors=True)
        with contextlib.suppress(OSError):
            (final / _COMPLETE).unlink()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0
