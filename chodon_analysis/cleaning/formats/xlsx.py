"""`.xlsx` and `.xlsm` (Office Open XML, a zip): the zip checked (truncated, zip bomb), then one pass over each part
measures every sheet against the limits (docs/reading.md, "Limits") and takes what calamine does not give (percent
cells, decimals shown, error cells, unsaved formulas, hidden rows and columns, fonts): the quick measure of a small
plain part by its bytes (xlsx_quick.py, which only accepts), else a streaming pass of a real XML parser; only then
are its values read by calamine, which would size its grids by what the file says."""

from __future__ import annotations

import io
import zipfile
from array import array
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO

from . import bounds, xlsx_quick, xml_scan
from .book import FormulaCell, ReadError, Workbook
from .calamine import read_values
from .styles import BUILTIN_FORMATS, SheetStyles, Styles, font_hint, format_decimals, unchecked
from .xlsx_parts import U32, Parts, ascii_lower, cell_ref, reference

EXTENSIONS = (".xlsx", ".xlsm")
BY_CONTENT = True
NOT_THIS = "not_a_workbook"

_KEEP_CHUNKS = 16  # pieces of a value or formula kept (an error code, a shared-string index, a formula shown)
_LOCAL: dict[str, str] = {}  # element name as written -> its local name (`x:c` -> `c`), filled as met


def _local(name: str) -> str:
    if len(_LOCAL) < 1024:  # a hostile file with endless different names does not grow it for ever
        _LOCAL[name] = xml_scan.local(name)
    return xml_scan.local(name)


def recognise(head: bytes, members: frozenset[str] | None = None) -> bool:
    """A zip, but not an OpenDocument file (whose first member is named `mimetype`) nor a Word document (which holds
    `word/document.xml`)."""
    return head.startswith(b"PK") and head[30:38] != b"mimetype" and not (members and "word/document.xml" in members)


def read(path: Path) -> Workbook:
    return read_values(path, ".xlsx", xlsx_styles(path))


def xlsx_styles(path: Path) -> Styles:
    """The styles of every sheet, each part the value reader may read as a sheet measured against the limits
    (ReadError past them); the parts found as the value reader finds them (xlsx_parts.py)."""
    try:
        with bounds.open_zip(path) as zf:
            parts = Parts(zf)
            shared_part, styles_part = parts.part("sharedStrings.xml"), parts.part("styles.xml")
            shared = _shared_lengths(zf, shared_part) if shared_part else array("Q")
            xf, fonts = _cell_formats(zf, styles_part) if styles_part else ({}, [])
            out = Styles(font_hint=font_hint(fonts))
            by_id, every = parts.sheets()
            sheet = _Measure(zf, xf, shared)
            measured = set()
            for i, (name, member) in enumerate(_sheet_members(zf, parts, by_id)):
                out.sheets[i] = sheet.measure(member, name)
                measured.add(member)
            sheets_folder = ascii_lower(parts.folder + "worksheets/")
            others = every | {n for n in parts.names if ascii_lower(n).startswith(sheets_folder) and n.endswith(".xml")}
            for other in sorted(others - measured):  # any other part it might read as a sheet is measured too
                sheet.measure(other, PurePosixPath(other).stem)
            return out
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise unchecked(e) from None


def _shared_lengths(zf: zipfile.ZipFile, member: str) -> array:
    """The characters of each shared string (all its runs), refusing one longer than a cell may hold."""
    lengths, current = array("Q"), [0]

    def start(tag: str, attrs: dict) -> None:
        if tag == "si":
            current[0] = 0
        elif tag == "sst":  # the count calamine reserves room for before reading a string
            count = attrs.get("uniqueCount", "")
            if count.strip().isdigit() and int(count) > bounds.MAX_SHARED:
                raise ReadError("shared_count_too_large", count=int(count), max_count=bounds.MAX_SHARED)

    def end(tag: str) -> None:
        if tag == "si":
            if current[0] > bounds.MAX_CELL_CHARS:
                raise ReadError("shared_text_too_long", chars=current[0], max_chars=bounds.MAX_CELL_CHARS)
            lengths.append(current[0])

    def text(data: str) -> None:
        current[0] += len(data)

    with zf.open(member) as fh:
        xml_scan.scan(fh, start, end, text)
    return lengths


