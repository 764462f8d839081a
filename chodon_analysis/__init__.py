"""chodon-analysis: clean and analyse the plan indicators of Chợ Đồn district (Bắc Kạn, Vietnam)."""

from importlib.metadata import PackageNotFoundError, version

from .classify import Rule, classify
from .clean import CleanResult, clean, load_indicators, write_outputs

try:
    __version__ = version("chodon-analysis")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["CleanResult", "Rule", "__version__", "classify", "clean", "load_indicators", "write_outputs"]
