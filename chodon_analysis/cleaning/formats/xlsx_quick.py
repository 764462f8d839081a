"""The quick measure of a worksheet part held in memory: regular expressions over its bytes (C speed) instead of a
Python call per XML event, for a part written the plain way spreadsheet programs write it.

Safe by construction, because it can only *accept* a part, never refuse one: it returns the part's styles only when
what it read bounds what calamine will read, and None otherwise, and the exact pass (xlsx.py) then measures the part
as before, refusing it or not with its own words. It accepts a part only when
- the part is well-formed XML by expat (no handlers: C speed) in UTF-8, with no `<!` (document type, entity,
  comment, CDATA), no processing instruction but the XML declaration and no prefixed name of an element it reads;
- every text that could open a cell (`<c` then a space, `/` or `>`), wherever it stands, is a cell written the
  plain way (`<c r="B7" s="3" t="n">`: an upper-case reference of at most three letters and seven digits, the
  attributes in Excel's order), and likewise every row (`<row r="7" ...>`), column record and `<dimension>`; so
  each cell calamine reads, placed by its own reference, is among those counted for the extent;
- the extent, the declared extent and the merged ranges are within the limits, and the characters of a cell and
  of the sheet are bounded within them by the bytes (a cell's text lies between its start and the next cell's:
  never more characters than those bytes; a shared string counts at the longest the workbook holds).
Error cells and formulas without a saved value are read from the cell's bytes as the exact pass reads them."""

from __future__ import annotations

import pyexpat
import re
from bisect import bisect_right

from . import bounds, xml_scan
from .book import FormulaCell, ReadError
from .styles import SheetStyles
from .xlsx_parts import cell_ref, column

QUICK_MAX = 1024**2  # bytes of a part read whole for the quick measure; a larger part is streamed (exact pass)
_KEEP_CHUNKS = 16  # as the exact pass: pieces of a value or formula kept
_CHUNK = 4096  # a text run longer than this may reach the exact pass in several pieces: not read here

_ANY = re.compile(rb"<(?:(c|row|col|dimension|mergeCell|f)[\s/>]|[!?])")  # what opens an element the measure reads
_ANY_CELL = re.compile(rb"<c[\s/>]")
_BOUNDARY = re.compile(rb"<(?:c|row)[\s/>]")  # where the exact pass ends a cell
_FORMULA = re.compile(rb"<f[\s/>]")
_PREFIXED = re.compile(rb":(?:c|row|v|f|t|col|dimension|mergeCell)[\s/>]")
_ATTRS = rb'((?:[ ]+[^\s=<>/"\'&:]+(?::[^\s=<>/"\'&:]+)?="[^"<&\t\n\r]*")*)[ ]*/?>'
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,12})")?'
                   rb'(?: (?:cm|vm|ph)="[0-9a-zA-Z]{0,12}")*[ ]*/?>')
_ROW = re.compile(rb'<row r="([1-9][0-9]{0,6})"' + _ATTRS)
_COL = re.compile(rb"<col" + _ATTRS)
_DIMENSION = re.compile(rb"<dimension" + _ATTRS)
_ATTR = re.compile(rb'([^\s=<>/"\'&]+)="([^"<&\t\n\r]*)"')
_DECLARATION_START = re.compile(rb"<\?xml\s")
_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_TOKEN = re.compile(rb"""<(/?)([^\s/>]+)(?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>|([^<]+)""")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def measure(data: bytes, xf: dict[bytes, tuple[bool, int]], longest_shared: int) -> SheetStyles | None:
    """The styles of a sheet part as the exact pass finds them (percent cells, decimals, errors, unsaved formulas,
    hidden rows and columns), when the part is plain and within the limits by the bounds above; else None.
    `xf`: style index (as bytes) -> (percent, decimals); `longest_shared`: the longest shared string's characters."""
    tags = _ANY.findall(data)  # the name of every element that could be one the measure reads; b"" for `<!`, `<?`
    if not _plain(data, tags.count(b"")):
        return None
    cells = _CELL.findall(data)
    rows = _ROW.findall(data) if b"row" in tags else []
    if len(cells) != tags.count(b"c") or len(rows) != tags.count(b"row") or not _declared(data, tags):
        return None
    out = SheetStyles()
    if b"col" in tags and not _columns(data, out, tags.count(b"col")):
        return None
    for r, attrs in rows:
        if b"hidden" in attrs and _local_attrs(attrs).get("hidden") in ("1", "true") and int(r) - 1 < bounds.MAX_ROWS:
            out.hidden_rows.add(int(r) - 1)
    if not cells:
        return out
    letters, digits, styles, kinds = zip(*cells, strict=True)
    if not _within(data, letters, digits, kinds.count(b"s") * longest_shared):
        return None
    if wanted := {s for s in set(styles) if s in xf}:
        for letter, digit, s, _t in cells:
            if s in wanted:
                cell = (int(digit) - 1, column(letter.decode()))
                percent, decimals = xf[s]
                if percent:
                    out.percent.add(cell)
                out.decimals[cell] = decimals
    if (b"f" in tags or b"e" in kinds) and not _values(data, out):
        return None
    return out