def _read_cell_formats(fh: IO[bytes]) -> tuple[dict[str, tuple[bool, int]], list[str]]:
    """Style index -> (percent, decimals shown) for the cell formats that show a number; the font names."""
    numfmts: dict[int, str] = {}
    xfs: list[int] = []
    fonts: list[str] = []
    depth = {"cellXfs": 0}

    def start(tag: str, a: dict[str, str]) -> None:
        if tag == "numFmt" and a.get("numFmtId", "").isdigit():
            numfmts[int(a["numFmtId"])] = a.get("formatCode", "")
        elif tag == "cellXfs":
            depth["cellXfs"] += 1
        elif tag == "xf" and depth["cellXfs"]:
            fid = a.get("numFmtId", "0")
            xfs.append(int(fid) if fid.isdigit() else 0)
        elif tag == "name" and "val" in a:
            fonts.append(a["val"])

    def end(tag: str) -> None:
        if tag == "cellXfs":
            depth["cellXfs"] -= 1

    xml_scan.scan(fh, start, end)
    out = {}
    for i, fid in enumerate(xfs):
        code = numfmts.get(fid, BUILTIN_FORMATS.get(fid, ""))
        if (d := format_decimals(code)) is not None:
            out[str(i)] = ("%" in code, d)
    return out, fonts


_cell_formats = xml_scan.by_content(_read_cell_formats)


def _read_sheets(fh: IO[bytes]) -> list[tuple[str, str]]:
    """(name, relationship id) of each `<sheet>` of the workbook part, in its order."""
    sheets: list[tuple[str, str]] = []

    def sheet(tag: str, a: dict[str, str]) -> None:
        if tag == "sheet":
            sheets.append((a.get("name", ""), a.get("id", "")))

    xml_scan.scan(fh, sheet)
    return sheets


_sheets = xml_scan.by_content(_read_sheets)


def _sheet_members(zf: zipfile.ZipFile, parts: Parts, by_id: dict[str, str]) -> list[tuple[str, str]]:
    """(name, worksheet part) of each sheet in workbook order (chart sheets left out, as calamine does)."""
    workbook = parts.part("workbook.xml")
    sheets = _sheets(zf, workbook) if workbook is not None else []
    return [(name, by_id[rid]) for name, rid in sheets if rid in by_id]


class _RowEnds(Exception):
    """A row or cell without its reference: its place depends on where rows end (scanned again, with row ends)."""


class _Sheet:
    """The state of one sheet's scan: where the parser is, the cell being read, the extent and the text so far."""

    def __init__(self, xf: dict[str, tuple[bool, int]], shared: array, name: str, exact: bool = False) -> None:
        self.xf, self.shared, self.name = xf, shared, name
        self.out = SheetStyles()
        self.extent = bounds.Extent(name)
        self.exact = exact  # rows' ends followed (a row or cell without reference is placed by them)
        self.row_index, self.col_index = 0, 0  # calamine's place for a cell without reference
        self.merges = 0
        self.in_cell = False
        self.text_total = 0
        self.cell: tuple[int, int] | None = None
        self.style = self.kind = ""
        self.chars = 0
        self.value: list[str] = []
        self.formula: list[str] | None = None
        self.into: list[str] | None = None  # where character data goes (the value, the formula), if kept
        self.counting = False  # after a value or a text run opened, in the cell: its characters count

    def start(self, tag: str, a: dict[str, str]) -> None:
        """Elements as they open; a cell ends where the next cell or row begins (no end events: half the calls)."""
        tag = _LOCAL.get(tag) or _local(tag)
        if tag == "v":
            if self.cell is not None:  # a second value in one cell: calamine keeps the last
                self.value = []
                self.counting, self.into = True, self.value
            return
        if self.in_cell and tag in ("c", "row"):
            return  # nested in a cell: calamine reads to the cell's end and takes no row or cell from it
        if self.cell is not None and (tag == "c" or tag == "row"):
            self._cell_done()
        if tag == "c":
            r = a.get("r")  # as calamine: the attribute named exactly `r`
            if r is None and not self.exact:
                raise _RowEnds
            ref = (self.row_index, self.col_index) if r is None else cell_ref(r)
            if ref is None:
                raise ReadError("cell_reference_bad", sheet=self.name, ref=r[:40])
            self.col_index = ref[1] + 1
            if ref[0] >= self.extent.rows or ref[1] >= self.extent.cols:
                self.extent.add(ref[0], ref[1])
            self.cell, self.style, self.kind = ref, a.get("s", ""), a.get("t", "")
            self.chars, self.value, self.formula = 0, [], None
            self.in_cell = self.exact  # its end is followed only when rows' ends are
        elif tag == "t":
            if self.cell is not None:
                self.counting, self.into = True, None
        elif tag == "f":
            if self.cell is not None:
                self.formula = []
                self.counting, self.into = False, self.formula
        elif tag == "row":
            self._row(a)
        elif tag == "mergeCell":
            self.merges += 1
            if self.merges > bounds.MAX_MERGES:
                bounds.check_merges(self.name, self.merges)
        elif tag == "col" and a.get("hidden") in ("1", "true"):
            lo = int(a["min"]) if a.get("min", "").isdigit() else 1
            hi = int(a["max"]) if a.get("max", "").isdigit() else lo
            self.out.hidden_cols.update(range(lo - 1, min(hi, lo + 200, bounds.MAX_COLUMNS)))  # past it: refused
        elif tag == "dimension":
            last = cell_ref(a.get("ref", "").split(":")[-1].strip().replace("$", ""))
            if last:
                bounds.check_extent(self.name, last[0] + 1, last[1] + 1, declared=True)

    def _row(self, a: dict[str, str]) -> None:
        """A row opens: calamine's row index from its reference (letters ignored), else where the last row ended."""
        r = a.get("r")
        if r is None and not self.exact:
            raise _RowEnds
        if r is not None:
            found = reference(r)
            if found is None:
                raise ReadError("cell_reference_bad", sheet=self.name, ref=r[:40])
            self.row_index = found[0]
        if a and any(":" in k for k in a):
            a = {_local(k): v for k, v in a.items()}
        if a.get("hidden") in ("1", "true") and self.row_index < bounds.MAX_ROWS:
            self.out.hidden_rows.add(self.row_index)

    def end(self, tag: str) -> None:
        """An element closes (followed only when rows' ends place cells): a row's end moves to the next row."""
        tag = _LOCAL.get(tag) or _local(tag)
        if self.in_cell:
            self.in_cell = tag != "c"  # a row ending inside a cell is no row's end
        elif tag == "row":
            self.row_index, self.col_index = (self.row_index + 1) & U32, 0

    def text(self, data: str) -> None:
        if self.counting:
            self.chars += len(data)
        if self.into is not None and len(self.into) < _KEEP_CHUNKS:
            self.into.append(data)

    def _cell_done(self) -> None:
        value = "".join(self.value).strip()
        chars = self.chars
        if self.kind == "s" and value.isdigit() and int(value) < len(self.shared):
            chars = self.shared[int(value)]  # the shared string this cell shows: its own copy once read
        if chars > bounds.MAX_CELL_CHARS:
            raise bounds.cell_too_long(self.name, chars)
        self.text_total += chars
        if self.text_total > bounds.MAX_TEXT:
            bounds.check_text(self.name, self.text_total)
        cell = self.cell
        if self.kind == "e" and value:
            self.out.errors[cell] = value
        elif self.formula is not None and not value:
            self.out.errors[cell] = FormulaCell("=" + "".join(self.formula).strip())
        if self.style and (fmt := self.xf.get(self.style)):
            if fmt[0]:
                self.out.percent.add(cell)
            self.out.decimals[cell] = fmt[1]
        self.cell, self.counting, self.into = None, False, None


