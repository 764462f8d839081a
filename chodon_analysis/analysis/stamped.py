"""Reference files every report of a run reads again (the findings of the checks, the published figures, provenance):
read once in a process while the file stays the same (its inode, time and size: a file replaced by an atomic write is
read anew), each caller getting a copy of its own. A run's kernel executes hundreds of notebooks over the same files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

_READ: dict[Path, tuple[tuple[int, int, int], pd.DataFrame]] = {}


def read(path: Path, reader: Callable[[Path], pd.DataFrame]) -> pd.DataFrame:
    """`reader(path)`, or a copy of what it gave for this very file before."""
    try:
        st = os.stat(path)
    except OSError:
        return reader(path)
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    hit = _READ.get(path)
    if hit is None or hit[0] != stamp:
        hit = _READ[path] = (stamp, reader(path))
    return hit[1].copy()
