"""`.ods` (OpenDocument, LibreOffice; a zip): the zip checked (truncated, zip bomb), then one streaming pass of a
real XML parser over its XML, names taken by their local part whatever their prefix or namespace, measures
every table against the limits (a table whose repeated cells, repeated spaces (`text:s`) or text would expand
past them is refused) and takes its percent cells, decimals shown (office:value-type, data styles) and hidden
rows and columns; only then are its values read by calamine."""

from __future__ import annotations

import zipfile
from pathlib import Path

from . import bounds, xml_scan
from .book import Workbook
from .calamine import read_values
from .styles import SheetStyles, Styles, unchecked

EXTENSIONS = (".ods",)
BY_CONTENT = True
NOT_THIS = "not_a_workbook"

MAX_REPEAT = 5000  # cells or columns of one style record noted at most (the rest is empty filler)
_NUMERIC = ("float", "percentage", "currency")
# what makes a cell a value for the reader (calamine), whatever its value type says or lacks
_VALUED = ("value-type", "value", "string-value", "date-value", "time-value", "boolean-value", "formula")


def recognise(head: bytes, members: frozenset[str] | None = None) -> bool:
    """A zip whose first member is named `mimetype`, as the OpenDocument standard requires (any other zip is an
    `.xlsx`: xlsx.recognise)."""
    return head.startswith(b"PK") and head[30:38] == b"mimetype"


def read(path: Path) -> Workbook:
    return read_values(path, ".ods", ods_styles(path))


def ods_styles(path: Path) -> Styles:
    """Percent cells and the decimals each numeric cell's data style shows, every table measured (ReadError)."""
    try:
        with bounds.open_zip(path) as zf:
            state = _Ods()
            for member in ("styles.xml", "content.xml"):
                if member in zf.namelist():
                    with zf.open(member) as fh:
                        p = xml_scan.parser()
                        p.StartElementHandler, p.EndElementHandler = state.start, state.end
                        p.CharacterDataHandler = state.text
                        xml_scan.run(p, fh)
            return state.out
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise unchecked(e) from None


_COUNTS = ("number-columns-repeated", "number-rows-repeated", "c", "number-columns-spanned", "number-rows-spanned")


def _by_local(attrs: dict[str, str]) -> dict[str, str]:
    """Attributes by their local name; a count given twice under two prefixes counts at its largest (the reader
    takes one of them by its full name: the pass measures the larger)."""
    out: dict[str, str] = {}
    for k, v in attrs.items():
        name = xml_scan.local(k)
        if name in _COUNTS and name in out:
            try:
                v = str(max(int(out[name]), int(v)))
            except ValueError:
                raise ValueError(f"a repeat count that is not a number: {name}") from None
        out[name] = v
    return out


def _count(value: str | None) -> int:
    """A repeat count attribute (absent: 1); a count that is not a number is a damaged file (ValueError)."""
    return max(1, int(value)) if value else 1


