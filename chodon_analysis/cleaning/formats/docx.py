"""`.docx` (a Word document, a zip): the indicator appendix of a Word report. The zip checked (truncated, zip bomb),
then one streaming pass of a real XML parser over each XML part refuses a document type or entity and measures the
tables against the limits (their number, how deep they nest, each one's rows and columns with merged cells spread,
each cell's text, the document's text and elements); only then does python-docx open the document, and each table
of its body is laid out as a spreadsheet shows it (document.py). Nothing in it is run or fetched: fields, links,
pictures and embedded objects are text or nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

from . import bounds, xml_scan
from .book import ReadError, Workbook
from .document import Document, Grid, sheets_of
from .docx_numbering import Numbering, numbering_of
from .styles import font_hint

EXTENSIONS = (".docx",)
BY_CONTENT = True
NOT_THIS = "not_a_document"
MAIN = "word/document.xml"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# never text of the page: deleted or moved-away text, field codes, pictures and text boxes, marks of notes
_SKIP = frozenset(W + t for t in ("del", "moveFrom", "instrText", "delInstrText", "drawing", "pict", "object",
                                  "rPr", "pPr", "footnoteReference", "endnoteReference", "commentReference")) | {
    _MC + "AlternateContent"}
_CHARS = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
_WRAPS = frozenset(W + t for t in ("sdt", "sdtContent", "customXml", "ins", "moveTo"))  # blocks inside these count
_FONTS = 64  # font names noted at most


def recognise(head: bytes, members: frozenset[str] | None = None) -> bool:
    """A zip holding `word/document.xml` (any zip, when its members cannot be listed)."""
    return head.startswith(b"PK") and (members is None or MAIN in members)


def read(path: Path) -> Workbook:
    try:
        with bounds.open_zip(path) as zf:
            fonts = _measure(zf)
    except ReadError as e:
        raise _as_document(e) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise _damaged(e) from None
    try:
        import docx

        with path.open("rb") as fh:
            document = docx.Document(fh)
        body = document.element.body
    except Exception as e:  # python-docx and lxml raise their own types for a damaged package
        raise _damaged(e) from None
    if body is None:
        raise ReadError("document_no_table")
    names = {t: f"Bảng {n}" for n, t in enumerate(body.iter(W + "tbl"), 1)}
    walk = _Walk(Document(), names, numbering_of(document))
    walk.blocks_of(body)
    return Workbook(path, sheets_of(walk.blocks), font_hint(sorted(fonts)))


def _damaged(e: Exception) -> ReadError:
    text = str(e).strip().splitlines()[0][:120] if str(e).strip() else type(e).__name__
    return ReadError("document_damaged", detail=text)


def _as_document(e: ReadError) -> ReadError:
    """The zip's and the XML's refusals in a document's words."""
    if e.code == "zip_truncated":
        return ReadError("document_truncated")
    if e.code == "zip_bomb":
        return ReadError("document_zip_bomb", **e.params)
    if e.code == "xml_doctype":
        return ReadError("document_doctype")
    return e


# ---- the measuring pass ------------------------------------------------------------------------------------
def _measure(zf: zipfile.ZipFile) -> set[str]:
    """Every XML part scanned (main document first): refused for a document type or entity, or past the limits.
    The font names the document uses."""
    state = _Measure()
    parts = sorted((n for n in zf.namelist() if n.lower().endswith((".xml", ".rels"))), key=lambda n: n != MAIN)
    for name in parts:
        state.part = name
        p = xml_scan.parser()
        p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = state.raw_start, state.raw_end, state.text
        with zf.open(name) as fh:
            xml_scan.run(p, fh)
    return state.fonts


_LOCAL: dict[str, str] = {}  # an element's name as written -> its local name (`w:tc` -> `tc`), filled as met
_WITH_ATTRIBUTES = frozenset(("gridBefore", "gridAfter", "gridSpan", "vMerge", "rFonts", "font"))


def _local(name: str) -> str:
    found = _LOCAL.get(name)
    if found is None:
        found = xml_scan.local(name)
        if len(_LOCAL) < 1024:  # a hostile part with endless different names does not grow it for ever
            _LOCAL[name] = found
    return found


