"""chodon-analysis: clean and analyse the plan indicators of Chợ Đồn district (Bắc Kạn, Vietnam).

The pipeline runs in stages, each a sub-package that depends only on the ones before it:
`clean` (workbooks -> tidy table) -> `analysis` (attainment, trends, progress, derived tables)
-> `report` (charts, tables, sentences for the notebooks) -> `runner` (the yearly run).
The public names are imported lazily, so that `chodon --version` and `--help` start fast.

For analysts (docs/api.md): `load()` the tidy table, `series(indicator, area)` one indicator's history,
`attainment(year, area)` a year's statuses and counts, `compare(year)` the communes ranked, `chart(indicator, area,
lang)` its plotly chart, `quality(year)` the findings of the checks, `catalog()` the indicators known.
"""

from importlib import import_module

_API = ("Attainment", "attainment", "catalog", "chart", "compare", "load", "quality", "series")  # the analyst's
_LAZY = {"Rule": ".base.rule", "CleanResult": ".cleaning.cleaner", "clean": ".cleaning.cleaner",
         "load_indicators": ".cleaning.outputs", "write_outputs": ".cleaning.cleaner"} | dict.fromkeys(_API, ".api")
__all__ = ["Attainment", "CleanResult", "Rule", "__version__", "attainment", "catalog", "chart", "clean", "compare",
           "load", "load_indicators", "quality", "series", "write_outputs"]


def __dir__() -> list[str]:
    """The names Tab offers in JupyterLab: the lazy ones too."""
    return sorted(set(globals()) | set(__all__))


def __getattr__(name: str):
    if name == "__version__":  # looked up when asked: `chodon run` starts (and can be stopped cleanly) sooner
        from importlib.metadata import PackageNotFoundError, version

        try:
            globals()["__version__"] = version("chodon-analysis")
        except PackageNotFoundError:  # running from a source tree without install
            globals()["__version__"] = "0.0.0"
        return globals()["__version__"]
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'chodon_analysis' has no attribute {name!r}")
