"""HTML pages from Jinja2 templates (report/templates/) with autoescaping: every value is escaped unless a
template marks it `|safe`, so escaping cannot be forgotten. The templates get the string catalog as `t(key)`.

Every static page extends `layout.html` (language, title, the small style sheet) and imports the macros of
`parts.html`; the report pages made from notebooks use the nbconvert template `notebook.html.j2` (runner/export.py)."""

from __future__ import annotations

import contextlib
import re
from functools import cache

from markupsafe import Markup, escape

from ..base import i18n
from .style import STATUS_COLORS, STATUS_TEXT

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def bold(words: object) -> Markup:
    """The catalog's `**words**` in bold (`<b>`), everything escaped first: a sentence of the catalog whose part is
    highlighted, e.g. `index.latest`."""
    return Markup(_BOLD.sub(r"<b>\1</b>", str(escape(words))))  # noqa: S704 (escaped above; only <b> added)


@cache
def environment():
    """The one Jinja2 environment of the package: templates from report/templates/, autoescaped, strict."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("chodon_analysis.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=bytecode_cache("pages"))
    env.globals.update(number=i18n.number, percent=i18n.percent, status=i18n.status,
                       status_colors=STATUS_COLORS, status_text=STATUS_TEXT)
    env.filters["bold"] = bold
    return env


def bytecode_cache(kind: str):
    """Jinja2's cache of compiled templates (the user's own folder in the temporary directory, made safe by Jinja2),
    the files of one environment (`kind`) apart from every other's: a run does not compile the same templates again
    (nbconvert's, a tenth of a second). None when no safe folder can be had; a file that cannot be read or written
    is compiled as before."""
    from jinja2 import FileSystemBytecodeCache

    class Cache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError, ValueError, EOFError):
                super().load_bytecode(bucket)

        def dump_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        return Cache(pattern=f"chodon-{kind}-%s.cache")
    except (OSError, RuntimeError):
        return None


def render(template: str, lang: str = "vi", **context: object) -> str:
    """The page `template` rendered in `lang`: `t("key", name=...)` in a template gives the catalog's words."""
    page = environment().get_template(template)
    return page.render(lang=lang, t=lambda key, **values: i18n.text(key, lang, **values), **context)


# nbconvert's lab pages, once rendered: inputs and outputs focusable from the keyboard (`tabindex="0"`), and headings
# in the page's own characters, as nbconvert's HTMLExporter leaves them after parsing the whole page again with
# BeautifulSoup (its anchor links write a heading's letters as `&#7845;`)
_FOCUSABLE = re.compile(r'<div class="([^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b[^"]*)"([^>]*)>')
_HEADING = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.S)
_LETTER = re.compile(r"&#(\d+);")


def _letters(heading: re.Match) -> str:
    """A heading with its numeric references to letters beyond ASCII written as the letters (`<`, `&` and every
    other ASCII reference stay as they are)."""
    return _LETTER.sub(lambda m: chr(int(m.group(1))) if int(m.group(1)) > 127 else m.group(0), heading.group(0))


def focusable(page: str) -> str:
    """The report page of a notebook as nbconvert's HTMLExporter leaves it after its template: inputs and outputs
    focusable (`tabindex="0"`), headings in their letters, and a text on an image that has none; by patterns on
    lab's own markup on a page without images, else (rare) as nbconvert does it, with BeautifulSoup (a tenth of a
    second a page)."""
    if "<img" not in page:
        page = _HEADING.sub(_letters, page)
        return _FOCUSABLE.sub(lambda m: m.group(0) if "tabindex=" in m.group(2)
                              else f'<div class="{m.group(1)}"{m.group(2)} tabindex="0">', page)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = "No description has been provided for this image"
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper, .jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)
