"""Files written whole or not at all: through a fresh temporary name moved into place, several as a set; the lock
that keeps one writer per folder (flock: gone with the process, even on kill -9), and the removal of what a killed
writer left; steps that a stop (Ctrl-C, SIGTERM) must not cut in two. Shared by every stage."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from .visible import shown

_DEFER = {"depth": 0, "pending": False}  # the main thread's steps under way that a stop waits for
_DIGESTS: dict[Path, tuple[tuple[int, ...], bytes]] = {}  # a file's digest while its stat is the same


def digest(path: Path) -> bytes:
    """The SHA-256 of a file's bytes, read again only when its device, inode, size or times changed since its last
    digest in this process (the fingerprint of the workbooks, then the clean's record of each one, in forked readers
    too). OSError when it cannot be read."""
    st = path.stat()
    sig = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    known = _DIGESTS.get(path)
    if known is not None and known[0] == sig:
        return known[1]
    with path.open("rb") as fh:  # in pieces: a large stray file costs time, not memory
        found = hashlib.file_digest(fh, "sha256").digest()
    if len(_DIGESTS) >= 100_000:  # a process that has seen a great many files starts afresh
        _DIGESTS.clear()
    _DIGESTS[path] = (sig, found)
    return found


@contextlib.contextmanager
def whole() -> Iterator[None]:
    """A step a stop must not cut in two (files moved into place as a set, a folder swapped): a stop handler that asks
    `stop_deferred()` lets it end, and the stop (KeyboardInterrupt) is raised when it has. Only the main thread, where
    signal handlers run, is concerned."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _DEFER["depth"] += 1
    try:
        yield
    finally:
        _DEFER["depth"] -= 1
        if not _DEFER["depth"] and _DEFER["pending"]:
            _DEFER["pending"] = False
            raise KeyboardInterrupt


def stop_deferred() -> bool:
    """For a stop handler: True inside `whole()` (the stop is then raised as the step ends), else False."""
    if _DEFER["depth"]:
        _DEFER["pending"] = True
        return True
    return False


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
            with whole():  # a stop between creating the file and noting it would leave it behind
                temps.append(_temporary(path))
        if parallel and len(jobs) > 1:  # Arrow writes without holding Python's lock: the files in parallel
            with ThreadPoolExecutor(len(jobs)) as pool:
                list(pool.map(lambda pair: _write(*pair[0], pair[1]), zip(jobs, temps, strict=True)))
        else:
            for (path, write), tmp in zip(jobs, temps, strict=True):
                _write(path, write, tmp)
        with whole():  # all of the set, or none of it
            for (path, _), tmp in zip(jobs, temps, strict=True):
                tmp.replace(path)
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise
    return [path for path, _ in jobs]


def _write(path: Path, write: Callable[[Path], None], tmp: Path) -> None:
    """One file of a set; a system error that names no file (a full disk) names the file it was writing."""
    try:
        write(tmp)
    except OSError as e:
        if not e.filename:
            e.filename = str(path)
        raise


_HELD: set[Path] = set()
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")  # the names write_atomic gives (mkstemp)


def is_temporary(name: str) -> bool:
    """Whether `name` is one write_atomic gives its temporary files."""
    return bool(_TEMPORARY.fullmatch(name))


def remove_temporaries(folder: Path) -> None:
    """The temporary files a killed writer left in `folder`; call it only while no one else can be writing there."""
    for stale in folder.glob(".*.tmp"):
        if is_temporary(stale.name):
            with contextlib.suppress(OSError):
                stale.unlink()


def _same_file(fh, lock_file: Path) -> bool:
    """Whether the open lock file is still the one at its name (a lock file may be removed: `drop_lock`)."""
    try:
        st = os.stat(lock_file, follow_symlinks=False)
    except FileNotFoundError:
        return False
    mine = os.fstat(fh.fileno())
    return (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino)


def _open_lock(lock_file: Path, create: bool = True):
    """The lock file, never through a link: a link planted at its name is removed and a real file made."""
    flags = os.O_RDWR | os.O_NOFOLLOW | (os.O_CREAT if create else 0)
    for _ in range(2):
        try:
            return os.fdopen(os.open(lock_file, flags, 0o666), "r+")
        except OSError as e:
            if not lock_file.is_symlink():
                raise
            lock_file.unlink()  # ELOOP: someone put a link there
            err = e
    raise err


def _take(lock_file: Path, shared: bool, busy: str | None, probe: bool = False):
    """The lock file held (and whether this holder is alone), the file still at its name (retried when it was removed
    meanwhile). `probe`: taken exclusively if no one else holds it, else shared."""
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    while True:
        fh = _open_lock(lock_file)
        try:
            alone = probe and _alone(fh)
            if not alone:
                try:
                    fcntl.flock(fh, mode | fcntl.LOCK_NB)
                except BlockingIOError:
                    if busy:
                        raise RuntimeError(busy) from None
                    if not probe:  # a probe waits only for another's brief clean-up
                        print(f"waiting for another chodon writing {shown(lock_file.parent)} ...", file=sys.stderr,
                              flush=True)
                    fcntl.flock(fh, mode)
            if _same_file(fh, lock_file):
                return fh, alone or not shared
        except BaseException:
            fh.close()
            raise
        fh.close()


def _alone(fh) -> bool:
    """Take the lock of an open lock file (holding none yet) exclusively if no one else holds it."""
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def folder_lock(lock_file: Path, busy: str | None = None, shared: bool = False,
                tidy: bool | Callable[[], None] = True) -> Iterator[None]:
    """Hold `lock_file` (flock: it goes away with the process, even on kill -9). With `busy`, refuse at once with
    that message when another process holds it; else wait for it. `shared`: held together with other shared holders
    (slices of an area run), never with an exclusive one. `tidy`: what is cleaned up when this holder is the only one
    (held exclusively; in shared mode without `busy`, when no one else holds it at that moment): the temporary files
    killed writers left beside the lock (True), nothing (False), or a function of the caller's."""
    lock_file = lock_file.absolute()
    if lock_file in _HELD and not shared:  # this process holds it already (a run cleaning into its processed folder)
        yield
        return
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fh, alone = _take(lock_file, shared, busy, probe=shared and not busy and tidy is not False)
    try:
        if alone and tidy is not False:
            (tidy if callable(tidy) else lambda: remove_temporaries(lock_file.parent))()
        if shared and alone:
            fcntl.flock(fh, fcntl.LOCK_SH)  # others may join now (from exclusive to shared: in one step)
        if not shared:
            _HELD.add(lock_file)
        yield
    finally:
        if not shared:
            _HELD.discard(lock_file)
        fh.close()  # closing releases the lock


def drop_lock(lock_file: Path) -> None:
    """Remove a lock file no one holds (a refused run leaves the folder as it found it); one in use stays."""
    try:
        fh = _open_lock(lock_file, create=False)
    except OSError:
        return
    with fh:
        if _alone(fh) and _same_file(fh, lock_file):
            lock_file.unlink()


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text through a temporary file moved into place."""
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))
