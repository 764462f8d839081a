"""Start-up costs the project does not need to pay, avoided by an explicit call (never on import).

`rfc3987-syntax`, pulled in by jsonschema's format checker (through nbformat, which plotly and papermill
import), compiles a Lark grammar when imported: about 1.5 s in every process, twice per papermill run.
Nothing in this project validates IRI formats, so `skip_unused_imports()` tells jsonschema the package is
absent. The command line and the run's kernels call it first; set CHODON_KEEP_RFC3987=1 to keep the package.
"""

from __future__ import annotations

import os
import sys


def skip_unused_imports() -> None:
    """Make `import rfc3987_syntax` fail fast in this process, unless CHODON_KEEP_RFC3987 is set."""
    if not os.environ.get("CHODON_KEEP_RFC3987") and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # `import` now raises ImportError
