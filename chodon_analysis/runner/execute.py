"""A report notebook executed by papermill as `papermill.execute_notebook` does it (its parameters injected, its
metadata, its engine and per-cell record, its error markers), without the work no reader needs: the source notebook
is read and checked once per run (a copy of it each time, not a new read for every report of an area run), and the
executed notebook is written once, by the run, not first by papermill too (checked against nbformat's schema and
indented, then replaced)."""

from __future__ import annotations

import copy
import os
import threading
from pathlib import Path
from typing import Any

_SOURCES: dict[tuple[str, int, int], Any] = {}  # the notebooks read, by path, modification time and size
_LOCK = threading.Lock()


def source(path: Path) -> Any:
    """A fresh copy of the notebook at `path` as papermill reads it (`load_notebook_node`: nbformat's check, its
    upgrade, papermill's metadata), read once while the file is unchanged."""
    from papermill.iorw import load_notebook_node

    st = os.stat(path)
    key = (str(path), st.st_mtime_ns, st.st_size)
    with _LOCK:
        if key not in _SOURCES:
            _SOURCES[key] = load_notebook_node(str(path))
        node = _SOURCES[key]
    return copy.deepcopy(node)


def execute_notebook(path: Path, output: Path, params: dict[str, Any], km: Any, cwd: Path) -> Any:
    """Execute the notebook at `path` with `params` in `km`'s kernel (working folder `cwd`): the executed notebook,
    which the caller writes to `output`. A failed cell raises papermill's PapermillExecutionError once the notebook
    with papermill's error markers is written to `output`, as papermill does."""
    from papermill.engines import papermill_engines
    from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
    from papermill.parameterize import parameterize_notebook
    from papermill.utils import chdir

    nb = source(path)
    if params:
        nb = parameterize_notebook(nb, params, kernel_name="python3")
    nb = remove_error_markers(prepare_notebook_metadata(nb, str(path), str(output)))
    with chdir(str(cwd)):
        nb = papermill_engines.execute_notebook_with_engine(
            None, nb, input_path=str(path), output_path=None, kernel_name="python3", progress_bar=False,
            log_output=False, start_timeout=60, stdout_file=None, stderr_file=None, km=km)
    raise_for_execution_errors(nb, str(output))
    return nb
