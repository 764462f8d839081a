"""JupyterLab's save of a project notebook keeps no outputs, as git stores it: `git status` stays clean after a
session (the reports keep the outputs). `make install` registers `strip_outputs` as Jupyter's pre-save hook."""

from __future__ import annotations

from pathlib import Path

from .paths import NOTEBOOKS, project_dir

EXTRA_KEYS = ["metadata.language_info", "metadata.papermill", "cell.metadata.papermill"]  # `make install` gives
# them to the git filter too
NBSTRIPOUT_DEFAULTS = ["metadata.signature", "metadata.widgets", "cell.metadata.collapsed", "cell.metadata.ExecuteTime",
                       "cell.metadata.execution", "cell.metadata.heading_collapsed", "cell.metadata.hidden",
                       "cell.metadata.scrolled"]  # what the nbstripout command strips besides outputs


def is_project_notebook(path: Path) -> bool:
    """A notebook of the project's notebooks/ folder (an analyst's notebook elsewhere keeps its outputs)."""
    return path.suffix == ".ipynb" and path.resolve().parent == (project_dir() / NOTEBOOKS).resolve()


def strip(nb: dict) -> dict:
    """The notebook as committed: no outputs, counts or volatile metadata (nbstripout, as the git filter does)."""
    import nbformat
    from nbstripout import strip_output

    node = nbformat.from_dict(nb)
    return strip_output(node, keep_output=False, keep_count=False, keep_id=False,
                        extra_keys=NBSTRIPOUT_DEFAULTS + EXTRA_KEYS)


def strip_outputs(model: dict, path: str, contents_manager: object, **_: object) -> None:
    """Jupyter pre-save hook: a project notebook is saved without its outputs."""
    if model.get("type") != "notebook" or not model.get("content"):
        return
    root = Path(getattr(contents_manager, "root_dir", "."))
    if is_project_notebook(root / path.lstrip("/")):
        model["content"] = strip(model["content"])
