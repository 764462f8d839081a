"""Loaded by papermill when it starts (pyproject.toml: the entry point `chodon` of its group `papermill.engine`), so
that a report parameter that cannot work ends plain papermill with the notebook's one line:

    papermill notebooks/attainment.ipynb out.ipynb -p year 1999
    ParameterError: year: dữ liệu không có năm 1999; các năm có số liệu: 2020, 2021, 2022, 2023, 2024, 2025

and not with thirty lines of papermill's own traceback above it. Any other error of a notebook keeps papermill's
whole report."""

from __future__ import annotations

import sys

from papermill.engines import NBClientEngine


class Engine(NBClientEngine):
    """papermill's own engine, unchanged (`--engine chodon` runs as the default does): registering it is what has
    papermill load this module."""


def one_line(exc: BaseException) -> str | None:
    """The line a notebook showed for a refused parameter (report/parameters.py), if `exc` is papermill's report of
    one; else None."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError) and exc.ename == "ParameterError":
        return f"{exc.ename}: {exc.evalue}"
    return None


def _excepthook(exc_type, exc, tb) -> None:
    line = one_line(exc)
    if line is None:
        _previous(exc_type, exc, tb)
    else:
        print(line, file=sys.stderr)  # papermill then exits 1, its output notebook written


_previous = sys.excepthook
sys.excepthook = _excepthook
