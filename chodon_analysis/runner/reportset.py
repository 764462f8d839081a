"""A year's report set is replaced as a whole: a run writes into a staging folder beside it, which takes the
set's place in one step when the run has finished. A killed run leaves the previous set (or, on a first run,
none); its staging folder is thrown away by the next run, which then redoes what is missing."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
from pathlib import Path

_RENAME_EXCHANGE = 2
_COMPLETE = ".complete"  # written into a staging folder just before it takes the set's place


def _siblings(final: Path) -> tuple[Path, Path]:
    return final.with_name(f".{final.name}.staging"), final.with_name(f".{final.name}.old")


def real(final: Path) -> Path:
    """The folder a report path names: a link (to a web share, say) is followed, so that the set is replaced
    inside its target and the link stays."""
    return final.resolve() if final.is_symlink() else final


def _ours(name: str) -> bool:
    """The run's own passing files: locks, markers, temporary files and notebooks; never carried over."""
    return name in (".lock", _COMPLETE) or (name.startswith(".") and name.endswith((".tmp", ".ipynb")))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links
        shutil.copy2(src, dst)


def begin(final: Path) -> Path:
    """The staging folder of `final`, holding a copy (hard links) of the current set; leftovers of a killed run
    are repaired first (a swap it did not finish) or thrown away (a run it did not finish)."""
    final = real(final)
    staging, old = _siblings(final)
    if not final.exists() and old.exists():  # killed between the two renames of the fallback swap
        (staging if (staging / _COMPLETE).exists() else old).rename(final)
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    if final.is_dir():  # everything a person put there too (sub-folders, .htaccess): the new set keeps it
        shutil.copytree(final, staging, symlinks=True, copy_function=_link_or_copy,
                        ignore=lambda _d, names: [n for n in names if _ours(n)])
    else:
        staging.mkdir(parents=True)
    return staging


def discard(final: Path) -> None:
    """Throw away the staging folder of `final` (the run did not finish)."""
    shutil.rmtree(_siblings(real(final))[0], ignore_errors=True)


def commit(final: Path) -> None:
    """The staging folder takes the place of `final` in one step (rename, or an atomic exchange of the two)."""
    final = real(final)
    staging, old = _siblings(final)
    (staging / _COMPLETE).touch()
    if not final.exists():
        staging.rename(final)
    elif _exchange(staging, final):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous set
    else:  # two renames; `begin` finishes them if the run is killed in between
        final.rename(old)
        staging.rename(final)
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
