"""chodon-analysis: clean and analyse the plan indicators of Chợ Đồn district (Bắc Kạn, Vietnam).

The public names are imported lazily, so that `chodon --version` and `--help` start fast.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from . import _speed  # noqa: F401  (must come first: see its docstring)

try:
    __version__ = version("chodon-analysis")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

_LAZY = {"Rule": "classify", "CleanResult": "cleaner", "clean": "cleaner", "load_indicators": "cleaner",
         "write_outputs": "cleaner"}
__all__ = ["CleanResult", "Rule", "__version__", "clean", "load_indicators", "write_outputs"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'chodon_analysis' has no attribute {name!r}")
