"""HTML of an executed notebook, offline (plotly.js from the report tree's one copy, no CDN), and the failing cell of
a failed one."""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
import threading
from pathlib import Path

_EXPORTERS: dict[bool, object] = {}
_EXPORTER_LOCK = threading.Lock()


def _exporter(show_code: bool):
    """One HTMLExporter per setting: building one compiles its templates (a quarter of a second)."""
    with _EXPORTER_LOCK:
        if show_code not in _EXPORTERS:
            from nbconvert import HTMLExporter

            _EXPORTERS[show_code] = HTMLExporter(exclude_input=not show_code, exclude_input_prompt=True,
                                                 exclude_output_prompt=True)
            import nbformat

            _EXPORTERS[show_code].from_notebook_node(nbformat.v4.new_notebook())  # compile the templates
        return _EXPORTERS[show_code]


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


_REMOTE_TAG = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>|<link[^>]*\bhref="https?://[^"]*"[^>]*>')


def page_title(name: str, params: dict) -> str:
    """`Độ che phủ rừng: Chợ Đồn, 2024`: the report's name in its language, for the browser tab."""
    from ..base import i18n

    lang = str(params.get("lang", "vi"))
    lang = lang if lang in i18n.LANGS else "vi"
    what = i18n.text(f"report.{name}", lang) if i18n.has(f"report.{name}", lang) else name
    from ..cleaning.workbooks import DEFAULT_DISTRICT

    area = (i18n.text("area.commune", lang, name=params["commune"]) if params.get("commune")
            else params.get("district", DEFAULT_DISTRICT))
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


_HEAD_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.S)


def shared_styles(head: str, folder: Path, prefix: str) -> str:
    """The template's style sheets (about 270 kB, the same on every page) moved out of `head` into one file of the
    report tree, `folder/report-<hash>.css`, written once and linked as `prefix` + its name (relative)."""
    from ..base.files import write_atomic

    css = "\n".join(re.sub(r"^<style[^>]*>|</style>\s*$", "", m.group(0).strip()) for m in _HEAD_STYLE.finditer(head))
    if not css:
        return head
    name = f"report-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    if not (folder / name).exists():
        write_atomic(folder / name, lambda tmp: tmp.write_text(css, encoding="utf-8"))
    head = _HEAD_STYLE.sub("", head)
    return head.replace("</head>", f'<link rel="stylesheet" href="{html.escape(prefix + name)}">\n</head>', 1)


def notebook_html(nb, show_code: bool = False, title: str | None = None, lang: str = "vi",
                  plotly_src: str | None = None, assets: Path | None = None) -> str:
    """HTML of an executed notebook (a node or a path), code hidden unless asked; the page's title and language
    those of the report. Charts load plotly.js from `plotly_src` (relative to the page), else it is embedded; the
    template's styles go to the folder `assets` (plotly.js's, the tree's root) when given, else stay in the page."""
    import nbformat

    if isinstance(nb, str | Path):
        nb = nbformat.read(str(nb), as_version=4)
    exporter = _exporter(show_code)
    with _EXPORTER_LOCK:
        body, _ = exporter.from_notebook_node(nb)
    # the template's require.js and MathJax come from a CDN; the reports need neither, and must not call out
    body = _REMOTE_TAG.sub("", body)
    body = re.sub(r"<html lang=\"[^\"]*\">", f'<html lang="{html.escape(lang)}">', body, count=1)
    if title is not None:
        body = re.sub(r"<title>[^<]*</title>", lambda _: f"<title>{html.escape(title)}</title>", body, count=1)
    if "Plotly.newPlot" in body:  # the charts' outputs carry no plotly.js: the page loads the tree's copy
        if plotly_src is not None:
            tag = f'<script src="{html.escape(plotly_src)}" charset="utf-8"></script>'
        else:
            from ..report.plots import plotlyjs_script

            tag = plotlyjs_script()
        body = body.replace("</head>", tag + "\n</head>", 1)
    if assets is not None and plotly_src is not None and "</head>" in body:
        head, rest = body.split("</head>", 1)
        body = shared_styles(head + "</head>", assets, plotly_src.rpartition("/")[0] + "/" if "/" in plotly_src
                             else "") + rest
    return body