class _Ods:
    """The state of the scan: data and cell styles met so far, and where in which table the parser is."""

    def __init__(self) -> None:
        self.out = Styles()
        self.data_styles: dict[str, tuple[bool, int]] = {}
        self.cell_styles: dict[str, str] = {}
        self.style_name: str | None = None
        self.percent_style = False
        self.sheet, self.row, self.col, self.rows_repeated = -1, 0, 0, 1
        self.extent = bounds.Extent("")
        self.defaults: list[str | None] = []
        self.text_total = self.merges = 0
        self.cell: dict | None = None  # the cell being read: repeat, value type, style, characters, content

    def start(self, qname: str, a: dict[str, str]) -> None:
        tag = xml_scan.local(qname)
        a = _by_local(a) if a else a
        if self.cell is not None:  # inside a cell: paragraphs, spans, spaces, tabs, line breaks
            self.cell["content"] = True
            if qname == self.cell["qname"]:
                self.cell["depth"] += 1  # a cell inside the cell: the outer one ends at its own end
            if tag == "s":
                self.cell["chars"] += _count(a.get("c"))
            elif tag in ("tab", "line-break"):
                self.cell["chars"] += 1
            return
        if tag in ("table-cell", "covered-table-cell") and self.sheet >= 0:
            if "number-columns-spanned" in a or "number-rows-spanned" in a:  # a merged range starts here
                self.merges += 1
                bounds.check_merges(self.extent.sheet, self.merges)
            self.cell = {"n": _count(a.get("number-columns-repeated")), "type": a.get("value-type"),
                         "style": a.get("style-name"), "chars": 0, "content": any(k in a for k in _VALUED),
                         "qname": qname, "depth": 0}
        elif tag == "table-row":
            self.col, self.rows_repeated = 0, _count(a.get("number-rows-repeated"))
            if a.get("visibility") in ("collapse", "filter"):
                self.out.sheets[self.sheet].hidden_rows.add(self.row)
        elif tag == "table-column" and self.sheet >= 0:
            # columns past the limit are refused when a cell is there: no note of them is kept
            n = min(_count(a.get("number-columns-repeated")), MAX_REPEAT, bounds.MAX_COLUMNS - len(self.defaults))
            if a.get("visibility") in ("collapse", "filter"):
                self.out.sheets[self.sheet].hidden_cols.update(range(len(self.defaults), len(self.defaults) + n))
            self.defaults += [a.get("default-cell-style-name")] * max(n, 0)
        elif tag == "table":
            self.sheet, self.row, self.defaults, self.text_total, self.merges = self.sheet + 1, 0, [], 0, 0
            self.out.sheets[self.sheet], self.extent = SheetStyles(), bounds.Extent(a.get("name", ""))
        elif tag in ("percentage-style", "number-style"):
            self.style_name, self.percent_style = a.get("name"), tag == "percentage-style"
        elif tag == "number" and self.style_name:
            places = a.get("decimal-places", "0")
            self.data_styles[self.style_name] = (self.percent_style, int(places) if places.isdigit() else 0)
        elif tag == "style" and a.get("data-style-name"):
            self.cell_styles[a.get("name", "")] = a["data-style-name"]

    def text(self, data: str) -> None:
        if self.cell is not None:
            self.cell["chars"] += len(data)
            self.cell["content"] = True

    def end(self, qname: str) -> None:
        tag = xml_scan.local(qname)
        if self.cell is not None:  # a cell ends where the element that opened it closes (not at another prefix's)
            if qname == self.cell["qname"]:
                if self.cell["depth"]:
                    self.cell["depth"] -= 1
                else:
                    self._cell_done()
            return
        elif tag == "table-row" and self.cell is None:
            self.row += self.rows_repeated
        elif tag in ("percentage-style", "number-style"):
            self.style_name = None

    def _cell_done(self) -> None:
        cell, self.cell = self.cell, None
        n, sheet = cell["n"], self.out.sheets[self.sheet]
        if cell["content"]:  # empty repeats (LibreOffice writes them to the sheet's end) are not cells
            self.extent.add(self.row, self.col, self.rows_repeated, n)
            if cell["chars"] > bounds.MAX_CELL_CHARS:
                raise bounds.cell_too_long(self.extent.sheet, cell["chars"])
            self.text_total += cell["chars"] * n * self.rows_repeated
            bounds.check_text(self.extent.sheet, self.text_total)
        if cell["type"] in _NUMERIC:
            style = cell["style"] or (self.defaults[self.col] if self.col < len(self.defaults) else None)
            fmt = self.data_styles.get(self.cell_styles.get(style or "", ""))
            for c in range(self.col, self.col + min(n, 256)):
                if cell["type"] == "percentage":
                    sheet.percent.add((self.row, c))
                if fmt is not None:
                    sheet.decimals[(self.row, c)] = fmt[1]
        self.col += n
