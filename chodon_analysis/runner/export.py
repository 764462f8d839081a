"""HTML of an executed notebook, offline (plotly.js and the styles from the report tree's one copy, no CDN), made by
nbconvert with the template report/templates/notebook.html.j2; and the failing cell of a failed one."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .steps import Step

if TYPE_CHECKING:
    from .jobs import Job

_TEMPLATES = Path(__file__).resolve().parent.parent / "report" / "templates"  # notebook.html.j2 and its styles
_EXPORTERS: dict[bool, tuple[object, str]] = {}
_EXPORTER_LOCK = threading.Lock()


def _exporter(show_code: bool) -> tuple[object, str]:
    """One exporter per setting, with the report template (report/templates/notebook.html.j2), and the pages'
    styles: building one compiles its templates (a quarter of a second), or reads them compiled (Jinja2's cache)."""
    with _EXPORTER_LOCK:
        if show_code not in _EXPORTERS:
            import nbformat

            from ..report.pages import bytecode_cache

            exporter = _report_exporter()(extra_template_paths=[str(_TEMPLATES)], template_file="notebook.html.j2",
                                          exclude_input=not show_code, exclude_input_prompt=True,
                                          exclude_output_prompt=True)
            exporter.environment.bytecode_cache = bytecode_cache("nbconvert")  # compiled once, not in every run
            _, resources = exporter.from_notebook_node(nbformat.v4.new_notebook())  # compile the templates
            css = exporter.environment.get_template("notebook.css.j2").render(resources=resources)
            _EXPORTERS[show_code] = exporter, css
        return _EXPORTERS[show_code]


def _report_exporter():
    """nbconvert's HTMLExporter without work no reader sees: the notebook, written by papermill (which checks it
    against nbformat's schema), is not checked again after each preprocessor, and the page is not parsed again
    (report/pages.focusable)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    from ..report.pages import focusable

    class ReportExporter(HTMLExporter):
        def _validate_preprocessor(self, nbc, preprocessor) -> None:
            """Checked once already, by papermill as it wrote the notebook."""

        def from_notebook_node(self, nb, resources=None, **kw):
            """HTMLExporter's, with report/pages.focusable after the template."""
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return focusable(page), resources

    return ReportExporter


def _uncopied(nb):
    """`nb` as a node that nbconvert's exporter takes as its own copy (its `deepcopy` gives the node itself): an
    executed notebook's outputs (its charts' data, twice) are not copied for a page."""
    node = _uncopied_class()()
    dict.update(node, nb)
    return node


@functools.cache
def _uncopied_class() -> type:
    from nbformat import NotebookNode

    class Uncopied(NotebookNode):
        def __deepcopy__(self, memo: dict) -> NotebookNode:
            return self

    return Uncopied


def preload_exporter(show_code: bool) -> None:
    with contextlib.suppress(Exception):
        _exporter(show_code)


def failing_cell(path: Path, exc: Exception) -> tuple[str, str]:
    """The failing cell as numbered in the source notebook (1-based, papermill's added cells not counted)
    with its first line, and the error."""
    what = f"{getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', str(exc)).strip()[:200]}"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "?", what
    added = {"injected-parameters", "papermill-error-cell-tag"}
    cells = [c for c in nb.get("cells", []) if not added & set(c.get("metadata", {}).get("tags", []))]
    for i, c in enumerate(cells, start=1):
        if any(o.get("output_type") == "error" for o in c.get("outputs", [])):
            first = "".join(c.get("source", "")).strip().splitlines()[:1]
            return (f"{i} (`{first[0][:60]}`)" if first else str(i)), what
    return "?", what


def failed_step(job: Job, tmp_nb: Path, e: Exception, seconds: float) -> Step:
    """A notebook that failed: its partly executed copy kept as `<name>.failed.ipynb` if it could be, and the line
    that names the notebook, the cell and the error (said once its report folder is settled)."""
    nb = job.notebook
    failed_copy = job.target.out_dir / f"{nb.name}.failed.ipynb"
    saved = ""
    if tmp_nb.exists():
        try:
            tmp_nb.replace(failed_copy)
            saved = failed_copy.name
        except OSError:
            tmp_nb.unlink(missing_ok=True)
    cell, what = failing_cell(failed_copy if saved else tmp_nb, e)
    return Step(job.step_name, "failed", seconds, "", f"cell {cell}: {what}",
                error=f"{nb.path}: cell {cell} failed: {what}", saved=saved)


def page_title(name: str, params: dict) -> str:
    """`Độ che phủ rừng: Chợ Đồn, 2024`: the report's name in its language, for the browser tab."""
    from ..base import i18n

    lang = str(params.get("lang", "vi"))
    lang = lang if lang in i18n.LANGS else "vi"
    what = i18n.text(f"report.{name}", lang) if i18n.has(f"report.{name}", lang) else name
    from ..base.units import area_label
    from ..cleaning.workbooks import DEFAULT_DISTRICT

    year = params.get("year")
    area = (area_label(str(params["commune"]), "commune", lang, year if isinstance(year, int) else None)
            if params.get("commune") else params.get("district", DEFAULT_DISTRICT))
    return f"{what}: {area}, {params.get('year', '')}".rstrip(", ")


def library_name() -> str:
    """The file name of the report tree's plotly.js: versioned, so that pages made by another version of the
    package never load a library they were not drawn for."""
    import plotly

    return f"plotly-{plotly.__version__}.min.js"


def ensure_library(folder: Path) -> Path:
    """One copy of plotly.js in `folder` (the report tree): written once, atomically, then shared by every page."""
    from ..base.files import write_atomic
    from ..report.plots import plotlyjs

    path = folder / library_name()
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, lambda tmp: tmp.write_text(plotlyjs(), encoding="utf-8"))
    return path