def _span(value: str | None) -> int:
    """A `w:val` count (gridSpan, gridBefore): 1 when absent or not a number; past the limits, no bigger than it
    needs to be to be refused."""
    digits = (value or "").lstrip("0")
    return 1 if not digits.isdigit() else 10**12 if len(digits) > 12 else int(digits)


class _Measure:
    """The state of the pass: elements and text of the document, the tables open (innermost last) and their sizes."""

    def __init__(self) -> None:
        self.part, self.elements, self.text_total, self.tables = "", 0, 0, 0
        self.open: list[list[int]] = []  # per open table: [number, rows, width, column, cell chars, merges]
        self.counting = False
        self.cells_total = 0
        self.fonts: set[str] = set()

    def raw_start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        self.start(tag, {xml_scan.local(k): v for k, v in attrs.items()} if tag in _WITH_ATTRIBUTES else attrs)

    def raw_end(self, name: str) -> None:
        self.end(_local(name))

    def start(self, tag: str, a: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > bounds.MAX_ELEMENTS:
            raise ReadError("document_too_many_elements", max_elements=bounds.MAX_ELEMENTS)
        if tag == "t":
            self.counting = True
        elif tag == "tbl":
            self.tables += 1
            if self.tables > bounds.MAX_TABLES:
                raise ReadError("document_too_many_tables", max_tables=bounds.MAX_TABLES)
            if len(self.open) >= bounds.MAX_NESTING:
                raise ReadError("table_nested_too_deep", max_nesting=bounds.MAX_NESTING)
            self.open.append([self.tables, 0, 0, 0, 0, 0])
        elif self.open:
            self._in_table(tag, a, self.open[-1])
        if tag in ("rFonts", "font") and len(self.fonts) < _FONTS:
            self.fonts.update(v for k, v in a.items() if k in ("ascii", "hAnsi", "name"))

    def _in_table(self, tag: str, a: dict[str, str], t: list[int]) -> None:
        """An element of the innermost table: a row, a cell and how many grid columns it takes, a merge."""
        if tag == "tr":
            t[1] += 1
            t[3] = 0
            bounds.check_table(self._name(t), t[1], max(t[2], 1))
            return
        if tag == "tc":
            t[4] = 0
            grow = 1
        elif tag in ("gridBefore", "gridAfter", "gridSpan"):
            grow = _span(a.get("val")) - (tag == "gridSpan")
            if tag == "gridSpan" and grow:
                t[5] += 1
        elif tag == "vMerge" and a.get("val") == "restart":
            t[5], grow = t[5] + 1, 0
        else:
            return
        t[3] += grow
        if t[3] > t[2]:
            t[2] = t[3]
            bounds.check_table(self._name(t), max(t[1], 1), t[2])
        if t[5] > bounds.MAX_MERGES:
            raise ReadError("table_too_many_merges", sheet=self._name(t), max_merges=bounds.MAX_MERGES)

    def _name(self, t: list[int]) -> str:
        return f"Bảng {t[0]}" if self.part == MAIN else f"Bảng {t[0]} ({self.part})"

    def end(self, tag: str) -> None:
        if tag == "t":
            self.counting = False
        elif tag == "tbl" and self.open:
            t = self.open.pop()
            self.cells_total += t[1] * t[2]
            if self.cells_total > bounds.MAX_CELLS:
                raise ReadError("tables_too_large", max_cells=bounds.MAX_CELLS)
        elif tag == "tc" and self.open and self.open[-1][4] > bounds.MAX_CELL_CHARS:
            raise ReadError("table_cell_too_long", sheet=self._name(self.open[-1]), chars=self.open[-1][4],
                            max_chars=bounds.MAX_CELL_CHARS)

    def text(self, data: str) -> None:
        if self.counting:
            self.text_total += len(data)
            if self.text_total > bounds.MAX_TEXT:
                raise ReadError("document_too_much_text", millions=bounds.MAX_TEXT // 1024**2)
            if self.open:
                self.open[-1][4] += len(data)


# ---- the body, as lines and tables -------------------------------------------------------------------------
def _hidden(run) -> bool:
    """A run formatted as hidden text (`w:vanish`): Word does not show it."""
    props = run.find(W + "rPr")
    vanish = props.find(W + "vanish") if props is not None else None
    return vanish is not None and vanish.get(W + "val") not in ("0", "false", "off")


def paragraph_text(p) -> str:
    """The text a paragraph shows: its runs, tracked insertions and field results; tabs, line breaks; no deleted
    text, field codes, hidden text, pictures or text boxes."""
    out: list[str] = []
    stack = [iter(p)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "t":
            out.append(el.text or "")
        elif tag in _CHARS:
            out.append(_CHARS[tag])
        elif not (tag == W + "r" and _hidden(el)):
            stack.append(iter(el))
    return "".join(out)


def _children(el, tag: str) -> list:
    """The `tag` children of `el`, also those inside content controls and custom XML."""
    out = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag in _WRAPS:
            out += _children(child, tag)
    return out


def _small(tbl) -> bool:
    """A table of one row or one column, read as the text of the cell holding it."""
    rows = _children(tbl, W + "tr")
    return len(rows) <= 1 or all(len(_children(tr, W + "tc")) <= 1 for tr in rows)


class _Walk:
    """The body read in order into lines and tables (document.py): a table holding a larger table frames it, and
    its cells are read as lines and tables in their turn."""

    def __init__(self, doc: Document, names: dict, numbering: Numbering | None) -> None:
        self.doc, self.names, self.numbering = doc, names, numbering
        self.blocks: list[str | Grid] = []

    def text(self, p) -> str:
        """A paragraph's text after the number Word writes in front of it (`2.`, `II.`), if any."""
        label = self.numbering.label(p) if self.numbering is not None else ""
        text = paragraph_text(p)
        return f"{label} {text}" if label else text

    def blocks_of(self, el) -> None:
        for child in el:
            if child.tag == W + "p":
                self.blocks.append(self.text(child))
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag in _WRAPS:
                self.blocks_of(child)

    def table(self, tbl) -> None:
        rows = _children(tbl, W + "tr")
        if any(not _small(inner) for inner in tbl.iter(W + "tbl") if inner is not tbl):
            for tr in rows:
                for tc in _children(tr, W + "tc"):
                    self.blocks_of(tc)
            return
        grid = Grid(self.doc, self.names.get(tbl, "Bảng"), len(rows))
        for tr in rows:
            props = tr.find(W + "trPr")
            grid.row(hidden=props is not None and props.find(W + "hidden") is not None)
            col = _span(before) if (before := _val(props, "gridBefore")) else 0  # a row that starts late
            for tc in _children(tr, W + "tc"):
                col = self.cell(grid, tc, col)
        self.blocks.append(grid.finish())

    def cell(self, grid: Grid, tc, col: int) -> int:
        """One `w:tc` laid out at `col` (its grid span, its merge down); the column after it."""
        props = tc.find(W + "tcPr")
        span = _span(_val(props, "gridSpan"))
        merge = props.find(W + "vMerge") if props is not None else None
        if merge is None:
            for c in range(col, col + span):
                grid.close(c)
            grid.put(col, self.cell_text(tc), span)
            return col + span
        restart = merge.get(W + "val") == "restart"
        grid.merge_down(col, span, restart)
        grid.put(col, self.cell_text(tc) if restart else "", span, merged=False)
        return col + span

    def cell_text(self, tc) -> str:
        """A cell's paragraphs, one line each (a table of one row or column inside it read the same way)."""
        lines = []
        for child in tc:
            if child.tag == W + "p":
                lines.append(self.text(child))
            elif child.tag == W + "tbl" or child.tag in _WRAPS:
                inner = [c for tr in _children(child, W + "tr") for c in _children(tr, W + "tc")] \
                    if child.tag == W + "tbl" else [child]
                lines += [self.cell_text(c) for c in inner]
        return "\n".join(line for line in lines if line)


def _val(props, tag: str) -> str | None:
    found = props.find(W + tag) if props is not None else None
    return found.get(W + "val") if found is not None else None
