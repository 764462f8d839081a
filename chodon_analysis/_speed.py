"""Start-up costs the project does not need to pay.

`rfc3987-syntax`, pulled in by jsonschema's format checker (through nbformat, which plotly and papermill
import), compiles a Lark grammar when imported: about 1.5 s in every process, twice per papermill run.
Nothing in this project validates IRI formats, so jsonschema is told the package is absent.
Set CHODON_KEEP_RFC3987=1 to keep it.
"""

import os
import sys

if not os.environ.get("CHODON_KEEP_RFC3987") and "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # `import` now raises ImportError