def _plain(data: bytes, marks: int) -> bool:
    """Well-formed UTF-8 XML with no `<!`, no processing instruction but the declaration (`marks`: how many `<!`
    and `<?` the part holds), no NUL byte (another encoding) and no prefixed name of an element the measure reads."""
    if b"\x00" in data or _PREFIXED.search(data):
        return False
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    declared = _DECLARATION_START.match(body) is not None
    if marks != declared:
        return False
    if declared and (m := _DECLARATION.match(body)) and m.group(1).lower() not in (b"utf-8", b"us-ascii"):
        return False
    p = xml_scan.parser()
    try:
        p.Parse(data, True)
    except (pyexpat.ExpatError, ReadError):
        return False
    return True


def _declared(data: bytes, tags: list[bytes]) -> bool:
    """The declared extent (`<dimension>`) and the merged ranges within the limits, each written the plain way."""
    if tags.count(b"mergeCell") > bounds.MAX_MERGES:
        return False
    if b"dimension" not in tags:
        return True
    dimensions = _DIMENSION.findall(data)
    if len(dimensions) != tags.count(b"dimension"):
        return False
    for attrs in dimensions:
        last = cell_ref(_raw_attrs(attrs).get("ref", "").split(":")[-1].strip().replace("$", ""))
        if last and _too_far(last[0] + 1, last[1] + 1):
            return False
    return True


def _within(data: bytes, letters: tuple[bytes, ...], digits: tuple[bytes, ...], shared_chars: int) -> bool:
    """The extent of the cells and their characters within the limits: a cell's at most the bytes from its start to
    the next cell's (or a shared string's, `shared_chars` all of them together)."""
    if _too_far(max(map(int, digits)), max(column(x.decode()) for x in set(letters)) + 1):
        return False
    if len(data) + shared_chars > bounds.MAX_TEXT:
        return False
    return len(data) <= bounds.MAX_CELL_CHARS or _longest_cell(data) <= bounds.MAX_CELL_CHARS


def _too_far(rows: int, cols: int) -> bool:
    return rows > bounds.MAX_ROWS or cols > bounds.MAX_COLUMNS or rows * cols > bounds.MAX_CELLS


def _longest_cell(data: bytes) -> int:
    """The most bytes from the start of a cell to the start of the next (or the end): a bound of its characters."""
    starts = [m.start() for m in _ANY_CELL.finditer(data)] + [len(data)]
    return max((b - a for a, b in zip(starts, starts[1:], strict=False)), default=0)


def _raw_attrs(attrs: bytes) -> dict[str, str]:
    """Attributes by their names as written (as the exact pass reads those of a cell, column and dimension)."""
    return {k.decode(): v.decode() for k, v in _ATTR.findall(attrs)}


def _local_attrs(attrs: bytes) -> dict[str, str]:
    """Attributes by their local names (as the exact pass reads those of a row)."""
    return {xml_scan.local(k.decode()): v.decode() for k, v in _ATTR.findall(attrs)}


def _columns(data: bytes, out: SheetStyles, count: int) -> bool:
    """The hidden columns, as the exact pass reads them; False when one of the `count` column records is not written
    the plain way."""
    records = _COL.findall(data)
    if len(records) != count:
        return False
    for attrs in records:
        if b"hidden" not in attrs:
            continue
        a = _raw_attrs(attrs)
        if a.get("hidden") in ("1", "true"):
            lo = int(a["min"]) if a.get("min", "").isdigit() else 1
            hi = int(a["max"]) if a.get("max", "").isdigit() else lo
            out.hidden_cols.update(range(lo - 1, min(hi, lo + 200, bounds.MAX_COLUMNS)))
    return True


def _values(data: bytes, out: SheetStyles) -> bool:
    """Error cells and formulas without a saved value, each cell's bytes read as the exact pass reads them: from
    its start to the next cell or row, a `<v>` starting the value afresh, `<f>` the formula, `<t>` neither.
    False when a text run is long enough to reach the exact pass in pieces."""
    bounds_at = [m.start() for m in _BOUNDARY.finditer(data)] + [len(data)]
    for m in _CELL.finditer(data):
        end = bounds_at[bisect_right(bounds_at, m.start())]
        kind = m.group(4)
        if kind != b"e" and not _FORMULA.search(data, m.end(), end):
            continue
        value: list[str] = []
        formula: list[str] | None = None
        into: list[str] | None = None
        at = m.end()
        for tok in _TOKEN.finditer(data, at, end):
            if tok.start() != at:  # bytes no token reads: not read here
                return False
            at = tok.end()
            if tok.group(3) is not None:
                if len(tok.group(3)) > _CHUNK:
                    return False
                if into is not None and len(into) < _KEEP_CHUNKS:
                    into.append(_text(tok.group(3)))
            elif not tok.group(1):
                tag = tok.group(2)
                if tag == b"v":
                    value = []
                    into = value
                elif tag == b"t":
                    into = None
                elif tag == b"f":
                    formula = []
                    into = formula
        if at != end:
            return False
        shown = "".join(value).strip()
        cell = (int(m.group(2)) - 1, column(m.group(1).decode()))
        if kind == b"e" and shown:
            out.errors[cell] = shown
        elif formula is not None and not shown:
            out.errors[cell] = FormulaCell("=" + "".join(formula).strip())
    return True


def _text(raw: bytes) -> str:
    """Character data as expat gives it: UTF-8, line ends as `\\n`, the five entities and character references."""
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _entity(m: re.Match) -> str:
    name = m.group(1)
    if name[0] != "#":
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
