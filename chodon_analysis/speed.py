"""Start-up costs the project does not need to pay, avoided by an explicit call (never on import).

`rfc3987-syntax`, pulled in by jsonschema's format checker (through nbformat, which plotly and papermill
import), compiles a Lark grammar when imported: about 1.5 s in every process, twice per papermill run.
Nothing in this project validates IRI formats, so `skip_unused_imports()` tells jsonschema the package is
absent. The command line and the run's kernels call it first; set CHODON_KEEP_RFC3987=1 to keep the package.

typer builds a pydantic adapter for each parameter it parses (importing pydantic: about 0.1 s of CPU, a tenth of a
whole clean of 300 workbooks). `plain_clean` reads the one command line that is run over and over, `chodon clean
[PATH ...] [--out DIR]` with nothing else, so that cli.py runs it without typer; any other line (an option, `--`,
`--help`, a mistake) is typer's, with its words.
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