class _Measure:
    """Each sheet part of one workbook measured: the quick measure when the part is small and plain
    (xlsx_quick.py, which only accepts), else one exact pass of a real XML parser."""

    def __init__(self, zf: zipfile.ZipFile, xf: dict[str, tuple[bool, int]], shared: array) -> None:
        self.zf, self.xf, self.shared = zf, xf, shared
        self.xf_bytes = {k.encode(): v for k, v in xf.items()}
        self.longest_shared = max(shared, default=0)

    def measure(self, member: str, name: str) -> SheetStyles:
        """The styles of the part `member` of sheet `name`; ReadError past the limits."""
        data = None
        if self.zf.getinfo(member).file_size <= xlsx_quick.QUICK_MAX:
            with self.zf.open(member) as fh:
                data = fh.read(xlsx_quick.QUICK_MAX + 1)
            found = xlsx_quick.measure(data, self.xf_bytes, self.longest_shared)
            if found is not None:
                return found
        return _measure(lambda: io.BytesIO(data) if data is not None else self.zf.open(member), self.xf,
                        self.shared, name)


def _measure(source: Callable[[], IO[bytes]], xf: dict[str, tuple[bool, int]], shared: array,
             name: str) -> SheetStyles:
    """One pass over a sheet part: refused past the limits (its declared extent, every cell, empty or not, as
    calamine sizes its grid by them, each cell's text and the sheet's); the styles, errors and unsaved formulas.
    A sheet with a row or cell without reference is scanned again following rows' ends, as calamine places it."""
    for exact in (False, True):
        state = _Sheet(xf, shared, name, exact)
        p = xml_scan.parser()
        p.StartElementHandler, p.CharacterDataHandler = state.start, state.text
        if exact:
            p.EndElementHandler = state.end
        try:
            with source() as fh:
                xml_scan.run(p, fh)
        except _RowEnds:
            continue
        if state.cell is not None:
            state._cell_done()
        return state.out
    raise AssertionError("the exact scan never asks for rows' ends")
