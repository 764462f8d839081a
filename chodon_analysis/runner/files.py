"""Files of a run: one run at a time per report folder, and text written under a temporary name."""

from __future__ import annotations

import contextlib
import fcntl
from pathlib import Path

from ..cleaning.write import write_atomic


@contextlib.contextmanager
def run_lock(folder: Path):
    """One run at a time per report folder; the lock goes away with the process, even on kill -9."""
    folder.mkdir(parents=True, exist_ok=True)
    fh = (folder / ".lock").open("a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise RuntimeError(f"another `chodon run` is writing {folder} right now; wait for it to finish") from None
    try:
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text through a temporary file moved into place."""
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))
