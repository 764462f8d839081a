"""Start-up costs the project does not need to pay, avoided by an explicit call (never on import).

`rfc3987-syntax`, pulled in by jsonschema's format checker (through nbformat, which plotly and papermill
import), compiles a Lark grammar when imported: about 1.5 s in every process, twice per papermill run.
Nothing in this project validates IRI formats, so `skip_unused_imports()` tells jsonschema the package is
absent. The command line and the run's kernels call it first; set CHODON_KEEP_RFC3987=1 to keep the package.

typer builds a pydantic adapter for each parameter it parses (importing pydantic: about 0.1 s of CPU, a tenth of a
whole clean of 300 workbooks). `plain_clean` and `plain_run` read the command lines that are run over and over,
`chodon clean [PATH ...] [--out DIR]` and `chodon run --year YEAR` with its options each written `--name VALUE`, so
that cli.py runs them without typer; any other line (`--name=VALUE`, an option twice, `--`, `--help`, a value typer
would refuse, a mistake) is typer's, with its words.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def skip_unused_imports() -> None:
    """Make `import rfc3987_syntax` fail fast in this process, unless CHODON_KEEP_RFC3987 is set."""
    if not os.environ.get("CHODON_KEEP_RFC3987") and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # `import` now raises ImportError


def plain_clean(argv: list[str]) -> tuple[list[Path], Path | None] | None:
    """(paths, --out or None) of `clean [PATH ...] [--out DIR]` given nothing else; None for any other line."""
    if not argv or argv[0] != "clean":
        return None
    paths: list[Path] = []
    out: Path | None = None
    rest = argv[1:]
    while rest:
        arg = rest.pop(0)
        if arg == "--out" and out is None and rest and rest[0] and not rest[0].startswith("-"):
            out = Path(rest.pop(0))
        elif not arg or arg.startswith("-"):  # an option, `--`, `-`, an empty name: as typer reads them
            return None
        else:
            paths.append(Path(arg))
    return paths, out


RUN_NUMBERS = ("--year", "--jobs")
RUN_PATHS = ("--raw", "--external", "--processed", "--reports", "--notebooks")
RUN_WORDS = ("--area", "--shard", "--lang")
RUN_FLAGS = ("--force", "--show-code")


def plain_run(argv: list[str]) -> dict[str, object] | None:
    """The arguments of `chodon run` (cli.run's keywords) for `run --year YEAR` with options each given once as
    `--name VALUE` (a value not empty nor starting with `-`), the flags, and `--param`/`-p NAME=VALUE` as often as
    wanted; None for any other line, and for a year or a number of jobs typer would refuse (its words say why)."""
    if not argv or argv[0] != "run":
        return None
    given: dict[str, str] = {}
    params: list[str] = []
    rest = argv[1:]
    while rest:
        arg = rest.pop(0)
        if arg in RUN_FLAGS and arg not in given:
            given[arg] = ""
        elif arg in (*RUN_NUMBERS, *RUN_PATHS, *RUN_WORDS, "--param", "-p") and arg not in given and rest \
                and rest[0] and not rest[0].startswith("-"):
            if arg in ("--param", "-p"):
                params.append(rest.pop(0))
            else:
                given[arg] = rest.pop(0)
        else:
            return None
    year, jobs = given.get("--year", ""), given.get("--jobs", "0")
    if not (year.isascii() and year.isdigit() and 1900 <= int(year) <= 2200 and jobs.isascii() and jobs.isdigit()):
        return None
    kw: dict[str, object] = {"year": int(year), "jobs": int(jobs)}
    for arg, value in given.items():
        name = arg.removeprefix("--").replace("-", "_")
        if arg in RUN_FLAGS:
            kw[name] = True
        elif arg in RUN_PATHS:
            kw[name] = Path(value)
        elif arg in RUN_WORDS:
            kw[name] = value
    return kw | ({"param": params} if params else {})
