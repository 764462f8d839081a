"""`.html`, `.htm` (a web page saved from the browser, or a sheet saved from Excel as a web page): its text decoded
by the charset it declares (UTF-8, UTF-16 and Windows-1258 too, with or without a byte-order mark), measured
(text, tags; a declared entity refused), then parsed by lxml with no network and no entity resolution. Each table
of the page is laid out as a spreadsheet shows it (colspan and rowspan spread, document.py); menus, headers and
footers, scripts, styles and comments are no part of it. Nothing on the page is run or fetched (scripts, frames,
pictures, links)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from . import bounds
from .book import ReadError, Workbook
from .document import Document, Grid, Heading, sheets_of
from .styles import font_hint

EXTENSIONS = (".html", ".htm")
BY_CONTENT = True
NOT_THIS = "not_a_web_page"

_MARKUP = re.compile(rb"\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html|head|body|table|meta|title|"
                     rb"link|style|script|div|p|h[1-6]|span|font|center|b|i|strong|form|section|article|main|header"
                     rb"|nav|ul|ol|br|tr|td|th|thead|tbody)[\s/>]", re.I | re.S)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
                      re.I)
_ENTITY = re.compile(r"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.I)
_FONT = re.compile(r"""(?:face\s*=\s*["']?|font-family\s*:\s*["']?)([^;"'>,]{1,40})""", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)
_DIGITS = re.compile(r"\d")
_NUMBER_SHOWN = re.compile(r"[\d\s.,%()+\-\u00a0]+")
_WHATWG = {"iso-8859-1": "cp1252", "latin1": "cp1252", "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
           "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8", "x-user-defined": "cp1252"}

_C1 = "chodon-c1"
codecs.register_error(_C1, lambda e: (e.object[e.start:e.end].decode("latin-1"), e.end))

# what is never the page's text: code, styles, the site's menus, header, footer and sidebars, forms' controls
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "nav", "aside", "footer", "button", "select",
                        "option", "textarea", "iframe", "frame", "frameset", "object", "embed", "svg", "math",
                        "canvas", "video", "audio", "map", "menu", "img", "input"))
_SKIP_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"))
_SKIP_NAMES = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|sidebar|comments?|binh-?luan|binhluan)"
                         r"(?:$|[\s_-])", re.I)  # an id or class of the site's furniture or the readers' comments
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_BLOCKS = frozenset(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "caption",
                     "blockquote", "pre", "address", "center", "section", "article", "main", "header", "figure",
                     "figcaption", "title", "td", "th", "tr", "hr", "legend", "fieldset", "details", "summary",
                     "body", "form"))


def recognise(head: bytes, members: frozenset[str] | None = None) -> bool:
    """Text that starts with markup (after a byte-order mark, comments and an XML declaration): `<!DOCTYPE html`,
    `<html`, `<head`, `<body`, `<table` ..."""
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[2:].decode(enc, errors="ignore").encode("ascii", errors="replace")
    return bool(_MARKUP.match(head.removeprefix(codecs.BOM_UTF8)))


def read(path: Path) -> Workbook:
    text = decode_page(path.read_bytes())
    if len(text) > bounds.MAX_TEXT:
        raise ReadError("document_too_much_text", millions=bounds.MAX_TEXT // 1024**2)
    if text.count("<") > bounds.MAX_ELEMENTS:  # every element the parser builds opens with one
        raise ReadError("document_too_many_elements", max_elements=bounds.MAX_ELEMENTS)
    if _ENTITY.search(text):
        raise ReadError("document_doctype")
    root, too_deep = _parse(text)
    tables = list(root.iter("table"))
    if len(tables) > bounds.MAX_TABLES:
        raise ReadError("document_too_many_tables", max_tables=bounds.MAX_TABLES)
    if any(sum(1 for _ in t.iterancestors("table")) >= bounds.MAX_NESTING for t in tables):
        raise ReadError("table_nested_too_deep", max_nesting=bounds.MAX_NESTING)
    if too_deep:  # the parser stopped there: refused rather than read in part
        raise ReadError("document_damaged", detail=too_deep)
    page = _Page(Document(), {t: f"Bảng {n}" for n, t in enumerate(tables, 1)})
    page.node(root, False)
    page.flush()
    if not any(isinstance(b, Grid) for b in page.out) and (frames := _frames(root)):
        raise ReadError("page_of_frames", frames=frames)
    fonts = list(dict.fromkeys(m.strip() for m in _FONT.findall(text[:200_000])))[:64]
    return Workbook(path, sheets_of(page.out), font_hint(fonts))


def decode_page(data: bytes) -> str:
    """The page's text: by its byte-order mark, else the charset it declares (as a browser maps it), else UTF-8,
    else Windows-1258 (the legacy Vietnamese code page)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    if m := _CHARSET.search(data[:4096]):
        label = (m.group(1) or m.group(2)).decode("ascii").lower()
        try:
            name = codecs.lookup(_WHATWG.get(label, label)).name
        except LookupError:
            name = ""
        if name:  # the five bytes Windows-1252 leaves undefined are control characters to a browser
            return data.decode(name, errors=_C1 if name == "cp1252" else "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def _parse(text: str):
    """The page parsed by libxml2's HTML parser (no network, no DTD, comments and processing instructions dropped),
    and the parser's message when elements nest past its depth limit (256), where it stops."""
    from lxml import etree

    parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True,
                              huge_tree=False, default_doctype=False)
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser)
    except (etree.LxmlError, ValueError) as e:
        raise ReadError("document_damaged", detail=str(e)[:120] or type(e).__name__) from None
    if root is None:
        raise ReadError("document_no_table")
    deep = next((e.message.strip()[:120] for e in parser.error_log if "depth" in e.message.lower()), "")
    return root, deep