def stylesheet(css: str, folder: Path) -> str:
    """The file name of the report pages' styles (about 270 kB, the same on every page) in `folder` (the report
    tree), `report-<hash>.css`: written once, atomically, then shared by every page."""
    from ..base.files import write_atomic

    name = f"report-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    if not (folder / name).exists():
        write_atomic(folder / name, lambda tmp: tmp.write_text(css, encoding="utf-8"))
    return name


def _draws_charts(nb) -> bool:
    """Whether an output of the notebook draws a plotly chart (then the page loads plotly.js)."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            page = out.get("data", {}).get("text/html", "")
            if "Plotly.newPlot" in ("".join(page) if isinstance(page, list) else page):
                return True
    return False


def notebook_html(nb, show_code: bool = False, title: str | None = None, lang: str = "vi",
                  plotly_src: str | None = None, assets: Path | None = None, copy: bool = True) -> str:
    """HTML of an executed notebook (a node or a path), code hidden unless asked; the page's title and language
    those of the report. Charts load plotly.js from `plotly_src` (relative to the page), else it is embedded; the
    styles go to the folder `assets` (plotly.js's, the tree's root) when given, else stay in the page. `copy`
    False: the node is exported as it is, not deep-copied first (nbconvert's preprocessors may then change it)."""
    import nbformat

    if isinstance(nb, str | Path):
        nb, copy = nbformat.read(str(nb), as_version=4), False
    if not copy:
        nb = _uncopied(nb)
    exporter, css = _exporter(show_code)
    page = {"title": title, "plotly_src": None, "plotlyjs": None, "stylesheet": None}
    if _draws_charts(nb):  # the charts' outputs carry no plotly.js: the page loads the tree's copy
        if plotly_src is not None:
            page["plotly_src"] = plotly_src
        else:
            from ..report.plots import plotlyjs

            page["plotlyjs"] = plotlyjs()
    if assets is not None and plotly_src is not None:  # the styles beside plotly.js, linked the same way
        folder, slash, _ = plotly_src.rpartition("/")
        page["stylesheet"] = folder + slash + stylesheet(css, assets)
    with _EXPORTER_LOCK:
        exporter.language_code = lang
        body, _ = exporter.from_notebook_node(nb, resources={"chodon": page})
    return body
