"""Notebook outputs and git: a notebook you run in JupyterLab keeps its outputs in your file, and git stores it
without them (nbstripout's clean filter, which `make install` sets up with EXTRA_KEYS): `git diff` shows nothing
and a commit takes no output, and nothing you ran is lost. The outputs of the yearly reports live in reports/YEAR/
(executed .ipynb and .html)."""

EXTRA_KEYS = ["metadata.language_info", "metadata.papermill", "cell.metadata.papermill"]  # stripped by the filter
# too, besides nbstripout's own (outputs, counts, execution times)
