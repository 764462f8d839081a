"""Files written whole or not at all: through a fresh temporary name moved into place, several as a set, and the
lock that keeps one writer per folder (flock: gone with the process, even on kill -9). Shared by every stage."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .visible import shown


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
            print(f"waiting for another chodon writing {shown(lock_file.parent)} ...", file=sys.stderr, flush=True)
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


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text through a temporary file moved into place."""
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))