def _frames(root) -> str:
    """The pages a page of frames shows, `a.htm, b.htm` (none fetched)."""
    found = [str(f.get("src", "")) for f in root.iter("frame", "iframe") if f.get("src")]
    return ", ".join(s[:60] for s in found[:3])


def _count(value: str | None, default: int) -> int:
    """A colspan or rowspan as a browser reads it: the digits after any spaces, else the default."""
    m = re.match(r"\s*(\d+)", value or "")
    if m is None:
        return default
    digits = m.group(1).lstrip("0")
    return 10**12 if len(digits) > 12 else int(digits or "0")  # past the limits: no bigger than needed to refuse


def _rows(table) -> list:
    """The rows of a table as a browser shows them: its head, its rows and bodies, its foot (wherever the page
    writes it); not those of a table inside it."""
    parts: dict[str, list] = {"thead": [], "tbody": [], "tfoot": []}
    for child in table:
        if child.tag == "tr":
            parts["tbody"].append(child)
        elif child.tag in parts:
            parts[child.tag] += [tr for tr in child if tr.tag == "tr"]
    return parts["thead"] + parts["tbody"] + parts["tfoot"]


def _cells(tr) -> list:
    return [td for td in tr if td.tag in ("td", "th")]


def _small(table) -> bool:
    """A table of one row or one column, read as the text of the cell holding it."""
    rows = _rows(table)
    return len(rows) <= 1 or all(len(_cells(tr)) <= 1 for tr in rows)


def _skipped(el, tag: str, in_article: bool) -> bool:
    if tag in _SKIP_TAGS or (tag == "header" and not in_article) or el.get("role", "").lower() in _SKIP_ROLES:
        return True
    names = f"{el.get('id', '')} {el.get('class', '')}".strip()
    return bool(names) and bool(_SKIP_NAMES.search(names))


class _Page:
    """The page read in order into lines and tables: block elements and line breaks end a line; a table holding a
    larger table frames it, and its cells are read as lines and tables in their turn. `flat`: every table read as
    lines (inside a cell)."""

    def __init__(self, doc: Document, names: dict, flat: bool = False) -> None:
        self.doc, self.names, self.flat = doc, names, flat
        self.out: list[str | Grid] = []
        self.buf: list[str] = []

    def flush(self, heading: bool = False) -> None:
        line = " ".join("".join(self.buf).split())
        self.buf = []
        if line:
            self.out.append(Heading(line) if heading else line)

    def node(self, el, in_article: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or _skipped(el, tag, in_article):
            return
        if tag == "head":
            for title in el.iter("title"):
                self.flush()
                self.buf.append(title.text or "")
                self.flush()
            return
        if tag in ("br", "table"):
            self.flush()
            if tag == "table":
                self.table(el)
            return
        if tag in _BLOCKS:
            self.flush()
        self.buf.append(el.text or "")
        in_article = in_article or tag in ("article", "main")
        for child in el:
            self.node(child, in_article)
            self.buf.append(child.tail or "")
        if tag in _BLOCKS:
            self.flush(heading=tag in _HEADINGS)

    def table(self, table) -> None:
        for caption in (c for c in table if c.tag == "caption"):
            self.node(caption, True)
        rows = _rows(table)
        if self.flat or any(not _small(t) for t in table.iterdescendants("table")):
            for tr in rows:
                for td in _cells(tr):
                    self.node(td, True)
            return
        grid = Grid(self.doc, self.names.get(table, "Bảng"), len(rows))
        for tr in rows:
            grid.row(hidden=tr.get("hidden") is not None or bool(_HIDDEN.search(tr.get("style", ""))))
            col = 0
            for td in _cells(tr):
                col = grid.free(col)
                value, decimals, percent = self.value(td)
                colspan, rowspan = _count(td.get("colspan"), 1) or 1, _count(td.get("rowspan"), 1)
                grid.put(col, value, colspan, rowspan or len(rows))
                if decimals is not None:
                    grid.decimals[(len(grid.rows) - 1, col)] = decimals
                    if percent:
                        grid.percent.add((len(grid.rows) - 1, col))
                col += colspan
        self.out.append(grid.finish())

    def value(self, td) -> tuple[object, int | None, bool]:
        """A cell's text (its lines joined by line breaks); a number saved by Excel (`x:num`) as the number, with
        the decimals and percent sign its text shows."""
        inner = _Page(self.doc, self.names, flat=True)
        inner.buf.append(td.text or "")
        for child in td:
            inner.node(child, True)
            inner.buf.append(child.tail or "")
        inner.flush()
        shown = "\n".join(str(b) for b in inner.out)
        number = td.get("x:num") or ""
        if not number.strip() or not _DIGITS.search(shown) or not _NUMBER_SHOWN.fullmatch(shown):
            return shown, None, False
        try:
            value = float(number)
        except ValueError:
            return shown, None, False
        if not abs(value) < 1e15:  # not a number a cell shows (inf, nan, 1e308): its text is read
            return shown, None, False
        percent = shown.rstrip().endswith("%")
        whole = len(str(int(abs(value * 100 if percent else value))))
        return value, max(0, min(15, len(_DIGITS.findall(shown)) - whole)), percent
